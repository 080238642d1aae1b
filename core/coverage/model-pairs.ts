/**
 * The per-tile loops of the coverage model (see `model.ts`): a site-cell pair's upper bound and full evaluation, and
 * the passes over a site's cells. Typed arrays and numbers only: no allocation per cell.
 */
import type { PathLossModel } from './pathloss';
import { dominantNu, gapTable, gapsInBox, knifeEdgeLossDb, knifeEdgeNuForLossDb } from './profile';
import type { Dem3035 } from './types';

/** TR 38.901 Table 7.3-1: the pattern's floor (front-to-back ratio) A_max, dB. */
export const PATTERN_FLOOR_DB = 30;

/** J(0) ≈ 6.03 dB: the least knife-edge loss of an obstructed (NLOS) path. */
const J_AT_ZERO_DB = knifeEdgeLossDb(0);

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

/** Everything one tile's loops read, as flat fields (one object per tile, not per cell). */
export interface TileRun {
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

export interface SiteRun {
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

export const PASS_BOUNDS = 0;
export const PASS_REST = 1;

/**
 * The site's cells in tile rows [rowFrom, rowTo). PASS_BOUNDS records each cell's most promising site (highest
 * upper bound, lower index on ties) in `primary`; PASS_REST evaluates every other site of the cell, once the
 * primaries have set a best server to beat.
 */
export function visitRows(t: TileRun, s: SiteRun, rowFrom: number, rowTo: number, pass: number): void {
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
export function evaluatePrimaries(t: TileRun, sites: readonly (SiteRun | undefined)[], rowFrom: number, rowTo: number): void {
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
export function gapTableOf(dem: Dem3035): Int32Array {
  let sat = gapTables.get(dem.heightM);
  if (!sat) {
    sat = gapTable(dem);
    gapTables.set(dem.heightM, sat);
  }
  return sat;
}
