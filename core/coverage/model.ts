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
import { DEFAULT_K_FACTOR, EARTH_RADIUS_M, bilinearAt, dominantNu, gapTable, gapsInBox, knifeEdgeLossDb, knifeEdgeNuForLossDb, wavelengthM } from './profile';
import type { Dem3035, GridSpec3035, ModelParams, ModelTileJob, ModelTileResult, PathLossModelId, TileSpec } from './types';

/** Receiver height when the params give none: a handset at head height. */
export const DEFAULT_UT_HEIGHT_M = 1.5;
/** TR 38.901 Table 7.3-1: the pattern's floor (front-to-back ratio) A_max, dB. */
export const PATTERN_FLOOR_DB = 30;

/** J(0) ≈ 6.03 dB: the least knife-edge loss of an obstructed (NLOS) path. */
const J_AT_ZERO_DB = knifeEdgeLossDb(0);

/** Cells beyond this from a site get nothing from it: `maxRangeM`, or the upper distance of the model's validity. */
export function rangeOf(params: Pick<ModelParams, 'model' | 'maxRangeM'>): number {
  return params.maxRangeM ?? PATH_LOSS_MODELS[params.model].validity.dM[1];
}

/**
 * Horizontal antenna gain relative to the main lobe, dB (TR 38.901 Table 7.3-1): −min(12·(φ/φ3dB)², 30) with
 * φ the bearing's offset from the azimuth in (−180°, 180°]. A NaN azimuth is an omnidirectional antenna: 0 dB.
 */
export function antennaGainDb(azimuthDeg: number, beamwidthDeg: number, bearingDeg: number): number {
  if (azimuthDeg !== azimuthDeg) return 0;
  let phi = (bearingDeg - azimuthDeg) % 360;
  if (phi > 180) phi -= 360;
  else if (phi <= -180) phi += 360;
  const r = phi / beamwidthDeg;
  return -Math.min(12 * r * r, PATTERN_FLOOR_DB);
}

/** The grid cut into tiles of `tileSize`² cells, row by row from the north-west; the last column and row are narrower. */
export function tilesOfGrid(grid: GridSpec3035, tileSize: number): TileSpec[] {
  if (!(Number.isInteger(tileSize) && tileSize > 0)) throw new RangeError(`tile size ${tileSize} is not a positive integer`);
  const tiles: TileSpec[] = [];
  for (let row0 = 0; row0 < grid.height; row0 += tileSize) {
    for (let col0 = 0; col0 < grid.width; col0 += tileSize) {
      tiles.push({ col0, row0, width: Math.min(tileSize, grid.width - col0), height: Math.min(tileSize, grid.height - row0) });
    }
  }
  return tiles;
}

/**
 * True when a cell centre of the tile lies within `rangeM` of the point: the same test the model applies to a
 * cell, so a tile that fails it gets nothing from a site there.
 */
export function tileWithinRange(grid: GridSpec3035, tile: TileSpec, xM: number, yM: number, rangeM: number): boolean {
  const { xMinM, yMaxM, cellM } = grid;
  const xa = xMinM + (tile.col0 + 0.5) * cellM;
  const xb = xMinM + (tile.col0 + tile.width - 0.5) * cellM;
  const yb = yMaxM - (tile.row0 + 0.5) * cellM;
  const ya = yMaxM - (tile.row0 + tile.height - 0.5) * cellM;
  const dx = xM < xa ? xa - xM : xM > xb ? xM - xb : 0;
  const dy = yM < ya ? ya - yM : yM > yb ? yM - yb : 0;
  return dx * dx + dy * dy <= rangeM * rangeM;
}

/**
 * The tiles (of `tilesOfGrid(grid, tileSize)`) a site at (xM, yM) reaches: those to recompute when a mast is added
 * or removed there. For a moved mast, recompute the union of the tiles of its old and its new position.
 */
export function tilesAffectedBy(grid: GridSpec3035, tileSize: number, xM: number, yM: number, rangeM: number): TileSpec[] {
  return tilesOfGrid(grid, tileSize).filter((t) => tileWithinRange(grid, t, xM, yM, rangeM));
}

/** Between sites and rows: a cancelled job stops, and the event loop gets a turn this often so a cancel can land. */
const YIELD_EVERY_MS = 30;

export interface ModelHooks {
  readonly isCancelled?: () => boolean;
  readonly onProgress?: (fraction: number) => void;
  /** Awaited at most every 30 ms of work; default a macrotask turn (`setTimeout(0)`). */
  readonly pause?: () => Promise<void>;
}

/** Everything one tile's loops read, as flat fields (one object per tile, not per cell). */
interface TileRun {
  readonly model: PathLossModel;
  readonly hasLos: boolean;
  readonly hUtM: number;
  readonly rangeM: number;
  readonly minDM: number;
  readonly kInvTwoR: number;
  /** Analysis grid. */
  readonly xMinM: number;
  readonly yMaxM: number;
  readonly cellM: number;
  readonly col0: number;
  readonly row0: number;
  readonly width: number;
  /** DEM (null: no terrain term) and where the analysis cell centres fall in it. */
  readonly demH: Float32Array | null;
  readonly demW: number;
  readonly demHt: number;
  readonly demCellM: number;
  readonly demFx0: number;
  readonly demFy0: number;
  readonly demStep: number;
  /** `gapTable` of the DEM: where it has none along a path, the profile may stop early. */
  readonly demGaps: Int32Array | null;
  /** Per tile cell: ground under the receiver (NaN: unknown), best RSRP so far (−∞: none), its site. */
  readonly groundRx: Float64Array;
  readonly best: Float64Array;
  readonly server: Int32Array;
  /** Per tile cell: the site with the highest upper bound (−1: none reaches) and that bound. */
  readonly primary: Int32Array;
  readonly upperBest: Float64Array;
  /** [pairs, profiles]. */
  readonly counts: Float64Array;
}

interface SiteRun {
  readonly index: number;
  readonly xM: number;
  readonly yM: number;
  /** Where the site stands in DEM cell-centre coordinates (see `bilinearAt`). */
  readonly txFx: number;
  readonly txFy: number;
  /** Ground + antenna height; NaN when the ground is unknown. */
  readonly zTxM: number;
  readonly aglM: number;
  readonly azimuthDeg: number;
  readonly beamwidthDeg: number;
  readonly eirpDbm: number;
  readonly fMHz: number;
  readonly lambdaM: number;
}

/**
 * One pair, fully: RSRP of site `s` at tile cell (r, c), `dx`/`dy`/`d2DM` from the site to the cell centre; kept
 * in `best`/`server` when it beats the cell's best server. Returns early, without a profile, when even its LOS
 * value cannot (see the module comment).
 */
function evaluatePair(t: TileRun, s: SiteRun, r: number, c: number, dx: number, dy: number, d2DM: number): void {
  const { model, hUtM, minDM, best, server, groundRx, demH } = t;
  const { index, aglM, azimuthDeg, eirpDbm, fMHz } = s;
  const cell = r * t.width + c;
  const gRx = groundRx[cell]!;
  const zTx = s.zTxM;
  const known = gRx === gRx && zTx === zTx;
  const dz = known ? zTx - gRx - hUtM : aglM - hUtM;
  // Below the model's validity the formulas run towards −∞ loss: hold the value at its lower distance.
  const d2D = d2DM < minDM ? minDM : d2DM;
  const d3D = Math.sqrt(d2D * d2D + dz * dz);
  const plLos = model.pathLossDb(fMHz, d2D, d3D, aglM, hUtM, true);
  const cur = best[cell]!;
  const curServer = server[cell]!;
  // Upper bound with the main-lobe gain first, so most hopeless pairs skip even the bearing.
  let upper = eirpDbm - plLos;
  if (upper < cur || (upper === cur && index > curServer)) return;
  let gain = 0;
  if (azimuthDeg === azimuthDeg) {
    gain = antennaGainDb(azimuthDeg, s.beamwidthDeg, (Math.atan2(dx, dy) * 180) / Math.PI);
    upper += gain;
    if (upper < cur || (upper === cur && index > curServer)) return;
  }
  const base = eirpDbm + gain;
  let los = false;
  let jDb = 0;
  let plNlos = Number.NaN;
  if (demH !== null && known) {
    t.counts[1]!++;
    const fxRx = t.demFx0 + c * t.demStep;
    const fyRx = t.demFy0 + r * t.demStep;
    // RSRP falls as ν_max grows (J rises, and past 0 the NLOS formula takes over), so beyond some ν the pair
    // cannot win: the profile stops at the first sample past it. Only where the path has no DEM gap, since a
    // gap further on would make the pair's value the no-terrain one instead.
    let stopNu = Number.POSITIVE_INFINITY;
    if (cur > Number.NEGATIVE_INFINITY) {
      const c0 = Math.floor(s.txFx < fxRx ? s.txFx : fxRx);
      const c1 = Math.ceil(s.txFx < fxRx ? fxRx : s.txFx);
      const r0 = Math.floor(s.txFy < fyRx ? s.txFy : fyRx);
      const r1 = Math.ceil(s.txFy < fyRx ? fyRx : s.txFy);
      if (gapsInBox(t.demGaps!, t.demW, t.demHt, c0, r0, c1, r1) === 0) {
        const slackLos = base - plLos - cur;
        if (!t.hasLos) stopNu = knifeEdgeNuForLossDb(slackLos);
        else if (slackLos < J_AT_ZERO_DB) stopNu = knifeEdgeNuForLossDb(slackLos);
        else {
          plNlos = model.pathLossDb(fMHz, d2D, d3D, aglM, hUtM, false);
          const slackNlos = base - plNlos - cur;
          stopNu = slackNlos < J_AT_ZERO_DB ? 0 : knifeEdgeNuForLossDb(slackNlos);
        }
        // Strictly past it, with room for rounding in the inverse, so a stopped pair is a strict loser.
        stopNu += 1e-9;
      }
    }
    const nu = dominantNu(demH, t.demW, t.demHt, t.demCellM, s.txFx, s.txFy, zTx, fxRx, fyRx, gRx + hUtM, d2DM, s.lambdaM, t.kInvTwoR, null, stopNu);
    if (nu > stopNu) return;
    if (nu === nu) {
      los = nu <= 0;
      jDb = knifeEdgeLossDb(nu);
    }
  }
  const pl = los || !t.hasLos ? plLos : plNlos === plNlos ? plNlos : model.pathLossDb(fMHz, d2D, d3D, aglM, hUtM, false);
  const rsrp = base - pl - jDb;
  if (rsrp > cur || (rsrp === cur && index < curServer)) {
    best[cell] = rsrp;
    server[cell] = index;
  }
}

/** The site's LOS value with its pattern: what no terrain can improve on. */
function upperBoundDbm(t: TileRun, s: SiteRun, cell: number, dx: number, dy: number, d2DM: number): number {
  const gRx = t.groundRx[cell]!;
  const dz = gRx === gRx && s.zTxM === s.zTxM ? s.zTxM - gRx - t.hUtM : s.aglM - t.hUtM;
  const d2D = d2DM < t.minDM ? t.minDM : d2DM;
  const d3D = Math.sqrt(d2D * d2D + dz * dz);
  const gain = s.azimuthDeg === s.azimuthDeg ? antennaGainDb(s.azimuthDeg, s.beamwidthDeg, (Math.atan2(dx, dy) * 180) / Math.PI) : 0;
  return s.eirpDbm + gain - t.model.pathLossDb(s.fMHz, d2D, d3D, s.aglM, t.hUtM, true);
}

const PASS_BOUNDS = 0;
const PASS_REST = 1;

/**
 * The site's cells in tile rows [rowFrom, rowTo). PASS_BOUNDS records each cell's most promising site (highest
 * upper bound, lower index on ties) in `primary`; PASS_REST evaluates every other site of the cell, once the
 * primaries have set a best server to beat.
 */
function visitRows(t: TileRun, s: SiteRun, rowFrom: number, rowTo: number, pass: number): void {
  const { rangeM, xMinM, yMaxM, cellM, col0, row0, width, primary, upperBest } = t;
  const { index, xM, yM } = s;
  const range2 = rangeM * rangeM;
  let pairs = 0;
  for (let r = rowFrom; r < rowTo; r++) {
    const dy = yMaxM - (row0 + r + 0.5) * cellM - yM;
    if (dy * dy > range2) continue;
    const half = Math.sqrt(range2 - dy * dy);
    // Columns whose centres lie within the disc on this row, clipped to the tile.
    let cFrom = Math.ceil((xM - half - xMinM) / cellM - 0.5) - col0;
    let cTo = Math.floor((xM + half - xMinM) / cellM - 0.5) - col0;
    if (cFrom < 0) cFrom = 0;
    if (cTo > width - 1) cTo = width - 1;
    for (let c = cFrom; c <= cTo; c++) {
      const dx = xMinM + (col0 + c + 0.5) * cellM - xM;
      const d2D = Math.sqrt(dx * dx + dy * dy);
      if (d2D > rangeM) continue;
      const cell = r * width + c;
      if (pass === PASS_BOUNDS) {
        pairs++;
        const u = upperBoundDbm(t, s, cell, dx, dy, d2D);
        const p = primary[cell]!;
        if (p < 0 || u > upperBest[cell]! || (u === upperBest[cell]! && index < p)) {
          upperBest[cell] = u;
          primary[cell] = index;
        }
      } else if (primary[cell] !== index) {
        evaluatePair(t, s, r, c, dx, dy, d2D);
      }
    }
  }
  t.counts[0] = t.counts[0]! + pairs;
}

/** Each cell's primary site, evaluated first (rows [rowFrom, rowTo)). */
function evaluatePrimaries(t: TileRun, sites: readonly (SiteRun | undefined)[], rowFrom: number, rowTo: number): void {
  const { xMinM, yMaxM, cellM, col0, row0, width, primary } = t;
  for (let r = rowFrom; r < rowTo; r++) {
    for (let c = 0; c < width; c++) {
      const p = primary[r * width + c]!;
      if (p < 0) continue;
      const s = sites[p]!;
      const dx = xMinM + (col0 + c + 0.5) * cellM - s.xM;
      const dy = yMaxM - (row0 + r + 0.5) * cellM - s.yM;
      evaluatePair(t, s, r, c, dx, dy, Math.sqrt(dx * dx + dy * dy));
    }
  }
}

/** The DEM is the same for every tile of a worker: its gap table is built once per DEM. */
const gapTables = new WeakMap<Float32Array, Int32Array>();
function gapTableOf(dem: Dem3035): Int32Array {
  let sat = gapTables.get(dem.heightM);
  if (!sat) {
    sat = gapTable(dem);
    gapTables.set(dem.heightM, sat);
  }
  return sat;
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

/** Best-server RSRP for one tile (see the module comment); `dem` null models without terrain. */
export async function modelTile(job: ModelTileJob, dem: Dem3035 | null, hooks: ModelHooks = {}): Promise<ModelTileResult> {
  const { grid, tile, sites, params } = job;
  checkTile(grid, tile);
  const model = modelOf(params.model);
  const hUtM = params.hUtM ?? DEFAULT_UT_HEIGHT_M;
  const rangeM = rangeOf(params);
  const kFactor = params.kFactor ?? DEFAULT_K_FACTOR;
  const terrain = params.terrain !== false && dem !== null ? dem : null;
  const cells = tile.width * tile.height;
  const best = new Float64Array(cells).fill(Number.NEGATIVE_INFINITY);
  const server = new Int32Array(cells).fill(-1);
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

  // Sites that reach the tile, nearest to its centre first (see the module comment).
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

  const run: TileRun = {
    model,
    hasLos: model.hasLos,
    hUtM,
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
    best,
    server,
    primary: new Int32Array(cells).fill(-1),
    upperBest: new Float64Array(cells).fill(Number.NEGATIVE_INFINITY),
    counts: new Float64Array(2),
  };

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
  // Rows per slice: the cancel check stays frequent however large the tile is.
  const ROWS_PER_SLICE = 32;
  const eachSite = async (pass: number, progressFrom: number, progressTo: number): Promise<void> => {
    for (let v = 0; v < visit.length; v++) {
      const site = siteRuns[visit[v]!]!;
      for (let r = 0; r < tile.height; r += ROWS_PER_SLICE) {
        await checkpoint();
        visitRows(run, site, r, Math.min(tile.height, r + ROWS_PER_SLICE), pass);
      }
      hooks.onProgress?.(progressFrom + ((progressTo - progressFrom) * (v + 1)) / visit.length);
    }
  };
  // Progress weights: bounds are cheap, a primary is one profile per cell, the rest about as many again.
  await eachSite(PASS_BOUNDS, 0, 0.1);
  for (let r = 0; r < tile.height; r += ROWS_PER_SLICE) {
    await checkpoint();
    evaluatePrimaries(run, siteRuns, r, Math.min(tile.height, r + ROWS_PER_SLICE));
    hooks.onProgress?.(0.1 + (0.4 * Math.min(tile.height, r + ROWS_PER_SLICE)) / tile.height);
  }
  await eachSite(PASS_REST, 0.5, 1);
  if (hooks.isCancelled?.()) throw new JobCancelledError();

  const rsrpDbm = new Float32Array(cells);
  for (let k = 0; k < cells; k++) rsrpDbm[k] = server[k]! >= 0 ? best[k]! : Number.NaN;
  hooks.onProgress?.(1);
  return { tile, rsrpDbm, server, pairs: run.counts[0]!, profiles: run.counts[1]! };
}
