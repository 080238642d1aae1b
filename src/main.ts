/**
 * SDDI Twin, table of contents:
 *   read the link → create the store → start the workers (reprojection, aggregation, sensors, coverage) → create the
 *   viewer and mount the layers (the scene, rebuilt from the store if the GPU context is lost) → mount the UI
 *   (with the importer for the user's own files).
 */
import { preferredLang, t } from './i18n';
import { fetchManifest, EMPTY_MANIFEST } from './layers/fetch-manifest';
import { DEFAULT_CAMERA } from './state/bookmarks';
import { createAppStore } from './state/store';
import { decodeUrlState } from './state/url';
import { createImportService } from './jobs/import-service';
import { startReprojection } from './jobs/reproject-service';
import { startAggregation } from './jobs/aggregate-service';
import { startSensorsClient } from './jobs/sensors-client';
import { startCoverage } from './jobs/coverage-service';
import { createImportController } from './layers/imported/controller';
import { createTwinApi } from './twin-api';
import { mountUi } from './ui/mount-ui';
import { syncUrl } from './ui/url-sync';
import { startTwinScene } from './twin-scene';

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

  // 2. Workers, started first: a worker takes seconds to boot while the page is busy loading.
  const reprojection = startReprojection(store, TILESETS_BASE);
  const aggregation = startAggregation(store);
  const sensors = startSensorsClient();
  const coverage = startCoverage(store);

  // 3. The embedded dataset's manifest.
  const manifest = await fetchManifest(TILESETS_BASE).catch((err: unknown) => {
    store.getState().notify('error', err instanceof Error ? err.message : String(err));
    return EMPTY_MANIFEST;
  });

  // 4. The scene (viewer, layers, picking), rebuilt from the store if the GPU context is lost. Without WebGL the
  //    UI still comes up and says why there is no scene.
  let scene;
  try {
    scene = startTwinScene(
      sceneEl,
      store,
      manifest,
      { tilesetsBase: TILESETS_BASE, toEcef: reprojection.toEcef, aggregateFrame: aggregation.frame, sensors: () => sensors, coverage: () => coverage },
      new Set(link.state.hiddenLayers),
    );
  } catch (err) {
    store.getState().notify('error', t(store.getState().lang, 'error.webgl', { message: err instanceof Error ? err.message : String(err) }));
    mountUi(uiEl, store, EMPTY_MANIFEST);
    return;
  }

  // 5. The user's own files (drawn again into a rebuilt scene), the UI and the shareable link.
  const imports = createImportController(scene.viewer, store, createImportService(store, TILESETS_BASE), reprojection.toEcef);
  scene.onTearDown(() => imports.detach());
  scene.onRebuilt((viewer) => imports.rebind(viewer));
  mountUi(uiEl, store, manifest, imports);
  syncUrl(store);

  (window as unknown as { sddiTwin: unknown }).sddiTwin = createTwinApi(scene, store);
}

void main();
