/**
 * The app's heatmap pool: `workers/aggregate` in module workers, or the same API in the page when workers cannot
 * be created (the pool reports 'fallback-inline' through `onPoolEvent`).
 *
 *   const pool = createAggregatePool({ onJobEvent: (e) => store.getState().updateJob(e) });
 *   const f = await pool.run('frame', `heatmap:${layerId}`, { grid, readings, params, colour, window });
 *   readings = f.readings; // handed back: the job took them by transfer
 *   // drape f.image over Rectangle.fromDegrees(f.imageSpec.westDeg, …)
 *
 * Jobs are keyed by layer, so only the latest frame of a layer is computed: an older queued one is dropped and a
 * running one is told to stop. The readings are transferred to the worker by default and come back with the
 * answer, so while a frame is out the page does not hold them, and a frame that is superseded or cancelled
 * after it was sent never hands them back. Hence, while scrubbing, a layer keeps one frame in flight and, when
 * it returns, asks for the newest window wanted meanwhile (coalescing, no superseding); or it passes
 * `{ transfer: [] }` to copy the readings (about 5 ms a million) and lets frames supersede each other. For
 * a slider over fixed steps, one `series` job computes every step at once.
 */
import type { AggregateApi } from '../../workers/aggregate/api';
import { transferListOf } from '../../workers/aggregate/transfer';
import { type AppPoolOptions, type WorkerPool, createWorkerPool, lazyInlineApi } from './pool';

export type AggregatePool = WorkerPool<AggregateApi>;

/**
 * `size` defaults to 1: a frame takes milliseconds and frames of one layer supersede each other, so a second
 * worker only pays with several heatmap layers recomputing at once, on two cores shared with the page and Cesium.
 */
export type AggregatePoolOptions = AppPoolOptions;

function createAggregateWorker(): Worker {
  // Written out in full so Vite finds the worker entry and bundles it.
  return new Worker(new URL('../../workers/aggregate/aggregate.worker.ts', import.meta.url), { type: 'module', name: 'aggregate' });
}

export function createAggregatePool(options: AggregatePoolOptions = {}): AggregatePool {
  return createWorkerPool<AggregateApi>({
    name: 'aggregate',
    size: options.size ?? 1,
    mode: options.mode,
    maxQueue: options.maxQueue,
    createWorker: options.createWorker ?? createAggregateWorker,
    // Fetched by the first job that runs in the page: the fallback is almost never needed.
    inlineApi: lazyInlineApi(() => import('../../workers/aggregate/api').then((m) => m.createAggregateApi()), ['aggregate', 'frame', 'series']),
    transferOf: transferListOf,
    onJobEvent: options.onJobEvent,
    onPoolEvent: options.onPoolEvent,
  });
}
