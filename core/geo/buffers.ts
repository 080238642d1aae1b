/**
 * CRS-tagged coordinate buffers: flat Float64Array, stride 3 (x, y, z) in the units of `epsg`
 * (degrees for geographic CRSs, metres otherwise; z in metres in `verticalDatum`).
 * The EPSG code is a literal type parameter, so passing a Krovak buffer where UTM is expected fails to compile.
 */
import type { Epsg, VerticalDatum } from './crs';

export interface CoordBuffer<C extends Epsg = Epsg> {
  readonly epsg: C;
  readonly verticalDatum: VerticalDatum;
  readonly xyz: Float64Array;
}

/** ECEF (EPSG:4978) metres, stride 3: what Cesium's Cartesian3 holds. */
export interface EcefBuffer {
  readonly epsg: 4978;
  readonly xyz: Float64Array;
}

export function coordBuffer<C extends Epsg>(epsg: C, verticalDatum: VerticalDatum, xyz: Float64Array): CoordBuffer<C> {
  if (xyz.length % 3 !== 0) throw new Error(`coordinate buffer length ${xyz.length} is not a multiple of 3`);
  return { epsg, verticalDatum, xyz };
}

export const pointCount = (b: { xyz: Float64Array }): number => b.xyz.length / 3;

/**
 * Many polylines in one buffer, so they cross to a worker as one transfer:
 * `xyz` stride 3; line i is points [offsets[i], offsets[i + 1]).
 */
export interface PackedLines {
  readonly xyz: Float64Array;
  readonly offsets: Uint32Array;
}

export function packLines(lines: readonly Float64Array[]): PackedLines {
  const offsets = new Uint32Array(lines.length + 1);
  let n = 0;
  lines.forEach((l, i) => {
    offsets[i] = n;
    n += l.length / 3;
  });
  offsets[lines.length] = n;
  const xyz = new Float64Array(n * 3);
  lines.forEach((l, i) => xyz.set(l, offsets[i]! * 3));
  return { xyz, offsets };
}

export function unpackLines(p: PackedLines): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i + 1 < p.offsets.length; i++) out.push(p.xyz.subarray(p.offsets[i]! * 3, p.offsets[i + 1]! * 3));
  return out;
}
