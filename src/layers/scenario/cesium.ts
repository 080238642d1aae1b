/**
 * The scenario in the scene: proposed buildings as glTF models (meshed in the scenario worker, placed on the
 * ground of their footprint), the footprint being drawn, and the side-by-side comparison of two variants.
 *
 * - Models are keyed by scenario, building and shape: an edit rebuilds only the building it changed; switching
 *   scenarios reuses what both show. Each model stands at its footprint's lowest terrain height (the ellipsoid
 *   where the twin has no elevation model), so no wall floats above a slope.
 * - Comparing, variant A's buildings are drawn left of the divider and B's right (`Model.splitDirection` with
 *   `scene.splitPosition`); the buildings tilesets hide the demolitions the shown scenario(s) mark.
 * - Drawing: each click on the globe adds a corner (shown as a line), Enter or a double click finishes, Escape
 *   cancels; the footprint is checked (no crossing, at least 1 m²) before it becomes a building.
 */
import {
  Axis,
  Cartesian2,
  Cartesian3,
  Cartographic,
  Color,
  Math as CesiumMath,
  Model,
  PolylineCollection,
  sampleTerrainMostDetailed,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  SplitDirection,
  Transforms,
  type Polyline,
} from 'cesium';
import { counted, formatNumber, t } from '../../i18n';
import { isJobSuperseded } from '../../services/pool';
import type { ScenarioPool } from '../../services/scenario-pool';
import { footprintProblem, localRing, newId, type ProposedBuilding, type Scenario } from '../../state/scenario';
import { watch, type AppStore } from '../../state/store';
import type { Selection } from '../../state/types';
import type { TwinViewer } from '../../scene/create-viewer';
import { registerPickResolver } from '../../scene/picking';
import type { ImportService } from '../imported/controller';
import { registerScenarioActions } from './actions';
import { footprintAreaM2, SCENARIO_LAYER_ID } from './description';

export interface ScenarioSceneContext {
  readonly viewer: TwinViewer;
  readonly store: AppStore;
  readonly scenarioPool?: () => ScenarioPool;
  readonly imports?: ImportService;
  /** Resolves when the scene's layers are mounted: the terrain must be there before a footprint's ground is sampled. */
  readonly layersReady?: Promise<void>;
}

type Side = 'none' | 'a' | 'b';
interface Wanted {
  readonly key: string;
  readonly scenarioId: string;
  readonly building: ProposedBuilding;
  readonly side: Side;
}
interface Drawn {
  readonly model: Model;
  readonly feature: number;
}

const SPLIT: Record<Side, SplitDirection> = { none: SplitDirection.NONE, a: SplitDirection.LEFT, b: SplitDirection.RIGHT };
const DRAW_COLOUR = Color.fromCssColorString('#ff3fa4');
/** A default proposed building: three storeys of 3.2 m under a flat roof, edited in the panel afterwards. */
const DEFAULT_STOREYS = 3;
const DEFAULT_HEIGHT_M = 9.6;
/** Corners closer than this to the previous one are a double click's second click, not a new corner. */
const MIN_CORNER_STEP_M = 0.3;

/** A building's shape as a key part: the model changes only when this does. */
const shapeKey = (b: ProposedBuilding): string => `${b.heightM}|${b.roof}|${b.footprint.map(([x, y]) => `${x},${y}`).join(';')}`;

export function mountScenarioScene(ctx: ScenarioSceneContext): () => void {
  const { viewer, store } = ctx;
  const scene = viewer.scene;
  const drawn = new Map<string, Drawn>();
  // Pick feature numbers -> what they show; numbers are never reused within a scene.
  const features = new Map<number, { scenarioId: string; buildingId: string }>();
  let nextFeature = 0;
  let generation = 0;
  let disposed = false;

  const wanted = (): Wanted[] => {
    const s = store.getState();
    const list: Array<[Scenario | undefined, Side]> = s.scenarioCompare
      ? [[s.scenarios.find((x) => x.id === s.scenarioCompare!.a), 'a'], [s.scenarios.find((x) => x.id === s.scenarioCompare!.b), 'b']]
      : [[s.scenarios.find((x) => x.id === s.activeScenarioId), 'none']];
    return list.flatMap(([sc, side]) => (sc ? sc.buildings.map((building) => ({ key: `${sc.id}/${building.id}/${shapeKey(building)}`, scenarioId: sc.id, building, side })) : []));
  };

  const groundHeightM = async (footprint: ProposedBuilding['footprint']): Promise<number> => {
    try {
      const samples = await sampleTerrainMostDetailed(scene.terrainProvider, footprint.map(([lon, lat]) => Cartographic.fromDegrees(lon, lat)));
      const heights = samples.map((c) => c.height).filter((h) => Number.isFinite(h));
      return heights.length > 0 ? Math.min(...heights) : 0;
    } catch {
      // No elevation model here (or none at all): the globe is the ellipsoid, height 0.
      return 0;
    }
  };

  const place = async (w: Wanted, gen: number): Promise<void> => {
    await ctx.layersReady?.catch(() => undefined);
    const { origin, xy } = localRing(w.building.footprint);
    const ringM = new Float64Array(xy.flat());
    const pool = ctx.scenarioPool?.();
    if (!pool) return;
    const [built, ground] = await Promise.all([
      pool.run('buildBuilding', `scenario:${w.key}`, { ringM, heightM: w.building.heightM, roof: w.building.roof }),
      groundHeightM(w.building.footprint),
    ]);
    if (gen !== generation || disposed || drawn.has(w.key)) return;
    const feature = nextFeature++;
    const model = await Model.fromGltfAsync({
      // Cesium's loader takes a binary glTF buffer in place of a URL (`url ?? gltf`, then `instanceof
      // Uint8Array`); its typings only name string | Resource.
      url: new Uint8Array(built.glb) as unknown as string,
      modelMatrix: Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(origin[0], origin[1], ground)),
      id: { layerId: SCENARIO_LAYER_ID, feature },
      // Cesium caches glTF by its resource's URL, and a buffer has none: without a base path of its own every
      // model would share the first one's geometry. Nothing is fetched from it (the glb embeds everything).
      basePath: new URL(`scenario-models/${feature}/`, document.baseURI).href,
      // The glb is written y-up with +x east; Cesium's default for glTF 2.0 (+z forward) would turn it by 90°.
      forwardAxis: Axis.X,
      splitDirection: SPLIT[w.side],
    });
    if (disposed || drawn.has(w.key)) {
      model.destroy();
      return;
    }
    features.set(feature, { scenarioId: w.scenarioId, buildingId: w.building.id });
    scene.primitives.add(model);
    drawn.set(w.key, { model, feature });
  };

  /** Whether every model is ready to render (a model draws nothing until its resources are loaded). */
  const modelsReady = (): boolean => [...drawn.values()].every((d) => d.model.ready);

  let running: Promise<void> | null = null;
  let again = false;
  // Functions, not the conditions themselves: `again` and `disposed` change in other closures while a sync awaits.
  const more = (): boolean => again && !disposed;
  const loading = (): boolean => !modelsReady() && !disposed && !again;
  const sync = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    const run = async () => {
      do {
        again = false;
        const gen = ++generation;
        const want = wanted();
        const keys = new Set(want.map((w) => w.key));
        for (const [key, d] of drawn) {
          if (keys.has(key)) continue;
          scene.primitives.remove(d.model);
          features.delete(d.feature);
          drawn.delete(key);
        }
        for (const w of want) {
          const d = drawn.get(w.key);
          if (d) d.model.splitDirection = SPLIT[w.side];
        }
        try {
          await Promise.all(want.filter((w) => !drawn.has(w.key)).map((w) => place(w, gen)));
        } catch (err) {
          if (!isJobSuperseded(err) && !disposed) {
            const st = store.getState();
            st.notify('error', t(st.lang, 'scenario.buildFailed', { message: err instanceof Error ? err.message : String(err) }));
          }
        }
        // Resources load over the next frames; the ready signal waits for them.
        for (let i = 0; i < 600 && loading(); i++) {
          viewer.requestRender();
          await new Promise((r) => setTimeout(r, 50));
        }
      } while (more());
      running = null;
      if (!disposed) {
        viewer.requestRender();
        store.getState().scenarioDrawn();
      }
    };
    running = run();
    return running;
  };

  const applySplit = (): void => {
    const s = store.getState();
    if (s.scenarioCompare) scene.splitPosition = s.scenarioSplit;
    viewer.requestRender();
  };

  // ---- drawing ----
  const lines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  let corners: Array<{ lonDeg: number; latDeg: number; heightM: number }> = [];
  let line: Polyline | null = null;
  const redrawLine = (): void => {
    if (line) lines.remove(line);
    line = null;
    if (corners.length >= 2) {
      const ring = corners.length >= 3 ? [...corners, corners[0]!] : corners;
      line = lines.add({ positions: ring.map((c) => Cartesian3.fromDegrees(c.lonDeg, c.latDeg, c.heightM + 0.5)), width: 3, material: undefined });
      line.material.uniforms.color = DRAW_COLOUR;
    }
    viewer.requestRender();
  };
  const stopDrawing = (): void => {
    corners = [];
    redrawLine();
    if (store.getState().scenarioTool !== 'none') store.getState().setScenarioTool('none');
  };
  const finishDrawing = (): void => {
    const st = store.getState();
    if (st.scenarioTool !== 'draw-building') return;
    const footprint = corners.map((c): [number, number] => [c.lonDeg, c.latDeg]);
    const problem = footprintProblem(footprint);
    if (problem) {
      st.notify('warning', t(st.lang, 'scenario.footprintRejected', { message: problem }));
      return;
    }
    stopDrawing();
    const n = (st.scenarios.find((x) => x.id === st.activeScenarioId)?.buildings.length ?? 0) + 1;
    st.addBuilding({ id: newId('b'), kind: 'building', footprint, heightM: DEFAULT_HEIGHT_M, storeys: DEFAULT_STOREYS, roof: 'flat', name: t(st.lang, 'scenario.buildingItem', { n }) });
  };
  const clicks = new ScreenSpaceEventHandler(scene.canvas);
  const groundAt = (position: Cartesian2): Cartographic | null => {
    const ray = scene.camera.getPickRay(position);
    const hit = (ray && scene.globe.pick(ray, scene)) ?? scene.camera.pickEllipsoid(position);
    return hit ? Cartographic.fromCartesian(hit) : null;
  };
  clicks.setInputAction((e: { position: Cartesian2 }) => {
    if (store.getState().scenarioTool !== 'draw-building') return;
    const c = groundAt(e.position);
    if (!c) return;
    const corner = { lonDeg: CesiumMath.toDegrees(c.longitude), latDeg: CesiumMath.toDegrees(c.latitude), heightM: c.height };
    const prev = corners.at(-1);
    if (prev && Cartesian3.distance(Cartesian3.fromDegrees(prev.lonDeg, prev.latDeg), Cartesian3.fromDegrees(corner.lonDeg, corner.latDeg)) < MIN_CORNER_STEP_M) return;
    corners.push(corner);
    redrawLine();
  }, ScreenSpaceEventType.LEFT_CLICK);
  clicks.setInputAction(() => {
    if (store.getState().scenarioTool === 'draw-building') finishDrawing();
  }, ScreenSpaceEventType.LEFT_DOUBLE_CLICK);
  const onKey = (e: KeyboardEvent): void => {
    if (store.getState().scenarioTool !== 'draw-building') return;
    // Typing in a field (a name, a height) is not a command to the drawing.
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    // Enter on a focused button presses that button (the panel has Finish for keyboard users).
    if (e.key === 'Enter' && e.target instanceof HTMLButtonElement) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      finishDrawing();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      stopDrawing();
    }
  };
  document.addEventListener('keydown', onKey);

  registerPickResolver(SCENARIO_LAYER_ID, (feature): Selection | null => {
    const f = features.get(feature);
    const s = store.getState();
    const sc = s.scenarios.find((x) => x.id === f?.scenarioId);
    const b = sc?.buildings.find((x) => x.id === f?.buildingId);
    if (!f || !sc || !b) return null;
    const lang = s.lang;
    return {
      layerId: SCENARIO_LAYER_ID,
      properties: [
        ['status', t(lang, 'scenario.proposed')],
        ['name', b.name ?? b.id],
        ['scenario', sc.name],
        ['height', `${formatNumber(lang, b.heightM, 1)} m`],
        ['storeys', String(b.storeys)],
        ['roof', t(lang, `scenario.roof.${b.roof}`)],
        ['footprint', `${formatNumber(lang, footprintAreaM2(b.footprint), 0)} m²`],
        ['id', b.id],
      ],
    };
  });

  registerScenarioActions({
    finishDrawing,
    cancelDrawing: stopDrawing,
    drawnCorners: () => corners.length,
    previewSplit: (f) => {
      scene.splitPosition = f;
      viewer.requestRender();
    },
    async exportScenario(scenarioId, epsg, format) {
      const st = store.getState();
      const sc = st.scenarios.find((x) => x.id === scenarioId);
      if (!sc) throw new Error('no such scenario');
      // The writers (and proj4) are fetched with the first export, not with the scene.
      return (await import('./exchange')).exportScenarioFile(ctx.imports, sc, epsg, format, st.lang);
    },
    async importFile(file) {
      const st = store.getState();
      try {
        if (!ctx.imports) throw new Error(t(st.lang, 'scenario.noImporter'));
        const { importScenarioFile } = await import('./exchange');
        const { scenario, skipped, epsg } = await importScenarioFile(ctx.imports, { name: file.name, bytes: await file.arrayBuffer() }, newId('sc'), st.lang);
        const s = store.getState();
        s.addScenario(scenario);
        s.notify('info', t(s.lang, 'scenario.imported', { file: file.name, buildings: scenario.buildings.length, masts: scenario.masts.length, crs: `EPSG:${epsg}` }));
        if (skipped > 0) s.notify('warning', t(s.lang, 'scenario.importSkipped', { file: file.name, features: counted(skipped, 'feature') }));
      } catch (err) {
        if (isJobSuperseded(err)) return;
        st.notify('error', t(st.lang, 'scenario.importFailed', { file: file.name, message: err instanceof Error ? err.message : String(err) }));
      }
    },
  });

  const unwatch = [
    watch(store, (s) => [s.scenarios, s.activeScenarioId, s.scenarioCompare] as const, () => void sync()),
    watch(store, (s) => [s.scenarioCompare, s.scenarioSplit] as const, applySplit),
    watch(store, (s) => s.scenarioTool, (tool) => {
      if (tool !== 'draw-building') stopDrawing();
    }),
  ];
  applySplit();
  void sync();

  return () => {
    disposed = true;
    generation++;
    for (const u of unwatch) u();
    document.removeEventListener('keydown', onKey);
    clicks.destroy();
    registerScenarioActions(null);
    registerPickResolver(SCENARIO_LAYER_ID, null);
    for (const d of drawn.values()) scene.primitives.remove(d.model);
    drawn.clear();
    features.clear();
    scene.primitives.remove(lines);
  };
}
