/** The project's own UI (Cesium's widgets are English-only): every panel renders from the store. */
import type { ImportController } from '../layers/imported/controller';
import type { Manifest } from '../layers/manifest';
import { mountImport } from './import-dialog';
import { watch, type AppStore } from '../state/store';
import { mountAttribution } from './attribution';
import { mountInfoPanel } from './info-panel';
import { mountLayerList } from './layer-list';
import { mountNotices } from './notices';
import { mountStatusBar } from './status-bar';
import { mountTimeline } from './timeline';
import { mountCoveragePanel } from './coverage-panel';
import { mountSwipe } from './swipe';
import { mountToolbar } from './toolbar';
import './styles.css';

export function mountUi(root: HTMLElement, store: AppStore, manifest: Manifest, imports?: ImportController): () => void {
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
    // The comparison tools of each coverage layer: the panel, and the divider over the scene for the swipe.
    ...manifest.layers.filter((e) => e.kind === 'coverage').flatMap((e) => [mountCoveragePanel(root, store, e.id), mountSwipe(root, store, e.id)]),
  ];
  return () => {
    importUi?.dispose();
    for (const u of unmount) u();
    root.replaceChildren();
  };
}
