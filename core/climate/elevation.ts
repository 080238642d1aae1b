/**
 * climate-elevation-3035.bin: the heights under the climate record's stations, for the lapse-rate interpolation.
 * width·height Int16 little-endian in image order (row 0 north) on the GridSpec3035 the manifest gives, metres
 * above sea level (SRTM, EGM96 geoid: within a metre of the stations' Bpv heights here), -32768 = no data.
 */
import type { GridSpec3035 } from '../aggregation/types';
import type { Dem3035 } from '../coverage/types';

export const ELEVATION_CELL_M = 1000;
const NO_DATA = -32768;

export function encodeElevation(heightM: Float32Array): Uint8Array {
  const out = new Uint8Array(heightM.length * 2);
  const view = new DataView(out.buffer);
  heightM.forEach((h, i) => view.setInt16(i * 2, Number.isNaN(h) ? NO_DATA : Math.max(-32767, Math.min(32767, Math.round(h))), true));
  return out;
}

/** The file's bytes as a height grid (NaN: no data), checked against the grid's size. */
export function decodeElevation(bytes: ArrayBuffer | Uint8Array, grid: GridSpec3035): Dem3035 {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const n = grid.width * grid.height;
  if (b.byteLength !== n * 2) throw new RangeError(`climate-elevation-3035.bin: ${b.byteLength} bytes, expected ${n * 2} for a ${grid.width}×${grid.height} grid`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const heightM = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = view.getInt16(i * 2, true);
    heightM[i] = v === NO_DATA ? NaN : v;
  }
  return { grid, heightM };
}
