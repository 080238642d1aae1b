/**
 * SDDI Twin, table of contents:
 *   read the link → create the store → create the viewer → start the workers (reprojection, aggregation,
 *   sensors) → mount the layers → mount the UI (with the importer for the user's own files).
 */
import { preferredLang, t } from './i18n';
import { fetchManifest, EMPTY_MANIFEST } from './layers/fetch-manifest';
import { mountLayers } from './layers/mount';
import { DEFAULT_CAMERA } from './state/bookmarks';
import { createAppStore } from './state/store';
import { decodeUrlState } from './state/url';
import { createImportService } from './jobs/import-service';
import { startReprojection } from './jobs/reproject-service';
import { startAggregation } from './jobs/aggregate-service';
import { startSensorsClient } from './jobs/sensors-client';
import { createImportController } from './layers/imported/controller';
import { createTwinApi } from './twin-api';
import { mountUi } from './ui/mount-ui';
import { syncUrl } from './ui/url-sync';
import { createViewer } from './viewer/create-viewer';
import { bindPicking } from './viewer/picking';

const TILESETS_BASE = new URL('tilesets/', document.baseURI).href;

async function main(): Promise<void> {
  const sceneEl = document.getElementById('scene')!;
  const uiEl = document.getElementById('ui')!;

  // 1. The link: validated, anything bad dropped with a notice.
  const link = decodeUrlState(location.hash);
  const store = createAppStore({ lang: link.state.lang ?? preferredLang(navigator.languages), lite: link.state.lite ?? false });
  store.getState().setCamera(link.state.camera ?? DEFAULT_CAMERA);
  if (link.state.timeIso) store.getState().setTime(link.state.timeIso);
  for (const p of link.problems) store.getState().notify('warning', t(store.getState().lang, 'error.urlState', { message: p }));

  // 2. The viewer. Without WebGL the UI still comes up and says why there is no scene.
  let viewer;
  try {
    viewer = createViewer(sceneEl, store);
  } catch (err) {
    store.getState().notify('error', t(store.getState().lang, 'error.webgl', { message: err instanceof Error ? err.message : String(err) }));
    mountUi(uiEl, store, EMPTY_MANIFEST);
    return;
  }

  // 3. Workers, started now: a worker takes seconds to boot while the page is busy loading.
  const reprojection = startReprojection(store, TILESETS_BASE);
  const aggregation = startAggregation(store);
  const sensors = startSensorsClient();

  // 4. Layers from the embedded dataset's manifest.
  const manifest = await fetchManifest(TILESETS_BASE).catch((err: unknown) => {
    store.getState().notify('error', err instanceof Error ? err.message : String(err));
    return EMPTY_MANIFEST;
  });
  const layers = mountLayers(
    { viewer, store, tilesetsBase: TILESETS_BASE, toEcef: reprojection.toEcef, aggregateFrame: aggregation.frame, sensors: () => sensors },
    manifest,
    new Set(link.state.hiddenLayers),
  );

  // 5. The user's own files, the UI, picking and the shareable link.
  const imports = createImportController(viewer, store, createImportService(store, TILESETS_BASE), reprojection.toEcef);
  mountUi(uiEl, store, manifest, imports);
  bindPicking(viewer, store);
  syncUrl(store);

  (window as unknown as { sddiTwin: unknown }).sddiTwin = createTwinApi(viewer, store, layers.ready);
}

void main();
