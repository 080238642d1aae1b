/** The project's own UI (Cesium's widgets are English-only): every panel renders from the store. */
import type { ImportController } from '../layers/imported/controller';
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
import { mountCoveragePanel } from './coverage-panel';
import { coverageSwipe, mountSwipe, scenarioSwipe } from './swipe';
import { mountScenarioPanel } from './scenario-panel';
import { mountToolbar } from './toolbar';
import { mountStoryPanel } from './story-panel';
import { mountPresenter } from './presenter';
import type { OfflineSupport } from '../offline/register';
import { mountDock } from './dock';
import { mountToolHint } from './tool-hint';
import { WORKSPACE_SPECS } from '../state/workspace';
import './styles.css';

export function mountUi(root: HTMLElement, store: AppStore, manifest: Manifest, imports?: ImportController, offline: OfflineSupport = { prepare: async () => {} }): () => void {
  const importUi = imports ? mountImport(root, store, imports) : null;
  // Screen readers and the browser's own UI (hyphenation, spelling) follow the document's language.
  document.documentElement.lang = store.getState().lang;
  // The toolbar first, then the dock with the workspace's panels; the scene's own overlays after them.
  const toolbar = mountToolbar(root, store, importUi?.open);
  const dock = mountDock(root, store);
  const coverageId = manifest.layers.find((e) => e.kind === 'coverage')?.id ?? null;
  const unmount = [
    watch(store, (s) => s.lang, (lang) => (document.documentElement.lang = lang)),
    toolbar,
    // Stories, scenarios, coverage, tools, layers: the dock's order (see ui/dock.ts).
    mountStoryPanel(dock.slot('stories'), store, offline),
    mountScenarioPanel(dock.slot('scenario'), store, coverageId),
    ...manifest.layers.filter((e) => e.kind === 'coverage').map((e) => mountCoveragePanel(dock.slot('coverage'), store, e.id)),
    mountTools(dock.slot('tools'), store),
    mountLayerList(dock.slot('layers'), store, manifest, imports),
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
