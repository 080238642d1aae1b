/**
 * quantized-mesh-1.0 tile writer (CesiumGS/quantized-mesh spec), with the `octvertexnormals` extension. No npm
 * package writes this format; the unit tests read the output back with an independent decoder
 * (@here/quantized-mesh-decoder) and with the layout rules of the spec.
 *
 * Layout, all little-endian:
 *   header (88 B): centre ECEF (3 × f64), min/max height (2 × f32), bounding sphere (4 × f64),
 *                  horizon occlusion point in ellipsoid-scaled ECEF (3 × f64)
 *   vertexCount u32, then u[], v[], height[] as zig-zag deltas in u16 (0…32767 across the tile)
 *   padding to the index size, triangleCount u32, indices with high-water-mark encoding
 *   west, south, east, north edge vertex lists (count u32 + plain indices)
 *   extensions: id u8, length u32, bytes (id 1 = oct-encoded vertex normals, 2 bytes a vertex)
 * Vertices are written in the order the triangles first use them: that is what makes the high-water-mark code
 * (and the deltas) small, and it is a precondition of the encoding.
 */
import { geodeticToEcef, WGS84_A, WGS84_F } from '../geo/ellipsoid';

export const QM_MAX = 32767;
const HEADER_BYTES = 88;
const EXT_OCT_NORMALS = 1;
const WGS84_B = WGS84_A * (1 - WGS84_F);

export interface TileRectDeg {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

/** A tile mesh before quantisation: positions as fractions of the tile, heights ellipsoidal, normals in ECEF. */
export interface TileMesh {
  readonly rect: TileRectDeg;
  /** 0 = west edge … 1 = east edge, per vertex. */
  readonly uFrac: Float64Array;
  /** 0 = south edge … 1 = north edge, per vertex. */
  readonly vFrac: Float64Array;
  /** WGS84 ellipsoidal height, metres, per vertex. */
  readonly heightM: Float64Array;
  /** Triangles as vertex indices, three a triangle; any winding (written counter-clockwise seen from above). */
  readonly triangles: Uint32Array;
  /** Unit ECEF normals (3 a vertex); omitted = no extension. */
  readonly normals?: Float64Array;
}

const zigzag = (n: number): number => ((n << 1) ^ (n >> 31)) >>> 0;

const snorm255 = (v: number): number => Math.round((Math.min(Math.max(v, -1), 1) * 0.5 + 0.5) * 255);
const quantise = (f: number): number => Math.min(QM_MAX, Math.max(0, Math.round(f * QM_MAX)));

/** Cesium's AttributeCompression.octEncodeInRange(v, 255): a unit vector as two bytes. */
export function octEncode(x: number, y: number, z: number): [number, number] {
  const s = Math.abs(x) + Math.abs(y) + Math.abs(z);
  let ox = x / s;
  let oy = y / s;
  if (z / s < 0) {
    const tx = ox;
    ox = (1 - Math.abs(oy)) * (tx >= 0 ? 1 : -1);
    oy = (1 - Math.abs(tx)) * (oy >= 0 ? 1 : -1);
  }
  return [snorm255(ox), snorm255(oy)];
}

/**
 * The horizon-occlusion point (Cesium's EllipsoidalOccluder.computeHorizonCullingPoint): along the direction of
 * the bounding sphere's centre, in ellipsoid-scaled space, the nearest point that is hidden only when every
 * vertex is. Where no such point exists (a tile spanning a hemisphere) a point far out on that direction is
 * returned: it is almost never below the horizon, so the tile is simply never horizon-culled.
 */
export function horizonOcclusionPoint(ecef: Float64Array, centre: readonly [number, number, number]): [number, number, number] {
  const [cx, cy, cz] = [centre[0] / WGS84_A, centre[1] / WGS84_A, centre[2] / WGS84_B];
  const cl = Math.hypot(cx, cy, cz);
  const [dx, dy, dz] = [cx / cl, cy / cl, cz / cl];
  let best = 0;
  for (let i = 0; i < ecef.length; i += 3) {
    const px = ecef[i]! / WGS84_A;
    const py = ecef[i + 1]! / WGS84_A;
    const pz = ecef[i + 2]! / WGS84_B;
    const m2 = Math.max(1, px * px + py * py + pz * pz);
    const m = Math.sqrt(m2);
    const pl = Math.hypot(px, py, pz);
    const [ux, uy, uz] = [px / pl, py / pl, pz / pl];
    const cosA = ux * dx + uy * dy + uz * dz;
    const sinA = Math.hypot(uy * dz - uz * dy, uz * dx - ux * dz, ux * dy - uy * dx);
    const cosB = 1 / m;
    const sinB = Math.sqrt(m2 - 1) * cosB;
    const denom = cosA * cosB - sinA * sinB;
    if (denom <= 1e-9) return [dx * 1e3, dy * 1e3, dz * 1e3];
    best = Math.max(best, 1 / denom);
  }
  return [dx * best, dy * best, dz * best];
}

/** Vertex order of first use by the triangles, and the triangles renumbered to it and turned counter-clockwise. */
function reorder(mesh: TileMesh, u: Uint16Array, v: Uint16Array): { order: Uint32Array; tris: Uint32Array } {
  const n = mesh.uFrac.length;
  const newId = new Int32Array(n).fill(-1);
  const order: number[] = [];
  const tris = new Uint32Array(mesh.triangles.length);
  for (let t = 0; t < mesh.triangles.length; t += 3) {
    let a = mesh.triangles[t]!;
    let b = mesh.triangles[t + 1]!;
    const c = mesh.triangles[t + 2]!;
    const cross = (u[b]! - u[a]!) * (v[c]! - v[a]!) - (v[b]! - v[a]!) * (u[c]! - u[a]!);
    if (cross < 0) [a, b] = [b, a];
    for (const [k, id] of [[0, a], [1, b], [2, c]] as const) {
      if (newId[id] === -1) {
        newId[id] = order.length;
        order.push(id);
      }
      tris[t + k] = newId[id]!;
    }
  }
  if (order.length !== n) throw new Error(`quantized-mesh: ${n - order.length} vertices are in no triangle`);
  return { order: Uint32Array.from(order), tris };
}

/** The tile's height range as the header stores it (f32), rounded outwards so every height quantises inside it. */
function headerHeightRange(heightM: Float64Array): [number, number] {
  let minH = Infinity;
  let maxH = -Infinity;
  for (const h of heightM) {
    minH = Math.min(minH, h);
    maxH = Math.max(maxH, h);
  }
  minH = Math.fround(minH) > minH ? Math.fround(minH - Math.abs(minH) * 1e-7 - 1e-3) : Math.fround(minH);
  maxH = Math.fround(maxH) < maxH ? Math.fround(maxH + Math.abs(maxH) * 1e-7 + 1e-3) : Math.fround(maxH);
  return [minH, maxH];
}

/** The header's ECEF geometry: the tile's centre, bounding sphere (centre of the vertices' box, radius to the farthest vertex) and horizon occlusion point. */
function tileBounds(mesh: TileMesh, minH: number, maxH: number): { mid: Float64Array; bc: [number, number, number]; radius: number; horizon: [number, number, number] } {
  const n = mesh.uFrac.length;
  const { rect } = mesh;
  const ecef = new Float64Array(n * 3);
  const geo = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    geo[i * 3] = rect.west + (rect.east - rect.west) * mesh.uFrac[i]!;
    geo[i * 3 + 1] = rect.south + (rect.north - rect.south) * mesh.vFrac[i]!;
    geo[i * 3 + 2] = mesh.heightM[i]!;
  }
  geodeticToEcef(geo, ecef);
  const mid = new Float64Array(3);
  geodeticToEcef(Float64Array.of((rect.west + rect.east) / 2, (rect.south + rect.north) / 2, (minH + maxH) / 2), mid);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < ecef.length; i++) {
    lo[i % 3] = Math.min(lo[i % 3]!, ecef[i]!);
    hi[i % 3] = Math.max(hi[i % 3]!, ecef[i]!);
  }
  const bc = [0, 1, 2].map((k) => (lo[k]! + hi[k]!) / 2) as [number, number, number];
  let radius = 0;
  for (let i = 0; i < ecef.length; i += 3) radius = Math.max(radius, Math.hypot(ecef[i]! - bc[0], ecef[i + 1]! - bc[1], ecef[i + 2]! - bc[2]));
  return { mid, bc, radius, horizon: horizonOcclusionPoint(ecef, bc) };
}

/** Encode one tile. Throws on an empty mesh or one above 65,536 vertices (this writer uses 16-bit indices). */
export function encodeQuantizedMesh(mesh: TileMesh): Uint8Array {
  const n = mesh.uFrac.length;
  if (n === 0 || mesh.triangles.length === 0) throw new Error('quantized-mesh: empty mesh');
  if (n > 65536) throw new Error(`quantized-mesh: ${n} vertices need 32-bit indices, not written here`);
  const u0 = new Uint16Array(n);
  const v0 = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    u0[i] = quantise(mesh.uFrac[i]!);
    v0[i] = quantise(mesh.vFrac[i]!);
  }
  const { order, tris } = reorder(mesh, u0, v0);
  const [minH, maxH] = headerHeightRange(mesh.heightM);
  const span = maxH - minH;
  const { mid, bc, radius, horizon } = tileBounds(mesh, minH, maxH);

  const edges = edgeLists(order, u0, v0);
  const hasNormals = mesh.normals !== undefined;
  const vertexBytes = 4 + n * 6;
  const pad = (HEADER_BYTES + vertexBytes) % 2;
  const indexBytes = 4 + tris.length * 2;
  const edgeBytes = edges.reduce((s, e) => s + 4 + e.length * 2, 0);
  const extBytes = hasNormals ? 1 + 4 + n * 2 : 0;
  const out = new ArrayBuffer(HEADER_BYTES + vertexBytes + pad + indexBytes + edgeBytes + extBytes);
  const dv = new DataView(out);
  let p = 0;
  const f64 = (x: number): void => void (dv.setFloat64(p, x, true), (p += 8));
  const f32 = (x: number): void => void (dv.setFloat32(p, x, true), (p += 4));
  const u32 = (x: number): void => void (dv.setUint32(p, x, true), (p += 4));
  const u16 = (x: number): void => void (dv.setUint16(p, x, true), (p += 2));
  for (const x of [mid[0]!, mid[1]!, mid[2]!]) f64(x);
  f32(minH);
  f32(maxH);
  for (const x of [...bc, radius, ...horizon]) f64(x);

  u32(n);
  const hq = (i: number): number => (span > 0 ? Math.min(QM_MAX, Math.max(0, Math.round(((mesh.heightM[i]! - minH) / span) * QM_MAX))) : 0);
  for (const arr of [(i: number) => u0[i]!, (i: number) => v0[i]!, hq]) {
    let prev = 0;
    for (const id of order) {
      const val = arr(id);
      u16(zigzag(val - prev));
      prev = val;
    }
  }
  p += pad;
  u32(tris.length / 3);
  let highest = 0;
  for (const idx of tris) {
    u16(highest - idx);
    if (idx === highest) highest++;
  }
  for (const e of edges) {
    u32(e.length);
    for (const idx of e) u16(idx);
  }
  if (mesh.normals) {
    dv.setUint8(p++, EXT_OCT_NORMALS);
    u32(n * 2);
    for (const id of order) {
      const [a, b] = octEncode(mesh.normals[id * 3]!, mesh.normals[id * 3 + 1]!, mesh.normals[id * 3 + 2]!);
      dv.setUint8(p++, a);
      dv.setUint8(p++, b);
    }
  }
  if (p !== out.byteLength) throw new Error(`quantized-mesh: wrote ${p} of ${out.byteLength} bytes`);
  return new Uint8Array(out);
}

/** West, south, east, north edge vertices (new indices), sorted along the edge. */
function edgeLists(order: Uint32Array, u: Uint16Array, v: Uint16Array): [number[], number[], number[], number[]] {
  const w: number[] = [];
  const s: number[] = [];
  const e: number[] = [];
  const nn: number[] = [];
  order.forEach((id, i) => {
    if (u[id] === 0) w.push(i);
    if (v[id] === 0) s.push(i);
    if (u[id] === QM_MAX) e.push(i);
    if (v[id] === QM_MAX) nn.push(i);
  });
  const byV = (a: number, b: number): number => v[order[a]!]! - v[order[b]!]!;
  const byU = (a: number, b: number): number => u[order[a]!]! - u[order[b]!]!;
  return [w.toSorted(byV), s.toSorted(byU), e.toSorted(byV), nn.toSorted(byU)];
}
