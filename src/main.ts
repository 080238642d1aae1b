/**
 * SDDI Twin, table of contents:
 *   read the link (and the workspace) → create the store → start the reprojection worker (the others start with
 *   the first layer that needs them) → create the
 *   viewer and mount the layers (the scene, rebuilt from the store if the GPU context is lost) → mount the UI
 *   (with the importer for the user's own files).
 */
import { preferredLang, t } from './i18n';
import { fetchManifest, EMPTY_MANIFEST } from './layers/fetch-manifest';
import { DEFAULT_CAMERA } from './state/bookmarks';
import { createAppStore, type AppStore } from './state/store';
import { decodeUrlState, type UrlState } from './state/url';
import { createImportService } from './services/import-service';
import { startReprojection } from './services/reproject-service';
import { startAggregation } from './services/aggregate-service';
import { startSensorsClient, type SensorsClient } from './services/sensors-client';
import { buildDefaults, loadRuntimeConfig } from './config/runtime-config';
import { storedHintsDismissed, storedWorkspace, persistWorkspace } from './persist/workspace-storage';
import { workspaceShows, type WorkspaceId } from './state/workspace';
import type { VisibleAtStart } from './layers/mount';
import { startCoverage } from './services/coverage-service';
import { createImportController } from './layers/imported/controller';
import { createCatalogueController } from './layers/catalogue/controller';
import { createTwinApi } from './twin-api';
import { mountUi } from './ui/mount-ui';
import { syncUrl } from './persist/url-sync';
import { applyLinkedAnalysis } from './persist/link-analysis';
import { startTwinScene } from './twin-scene';
import { createDataCache } from './services/data-cache';
import { createScenarioPool, type ScenarioPool } from './services/scenario-pool';
import { poolNotices } from './services/reproject-service';
import { persistScenarios } from './persist/scenario-storage';
import { persistStories } from './persist/story-storage';
import { startOffline } from './offline/register';

const TILESETS_BASE = new URL('tilesets/', document.baseURI).href;

async function main(): Promise<void> {
  const sceneEl = document.getElementById('scene')!;
  const uiEl = document.getElementById('ui')!;

  // 1. The link: validated, anything bad dropped with a notice.
  const link = decodeUrlState(location.hash);
  // The deployment's configuration (config.json beside the page; the build's defaults without one).
  const runtime = await loadRuntimeConfig(
    document.baseURI,
    buildDefaults(document.baseURI, { staUrl: import.meta.env['VITE_STA_URL'] as string | undefined, mqttUrl: import.meta.env['VITE_STA_MQTT_URL'] as string | undefined }),
    document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
  );
  // The link's workspace, a story's (it is presented), or the one last used here; on a first visit the
  // deployment's default, else Explore.
  const workspace = link.state.workspace ?? (link.state.storyId || link.state.kiosk ? 'present' : storedWorkspace(globalThis.localStorage, runtime.config.defaultWorkspace));
  const store = createAppStore({ lang: link.state.lang ?? preferredLang(navigator.languages), lite: link.state.lite ?? false, workspace, hintsDismissed: storedHintsDismissed() });
  persistWorkspace(store);
  store.getState().setCamera(link.state.camera ?? DEFAULT_CAMERA);
  if (link.state.timeIso) store.getState().setTime(link.state.timeIso);
  for (const p of link.problems) store.getState().notify('warning', t(store.getState().lang, 'error.urlState', { message: p }));
  for (const p of runtime.problems) store.getState().notify('warning', p);
  // Stories saved in this browser (a link names one by id); kiosk: play it with every editing control hidden.
  persistStories(store);
  // Scenarios saved in this browser (IndexedDB, validated on load); the link's `sc` is shown once they are in.
  // A link that carries its scenarios names one of them: it is shown once they are added (below), not before.
  const scenariosLoaded = persistScenarios(store, link.state.share ? undefined : link.state.scenarioId);
  if (link.state.kiosk) store.getState().setKiosk(true);
  // The link's analysis (coverage comparison, heatmap quantity, sun study), applied as its layers come in.
  applyLinkedAnalysis(store, link.state);

  // 2. Workers, started first: a worker takes seconds to boot while the page is busy loading.
  const reprojection = startReprojection(store, TILESETS_BASE);
  // Started by the first layer that needs them: a workspace without sensors never boots their workers.
  let aggregation: ReturnType<typeof startAggregation> | null = null;
  let sensors: SensorsClient | null = null;
  const coverage = startCoverage(store);
  // Started by the first proposed building, and the importer by the first file: both are rare.
  let scenarioPool: ScenarioPool | null = null;
  const scenarios = () => (scenarioPool ??= createScenarioPool({ onJobEvent: (e) => store.getState().updateJob(e), onPoolEvent: poolNotices(store, 'Scenario') }));
  const importService = createImportService(store, TILESETS_BASE);

  // 3. The embedded dataset's manifest.
  const manifest = await fetchManifest(TILESETS_BASE).catch((err: unknown) => {
    store.getState().notify('error', err instanceof Error ? err.message : String(err));
    return EMPTY_MANIFEST;
  });

  // 4. The scene (viewer, layers, picking), rebuilt from the store if the GPU context is lost. Without WebGL the
  //    UI still comes up and says why there is no scene.
  let scene;
  // Parsed dataset files, kept when the scene is rebuilt after a lost context.
  const dataCache = createDataCache();
  try {
    scene = startTwinScene(
      sceneEl,
      store,
      manifest,
      { tilesetsBase: TILESETS_BASE, sensorService: runtime.config.sensors, climateService: runtime.config.climate, cached: dataCache, toEcef: reprojection.toEcef, aggregateFrame: (key, job) => (aggregation ??= startAggregation(store)).frame(key, job), sensors: () => (sensors ??= startSensorsClient()), coverage: () => coverage, scenarioPool: scenarios, imports: importService },
      visibleAtStart(link.state, workspace),
    );
  } catch (err) {
    store.getState().notify('error', t(store.getState().lang, 'error.webgl', { message: err instanceof Error ? err.message : String(err) }));
    mountUi(uiEl, store, EMPTY_MANIFEST);
    return;
  }

  // 5. The user's own files (drawn again into a rebuilt scene), the UI and the shareable link.
  const imports = createImportController(scene.viewer, store, importService, reprojection.toEcef);
  scene.onTearDown(() => imports.detach());
  scene.onRebuilt((viewer) => imports.rebind(viewer));
  // Map services and KML/CZML/GPX files the user adds (drawn again into a rebuilt scene).
  const catalogue = createCatalogueController(scene.viewer, store);
  scene.onTearDown(() => catalogue.detach());
  scene.onRebuilt((viewer) => catalogue.rebind(viewer));
  const api = createTwinApi(scene, store, catalogue);
  // Offline presentations: the service worker is registered once the first view has loaded.
  const offline = startOffline(store, api.whenIdle(120_000).catch(() => undefined));
  mountUi(uiEl, store, manifest, link.state.kiosk ? undefined : imports, offline, link.state.kiosk ? undefined : catalogue, (factor) => import('./scene/capture').then((m) => m.captureScene(scene.viewer, factor)));
  // After the saved scenarios are in: a story's first slide may show one of them.
  // A link that carries stories and scenarios adds them (beside this browser's own) before they are looked up.
  void scenariosLoaded
    .catch(() => undefined)
    .then(() => (link.state.share ? import('./persist/share').then((m) => m.openSharedLink(store, link.state), (err: unknown) => sharedUnavailable(store, link.state, err)) : link.state))
    .then((state) => openLinkedStory(store, state));
  syncUrl(store);

  (window as unknown as { sddiTwin: unknown }).sddiTwin = api;
}

/** A link's layer choice is exact (`hide` lists every layer that is off); without one, the workspace's. */
function visibleAtStart(link: UrlState, ws: WorkspaceId): VisibleAtStart {
  const hidden = link.hiddenLayers ? new Set(link.hiddenLayers) : null;
  return (e) => (hidden ? !hidden.has(e.id) : workspaceShows(ws, e.kind));
}

/** The story and slide a link names: shown (and played, in kiosk mode), or a notice when this browser lacks it. */
/** The sharing code could not be loaded (offline before it was ever cached): the link's items are not there. */
function sharedUnavailable(store: AppStore, link: UrlState, err: unknown): UrlState {
  const s = store.getState();
  s.notify('error', t(s.lang, 'share.openFailed', { source: t(s.lang, 'share.theLink'), message: err instanceof Error ? err.message : String(err) }));
  return { ...link, storyId: undefined, scenarioId: undefined };
}

function openLinkedStory(store: AppStore, link: UrlState): void {
  if (!link.storyId) return;
  const s = store.getState();
  const story = s.stories.find((x) => x.id === link.storyId);
  if (!story) {
    s.notify('warning', t(s.lang, 'story.notFound', { id: link.storyId }));
    return;
  }
  s.openStory(story.id);
  const index = Math.min(link.slideIndex ?? 0, Math.max(0, story.slides.length - 1));
  if (link.kiosk) {
    store.setState({ slideIndex: index });
    s.setAutoplay(true);
    s.setPresenting(true);
  } else {
    s.setStoryPanelOpen(true);
    s.goToSlide(index, 0);
  }
}

void main();
