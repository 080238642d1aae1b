/**
 * The heatmap bench's data, the same in node and in the page: a 512² grid of 500 m cells over the twin's region
 * (lon 11.8–14.5°, lat 48.5–50.5°, EPSG:3035) and seeded readings spread uniformly over it, in random order of
 * place and time: the worst case for cache locality, and what merged feeds of many sensors look like.
 */
import { prng } from '../../core/prng';
import type { GridSpec3035, Readings3035 } from '../../core/aggregation/types';

/** gridForExtent(extentOfLonLatRect(region), 500) is 410 × 462 cells; widened to 512² for a round frame size. */
export const BENCH_GRID: GridSpec3035 = { xMinM: 4_448_500, yMaxM: 3_053_000, cellM: 500, width: 512, height: 512 };

export const T0_MS = Date.UTC(2025, 5, 1);
export const HOUR_MS = 3_600_000;

/** `n` readings over the grid (about 1% beyond its edges, as a view's grid cuts through data), values 0..30, times over 24 h. */
export function uniformReadings(n: number, seed: number, withTime = false): Readings3035 {
  const rand = prng(seed);
  const { xMinM, yMaxM, cellM, width, height } = BENCH_GRID;
  const spanX = width * cellM * 1.01;
  const spanY = height * cellM * 1.01;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const value = new Float32Array(n);
  const tMs = withTime ? new Float64Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    x[i] = xMinM + rand() * spanX;
    y[i] = yMaxM - rand() * spanY;
    // a smooth field plus noise, so neighbouring cells are alike as in real data
    value[i] = 15 + 10 * Math.sin((x[i]! - xMinM) / 40_000) * Math.cos((yMaxM - y[i]!) / 55_000) + 5 * (rand() - 0.5);
    if (tMs) tMs[i] = T0_MS + rand() * 24 * HOUR_MS;
  }
  return tMs ? { x, y, value, tMs } : { x, y, value };
}
