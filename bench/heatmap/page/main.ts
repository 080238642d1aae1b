/**
 * Bench page for heatmap aggregation: `window.heatmapBench` times a frame through the app's aggregation pool
 * (the module worker the app uses, round trip from the page: readings in by transfer, answer and readings back)
 * and forwards the in-worker comparisons to `bench.worker.ts`. No Cesium.
 */
import * as Comlink from 'comlink';
import { interpolateViridis } from 'd3-scale-chromatic';
import { createAggregatePool } from '../../../src/services/aggregate-pool';
import { lutFromInterpolator } from '../../../core/aggregation/colour';
import type { Readings3035 } from '../../../core/aggregation/types';
import { BENCH_GRID, uniformReadings } from '../data';
import type { HeatmapBenchWorker } from './bench.worker';

const worker = Comlink.wrap<HeatmapBenchWorker>(new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'heatmap-bench' }));
const pool = createAggregatePool({ size: 1 });
const colour = { domain: [0, 30] as const, lut: lutFromInterpolator(interpolateViridis) };
let readings: Readings3035 | null = null;

/** Wall time of one pool job from the page, ms; the readings come back and serve the next run. */
async function viaPool(method: 'aggregate' | 'frame'): Promise<number> {
  const job = { grid: BENCH_GRID, readings: readings!, params: { op: 'mean' as const }, colour };
  const t0 = performance.now();
  const r = await pool.run(method, 'bench', job);
  const ms = performance.now() - t0;
  readings = r.readings;
  if (r.count === 0) throw new Error('no reading landed in the grid');
  return ms;
}

const bench = {
  async setup(frameReadings: number, scrubReadings: number): Promise<{ mode: string; cores: number }> {
    readings = uniformReadings(frameReadings, 1);
    await worker.prepareFrame(frameReadings);
    await worker.prepareScrub(scrubReadings);
    return { mode: pool.mode, cores: navigator.hardwareConcurrency };
  },
  poolAggregate: () => viaPool('aggregate'),
  poolFrame: () => viaPool('frame'),
  ours: () => worker.ours(),
  oursParts: () => worker.oursParts(),
  naive: () => worker.naive(),
  turf: () => worker.turf(),
  scrubBucketed: () => worker.scrubBucketed(),
  scrubParts: () => worker.scrubParts(),
  scrubByIndex: () => worker.scrubByIndex(),
  scrubScan: () => worker.scrubScan(),
  kde: () => worker.kde(),
};

export type HeatmapBench = typeof bench;
(window as unknown as { heatmapBench: HeatmapBench }).heatmapBench = bench;
