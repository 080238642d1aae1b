/**
 * Planar polygons in 3D: ring cleaning, Newell normals and triangulation (earcut in the polygon's plane), shared by
 * every buildings source.
 */
import earcut from 'earcut';

export type Vec3 = readonly [number, number, number];

/** Drop the closing vertex and consecutive duplicates (exact, after the integer transform). */
export function cleanRing(ring: readonly Vec3[]): Vec3[] {
  const out: Vec3[] = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (q && q[0] === p[0] && q[1] === p[1] && q[2] === p[2]) continue;
    out.push(p);
  }
  while (out.length > 1) {
    const a = out[0]!, z = out[out.length - 1]!;
    if (a[0] === z[0] && a[1] === z[1] && a[2] === z[2]) out.pop();
    else break;
  }
  return out;
}

/** Newell's normal of a ring (not normalised; its length is twice the ring's area). Centred on the first vertex for precision. */
export function newellNormal(ring: readonly Vec3[]): Vec3 {
  let nx = 0, ny = 0, nz = 0;
  const o = ring[0];
  if (!o) return [0, 0, 0];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!, b = ring[(i + 1) % ring.length]!;
    const ax = a[0] - o[0], ay = a[1] - o[1], az = a[2] - o[2];
    const bx = b[0] - o[0], by = b[1] - o[1], bz = b[2] - o[2];
    nx += (ay - by) * (az + bz);
    ny += (az - bz) * (ax + bx);
    nz += (ax - bx) * (ay + by);
  }
  return [nx, ny, nz];
}

export interface Triangulation {
  /** Ring vertices in order (outer ring, then holes), xyz. */
  readonly positions: Float64Array;
  /** Triangles, counter-clockwise about `normal`. */
  readonly indices: Uint32Array;
  /** Unit normal of the polygon's plane (Newell, outer ring). */
  readonly normal: Vec3;
  /** Area of the polygon (outer minus holes) and of the triangles, m²: they differ when earcut gave up on part of it. */
  readonly polygonArea: number;
  readonly triangleArea: number;
}

export type TriangulationResult =
  | { readonly ok: true; readonly value: Triangulation }
  | { readonly ok: false; readonly reason: 'degenerate' | 'no-triangles' };

/** Below this area (m²) a polygon is a sliver with no defined plane; its normal would be noise. */
const MIN_POLYGON_AREA_M2 = 1e-4;

/**
 * Triangulate a planar polygon with holes in 3D: project onto the plane of its Newell normal and ear-cut there.
 * Rings must already be cleaned (no closing vertex); an outer ring with no area is reported as degenerate.
 */
export function triangulatePolygon(allRings: readonly (readonly Vec3[])[]): TriangulationResult {
  const rings = allRings.filter((r, i) => i === 0 || r.length >= 3);
  const outer = rings[0];
  if (!outer || outer.length < 3) return { ok: false, reason: 'degenerate' };
  const n = newellNormal(outer);
  const len = Math.hypot(n[0], n[1], n[2]);
  if (!(len / 2 > MIN_POLYGON_AREA_M2)) return { ok: false, reason: 'degenerate' };
  const normal: Vec3 = [n[0] / len, n[1] / len, n[2] / len];
  // u: any unit vector in the plane, built from the axis the normal is least aligned with; v = n x u keeps (u, v, n) right-handed.
  const ax = Math.abs(normal[0]), ay = Math.abs(normal[1]), az = Math.abs(normal[2]);
  const helper: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  const u = normalise(cross(helper, normal));
  const v = cross(normal, u);
  const o = outer[0]!;
  let count = 0;
  for (const r of rings) count += r.length;
  const positions = new Float64Array(count * 3);
  const flat = new Float64Array(count * 2);
  const holes: number[] = [];
  let k = 0;
  rings.forEach((ring, ri) => {
    if (ri > 0) holes.push(k);
    for (const p of ring) {
      positions[k * 3] = p[0];
      positions[k * 3 + 1] = p[1];
      positions[k * 3 + 2] = p[2];
      const dx = p[0] - o[0], dy = p[1] - o[1], dz = p[2] - o[2];
      flat[k * 2] = dx * u[0] + dy * u[1] + dz * u[2];
      flat[k * 2 + 1] = dx * v[0] + dy * v[1] + dz * v[2];
      k++;
    }
  });
  const tri = earcut(flat, holes.length ? holes : null, 2);
  if (tri.length === 0) return { ok: false, reason: 'no-triangles' };
  const indices = new Uint32Array(tri.length);
  let triangleArea = 0;
  for (let t = 0; t < tri.length; t += 3) {
    const a = tri[t]!, b = tri[t + 1]!, c = tri[t + 2]!;
    const cr = (flat[b * 2]! - flat[a * 2]!) * (flat[c * 2 + 1]! - flat[a * 2 + 1]!) - (flat[b * 2 + 1]! - flat[a * 2 + 1]!) * (flat[c * 2]! - flat[a * 2]!);
    triangleArea += Math.abs(cr) / 2;
    indices[t] = a;
    // Counter-clockwise in (u, v) is counter-clockwise about the normal: glTF front faces then face outwards.
    indices[t + 1] = cr >= 0 ? b : c;
    indices[t + 2] = cr >= 0 ? c : b;
  }
  let polygonArea = 0;
  let start = 0;
  rings.forEach((ring, ri) => {
    const a = Math.abs(signedArea2d(flat, start, ring.length));
    polygonArea += ri === 0 ? a : -a;
    start += ring.length;
  });
  return { ok: true, value: { positions, indices, normal, polygonArea, triangleArea } };
}

function signedArea2d(flat: Float64Array, start: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const j = start + i, k = start + ((i + 1) % n);
    s += flat[j * 2]! * flat[k * 2 + 1]! - flat[k * 2]! * flat[j * 2 + 1]!;
  }
  return s / 2;
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function normalise(a: Vec3): Vec3 {
  const l = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / l, a[1] / l, a[2] / l];
}
