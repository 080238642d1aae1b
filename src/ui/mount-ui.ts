/** The project's own UI (Cesium's widgets are English-only): every panel renders from the store. */
import type { ImportController } from '../layers/imported/controller';
import type { CatalogueController } from '../layers/catalogue/controller';
import type { CaptureScene } from './save-picture';
import type { Manifest } from '../../core/manifest';
import { mountImport } from './import-dialog';
import { watch, type AppStore } from '../state/store';
import { mountAttribution } from './attribution';
import { mountInfoPanel } from './info-panel';
import { mountLayerList } from './layer-list';
import { mountNotices } from './notices';
import { mountStatusBar } from './status-bar';
import { mountTimeline } from './timeline';
import { mountTools } from './tools';
import { coverageSwipe, mountSwipe, scenarioSwipe } from './swipe';
import { mountToolbar } from './toolbar';
import { mountPresenter } from './presenter';
import type { OfflineSupport } from '../offline/register';
import { mountDock } from './dock';
import { mountToolHint } from './tool-hint';
import { mountUndoKeys } from './undo-keys';
import { lazyModule, mountWhenWanted } from './lazy';
import { WORKSPACE_SPECS } from '../state/workspace';
import './styles.css';

export function mountUi(root: HTMLElement, store: AppStore, manifest: Manifest, imports?: ImportController, offline: OfflineSupport = { prepare: async () => {} }, catalogue?: CatalogueController, capture?: CaptureScene): () => void {
  const importUi = imports ? mountImport(root, store, imports, catalogue) : null;
  // The catalogue dialog's code is fetched when it is first opened.
  const catalogueUi = catalogue ? lazyModule(store, () => import('./catalogue-panel')) : null;
  let catalogueDialog: { open(): void; dispose(): void } | null = null;
  const openCatalogue = catalogue && catalogueUi ? () => void catalogueUi.load().then((m) => (catalogueDialog ??= m.mountCataloguePanel(store, catalogue, importUi?.open)).open()).catch(() => undefined) : undefined;
  // Screen readers and the browser's own UI (hyphenation, spelling) follow the document's language.
  document.documentElement.lang = store.getState().lang;
  // The toolbar first, then the dock with the workspace's panels; the scene's own overlays after them.
  const pictureUi = capture ? lazyModule(store, () => import('./save-picture')) : null;
  let pictureDialog: { open(): void; dispose(): void } | null = null;
  const openPicture = capture && pictureUi ? () => void pictureUi.load().then((m) => (pictureDialog ??= m.mountSavePicture(store, manifest, capture)).open()).catch(() => undefined) : undefined;
  const toolbar = mountToolbar(root, store, importUi?.open, openCatalogue, openPicture);
  const dock = mountDock(root, store);
  const coverageIds = manifest.layers.filter((e) => e.kind === 'coverage').map((e) => e.id);
  const coverageId = coverageIds[0] ?? null;
  const unmount = [
    watch(store, (s) => s.lang, (lang) => (document.documentElement.lang = lang)),
    toolbar,
    // Stories, scenarios, coverage, tools, layers: the dock's order (see ui/dock.ts). The first three are fetched
    // when first wanted: the story panel once opened, the scenario panel in a workspace that has it, a coverage
    // panel once its layer has been shown.
    mountWhenWanted(store, (s) => s.storyPanelOpen, lazyModule(store, () => import('./story-panel')), (m) => m.mountStoryPanel(dock.slot('stories'), store, offline)),
    mountWhenWanted(store, (s) => WORKSPACE_SPECS[s.workspace].panels.includes('scenario'), lazyModule(store, () => import('./scenario-panel')), (m) => m.mountScenarioPanel(dock.slot('scenario'), store, coverageId)),
    mountWhenWanted(store, (s) => coverageIds.some((id) => s.layers[id]?.coverage !== undefined), lazyModule(store, () => import('./coverage-panel')), (m) => {
      const panels = coverageIds.map((id) => m.mountCoveragePanel(dock.slot('coverage'), store, id));
      return () => panels.forEach((u) => u());
    }),
    // Undo and redo of scenario edits from the keyboard, wherever they were made.
    mountUndoKeys(store),
    mountTools(dock.slot('tools'), store),
    mountLayerList(dock.slot('layers'), store, manifest, imports, catalogue),
    () => dock.dispose(),
    // The timeline where time matters: the sensors and planning workspaces, the sun study, a time set by a link.
    showTimelineWhenNeeded(root, store),
    mountInfoPanel(root, store, manifest),
    mountAttribution(root, store, manifest),
    mountNotices(root, store),
    mountStatusBar(root, store),
    mountTimeline(root, store),
    mountToolHint(root, store),
    // The dividers over the scene: each coverage layer's swipe, and the one between two scenario variants.
    ...manifest.layers.filter((e) => e.kind === 'coverage').map((e) => mountSwipe(root, store, coverageSwipe(e.id))),
    mountSwipe(root, store, scenarioSwipe()),
    // Play mode: the presenter takes the whole app (scene and UI) full screen.
    mountPresenter(root, store, root.parentElement ?? root),
  ];
  return () => {
    importUi?.dispose();
    catalogueDialog?.dispose();
    pictureDialog?.dispose();
    for (const u of unmount) u();
    root.replaceChildren();
  };
}

const needed = (s: ReturnType<AppStore['getState']>): boolean => WORKSPACE_SPECS[s.workspace].timeline || s.sunStudy || !s.live;

/** The timeline where time matters: the sensors and planning workspaces, the sun study, a time set by a link. */
function showTimelineWhenNeeded(root: HTMLElement, store: AppStore): () => void {
  root.classList.toggle('no-timeline', !needed(store.getState()));
  return watch(store, needed, (on) => root.classList.toggle('no-timeline', !on));
}
