/**
 * Terrain between a mast and a receiver: the path profile over the DEM, the Earth's bulge under a refracted ray,
 * the dominant obstacle's Fresnel–Kirchhoff parameter ν and its single knife-edge loss J(ν) (ITU-R P.526).
 *
 * The profile is sampled every DEM cell (at most one cell apart, evenly from end to end), bilinear between cell
 * centres. Each sample's clearance above the straight ray is h = z + d1·d2/(2·k·R) − ray(d1), the middle term
 * being the bulge of the Earth at effective radius k·R (k = 4/3: the standard radio atmosphere of ITU-R P.310). The
 * obstacle with the largest ν = h·√(2·d/(λ·d1·d2)) (P.526-15 eq. 26) dominates.
 *
 * Line of sight is ν_max ≤ 0: no terrain reaches the ray itself. Partial obstruction of the first Fresnel zone
 * (−0.78 < ν ≤ 0) is not called NLOS: J(ν) already charges it 0–6 dB on top of the LOS loss, so calling it NLOS
 * as well (a 0.6·F1 clearance rule) would count the same obstruction twice.
 *
 * When a DEM sample on the path, or either end's ground, has no elevation data (NaN), the terrain is unknown for
 * that pair: ν is NaN, and the caller falls back to the model's obstructed-path value (see `SiteArrays.groundM`).
 */
import type { Dem3035 } from './types';

/** Mean Earth radius, as in ITU-R P.452 and P.1812 (a = 6371 km). */
export const EARTH_RADIUS_M = 6_371_000;
/** Effective Earth radius factor of the standard radio atmosphere (ITU-R P.310), a median for temperate climates. */
export const DEFAULT_K_FACTOR = 4 / 3;
export const SPEED_OF_LIGHT_M_PER_S = 299_792_458;

export function wavelengthM(fMHz: number): number {
  return SPEED_OF_LIGHT_M_PER_S / (fMHz * 1e6);
}

/**
 * Single knife-edge diffraction loss J(ν) in dB, ITU-R P.526-15 eq. 31: 6.9 + 20·log10(√((ν − 0.1)² + 1) + ν − 0.1)
 * for ν > −0.78, else 0 (the approximation is within about 1 dB of the exact Fresnel-integral loss there, and
 * below −0.78 the Fresnel zone is clear enough that the loss is taken as none).
 */
export function knifeEdgeLossDb(nu: number): number {
  if (!(nu > -0.78)) return 0;
  const v = nu - 0.1;
  return 6.9 + 20 * Math.log10(Math.sqrt(v * v + 1) + v);
}

/** J(−0.78): the smallest loss of an edge that counts (≈ 0.004 dB). */
const J_AT_CUTOFF_DB = knifeEdgeLossDb(-0.78 + 1e-12);

/**
 * The ν at which J(ν) reaches `lossDb` (the inverse of `knifeEdgeLossDb` on ν > −0.78): with u = ν − 0.1 and
 * y = 10^((J − 6.9)/20) = √(u² + 1) + u, u = (y² − 1)/(2y). Losses below J(−0.78) give −0.78.
 */
export function knifeEdgeNuForLossDb(lossDb: number): number {
  if (!(lossDb > J_AT_CUTOFF_DB)) return -0.78;
  const y = Math.pow(10, (lossDb - 6.9) / 20);
  return 0.1 + (y * y - 1) / (2 * y);
}

/** Fresnel–Kirchhoff diffraction parameter of an edge `clearanceM` above the ray (negative: below), P.526-15 eq. 26. */
export function fresnelNu(clearanceM: number, d1M: number, d2M: number, lambdaM: number): number {
  return clearanceM * Math.sqrt((2 / lambdaM) * (1 / d1M + 1 / d2M));
}

/**
 * Bilinear height at fractional cell-centre coordinates (fx = 0 at the centre of column 0), NaN-aware: the
 * weights of corners without data are dropped and the rest renormalised, so a point next to a data gap still
 * gets the height of its valid neighbours; NaN only when every corner with weight is NaN. Points between the
 * outermost centres and the grid's edge take the edge cells' heights (clamped); beyond the edge: NaN.
 */
export function bilinearAt(h: Float32Array, gw: number, gh: number, fx: number, fy: number): number {
  if (!(fx >= -0.5 && fx <= gw - 0.5 && fy >= -0.5 && fy <= gh - 0.5)) return Number.NaN;
  const x = fx < 0 ? 0 : fx > gw - 1 ? gw - 1 : fx;
  const y = fy < 0 ? 0 : fy > gh - 1 ? gh - 1 : fy;
  const c0 = x | 0;
  const r0 = y | 0;
  const c1 = c0 + 1 < gw ? c0 + 1 : c0;
  const r1 = r0 + 1 < gh ? r0 + 1 : r0;
  const tx = x - c0;
  const ty = y - r0;
  const a = h[r0 * gw + c0]!;
  const b = h[r0 * gw + c1]!;
  const c = h[r1 * gw + c0]!;
  const d = h[r1 * gw + c1]!;
  const v = (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
  if (v === v) return v;
  // Slow path, only at gaps: renormalise over the corners that have data (scalar, no allocation).
  let sw = 0;
  let sz = 0;
  const wa = (1 - tx) * (1 - ty);
  const wb = tx * (1 - ty);
  const wc = (1 - tx) * ty;
  const wd = tx * ty;
  if (wa > 0 && a === a) {
    sw += wa;
    sz += wa * a;
  }
  if (wb > 0 && b === b) {
    sw += wb;
    sz += wb * b;
  }
  if (wc > 0 && c === c) {
    sw += wc;
    sz += wc * c;
  }
  if (wd > 0 && d === d) {
    sw += wd;
    sz += wd * d;
  }
  return sw > 0 ? sz / sw : Number.NaN;
}

/** Ground height of the DEM at an EPSG:3035 point (bilinear, NaN-aware, see `bilinearAt`). */
export function demHeightAt(dem: Dem3035, xM: number, yM: number): number {
  const { grid, heightM } = dem;
  return bilinearAt(heightM, grid.width, grid.height, (xM - grid.xMinM) / grid.cellM - 0.5, (grid.yMaxM - yM) / grid.cellM - 0.5);
}

/**
 * The hot loop of the coverage model, without allocation: ν of the dominant obstacle between two antennas.
 * Positions are fractional DEM cell-centre coordinates (see `bilinearAt`), heights `z0M`/`z1M` absolute (ground
 * + antenna), `dM` the horizontal distance. `invTwoKRM` = 1/(2·k·R) (0: flat Earth). Returns −Infinity when the
 * path is shorter than two cells (no sample between the ends), NaN when a sample has no elevation data. With
 * `out`, writes the dominant obstacle's distance from the first end (out[0]) and its clearance h (out[1]).
 * With `stopNu`, the scan ends at the first sample whose ν exceeds it and returns that ν: then only a lower bound
 * of ν_max, enough for a caller that has lost interest beyond `stopNu`, and a gap in the DEM beyond that sample
 * goes unseen (the caller rules gaps out first, see `gapTable`). The scan runs from the second end (the
 * receiver) back to the first: the terrain next to a receiver 1.5 m above ground dominates most often, so a
 * stop comes early.
 */
export function dominantNu(
  h: Float32Array, gw: number, gh: number, cellM: number,
  fx0: number, fy0: number, z0M: number, fx1: number, fy1: number, z1M: number,
  dM: number, lambdaM: number, invTwoKRM: number, out: Float64Array | null, stopNu = Number.POSITIVE_INFINITY,
): number {
  const n = Math.ceil(dM / cellM - 1e-9);
  if (n < 2) return Number.NEGATIVE_INFINITY;
  // ν > stopNu ⇔ h·|h|/(d1·d2) > stopM (same sign convention as `best` below).
  const stopM = stopNu === Number.POSITIVE_INFINITY ? stopNu : ((stopNu < 0 ? -stopNu : stopNu) * stopNu * lambdaM) / (2 * dM);
  const inv = 1 / n;
  const stepM = dM * inv;
  const dfx = (fx1 - fx0) * inv;
  const dfy = (fy1 - fy0) * inv;
  const dz = (z1M - z0M) * inv;
  // Both ends inside the span of cell centres: so is every sample (the path is straight), and the loop reads
  // the four corners without clamping; otherwise every sample goes through `bilinearAt`'s checks.
  const inside = fx0 >= 0 && fx0 <= gw - 1 && fx1 >= 0 && fx1 <= gw - 1 && fy0 >= 0 && fy0 <= gh - 1 && fy1 >= 0 && fy1 <= gh - 1;
  const lastC = gw - 1;
  const lastR = gh - 1;
  // Compare h·|h|/(d1·d2), which orders samples as ν does, and take one square root at the end.
  let best = Number.NEGATIVE_INFINITY;
  let bestK = 0;
  let bestH = 0;
  for (let k = n - 1; k >= 1; k--) {
    const x = fx0 + dfx * k;
    const y = fy0 + dfy * k;
    let z: number;
    if (inside) {
      const c0 = x | 0;
      const r0 = y | 0;
      const tx = x - c0;
      const ty = y - r0;
      const i0 = r0 * gw + c0;
      const i1 = r0 < lastR ? i0 + gw : i0;
      const dc = c0 < lastC ? 1 : 0;
      const a = h[i0]!;
      const b = h[i0 + dc]!;
      const c = h[i1]!;
      const d = h[i1 + dc]!;
      const top = a + (b - a) * tx;
      z = top + (c + (d - c) * tx - top) * ty;
      if (z !== z) z = bilinearAt(h, gw, gh, x, y);
    } else {
      z = bilinearAt(h, gw, gh, x, y);
    }
    if (z !== z) return Number.NaN;
    const d1 = k * stepM;
    const d1d2 = d1 * (dM - d1);
    const clearance = z + d1d2 * invTwoKRM - (z0M + dz * k);
    // m > best ⇔ h·|h| > best·d1·d2 (d1·d2 > 0): a multiplication per sample, a division only on a new maximum.
    const hh = clearance * (clearance < 0 ? -clearance : clearance);
    if (hh > best * d1d2) {
      best = hh / d1d2;
      bestK = k;
      bestH = clearance;
      // The caller has no use for a larger ν (the pair cannot win any more): stop here.
      if (best > stopM) break;
    }
  }
  if (out) {
    out[0] = bestK * stepM;
    out[1] = bestH;
  }
  const nu2 = (Math.abs(best) * 2 * dM) / lambdaM;
  return best >= 0 ? Math.sqrt(nu2) : -Math.sqrt(nu2);
}

/**
 * Summed-area table of the DEM's gaps: entry (r + 1)·(w + 1) + (c + 1) counts the NaN cells in rows ≤ r and
 * columns ≤ c. Lets a caller ask in four reads whether a path's bounding box touches a gap (`gapsInBox`).
 */
export function gapTable(dem: Dem3035): Int32Array {
  const { width: w, height: h } = dem.grid;
  const heights = dem.heightM;
  const sat = new Int32Array((w + 1) * (h + 1));
  for (let r = 0; r < h; r++) {
    let rowSum = 0;
    for (let c = 0; c < w; c++) {
      const z = heights[r * w + c]!;
      if (z !== z) rowSum++;
      sat[(r + 1) * (w + 1) + c + 1] = sat[r * (w + 1) + c + 1]! + rowSum;
    }
  }
  return sat;
}

/**
 * Cells without elevation data in columns c0..c1 and rows r0..r1 (inclusive): the DEM's NaN cells there, plus
 * the box's cells outside the grid (no data there either).
 */
export function gapsInBox(sat: Int32Array, w: number, h: number, c0: number, r0: number, c1: number, r1: number): number {
  const ca = c0 < 0 ? 0 : c0;
  const ra = r0 < 0 ? 0 : r0;
  const cb = c1 > w - 1 ? w - 1 : c1;
  const rb = r1 > h - 1 ? h - 1 : r1;
  const outside = (c1 - c0 + 1) * (r1 - r0 + 1) - (cb >= ca && rb >= ra ? (cb - ca + 1) * (rb - ra + 1) : 0);
  if (ca > cb || ra > rb) return outside;
  const W = w + 1;
  return outside + sat[(rb + 1) * W + cb + 1]! - sat[ra * W + cb + 1]! - sat[(rb + 1) * W + ca]! + sat[ra * W + ca]!;
}

export interface PathEnd {
  /** EPSG:3035, metres. */
  readonly xM: number;
  readonly yM: number;
  /** Ground height (WGS84 ellipsoidal, metres); NaN: from the DEM. */
  readonly groundM: number;
  /** Antenna height above that ground, metres. */
  readonly aglM: number;
}

export interface PathProfile {
  /** False when a sample on the path or either end's ground has no elevation data: the rest is then not meaningful. */
  readonly terrainKnown: boolean;
  /** ν_max ≤ 0 (see the module comment); false when the terrain is unknown. */
  readonly los: boolean;
  /** ν of the dominant obstacle; −Infinity for paths shorter than two cells, NaN when the terrain is unknown. */
  readonly nuMax: number;
  /** J(ν_max) in dB; 0 when the terrain is unknown. */
  readonly diffractionDb: number;
  /** Distance of the dominant obstacle from the first end, and its height above the ray (negative: below). */
  readonly obstacleDistanceM: number;
  readonly obstacleClearanceM: number;
  readonly groundFromM: number;
  readonly groundToM: number;
  /** Samples between the ends. */
  readonly samples: number;
}

/** The profile between two antennas over `dem` (the readable form of `dominantNu`, for one pair). */
export function pathProfile(dem: Dem3035, from: PathEnd, to: PathEnd, fMHz: number, kFactor = DEFAULT_K_FACTOR): PathProfile {
  const { grid, heightM } = dem;
  const fx = (xM: number): number => (xM - grid.xMinM) / grid.cellM - 0.5;
  const fy = (yM: number): number => (grid.yMaxM - yM) / grid.cellM - 0.5;
  const groundFromM = Number.isNaN(from.groundM) ? demHeightAt(dem, from.xM, from.yM) : from.groundM;
  const groundToM = Number.isNaN(to.groundM) ? demHeightAt(dem, to.xM, to.yM) : to.groundM;
  const dM = Math.hypot(to.xM - from.xM, to.yM - from.yM);
  const samples = Math.max(0, Math.ceil(dM / grid.cellM - 1e-9) - 1);
  const unknown = { terrainKnown: false, los: false, nuMax: Number.NaN, diffractionDb: 0, obstacleDistanceM: Number.NaN, obstacleClearanceM: Number.NaN, groundFromM, groundToM, samples };
  if (Number.isNaN(groundFromM) || Number.isNaN(groundToM)) return unknown;
  const out = new Float64Array([Number.NaN, Number.NaN]);
  const nu = dominantNu(
    heightM, grid.width, grid.height, grid.cellM,
    fx(from.xM), fy(from.yM), groundFromM + from.aglM, fx(to.xM), fy(to.yM), groundToM + to.aglM,
    dM, wavelengthM(fMHz), 1 / (2 * kFactor * EARTH_RADIUS_M), out,
  );
  if (Number.isNaN(nu)) return unknown;
  return {
    terrainKnown: true,
    los: nu <= 0,
    nuMax: nu,
    diffractionDb: knifeEdgeLossDb(nu),
    obstacleDistanceM: out[0]!,
    obstacleClearanceM: out[1]!,
    groundFromM,
    groundToM,
    samples,
  };
}
