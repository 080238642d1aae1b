/**
 * The app's reprojection pool: `workers/reproject` in module workers, or the same API in the page when workers
 * cannot be created (the pool reports 'fallback-inline' through `onPoolEvent`).
 *
 *   const pool = createReprojectPool({ loadInit, onJobEvent: (e) => store.getState().updateJob(e) });
 *   const { buffer, failed } = await pool.run('toEcef', layerId, { input }, { onProgress });
 *
 * The input's buffer is transferred to the worker by default (it is detached in the caller afterwards);
 * pass `{ transfer: [] }` to keep it.
 */
import type { ReprojectApi, ReprojectInit, ReprojectJob, ToEcefJob } from '../../workers/reproject/api';
import { transferListOf } from '../../workers/reproject/transfer';
import { type InitPoolOptions, type WorkerPool, createWorkerPool, lazyInlineApi, sharedRetrying } from './pool';

export type ReprojectPool = WorkerPool<ReprojectApi>;

export type ReprojectPoolOptions = InitPoolOptions<ReprojectInit>;

function createReprojectWorker(): Worker {
  // Written out in full so Vite finds the worker entry and bundles it.
  return new Worker(new URL('../../workers/reproject/reproject.worker.ts', import.meta.url), { type: 'module', name: 'reproject' });
}

export function createReprojectPool(options: ReprojectPoolOptions): ReprojectPool {
  const loadInit = sharedRetrying(options.loadInit);
  return createWorkerPool<ReprojectApi>({
    name: 'reproject',
    size: options.size,
    mode: options.mode,
    maxQueue: options.maxQueue,
    createWorker: options.createWorker ?? createReprojectWorker,
    // Fetched by the first job that runs in the page: the fallback is almost never needed.
    inlineApi: lazyInlineApi(() => import('../../workers/reproject/api').then((m) => m.createReprojectApi()), ['init', 'reproject', 'toEcef']),
    setup: async (api) => api.init(await loadInit()),
    transferOf: (_method, args) => transferListOf(args as ReprojectJob | ToEcefJob),
    onJobEvent: options.onJobEvent,
    onPoolEvent: options.onPoolEvent,
  });
}
