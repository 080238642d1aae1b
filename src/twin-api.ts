/**
 * A small read-mostly handle on the running twin (window.sddiTwin): for the browser tests, the benchmarks
 * and anyone debugging in the console. It exposes settled state and scene queries, not internals to mutate.
 */
import { Cartesian2, Cartesian3, Cartographic, sampleTerrainMostDetailed, SceneTransforms, Math as CesiumMath } from 'cesium';
import type { AppState, AppStore } from './state/store';
import type { TwinScene } from './twin-scene';
import { whenSceneIdle } from './scene/idle';
import { pickMeant } from './scene/picking';
import type { CatalogueController } from './layers/catalogue/controller';

export interface TwinApi {
  readonly store: AppStore;
  /** Resolves when the layers are mounted and the scene has settled (all tiles loaded, no flight). */
  whenIdle(timeoutMs?: number): Promise<void>;
  /** Most detailed terrain height (WGS84 ellipsoidal metres) the scene has at a point, or null. */
  sampleTerrainM(lonDeg: number, latDeg: number): Promise<number | null>;
  /** Window (CSS pixel) coordinates of a WGS84 point with ellipsoidal height, or null if behind the camera. */
  toWindow(lonDeg: number, latDeg: number, heightM: number): { x: number; y: number } | null;
  /** What the scene shows under a window point: WGS84 position of the picked surface or feature. */
  pickPosition(x: number, y: number): { lonDeg: number; latDeg: number; heightM: number } | null;
  /** The imported feature drawn at a window point: its layer, feature index and drawn WGS84 position. */
  pickFeature(x: number, y: number): { layerId: string; feature: number; lonDeg?: number; latDeg?: number; heightM?: number } | null;
  /** Every point of a catalogue data source layer (KML, CZML, GPX, GeoJSON) as Cesium's reader placed it. */
  catalogueEntities(layerId: string): Array<{ name: string; lonDeg: number; latDeg: number; heightM: number }>;
  /** When the scene rendered its first frame (performance.now() ms since navigation start). */
  firstFrameMs: number | null;
}

/** A layer that is shown and still mounting. */
const loading = (st: AppState): boolean => Object.values(st.layers).some((l) => l.visible && l.status === 'loading');

export function createTwinApi(scene: TwinScene, store: AppStore, catalogue?: CatalogueController): TwinApi {
  // Always the current viewer: the scene is rebuilt after a lost GPU context.
  const current = () => scene.viewer;
  const api: TwinApi = {
    store,
    firstFrameMs: null,
    pickFeature: () => null,
    catalogueEntities: (layerId) => catalogue?.entities(layerId) ?? [],
    async whenIdle(timeoutMs) {
      await scene.ready;
      // A layer shown since the start is mounted then: idle means it has landed too.
      await new Promise<void>((resolve) => {
        if (!loading(store.getState())) return resolve();
        // A layer that never lands is reported by its status; the scene's own idle wait then has the timeout.
        const timer = setTimeout(() => done(), timeoutMs ?? 120_000);
        const done = (): void => {
          clearTimeout(timer);
          stop();
          resolve();
        };
        const stop = store.subscribe((st) => {
          if (!loading(st)) done();
        });
      });
      await whenSceneIdle(current().widget, { timeoutMs });
    },
    async sampleTerrainM(lonDeg, latDeg) {
      const [c] = await sampleTerrainMostDetailed(current().scene.terrainProvider, [Cartographic.fromDegrees(lonDeg, latDeg)]);
      return c && Number.isFinite(c.height) ? c.height : null;
    },
    toWindow(lonDeg, latDeg, heightM) {
      const p = SceneTransforms.worldToWindowCoordinates(current().scene, Cartesian3.fromDegrees(lonDeg, latDeg, heightM));
      return p ? { x: p.x, y: p.y } : null;
    },
    pickPosition(x, y) {
      current().scene.render();
      const c = current().scene.pickPosition(new Cartesian2(x, y));
      if (!c) return null;
      const g = Cartographic.fromCartesian(c);
      return { lonDeg: CesiumMath.toDegrees(g.longitude), latDeg: CesiumMath.toDegrees(g.latitude), heightM: g.height };
    },
  };
  api.pickFeature = (x, y) => {
    current().scene.render();
    const picked = pickMeant(current().scene, new Cartesian2(x, y)) as { id?: { layerId?: unknown; feature?: unknown }; primitive?: { position?: Cartesian3 } } | undefined;
    const id = picked?.id;
    if (!id || typeof id.layerId !== 'string' || typeof id.feature !== 'number') return null;
    const pos = picked.primitive?.position;
    if (!(pos instanceof Cartesian3)) return { layerId: id.layerId, feature: id.feature };
    const g = Cartographic.fromCartesian(pos);
    return { layerId: id.layerId, feature: id.feature, lonDeg: CesiumMath.toDegrees(g.longitude), latDeg: CesiumMath.toDegrees(g.latitude), heightM: g.height };
  };
  const first = current().scene;
  const onFirstFrame = () => {
    api.firstFrameMs = performance.now();
    first.postRender.removeEventListener(onFirstFrame);
  };
  first.postRender.addEventListener(onFirstFrame);
  return api;
}
