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
import './styles.css';

export function mountUi(root: HTMLElement, store: AppStore, manifest: Manifest, imports?: ImportController, offline: OfflineSupport = { prepare: async () => {} }): () => void {
  const importUi = imports ? mountImport(root, store, imports) : null;
  // Screen readers and the browser's own UI (hyphenation, spelling) follow the document's language.
  document.documentElement.lang = store.getState().lang;
  const unmount = [
    watch(store, (s) => s.lang, (lang) => (document.documentElement.lang = lang)),
    mountToolbar(root, store, importUi?.open),
    mountLayerList(root, store, manifest, imports),
    mountInfoPanel(root, store, manifest),
    mountAttribution(root, store, manifest),
    mountNotices(root, store),
    mountStatusBar(root, store),
    mountTimeline(root, store),
    mountTools(root, store),
    // The comparison tools of each coverage layer: the panel, and the divider over the scene for the swipe.
    ...manifest.layers.filter((e) => e.kind === 'coverage').flatMap((e) => [mountCoveragePanel(root, store, e.id), mountSwipe(root, store, coverageSwipe(e.id))]),
    // Scenarios for planners (masts placed through the first coverage layer), and the divider between two variants.
    mountScenarioPanel(root, store, manifest.layers.find((e) => e.kind === 'coverage')?.id ?? null),
    mountSwipe(root, store, scenarioSwipe()),
    // Stories and play mode; the presenter takes the whole app (scene and UI) full screen.
    mountStoryPanel(root, store, offline),
    mountPresenter(root, store, root.parentElement ?? root),
  ];
  return () => {
    importUi?.dispose();
    for (const u of unmount) u();
    root.replaceChildren();
  };
}
