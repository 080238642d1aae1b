import { prng } from '../../../../core/prng';
import type { Readings3035 } from '../../../../core/aggregation/types';

export const seeded = prng;

/** Readings from rows of [x, y, value] or [x, y, value, tMs] (all rows the same kind). */
export function readingsOf(rows: readonly (readonly number[])[]): Readings3035 {
  const withTime = rows.length > 0 && rows[0]!.length > 3;
  return {
    x: Float64Array.from(rows, (r) => r[0]!),
    y: Float64Array.from(rows, (r) => r[1]!),
    value: Float32Array.from(rows, (r) => r[2]!),
    ...(withTime ? { tMs: Float64Array.from(rows, (r) => r[3]!) } : {}),
  };
}

/** Entry k is (k, 255 − k, 7, 255): the entry a colour came from can be read back. */
export const GREY_LUT = Uint8Array.from({ length: 1024 }, (_, i) => [i >> 2, 255 - (i >> 2), 7, 255][i & 3]!);
