/**
 * How far the served terrain is from the source DEM: random points (seeded) inside a box where a DEM has data
 * (voids excluded), the written leaf tile read back with an independent decoder (@here/quantized-mesh-decoder),
 * the triangle under the point interpolated, minus the source's ellipsoidal height there.
 */
import decoderModule from '@here/quantized-mesh-decoder';
import { prng } from '../../core/prng';
import { QM_MAX } from '../../core/formats/quantized-mesh';
import type { TerrainMosaic } from './model';
import { type TileId, tileRect } from './tiling';

// A CommonJS build with `exports.default`: node's ESM interop may hand over the exports object itself.
const decode = (decoderModule as unknown as { default?: typeof decoderModule }).default ?? decoderModule;

export interface MeshError {
  readonly area: string;
  readonly samples: number;
  readonly medianM: number;
  readonly p95M: number;
  readonly maxM: number;
}

interface Decoded {
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly h: Float64Array;
  readonly tris: ArrayLike<number>;
}

export function decodeTile(bytes: Uint8Array): Decoded {
  // A copy of exactly these bytes: a node Buffer may be a view into a larger pooled ArrayBuffer.
  const copy = new Uint8Array(bytes).buffer;
  const m = decode(copy);
  const n = m.vertexData.length / 3;
  const { minHeight, maxHeight } = m.header as { minHeight: number; maxHeight: number };
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = m.vertexData[i]! / QM_MAX;
    v[i] = m.vertexData[i + n]! / QM_MAX;
    h[i] = minHeight + (m.vertexData[i + 2 * n]! / QM_MAX) * (maxHeight - minHeight);
  }
  return { u, v, h, tris: m.triangleIndices };
}

/** Height of a decoded mesh at tile fractions (u, v): the triangle containing it, barycentric; null if none does. */
export function meshHeightAt(d: Decoded, u: number, v: number): number | null {
  const eps = 1e-9;
  for (let t = 0; t < d.tris.length; t += 3) {
    const a = d.tris[t]!, b = d.tris[t + 1]!, c = d.tris[t + 2]!;
    const det = (d.v[b]! - d.v[c]!) * (d.u[a]! - d.u[c]!) + (d.u[c]! - d.u[b]!) * (d.v[a]! - d.v[c]!);
    if (det === 0) continue;
    const l1 = ((d.v[b]! - d.v[c]!) * (u - d.u[c]!) + (d.u[c]! - d.u[b]!) * (v - d.v[c]!)) / det;
    const l2 = ((d.v[c]! - d.v[a]!) * (u - d.u[c]!) + (d.u[a]! - d.u[c]!) * (v - d.v[c]!)) / det;
    const l3 = 1 - l1 - l2;
    if (l1 >= -eps && l2 >= -eps && l3 >= -eps) return l1 * d.h[a]! + l2 * d.h[b]! + l3 * d.h[c]!;
  }
  return null;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

export function measureMeshError(
  model: TerrainMosaic,
  leafTiles: ReadonlyMap<string, Uint8Array>,
  tileFor: (lon: number, lat: number) => TileId,
  box: readonly [number, number, number, number],
  points: number,
  area: string,
): MeshError {
  const rnd = prng(0x5dd1 + points);
  const cache = new Map<string, Decoded>();
  const errs: number[] = [];
  for (let tries = 0; errs.length < points && tries < points * 100; tries++) {
    const lon = box[0] + (box[2] - box[0]) * rnd();
    const lat = box[1] + (box[3] - box[1]) * rnd();
    const truth = model.heightEllipsoidalM(lon, lat);
    if (truth === null) continue;
    const t = tileFor(lon, lat);
    const key = `${t.level}/${t.x}/${t.y}`;
    let d = cache.get(key);
    if (!d) {
      const bytes = leafTiles.get(key);
      if (!bytes) throw new Error(`terrain accuracy: leaf tile ${key} was not written`);
      d = decodeTile(bytes);
      cache.set(key, d);
    }
    const r = tileRect(t);
    const h = meshHeightAt(d, (lon - r.west) / (r.east - r.west), (lat - r.south) / (r.north - r.south));
    if (h === null) throw new Error(`terrain accuracy: no triangle of ${key} holds ${lon}, ${lat}`);
    errs.push(Math.abs(h - truth));
  }
  const sorted = errs.toSorted((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { area, samples: errs.length, medianM: r2(q(0.5)), p95M: r2(q(0.95)), maxM: r2(sorted[sorted.length - 1] ?? Number.NaN) };
}
