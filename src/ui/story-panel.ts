/**
 * The story panel: build a presentation from views of the twin. Stories are created, renamed and deleted; the
 * current view (camera, visible layers, time, scenario) is added as a slide, captioned in Czech, German and
 * English, reordered with buttons or Alt+↑/↓, updated and deleted; stories go out and come in as JSON files; and
 * the panel says whether the story can be played without the network. Everything renders from the store; every
 * caption and title is text, never HTML.
 */
import { openShareBox } from './share-box';
import { looksShared, openSharedFile } from '../persist/share';
import { storyShare } from '../state/share';
import { counted, formatNumber, LANGS, t, type Lang } from '../i18n';
import { encodeUrlState } from '../state/url';
import { keepBoth, MAX_STORIES, parseStoriesText, serializeStories, type Story, type StorySlide } from '../state/story';
import { watch, type AppState, type AppStore } from '../state/store';
import type { OfflineState } from '../state/slices';
import type { OfflineSupport } from '../offline/register';
import { h, rerender } from './dom';
import { downloadText } from '../persist/download';

/** A stories file is a few kilobytes per story; anything far larger is not one and is not read. */
const MAX_FILE_MB = 2;

export function mountStoryPanel(root: HTMLElement, store: AppStore, offline: OfflineSupport): () => void {
  const el = h('section', { id: 'story-panel', class: 'panel story', 'aria-labelledby': 'story-title', 'data-testid': 'story-panel', hidden: true });
  const fileInput = h('input', { type: 'file', accept: '.json,.twin.json,application/json', hidden: true, 'data-testid': 'story-import-input' });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) void importFile(store, file);
  });
  root.append(el, fileInput);

  const render = (s: AppState): void => {
    el.hidden = !s.storyPanelOpen || s.presenting || s.kiosk;
    if (el.hidden) return;
    const { lang } = s;
    const story = s.stories.find((x) => x.id === s.storyId);
    rerender(
      el,
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'story-title' }, t(lang, 'story.title')),
        h('button', { type: 'button', class: 'close', 'aria-label': t(lang, 'story.close'), 'data-focus-key': 'story-close', onclick: () => store.getState().setStoryPanelOpen(false) }, '×'),
      ),
      storyPicker(store, s, story),
      story ? storyEditor(store, s, story) : h('p', { class: 'hint' }, t(lang, 'story.none')),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', 'data-focus-key': 'story-import', 'data-testid': 'story-import', onclick: () => fileInput.click() }, t(lang, 'story.import')),
        h('button', { type: 'button', 'data-focus-key': 'story-export', 'data-testid': 'story-export', disabled: s.stories.length === 0, onclick: () => exportStories(s.stories) }, t(lang, 'story.export')),
        // The open story with the scenarios its slides show, to another browser: a link or a .twin.json file.
        h('button', {
          type: 'button', 'data-focus-key': 'story-share', 'data-testid': 'story-share', disabled: !story,
          onclick: () => story && openShareBox(root, store, { name: story.title, doc: storyShare(story, store.getState().scenarios), link: { workspace: 'present', storyId: story.id }, kiosk: true }),
        }, t(lang, 'share.button')),
      ),
      offlineSection(s.offline, lang, offline),
    );
  };
  render(store.getState());
  return watch(store, (s) => [s.lang, s.stories, s.storyId, s.slideIndex, s.storyPanelOpen, s.presenting, s.kiosk, s.offline] as const, () => render(store.getState()));
}

function storyPicker(store: AppStore, s: AppState, story: Story | undefined): HTMLElement {
  const { lang } = s;
  return h(
    'div',
    { class: 'row' },
    s.stories.length > 0
      ? h(
          'select',
          { 'aria-label': t(lang, 'story.select'), 'data-focus-key': 'story-select', 'data-testid': 'story-select', onchange: (e) => store.getState().openStory((e.target as HTMLSelectElement).value || null) },
          h('option', { value: '', selected: !story }, '—'),
          ...s.stories.map((x) => h('option', { value: x.id, selected: x.id === story?.id }, x.title || x.id)),
        )
      : null,
    h(
      'button',
      {
        type: 'button',
        'data-focus-key': 'story-new',
        'data-testid': 'story-new',
        disabled: s.stories.length >= MAX_STORIES,
        onclick: () => store.getState().createStory(t(lang, 'story.defaultTitle', { n: store.getState().stories.length + 1 })),
      },
      t(lang, 'story.new'),
    ),
  );
}

function storyEditor(store: AppStore, s: AppState, story: Story): HTMLElement {
  const { lang } = s;
  const current = story.slides[s.slideIndex];
  return h(
    'div',
    { class: 'story-editor' },
    h(
      'div',
      { class: 'row' },
      h(
        'label',
        { class: 'grow' },
        h('span', {}, t(lang, 'story.titleLabel')),
        h('input', { type: 'text', value: story.title, maxlength: 120, 'data-focus-key': 'story-name', 'data-testid': 'story-name', onchange: (e) => store.getState().renameStory(story.id, (e.target as HTMLInputElement).value) }),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-focus-key': 'story-delete',
          onclick: () => {
            if (window.confirm(t(lang, 'story.confirmDelete', { title: story.title, slides: counted(story.slides.length, 'slide') }))) store.getState().deleteStory(story.id);
          },
        },
        t(lang, 'story.delete'),
      ),
    ),
    h('h3', { id: 'story-slides-title' }, t(lang, 'story.slides')),
    story.slides.length === 0
      ? h('p', { class: 'hint' }, t(lang, 'story.noSlides'))
      : h('ol', { class: 'slides', 'aria-labelledby': 'story-slides-title', 'data-testid': 'story-slides' }, ...story.slides.map((slide, i) => slideItem(store, s, story, slide, i))),
    story.slides.length > 1 ? h('p', { class: 'hint' }, t(lang, 'story.reorderHint')) : null,
    current ? captionEditor(store, lang, current, s.slideIndex) : null,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'primary', 'data-focus-key': 'story-add', 'data-testid': 'story-add-slide', disabled: !s.camera, onclick: () => store.getState().addSlide() }, t(lang, 'story.addSlide')),
      h(
        'button',
        { type: 'button', 'data-focus-key': 'story-play', 'data-testid': 'story-play', disabled: story.slides.length === 0, onclick: () => store.getState().setPresenting(true) },
        `▶ ${t(lang, 'story.play')}`,
      ),
    ),
    story.slides.length > 0 ? kioskLink(s, story) : null,
  );
}

function slideItem(store: AppStore, s: AppState, story: Story, slide: StorySlide, i: number): HTMLElement {
  const { lang } = s;
  const n = story.slides.length;
  const label = t(lang, 'story.slideN', { n: i + 1 });
  const onkeydown = (e: Event): void => {
    const k = e as KeyboardEvent;
    if (k.target !== k.currentTarget) return;
    const st = store.getState();
    if (k.altKey && (k.key === 'ArrowUp' || k.key === 'ArrowDown')) st.moveSlide(slide.id, k.key === 'ArrowUp' ? -1 : 1);
    else if (k.key === 'ArrowUp' || k.key === 'ArrowDown') st.goToSlide(Math.min(n - 1, Math.max(0, i + (k.key === 'ArrowUp' ? -1 : 1))));
    else if (k.key === 'Enter') st.goToSlide(i);
    else if (k.key === 'Delete') st.deleteSlide(slide.id);
    else return;
    k.preventDefault();
  };
  const summary = t(lang, 'story.slideSummary', {
    time: slide.live ? t(lang, 'story.live') : formatTime(lang, slide.timeIso),
    hidden: slide.hiddenLayers.length,
    scenario: slide.scenarioId === null ? t(lang, 'story.today') : t(lang, 'story.scenario', { id: slide.scenarioId }),
  });
  return h(
    'li',
    {
      class: i === s.slideIndex ? 'slide current' : 'slide',
      tabindex: 0,
      'aria-label': label,
      'aria-current': i === s.slideIndex ? 'true' : undefined,
      'data-focus-key': `slide-${slide.id}`,
      'data-slide': slide.id,
      onkeydown,
      onclick: () => store.getState().goToSlide(i),
    },
    h('div', { class: 'slide-head' }, h('strong', {}, label), h('span', { class: 'caption-preview' }, slide.caption[lang] || slide.caption.en || slide.caption.de || slide.caption.cs)),
    h('small', {}, summary),
    h(
      'div',
      { class: 'slide-actions' },
      h('button', { type: 'button', 'aria-label': `${t(lang, 'story.moveUp')}: ${label}`, disabled: i === 0, onclick: act(() => store.getState().moveSlide(slide.id, -1)) }, '↑'),
      h('button', { type: 'button', 'aria-label': `${t(lang, 'story.moveDown')}: ${label}`, disabled: i === n - 1, onclick: act(() => store.getState().moveSlide(slide.id, 1)) }, '↓'),
      h('button', { type: 'button', 'aria-label': `${t(lang, 'story.recapture')}: ${label}`, title: t(lang, 'story.recapture'), onclick: act(() => store.getState().recaptureSlide(slide.id)) }, '⟳'),
      h('button', { type: 'button', class: 'danger', 'aria-label': `${t(lang, 'story.deleteSlide')}: ${label}`, onclick: act(() => store.getState().deleteSlide(slide.id)) }, '×'),
    ),
  );
}

/** Captions in all three languages and the autoplay duration of the current slide; written on change (settled). */
function captionEditor(store: AppStore, lang: Lang, slide: StorySlide, index: number): HTMLElement {
  return h(
    'fieldset',
    { class: 'captions' },
    h('legend', {}, t(lang, 'story.slideN', { n: index + 1 })),
    ...LANGS.map((l) =>
      h(
        'label',
        {},
        h('span', {}, t(lang, 'story.caption', { lang: l.toUpperCase() })),
        h(
          'textarea',
          {
            rows: 2,
            maxlength: 600,
            lang: l,
            'data-focus-key': `caption-${slide.id}-${l}`,
            'data-testid': `caption-${l}`,
            onchange: (e) => store.getState().updateSlide(slide.id, { caption: { ...slide.caption, [l]: (e.target as HTMLTextAreaElement).value } }),
          },
          slide.caption[l],
        ),
      ),
    ),
    h(
      'label',
      { class: 'row' },
      h('span', {}, t(lang, 'story.duration')),
      h('input', {
        type: 'number',
        min: 1,
        max: 600,
        step: 1,
        value: slide.durationS,
        'data-focus-key': `duration-${slide.id}`,
        'data-testid': 'slide-duration',
        onchange: (e) => {
          const v = Number((e.target as HTMLInputElement).value);
          if (Number.isFinite(v) && v >= 1 && v <= 600) store.getState().updateSlide(slide.id, { durationS: v });
        },
      }),
    ),
  );
}

/**
 * The link that plays this story on a kiosk screen of this browser: the story and `kiosk=1`. For another machine
 * "Share…" packs the story itself into a kiosk link (src/ui/share-box.ts); the note says so.
 */
function kioskLink(s: AppState, story: Story): HTMLElement {
  const fragment = encodeUrlState({ lang: s.lang, lite: s.lite, storyId: story.id, slideIndex: 0, kiosk: true });
  const url = `${location.origin}${location.pathname}#${fragment}`;
  return h(
    'label',
    { class: 'kiosk-link' },
    h('span', {}, t(s.lang, 'story.kioskLink')),
    h('input', { type: 'text', readonly: true, value: url, 'data-focus-key': 'story-kiosk-link', 'data-testid': 'story-kiosk-link', onfocus: (e) => (e.target as HTMLInputElement).select() }),
    h('small', { class: 'datum' }, t(s.lang, 'story.kioskThisBrowser')),
  );
}

function offlineSection(o: OfflineState, lang: Lang, offline: OfflineSupport): HTMLElement {
  const mb = (n: number) => formatNumber(lang, n / 1048576, 1);
  const counts = { files: formatNumber(lang, o.cachedFiles, 0), total: formatNumber(lang, o.totalFiles, 0), mb: mb(o.cachedBytes), totalMb: mb(o.totalBytes) };
  const complete = o.totalFiles > 0 && o.cachedFiles >= o.totalFiles;
  const text =
    o.status === 'unsupported' ? t(lang, 'offline.unsupported')
    : o.status === 'starting' ? t(lang, 'offline.starting')
    : o.status === 'preparing' ? t(lang, 'offline.preparing', counts)
    : o.status === 'error' ? t(lang, 'offline.error', { message: o.message ?? '' })
    : complete ? t(lang, 'offline.complete', counts)
    : t(lang, 'offline.partial', counts);
  const state = o.status === 'ready' && complete ? 'complete' : o.status;
  return h(
    'div',
    { class: `offline ${state}`, 'data-testid': 'story-offline', 'data-offline': state },
    h('h3', {}, t(lang, 'offline.title')),
    h('p', { role: 'status', 'aria-live': 'polite' }, text),
    o.status === 'preparing' ? h('progress', { max: Math.max(1, o.totalFiles), value: o.cachedFiles }) : null,
    (o.status === 'ready' && !complete) || o.status === 'error'
      ? h('button', { type: 'button', 'data-focus-key': 'offline-prepare', 'data-testid': 'offline-prepare', onclick: () => void offline.prepare() }, t(lang, 'offline.prepare'))
      : null,
  );
}

/** A slide's own button: it must not also select the slide (the list item's click). */
function act(f: () => void): (e: Event) => void {
  return (e) => {
    e.stopPropagation();
    f();
  };
}

function formatTime(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Prague' }).format(new Date(iso));
}

function exportStories(stories: readonly Story[]): void {
  downloadText('sddi-twin-stories.json', 'application/json', serializeStories(stories));
}

/** All or nothing: a file that fails validation anywhere changes no story. */
async function importFile(store: AppStore, file: File): Promise<void> {
  const lang = store.getState().lang;
  const fail = (message: string) => store.getState().notify('error', t(lang, 'story.importFailed', { file: file.name, message }));
  if (file.size > MAX_FILE_MB * 1048576) return fail(t(lang, 'story.tooBig', { mb: MAX_FILE_MB }));
  const text = await file.text();
  // A shared document (.twin.json: stories with their scenarios) opens through the same button.
  if (looksShared(text)) return openSharedFile(store, file, text);
  const r = parseStoriesText(text);
  if (!r.ok) return fail(r.problem);
  const merged = keepBoth(store.getState().stories, r.stories, (title) => t(lang, 'story.importedCopy', { title }));
  if (!store.getState().importStories(merged.stories)) return fail(t(lang, 'story.tooMany', { max: MAX_STORIES }));
  store.getState().notify('info', t(lang, 'story.imported', { file: file.name, stories: counted(merged.stories.length, 'story') }));
  if (merged.copies > 0) store.getState().notify('info', t(lang, 'story.importedBeside', { n: merged.copies }));
  if (merged.stories[0] && !store.getState().storyId) store.getState().openStory(merged.stories[0].id);
}
