/**
 * Modelled coverage: best-server RSRP per cell of one tile of the analysis grid (layouts in `types.ts`).
 *
 *   RSRP = EIRP + A(φ) − PL(d, LOS from the terrain) − J(ν)
 *
 * with the horizontal antenna pattern of 3GPP TR 38.901 Table 7.3-1, A(φ) = −min(12·(φ/φ3dB)², 30 dB), for a
 * site with an azimuth (omnidirectional otherwise), the path loss of the site's model (`pathloss.ts`), and the
 * line of sight and single knife-edge loss of the terrain profile (`profile.ts`). Without terrain knowledge for
 * a pair (no DEM, terrain off, or a gap in it) the model's obstructed-path value is used and J = 0.
 *
 * Cost: a pair is one path-loss evaluation and, when it can matter, one terrain profile of up to range/cell
 * samples; the profiles take nearly all of the time. Only sites whose range disc touches the tile are visited,
 * and in a site only the cells inside its disc. Then, per tile:
 *   1. bounds: each pair's LOS value with its pattern gain, the most any terrain can give (NLOS and J only add
 *      loss); each cell notes its most promising site (its "primary");
 *   2. primaries: each cell's primary is evaluated in full, which usually sets the final best server;
 *   3. the rest: a pair whose bound cannot beat the cell's best so far skips its profile, and a profile stops
 *      at the first obstacle past which the pair could no longer win (RSRP only falls as ν grows).
 * Ties go to the lower site index whatever the order, so any tiling gives the same grid.
 *
 * The loops take typed arrays and numbers only: no allocation per cell, no projection library.
 */
import { JobCancelledError, yieldToEventLoop } from '../reproject/reproject';
import { PATH_LOSS_MODELS, type PathLossModel } from './pathloss';
import { DEFAULT_K_FACTOR, EARTH_RADIUS_M, bilinearAt, wavelengthM } from './profile';
import { PASS_BOUNDS, PASS_REST, evaluatePrimaries, gapTableOf, visitRows, type SiteRun, type TileRun } from './model-pairs';
import { tileWithinRange } from './tiles';
import type { Dem3035, GridSpec3035, ModelParams, ModelTileJob, ModelTileResult, PathLossModelId, SiteArrays, TileSpec } from './types';

export { PATTERN_FLOOR_DB, antennaGainDb } from './model-pairs';
export { tileWithinRange, tilesAffectedBy, tilesOfGrid } from './tiles';

/** Receiver height when the params give none: a handset at head height. */
export const DEFAULT_UT_HEIGHT_M = 1.5;

/** Cells beyond this from a site get nothing from it: `maxRangeM`, or the upper distance of the model's validity. */
export function rangeOf(params: Pick<ModelParams, 'model' | 'maxRangeM'>): number {
  return params.maxRangeM ?? PATH_LOSS_MODELS[params.model].validity.dM[1];
}

/** Between sites and rows: a cancelled job stops, and the event loop gets a turn this often so a cancel can land. */
const YIELD_EVERY_MS = 30;

export interface ModelHooks {
  readonly isCancelled?: () => boolean;
  readonly onProgress?: (fraction: number) => void;
  /** Awaited at most every 30 ms of work; default a macrotask turn (`setTimeout(0)`). */
  readonly pause?: () => Promise<void>;
}

function checkTile(grid: GridSpec3035, tile: TileSpec): void {
  const { col0, row0, width, height } = tile;
  const ok = [col0, row0, width, height].every(Number.isInteger) && col0 >= 0 && row0 >= 0 && width > 0 && height > 0 && col0 + width <= grid.width && row0 + height <= grid.height;
  if (!ok) throw new RangeError(`tile ${col0},${row0} ${width}×${height} is not inside the ${grid.width}×${grid.height} grid`);
}

function modelOf(id: PathLossModelId): PathLossModel {
  const m = PATH_LOSS_MODELS[id];
  if (!m) throw new RangeError(`unknown path-loss model “${String(id)}”`);
  return m;
}

/** The loops' view of one tile: grid, DEM and where the tile's cell centres fall in it, and the per-cell state. */
function tileRunOf(grid: GridSpec3035, tile: TileSpec, params: ModelParams, model: PathLossModel, rangeM: number, terrain: Dem3035 | null): TileRun {
  const cells = tile.width * tile.height;
  const kFactor = params.kFactor ?? DEFAULT_K_FACTOR;
  const groundRx = new Float64Array(cells).fill(Number.NaN);
  // Analysis cell (col, row) sits at DEM fractional coordinates demFx0 + col·demStep, demFy0 + row·demStep.
  const demStep = terrain ? grid.cellM / terrain.grid.cellM : 1;
  const demFx0 = terrain ? (grid.xMinM + 0.5 * grid.cellM - terrain.grid.xMinM) / terrain.grid.cellM - 0.5 + tile.col0 * demStep : 0;
  const demFy0 = terrain ? (terrain.grid.yMaxM - (grid.yMaxM - 0.5 * grid.cellM)) / terrain.grid.cellM - 0.5 + tile.row0 * demStep : 0;
  if (terrain) {
    const { heightM, grid: g } = terrain;
    for (let r = 0; r < tile.height; r++) {
      for (let c = 0; c < tile.width; c++) groundRx[r * tile.width + c] = bilinearAt(heightM, g.width, g.height, demFx0 + c * demStep, demFy0 + r * demStep);
    }
  }
  return {
    model,
    hasLos: model.hasLos,
    hUtM: params.hUtM ?? DEFAULT_UT_HEIGHT_M,
    rangeM,
    minDM: model.validity.dM[0],
    kInvTwoR: 1 / (2 * kFactor * EARTH_RADIUS_M),
    xMinM: grid.xMinM,
    yMaxM: grid.yMaxM,
    cellM: grid.cellM,
    col0: tile.col0,
    row0: tile.row0,
    width: tile.width,
    demH: terrain ? terrain.heightM : null,
    demW: terrain ? terrain.grid.width : 0,
    demHt: terrain ? terrain.grid.height : 0,
    demCellM: terrain ? terrain.grid.cellM : 1,
    demFx0,
    demFy0,
    demStep,
    demGaps: terrain ? gapTableOf(terrain) : null,
    groundRx,
    best: new Float64Array(cells).fill(Number.NEGATIVE_INFINITY),
    server: new Int32Array(cells).fill(-1),
    primary: new Int32Array(cells).fill(-1),
    upperBest: new Float64Array(cells).fill(Number.NEGATIVE_INFINITY),
    counts: new Float64Array(2),
  };
}

/** Indices of the sites that reach the tile, nearest to its centre first (see the module comment). */
function sitesReaching(grid: GridSpec3035, tile: TileSpec, sites: SiteArrays, rangeM: number): number[] {
  const cx = grid.xMinM + (tile.col0 + tile.width / 2) * grid.cellM;
  const cy = grid.yMaxM - (tile.row0 + tile.height / 2) * grid.cellM;
  const visit: number[] = [];
  for (let i = 0; i < sites.count; i++) {
    // A site without a position reaches nothing (NaN would pass the range test: NaN compares false both ways).
    const xM = sites.x[i]!;
    const yM = sites.y[i]!;
    if (Number.isFinite(xM) && Number.isFinite(yM) && tileWithinRange(grid, tile, xM, yM, rangeM)) visit.push(i);
  }
  const dist2 = (i: number): number => (sites.x[i]! - cx) ** 2 + (sites.y[i]! - cy) ** 2;
  visit.sort((a, b) => dist2(a) - dist2(b) || a - b);
  return visit;
}

/** The loops' view of each visited site (undefined for the others), its ground from the DEM where the file has none. */
function siteRunsOf(sites: SiteArrays, visit: readonly number[], terrain: Dem3035 | null): (SiteRun | undefined)[] {
  const siteRuns: (SiteRun | undefined)[] = Array.from<SiteRun | undefined>({ length: sites.count });
  for (const i of visit) {
    const xM = sites.x[i]!;
    const yM = sites.y[i]!;
    const fMHz = sites.fMHz[i]!;
    const aglM = sites.antennaAglM[i]!;
    const g = sites.groundM[i]!;
    const dg = terrain?.grid;
    const txFx = dg ? (xM - dg.xMinM) / dg.cellM - 0.5 : 0;
    const txFy = dg ? (dg.yMaxM - yM) / dg.cellM - 0.5 : 0;
    const groundM = g === g ? g : terrain && dg ? bilinearAt(terrain.heightM, dg.width, dg.height, txFx, txFy) : Number.NaN;
    siteRuns[i] = {
      index: i,
      xM,
      yM,
      txFx,
      txFy,
      zTxM: groundM + aglM,
      aglM,
      azimuthDeg: sites.azimuthDeg[i]!,
      beamwidthDeg: sites.beamwidthDeg[i]!,
      eirpDbm: sites.eirpDbm[i]!,
      fMHz,
      lambdaM: wavelengthM(fMHz),
    };
  }
  return siteRuns;
}

/** Rows per slice: the cancel check stays frequent however large the tile is. */
const ROWS_PER_SLICE = 32;

/** The three passes of the module comment over the tile, with cancellation, yields and progress between slices. */
async function runPasses(run: TileRun, siteRuns: readonly (SiteRun | undefined)[], visit: readonly number[], height: number, hooks: ModelHooks): Promise<void> {
  const pause = hooks.pause ?? yieldToEventLoop;
  let lastYield = performance.now();
  const checkpoint = async (): Promise<void> => {
    if (hooks.isCancelled?.()) throw new JobCancelledError();
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await pause();
      lastYield = performance.now();
      if (hooks.isCancelled?.()) throw new JobCancelledError();
    }
  };
  const eachSite = async (pass: number, progressFrom: number, progressTo: number): Promise<void> => {
    for (let v = 0; v < visit.length; v++) {
      const site = siteRuns[visit[v]!]!;
      for (let r = 0; r < height; r += ROWS_PER_SLICE) {
        await checkpoint();
        visitRows(run, site, r, Math.min(height, r + ROWS_PER_SLICE), pass);
      }
      hooks.onProgress?.(progressFrom + ((progressTo - progressFrom) * (v + 1)) / visit.length);
    }
  };
  // Progress weights: bounds are cheap, a primary is one profile per cell, the rest about as many again.
  await eachSite(PASS_BOUNDS, 0, 0.1);
  for (let r = 0; r < height; r += ROWS_PER_SLICE) {
    await checkpoint();
    evaluatePrimaries(run, siteRuns, r, Math.min(height, r + ROWS_PER_SLICE));
    hooks.onProgress?.(0.1 + (0.4 * Math.min(height, r + ROWS_PER_SLICE)) / height);
  }
  await eachSite(PASS_REST, 0.5, 1);
}

/** Best-server RSRP for one tile (see the module comment); `dem` null models without terrain. */
export async function modelTile(job: ModelTileJob, dem: Dem3035 | null, hooks: ModelHooks = {}): Promise<ModelTileResult> {
  const { grid, tile, sites, params } = job;
  checkTile(grid, tile);
  const model = modelOf(params.model);
  const rangeM = rangeOf(params);
  const terrain = params.terrain !== false && dem !== null ? dem : null;
  const run = tileRunOf(grid, tile, params, model, rangeM, terrain);
  const visit = sitesReaching(grid, tile, sites, rangeM);
  const siteRuns = siteRunsOf(sites, visit, terrain);
  await runPasses(run, siteRuns, visit, tile.height, hooks);
  if (hooks.isCancelled?.()) throw new JobCancelledError();

  const { best, server } = run;
  const cells = tile.width * tile.height;
  const rsrpDbm = new Float32Array(cells);
  for (let k = 0; k < cells; k++) rsrpDbm[k] = server[k]! >= 0 ? best[k]! : Number.NaN;
  hooks.onProgress?.(1);
  return { tile, rsrpDbm, server, pairs: run.counts[0]!, profiles: run.counts[1]! };
}
