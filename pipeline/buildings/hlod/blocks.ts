/**
 * A building's stand-in in a parent tile: its footprint's minimum-area rectangle (rotating calipers over the
 * convex hull of every vertex), extruded from its lowest point to its roof's mid height. Five flat faces,
 * ten triangles — against ≈27 for a LoD2 house — the LoD1 block a planner reads at district distance.
 * It keeps the building's properties, so a block is picked, labelled and marked like the building.
 */
import { enuToEcefMatrix } from '../../../core/geo/ellipsoid';
import type { BuildingProperties, TileBuilding, TileSurface } from '../glb';
import type { BuildingRecord } from '../towns';
import { centreOf } from './spill';

export interface Block {
  readonly props: BuildingProperties;
  /** Eight corners in ECEF: the rectangle at the base (counter-clockwise seen from above), then at the top. */
  readonly corners: Float64Array;
  /** Footprint area × height, m³: what decides which blocks a crowded parent keeps. */
  readonly volume: number;
  /**
   * The larger of the rectangle's diagonal and the height, m: how far off the view is where the building is left
   * out, so a parent whose geometric error is e keeps only blocks at least e in size.
   */
  readonly sizeM: number;
}

const cross = (o: [number, number], a: [number, number], b: [number, number]): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (Andrew's monotone chain), counter-clockwise, of points given as [x0, y0, x1, y1, …]. */
export function convexHull(xy: readonly number[]): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < xy.length; i += 2) pts.push([xy[i]!, xy[i + 1]!]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const lower: [number, number][] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: [number, number][] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * The minimum-area rectangle holding a convex polygon: one of its sides lies on a hull edge, so every edge
 * direction is tried. Corners counter-clockwise.
 */
export function minAreaRectangle(hull: readonly [number, number][]): { corners: [number, number][]; area: number } {
  if (hull.length === 0) return { corners: [], area: 0 };
  let best: { corners: [number, number][]; area: number } | null = null;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!, b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len < 1e-9 && hull.length > 1) continue;
    const ux = len > 0 ? (b[0] - a[0]) / len : 1, uy = len > 0 ? (b[1] - a[1]) / len : 0;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy, v = -p[0] * uy + p[1] * ux;
      minU = Math.min(minU, u); maxU = Math.max(maxU, u); minV = Math.min(minV, v); maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area - 1e-9) {
      const at = (u: number, v: number): [number, number] => [u * ux - v * uy, u * uy + v * ux];
      best = { corners: [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)], area };
    }
  }
  return best ?? { corners: [hull[0]!, hull[0]!, hull[0]!, hull[0]!], area: 0 };
}

/** The block of one building. */
export function blockOf(r: BuildingRecord): Block {
  const [lon, lat] = centreOf(r);
  const m = enuToEcefMatrix(lon, lat, r.minH);
  const e = [m[0]!, m[1]!, m[2]!], n = [m[4]!, m[5]!, m[6]!], u = [m[8]!, m[9]!, m[10]!], o = [m[12]!, m[13]!, m[14]!];
  const xy: number[] = [];
  let minUp = Infinity, maxUp = -Infinity, roofSum = 0, roofN = 0;
  for (const s of r.surfaces) {
    for (let i = 0; i < s.ecef.length; i += 3) {
      const dx = s.ecef[i]! - o[0]!, dy = s.ecef[i + 1]! - o[1]!, dz = s.ecef[i + 2]! - o[2]!;
      xy.push(dx * e[0]! + dy * e[1]! + dz * e[2]!, dx * n[0]! + dy * n[1]! + dz * n[2]!);
      const up = dx * u[0]! + dy * u[1]! + dz * u[2]!;
      minUp = Math.min(minUp, up); maxUp = Math.max(maxUp, up);
      if (s.kind === 'roof') { roofSum += up; roofN++; }
    }
  }
  // Mid roof: between the eaves-to-ridge average and the ridge, where a flat block reads best against the real roof.
  const top = roofN > 0 ? (roofSum / roofN + maxUp) / 2 : maxUp;
  const rect = minAreaRectangle(convexHull(xy));
  const corners = new Float64Array(24);
  [minUp, top].forEach((h, level) => rect.corners.forEach(([ce, cn], k) => {
    for (let a = 0; a < 3; a++) corners[(level * 4 + k) * 3 + a] = o[a]! + ce * e[a]! + cn * n[a]! + h * u[a]!;
  }));
  // Whole cubic metres: equal buildings tie exactly, and the tie goes by id whatever the float noise.
  const [a, , c] = rect.corners;
  const diagonal = a && c ? Math.hypot(c[0] - a[0], c[1] - a[1]) : 0;
  return { props: r.props, corners, volume: Math.round(rect.area * Math.max(top - minUp, 0.1)), sizeM: Math.max(diagonal, top - minUp) };
}

const corner = (b: Block, k: number): number[] => [b.corners[k * 3]!, b.corners[k * 3 + 1]!, b.corners[k * 3 + 2]!];
const QUAD = new Uint32Array([0, 1, 2, 0, 2, 3]);

/** A block as a tile building: a roof and four walls, each its own flat face, counter-clockwise from outside. */
export function blockBuilding(b: Block): TileBuilding {
  const surfaces: TileSurface[] = [{ kind: 'roof', ecef: new Float64Array([4, 5, 6, 7].flatMap((k) => corner(b, k))), indices: QUAD }];
  for (let k = 0; k < 4; k++) {
    const j = (k + 1) % 4;
    surfaces.push({ kind: 'wall', ecef: new Float64Array([k, j, j + 4, k + 4].flatMap((c) => corner(b, c))), indices: QUAD });
  }
  return { props: b.props, surfaces };
}

/**
 * The blocks at least `minSizeM` in size, and of those the `count` of largest volume, ties by id: deterministic
 * whatever order they came in.
 */
export function largestBlocks(all: readonly Block[], count: number, minSizeM = 0): Block[] {
  const blocks = minSizeM > 0 ? all.filter((b) => b.sizeM >= minSizeM) : all;
  if (blocks.length <= count) return [...blocks];
  return blocks.toSorted((a, b) => b.volume - a.volume || (a.props.id < b.props.id ? -1 : a.props.id > b.props.id ? 1 : 0)).slice(0, count);
}
