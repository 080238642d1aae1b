/** Title, the workspaces (one click each), places to fly to, stories, import and the language switch. */
import { LANGS, t } from '../i18n';
import { BOOKMARKS } from '../state/bookmarks';
import { OVERVIEW_BELOW_M, WORKSPACES, WORKSPACE_SPECS, type WorkspaceId } from '../state/workspace';
import { watch, type AppStore } from '../state/store';
import { h, rerender } from './dom';

export function mountToolbar(root: HTMLElement, store: AppStore, onImport?: () => void, onCatalogue?: () => void, onPicture?: () => void): () => void {
  const el = h('header', { class: 'toolbar' });
  root.append(el);
  const render = () => {
    const { lang, storyPanelOpen, workspace } = store.getState();
    rerender(
      el,
      h('div', { class: 'brand' }, h('strong', {}, t(lang, 'app.title')), h('span', {}, t(lang, 'app.subtitle'))),
      h(
        'nav',
        { class: 'workspaces', 'aria-label': t(lang, 'ws.label') },
        ...WORKSPACES.map((ws) =>
          h('button', {
            type: 'button', 'data-workspace': ws, 'data-focus-key': `ws-${ws}`, 'aria-pressed': String(ws === workspace), title: t(lang, `ws.${ws}.hint`),
            onclick: () => enterWorkspace(store, ws),
          }, t(lang, `ws.${ws}`)),
        ),
      ),
      // Places as one menu: five buttons would not leave the workspaces room on a 1024-pixel projector.
      h(
        'select',
        {
          class: 'bookmarks', 'aria-label': t(lang, 'bookmarks.title'), 'data-focus-key': 'bookmarks', 'data-testid': 'bookmarks',
          onchange: (e) => {
            const select = e.target as HTMLSelectElement;
            const b = BOOKMARKS.find((x) => x.id === select.value);
            select.value = '';
            if (b) store.getState().flyTo(b.camera);
          },
        },
        h('option', { value: '', selected: true }, t(lang, 'bookmarks.goto')),
        ...BOOKMARKS.map((b) => h('option', { value: b.id, 'data-bookmark': b.id }, t(lang, b.labelKey))),
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
          onclick: () => {
            const st = store.getState();
            st.setStoryPanelOpen(!st.storyPanelOpen);
            if (!st.dockOpen) st.setDockOpen(true);
          },
        },
        t(lang, 'story.button'),
      ),
      onPicture ? h('button', { type: 'button', class: 'picture-button', 'data-focus-key': 'picture', 'data-testid': 'picture-button', onclick: onPicture }, t(lang, 'picture.button')) : null,
      onCatalogue ? h('button', { type: 'button', class: 'catalogue-button', 'data-focus-key': 'catalogue', 'data-testid': 'catalogue-button', title: t(lang, 'import.dropHint'), onclick: onCatalogue }, t(lang, 'catalogue.button')) : null,
      // Without the catalogue (no scene), files still come in through the importer.
      onImport && !onCatalogue ? h('button', { type: 'button', class: 'import-button', 'data-focus-key': 'import', title: t(lang, 'import.dropHint'), onclick: onImport }, t(lang, 'import.button')) : null,
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
  return watch(store, (s) => [s.lang, s.storyPanelOpen, s.workspace] as const, render);
}

/** The user's switch of workspace: its layers and panels, and its overview when the camera is close to the ground. */
function enterWorkspace(store: AppStore, ws: WorkspaceId): void {
  const s = store.getState();
  s.setWorkspace(ws);
  const overview = WORKSPACE_SPECS[ws].overview;
  if (overview && (s.camera?.heightM ?? Infinity) < OVERVIEW_BELOW_M) s.flyTo(overview, 1.5);
}
