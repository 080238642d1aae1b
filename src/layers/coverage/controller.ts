/**
 * The coverage layer's binding: loads the embedded sites, terrain and zones, models each compared source's
 * best-server RSRP on the analysis grid in the coverage workers (tile by tile, with progress), and shows A, B,
 * their difference or classes, the statistics per zone and per side of the border.
 *
 * Grids are cached per source: switching A and B, the mode or the thresholds recolours and recompares without
 * modelling again. A proposed mast recomputes only the tiles within its model range (before and after a move).
 * Updates are coalesced: while one runs, later changes only mark the layer dirty, and the newest state follows.
 */
import { Cartesian2, Cartographic, Math as CesiumMath, ScreenSpaceEventHandler, ScreenSpaceEventType } from 'cesium';
import { converter } from '../../../core/geo/crs';
import { counted, t } from '../../i18n';
import { isJobSuperseded } from '../../services/pool';
import { selectActiveMasts } from '../../state/slices';
import { OVERLAY_OPACITY } from '../overlay';
import { watch } from '../../state/store';
import type { CoverageLayerInfo, CoverageSource, CoverageStatsRow, ScenarioMast, Selection } from '../../state/types';
import { registerPickResolver } from '../../scene/picking';
import { imageSpecForGrid } from '../../../core/aggregation/warp';
import { tilesAffectedBy, tilesOfGrid } from '../../../core/coverage/model';
import { PATH_LOSS_MODELS } from '../../../core/coverage/pathloss';
import { demHeightAt } from '../../../core/coverage/profile';
import type { CompareResult, TileSpec, ZoneStats } from '../../../core/coverage/types';
import type { ManifestEntry } from '../../../core/manifest';
import type { BindingContext, LayerHandle } from '../types';
import { registerCoverageActions } from './actions';
import { createCoverageScene, type SiteMark } from './cesium';
import { loadCoverageData, type ZoneRecord } from './data';
import { cameraForBox, diffColour, initialCoverageInfo, rsrpColour, statsToCsv } from './description';
import { changedMastPositions, mastSignature, modelParams, sourceSites, type SourceSites } from './sites';

/** Planned-site lists are read whole in the page: beyond this size they are not a site list. */
const MAX_SITES_BYTES = 2 * 1024 * 1024;

/** Tile edge in cells: 128² tiles give a 1 M-cell grid about 60 jobs, enough to keep two workers busy and cancel quickly. */
const TILE = 128;

interface CachedGrid {
  readonly bandMHz: number;
  readonly masts: readonly ScenarioMast[];
  readonly mastSig: string;
  readonly values: Float32Array;
}

/** Statistics rows with the zones' names, zones without cells in the grid left out. */
function zoneRows(stats: readonly ZoneStats[], group: CoverageStatsRow['group'], zones: readonly ZoneRecord[]): CoverageStatsRow[] {
  const byIndex = new Map(zones.map((r) => [r.index, r]));
  return stats.flatMap((z) => {
    const zone = byIndex.get(z.zone);
    if (!zone || z.cells === 0) return [];
    const { zone: _zone, cells: _cells, ...numbers } = z;
    return [{ group, zone: z.zone, name: zone.name, code: zone.code, country: zone.country, ...numbers }];
  });
}

export async function mountCoverage(ctx: BindingContext, entry: ManifestEntry): Promise<LayerHandle> {
  const { viewer, store } = ctx;
  const id = entry.id;
  if (!ctx.coverage) throw new Error('the coverage layer needs the coverage workers');
  const svc = ctx.coverage();
  const load = () => loadCoverageData(ctx.tilesetsBase, entry);
  const data = await (ctx.cached ? ctx.cached(`coverage:${entry.url}`, load) : load());
  svc.provideDem(data.dem);
  const grid = data.grid;
  const toLaea = converter(4326, 3035);
  const project = (p: [number, number]) => toLaea.forward(p) as [number, number];
  const view = createCoverageScene(viewer, id);
  const display = imageSpecForGrid(grid);

  const sources: CoverageSource[] = data.operators
    .map((o): CoverageSource => ({ id: o.id, kind: 'modelled', label: `${o.brand} · ${o.country}`, country: o.country, sites: data.sites.filter((s) => s.operator === o.id).length }))
    .filter((o) => (o.sites ?? 0) > 0);
  store.getState().patchCoverage(id, {}, initialCoverageInfo(sources, grid.cellM, data.demShare));
  const info = (): CoverageLayerInfo => store.getState().layers[id]!.coverage!;
  const patch = (p: Partial<CoverageLayerInfo>) => store.getState().patchCoverage(id, p);

  const modelled = new Map<string, CachedGrid>();
  const imported = new Map<string, Float32Array>();
  let lastSites: Record<'a' | 'b', SourceSites | null> = { a: null, b: null };
  let lastCompare: CompareResult | null = null;
  let disposed = false;
  let running = false;
  let dirty = false;
  let generation = 0;
  // A function, not the condition itself: `dirty` and `disposed` change in other closures while an update awaits.
  const again = (): boolean => dirty && !disposed;

  /** Best-server RSRP of a source: cached, partly recomputed after a mast change, or modelled in full. */
  const gridOf = async (sourceId: string, onProgress: (f: number) => void): Promise<{ values: Float32Array; sites: SourceSites | null }> => {
    const file = imported.get(sourceId);
    if (file) return { values: file, sites: null };
    const { bandMHz } = info();
    const masts = selectActiveMasts(store.getState());
    const sites = sourceSites(data, sourceId, bandMHz, masts, project);
    const mastSig = mastSignature(masts, sourceId);
    const cached = modelled.get(sourceId);
    if (cached && cached.bandMHz === bandMHz && cached.mastSig === mastSig) return { values: cached.values, sites };
    const params = modelParams(bandMHz);
    const rangeM = PATH_LOSS_MODELS[params.model].validity.dM[1];
    let tiles: readonly TileSpec[] = tilesOfGrid(grid, TILE);
    let base: Float32Array | undefined;
    if (cached && cached.bandMHz === bandMHz) {
      // Only masts changed: the tiles within reach of each changed position, before and after.
      const seen = new Set<string>();
      tiles = changedMastPositions(cached.masts, masts, sourceId)
        .flatMap(([lon, lat]) => {
          const [x, y] = project([lon, lat]);
          return tilesAffectedBy(grid, TILE, x, y, rangeM);
        })
        .filter((tl) => {
          const k = `${tl.col0},${tl.row0}`;
          return !seen.has(k) && seen.add(k);
        });
      base = cached.values;
    }
    const values = await svc.modelGrid({ key: `coverage:${sourceId}`, grid, sites: sites.arrays, params, tiles, base, onProgress });
    modelled.set(sourceId, { bandMHz, masts, mastSig, values });
    return { values, sites };
  };

  const siteMarks = (): SiteMark[] => {
    const marks: SiteMark[] = [];
    for (const side of ['a', 'b'] as const) {
      const arrays = lastSites[side]?.arrays;
      lastSites[side]?.origin.forEach((o, i) => {
        const rec = 'site' in o ? { lonDeg: o.site.lonDeg, latDeg: o.site.latDeg, proposed: false } : { lonDeg: o.mast.lonDeg, latDeg: o.mast.latDeg, proposed: true };
        // On the ground the model used (the DEM, or the ellipsoid where there is none, as the globe is there).
        const ground = arrays && data.dem ? demHeightAt(data.dem, arrays.x[i]!, arrays.y[i]!) : Number.NaN;
        marks.push({ ...rec, heightM: Number.isFinite(ground) ? ground : 0, side, feature: (side === 'a' ? 0 : 1 << 20) + i });
      });
    }
    return marks;
  };


  const update = async (): Promise<void> => {
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    try {
      do {
        dirty = false;
        const gen = ++generation;
        const s = info();
        const weights = s.a === s.b ? [1, 0] : [0.5, 0.5];
        let fa = 0;
        let fb = 0;
        const progress = () => patch({ progress: Math.min(0.99, weights[0]! * fa + weights[1]! * fb) });
        const a = await gridOf(s.a, (f) => ((fa = f), progress()));
        const b = s.a === s.b ? a : await gridOf(s.b, (f) => ((fb = f), progress()));
        if (gen !== generation || disposed) continue;
        lastSites = { a: a.sites, b: b.sites };
        const thresholds = { coveredDbm: s.coveredDbm, goodDbm: s.goodDbm };
        // A modelled network is silent where no site reaches: not covered. An imported file is silent outside its extent: no data.
        const silence = (sid: string) => (imported.has(sid) ? 'no-data' : 'uncovered') as 'no-data' | 'uncovered';
        const noPrediction = { a: silence(s.a), b: silence(s.b) };
        const colour = rsrpColour(s.coveredDbm);
        const towns = data.municipalities;
        const [ra, rb, cmp, units, sides, municipal] = await Promise.all([
          svc.render(`coverage:render-a`, { grid, values: a.values, colour, display }),
          svc.render(`coverage:render-b`, { grid, values: b.values, colour, display }),
          svc.compare(`coverage:compare`, { grid, a: a.values, b: b.values, thresholds, noPrediction, diffColour: diffColour(), display }),
          svc.stats(`coverage:stats-units`, { a: a.values, b: b.values, zones: data.units.raster, zoneCount: data.units.list.length, thresholds, noPrediction, cellAreaM2: grid.cellM ** 2 }),
          svc.stats(`coverage:stats-sides`, { a: a.values, b: b.values, zones: data.sides.raster, zoneCount: data.sides.list.length, thresholds, noPrediction, cellAreaM2: grid.cellM ** 2 }),
          towns ? svc.stats(`coverage:stats-municipalities`, { a: a.values, b: b.values, zones: towns.raster, zoneCount: towns.list.length, thresholds, noPrediction, cellAreaM2: grid.cellM ** 2 }) : Promise.resolve([]),
        ]);
        if (gen !== generation || disposed) continue;
        lastCompare = cmp;
        view.setImage('a', { rgba: ra.image, spec: ra.imageSpec });
        view.setImage('b', { rgba: rb.image, spec: rb.imageSpec });
        showOverlay();
        view.showSites(siteMarks());
        patch({
          progress: 1,
          frames: info().frames + 1,
          stats: [...zoneRows(sides, 'side', data.sides.list), ...zoneRows(units, 'unit', data.units.list), ...(towns ? zoneRows(municipal, 'municipality', towns.list) : [])],
        });
      } while (again());
    } catch (err) {
      if (!isJobSuperseded(err) && !disposed) {
        const st = store.getState();
        patch({ progress: 1 });
        st.notify('error', t(st.lang, 'coverage.failed', { message: err instanceof Error ? err.message : String(err) }));
      }
    } finally {
      running = false;
    }
    if (dirty && !disposed) void update();
  };

  const showOverlay = (): void => {
    const mode = info().mode;
    view.setMode(mode);
    if (!lastCompare) return;
    const rgba = mode === 'classes' ? lastCompare.classImage : lastCompare.diffImage;
    view.setImage('overlay', mode === 'diff' || mode === 'classes' ? { rgba, spec: lastCompare.imageSpec } : null);
    view.showSites(siteMarks());
  };

  view.setSplit(info().split);
  const unwatch = [
    watch(store, (s) => {
      const c = s.layers[id]?.coverage;
      return [c?.a, c?.b, c?.bandMHz, c?.coveredDbm, c?.goodDbm, selectActiveMasts(s)] as const;
    }, () => void update()),
    watch(store, (s) => s.layers[id]?.coverage?.mode, showOverlay),
    watch(store, (s) => s.layers[id]?.coverage?.split, (f) => f !== undefined && view.setSplit(f)),
  ];

  // The next click on the globe places (or moves) a mast (the store's mastPlacement: the tool that owns the
  // pointer, ended by Escape, see state/tool-mode.ts).
  const clicks = new ScreenSpaceEventHandler(viewer.scene.canvas);
  clicks.setInputAction((e: { position: Cartesian2 }) => {
    const request = store.getState().mastPlacement;
    if (!request) return;
    store.getState().setMastPlacement(null);
    const ray = viewer.scene.camera.getPickRay(e.position);
    const hit = (ray && viewer.scene.globe.pick(ray, viewer.scene)) ?? viewer.scene.camera.pickEllipsoid(e.position);
    if (!hit) return;
    const c = Cartographic.fromCartesian(hit);
    const lonDeg = CesiumMath.toDegrees(c.longitude);
    const latDeg = CesiumMath.toDegrees(c.latitude);
    const st = store.getState();
    if (request.moveId) st.moveMast(request.moveId, lonDeg, latDeg);
    else st.addMast({ id: `mast-${Date.now().toString(36)}`, kind: 'mast', operator: request.operator, lonDeg, latDeg, antennaAglM: 30 });
  }, ScreenSpaceEventType.LEFT_CLICK);

  registerCoverageActions(id, {
    async importGrid(file) {
      const st = store.getState();
      const sourceId = `file:${file.name}`;
      try {
        patch({ progress: 0 });
        const r = await svc.importGrid(`coverage:import`, { bytes: await file.arrayBuffer(), fileName: file.name, grid }, (f) => patch({ progress: Math.min(0.99, f) }));
        imported.set(sourceId, r.values);
        const label = r.operators.length > 0 ? `${file.name} (${r.operators.join(', ')})` : file.name;
        const others = info().sources.filter((x) => x.id !== sourceId);
        patch({ sources: [...others, { id: sourceId, kind: 'imported', label }], b: sourceId, progress: 1 });
        for (const w of r.warnings.slice(0, 3)) st.notify('warning', `${file.name}: ${w}`);
        st.notify('info', t(st.lang, 'coverage.imported', { file: file.name, cells: counted(r.cellsPlaced, 'cell') }));
      } catch (err) {
        patch({ progress: 1 });
        if (!isJobSuperseded(err)) st.notify('error', t(st.lang, 'coverage.importFailed', { file: file.name, message: err instanceof Error ? err.message : String(err) }));
      }
    },
    async importSites(file) {
      const st = store.getState();
      const operator = info().a;
      try {
        if (imported.has(operator)) throw new Error(t(st.lang, 'coverage.sitesNeedOperator'));
        if (file.size > MAX_SITES_BYTES) throw new Error(t(st.lang, 'coverage.sitesTooBig', { mb: MAX_SITES_BYTES / 1048576 }));
        // A site list is hundreds of rows: parsed here, not worth a worker round trip. Its module (with the grid
        // importer's GeoTIFF and CSV readers) is fetched for the first file.
        const { parseSitesCsv } = await import('../../../core/coverage/import');
        const parsed = parseSitesCsv(await file.text(), grid);
        const fromLaea = converter(3035, 4326);
        const stamp = Date.now().toString(36);
        for (let i = 0; i < parsed.sites.count; i++) {
          const [lonDeg, latDeg] = fromLaea.forward([parsed.sites.x[i]!, parsed.sites.y[i]!]) as [number, number];
          const az = parsed.sites.azimuthDeg[i]!;
          store.getState().addMast({
            id: `site-${stamp}-${i}`, kind: 'mast', operator, lonDeg, latDeg, antennaAglM: parsed.sites.antennaAglM[i]!, name: parsed.names[i],
            ...(Number.isNaN(az) ? {} : { azimuthDeg: az, beamwidthDeg: parsed.sites.beamwidthDeg[i]! }),
            eirpDbm: parsed.sites.eirpDbm[i]!,
          });
        }
        for (const w of parsed.warnings.slice(0, 3)) st.notify('warning', `${file.name}: ${w}`);
        st.notify('info', t(st.lang, 'coverage.sitesImported', { file: file.name, sites: counted(parsed.sites.count, 'site') }));
      } catch (err) {
        st.notify('error', t(st.lang, 'coverage.importFailed', { file: file.name, message: err instanceof Error ? err.message : String(err) }));
      }
    },
    statsCsv() {
      const s = info();
      const label = (sid: string) => s.sources.find((x) => x.id === sid)?.label ?? sid;
      return statsToCsv(s.stats, label(s.a), label(s.b));
    },
    armMastPlacement(operator, moveId) {
      store.getState().setMastPlacement(moveId === undefined ? { operator } : { operator, moveId });
    },
    cancel() {
      generation++;
      for (const sid of [info().a, info().b]) svc.cancelGrid(`coverage:${sid}`);
      patch({ progress: 1 });
    },
    previewSplit: (f) => view.setSplit(f),
    flyToZone(row) {
      const zones = row.group === 'side' ? data.sides.list : row.group === 'municipality' ? (data.municipalities?.list ?? []) : data.units.list;
      const zone = zones.find((z) => z.index === row.zone);
      if (zone) store.getState().flyTo(cameraForBox(zone.bbox));
    },
  });

  registerPickResolver(id, (feature): Selection | null => {
    const side = feature >= 1 << 20 ? 'b' : 'a';
    const o = lastSites[side]?.origin[feature - (side === 'b' ? 1 << 20 : 0)];
    if (!o) return null;
    const s = info();
    const lang = store.getState().lang;
    const operator = side === 'a' ? s.a : s.b;
    const name = s.sources.find((x) => x.id === operator)?.label ?? operator;
    if ('mast' in o) {
      return { layerId: id, properties: [['name', o.mast.name ?? t(lang, 'coverage.proposedMast')], ['operator', name], ['antennaAglM', String(o.mast.antennaAglM)], ['position', `${o.mast.latDeg.toFixed(5)}, ${o.mast.lonDeg.toFixed(5)}`], ['id', o.mast.id]] };
    }
    const r = o.site;
    return {
      layerId: id,
      properties: [
        ['name', r.id],
        ['operator', name],
        ['radio', r.technologies.join(', ')],
        ['cells', String(r.cellCount)],
        ['samples', String(r.samples)],
        ['updated', r.updated],
        ['position', `${r.latDeg.toFixed(5)}, ${r.lonDeg.toFixed(5)} (${t(lang, 'coverage.positionEstimated')})`],
        ['source', entry.source],
        ['licence', entry.licence],
      ],
    };
  });

  void update();

  return {
    defaultOpacity: OVERLAY_OPACITY,
    setOpacity: (a) => view.setOpacity(a),
    setVisible(v) {
      view.setVisible(v);
    },
    dispose() {
      disposed = true;
      generation++;
      for (const u of unwatch) u();
      clicks.destroy();
      registerCoverageActions(id, null);
      registerPickResolver(id, null);
      view.dispose();
    },
  };
}
