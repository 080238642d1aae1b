/**
 * Proposed buildings and masts as closed solids in a local east-north-up frame (metres, z up from the ground), for
 * the CityJSON writer: every face a planar ring, counter-clockwise seen from outside, each edge of the shell used
 * by exactly two faces in opposite directions.
 *
 * - LoD 1: the footprint extruded to the building's height (a flat roof, or a pitched roof the solid cannot carry,
 *   see below; the file's `roofType` attribute keeps the planner's roof form either way).
 * - LoD 2: a gable or hip roof over a four-cornered footprint, with the ridge and rise of `roof.ts` (the same
 *   plan the scene's mesh is built from). The eaves run along the footprint's own corners, not along its bounding
 *   rectangle as in the scene's mesh: a solid's roof must close exactly onto its walls. Other footprints have no
 *   pitched roof that closes onto them with planar faces, so they keep LoD 1.
 * - The first vertices of a building are its footprint corners in the footprint's own order, at z = 0, so the
 *   writer can place them from the exact corner coordinates; the ground face starts at corner 0.
 */
import { ringAreaM2, roofPlan, type OrientedRect, type RoofForm } from './roof';

export type SurfaceType = 'GroundSurface' | 'WallSurface' | 'RoofSurface';

export interface LocalVertex {
  readonly e: number;
  readonly n: number;
  readonly z: number;
  /** The footprint corner this vertex stands on (at z = 0), when it is one. */
  readonly corner?: number;
}

export interface Face {
  /** Indices into the solid's vertices, counter-clockwise seen from outside, not closed. */
  readonly ring: readonly number[];
  readonly surface: SurfaceType;
}

export interface LocalSolid {
  readonly lod: '1' | '2';
  readonly vertices: readonly LocalVertex[];
  readonly faces: readonly Face[];
}

/** Side of a mast's square column: the scenario gives a mast no footprint; a metre is a slim monopole's base. */
export const MAST_SIDE_M = 1;
/** Four corners further than this from one plane split a roof slope into two triangles. */
const PLANAR_TOLERANCE_M = 0.001;

/** The ring's corner order made counter-clockwise, starting at corner 0. */
function ccwOrder(ring: ReadonlyArray<readonly [number, number]>): number[] {
  const n = ring.length;
  const order = Array.from({ length: n }, (_, i) => i);
  return ringAreaM2(ring) >= 0 ? order : [0, ...order.slice(1).toReversed()];
}

/** Ground and walls from the corners (vertices 0..n-1 at z = 0) up to the ring of vertices `top + k`. */
function groundAndWalls(order: readonly number[], top: number): Face[] {
  const n = order.length;
  // Seen from below the ground runs clockwise from above; [o0, o(n-1), …, o1] keeps corner 0 first.
  const faces: Face[] = [{ ring: [order[0]!, ...order.slice(1).toReversed()], surface: 'GroundSurface' }];
  for (let k = 0; k < n; k++) {
    const a = order[k]!, b = order[(k + 1) % n]!;
    faces.push({ ring: [a, b, top + b, top + a], surface: 'WallSurface' });
  }
  return faces;
}

/** The footprint extruded to `heightM`: LoD 1. `exactCorners`: the base vertices are the footprint's corners. */
export function prismSolid(ring: ReadonlyArray<readonly [number, number]>, heightM: number, exactCorners = true): LocalSolid {
  const count = ring.length;
  const order = ccwOrder(ring);
  const vertices: LocalVertex[] = [
    ...ring.map(([e, n], i): LocalVertex => (exactCorners ? { e, n, z: 0, corner: i } : { e, n, z: 0 })),
    ...ring.map(([e, n]): LocalVertex => ({ e, n, z: heightM })),
  ];
  const faces = groundAndWalls(order, count);
  faces.push({ ring: order.map((i) => count + i), surface: 'RoofSurface' });
  return { lod: '1', vertices, faces };
}

/** A mast's square column from the ground to its antenna, centred on the frame's origin. */
export function mastSolid(antennaAglM: number): LocalSolid {
  const h = MAST_SIDE_M / 2;
  return prismSolid([[-h, -h], [h, -h], [h, h], [-h, h]], antennaAglM, false);
}

/** Largest distance of four points from the plane through the first three, metres. */
function offPlane(p: readonly LocalVertex[]): number {
  const [a, b, c, d] = p as [LocalVertex, LocalVertex, LocalVertex, LocalVertex];
  const ux = b.e - a.e, uy = b.n - a.n, uz = b.z - a.z;
  const vx = c.e - a.e, vy = c.n - a.n, vz = c.z - a.z;
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const len = Math.hypot(nx, ny, nz);
  return len === 0 ? Infinity : Math.abs(nx * (d.e - a.e) + ny * (d.n - a.n) + nz * (d.z - a.z)) / len;
}

/**
 * The corners of a four-cornered footprint by quadrant of its rectangle, in the order SW, SE, NE, NW of the
 * rectangle's frame (u along the ridge, v across), or null when they are not one per quadrant in that cyclic order.
 */
function cornersByQuadrant(ring: ReadonlyArray<readonly [number, number]>, rect: OrientedRect, order: readonly number[]): [number, number, number, number] | null {
  const quadrant = (i: number): number => {
    const [x, y] = ring[i]!;
    const u = (x - rect.cx) * rect.ax + (y - rect.cy) * rect.ay;
    const v = -(x - rect.cx) * rect.ay + (y - rect.cy) * rect.ax;
    return u < 0 ? (v < 0 ? 0 : 3) : v < 0 ? 1 : 2;
  };
  const start = order.findIndex((i) => quadrant(i) === 0);
  if (start < 0) return null;
  const q = [0, 1, 2, 3].map((k) => order[(start + k) % 4]!);
  return q.every((i, k) => quadrant(i) === k) ? (q as [number, number, number, number]) : null;
}

/** A gable or hip roof over a four-cornered footprint: LoD 2, or null when the footprint does not allow one. */
export function pitchedSolid(ring: ReadonlyArray<readonly [number, number]>, heightM: number, roof: RoofForm): LocalSolid | null {
  if (ring.length !== 4 || roof === 'flat') return null;
  const plan = roofPlan(ring, heightM, roof);
  if (plan.roofApplied === 'flat' || !plan.rect) return null;
  const order = ccwOrder(ring);
  const q = cornersByQuadrant(ring, plan.rect, order);
  if (!q) return null;
  const { cx, cy, ax, ay, lengthM, widthM } = plan.rect;
  const ridgeHalf = plan.roofApplied === 'gable' ? lengthM / 2 : Math.max(0, (lengthM - widthM) / 2);
  const vertices: LocalVertex[] = [
    ...ring.map(([e, n], i): LocalVertex => ({ e, n, z: 0, corner: i })),
    ...ring.map(([e, n]): LocalVertex => ({ e, n, z: plan.eavesM })),
    { e: cx - ridgeHalf * ax, n: cy - ridgeHalf * ay, z: heightM },
  ];
  // A hip roof over a square has a point for a ridge: one vertex, and no faces along the ridge.
  const pointRidge = ridgeHalf < 1e-6;
  if (!pointRidge) vertices.push({ e: cx + ridgeHalf * ax, n: cy + ridgeHalf * ay, z: heightM });
  const r0 = 8, r1 = pointRidge ? 8 : 9;
  const [sw, se, ne, nw] = q.map((i) => 4 + i) as [number, number, number, number];
  const faces = groundAndWalls(order, 4);
  const endSurface: SurfaceType = plan.roofApplied === 'gable' ? 'WallSurface' : 'RoofSurface';
  const slope = (a: number, b: number, c: number, d: number): void => {
    if (pointRidge) faces.push({ ring: [a, b, c], surface: 'RoofSurface' });
    else if (offPlane([a, b, c, d].map((i) => vertices[i]!)) <= PLANAR_TOLERANCE_M) faces.push({ ring: [a, b, c, d], surface: 'RoofSurface' });
    else faces.push({ ring: [a, b, c], surface: 'RoofSurface' }, { ring: [a, c, d], surface: 'RoofSurface' });
  };
  slope(sw, se, r1, r0);
  slope(ne, nw, r0, r1);
  faces.push({ ring: [nw, sw, r0], surface: endSurface }, { ring: [se, ne, r1], surface: endSurface });
  return { lod: '2', vertices, faces };
}

/** The solid a proposed building is written as: LoD 2 where its pitched roof closes onto the walls, else LoD 1. */
export function buildingSolid(ring: ReadonlyArray<readonly [number, number]>, heightM: number, roof: RoofForm): LocalSolid {
  return pitchedSolid(ring, heightM, roof) ?? prismSolid(ring, heightM);
}
