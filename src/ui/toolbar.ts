/** Title, bookmarks and the language switch. */
import { LANGS, t } from '../i18n';
import { BOOKMARKS } from '../state/bookmarks';
import { watch, type AppStore } from '../state/store';
import { h, rerender } from './dom';

export function mountToolbar(root: HTMLElement, store: AppStore, onImport?: () => void): () => void {
  const el = h('header', { class: 'toolbar' });
  root.append(el);
  const render = () => {
    const { lang, storyPanelOpen } = store.getState();
    rerender(
      el,
      h('div', { class: 'brand' }, h('strong', {}, t(lang, 'app.title')), h('span', {}, t(lang, 'app.subtitle'))),
      h(
        'nav',
        { class: 'bookmarks', 'aria-label': t(lang, 'bookmarks.title') },
        ...BOOKMARKS.map((b) =>
          h('button', { type: 'button', 'data-bookmark': b.id, 'data-focus-key': `bm-${b.id}`, onclick: () => store.getState().flyTo(b.camera) }, t(lang, b.labelKey)),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'story-button',
          'aria-expanded': storyPanelOpen ? 'true' : 'false',
          'aria-controls': 'story-panel',
          'data-focus-key': 'stories',
          'data-testid': 'story-button',
          onclick: () => store.getState().setStoryPanelOpen(!store.getState().storyPanelOpen),
        },
        t(lang, 'story.button'),
      ),
      onImport ? h('button', { type: 'button', class: 'import-button', 'data-focus-key': 'import', title: t(lang, 'import.dropHint'), onclick: onImport }, t(lang, 'import.button')) : null,
      h(
        'label',
        { class: 'lang' },
        h('span', { class: 'sr-only' }, t(lang, 'lang.label')),
        h(
          'select',
          { 'aria-label': t(lang, 'lang.label'), 'data-focus-key': 'lang', value: lang, onchange: (e) => store.getState().setLang((e.target as HTMLSelectElement).value as typeof lang) },
          ...LANGS.map((l) => h('option', { value: l, selected: l === lang }, l.toUpperCase())),
        ),
      ),
    );
  };
  render();
  return watch(store, (s) => [s.lang, s.storyPanelOpen] as const, render);
}
