/**
 * The app's import pool: `workers/import` in module workers, or the same API in the page when workers cannot be
 * created (the pool reports 'fallback-inline' through `onPoolEvent`).
 *
 *   const pool = createImportPool({ loadInit, onJobEvent: (e) => store.getState().updateJob(e) });
 *   const { result, bytes: back } = await pool.run('inspect', `import:${name}`, { fileName: name, bytes });
 *   const layer = await pool.run('convert', `import:${name}`, { fileName: name, bytes: back, ...result.crsCandidates[0] }, { onProgress });
 *
 * `inspect` and `convert` transfer the file's bytes to the worker by default (they are detached in the caller
 * afterwards; `inspect` hands them back; pass `{ transfer: [] }` to keep them); `exportGeoJson` copies its input.
 */
import type { ImportApi, ImportInit } from '../../workers/import/api';
import { transferListOf } from '../../workers/import/transfer';
import { type InitPoolOptions, type WorkerPool, createWorkerPool, lazyInlineApi, sharedRetrying } from './pool';

export type ImportPool = WorkerPool<ImportApi>;

/** `size` defaults to 1: imports are rare and a second worker would only hold a second copy of the grids. */
export type ImportPoolOptions = InitPoolOptions<ImportInit>;

function createImportWorker(): Worker {
  // Written out in full so Vite finds the worker entry and bundles it.
  return new Worker(new URL('../../workers/import/import.worker.ts', import.meta.url), { type: 'module', name: 'import' });
}

export function createImportPool(options: ImportPoolOptions): ImportPool {
  const loadInit = sharedRetrying(options.loadInit);
  return createWorkerPool<ImportApi>({
    name: 'import',
    size: options.size ?? 1,
    mode: options.mode,
    maxQueue: options.maxQueue,
    createWorker: options.createWorker ?? createImportWorker,
    // Fetched by the first job that runs in the page: the fallback is almost never needed.
    inlineApi: lazyInlineApi(() => import('../../workers/import/api').then((m) => m.createImportApi()), ['init', 'inspect', 'convert', 'exportGeoJson']),
    setup: async (api) => api.init(await loadInit()),
    transferOf: transferListOf,
    onJobEvent: options.onJobEvent,
    onPoolEvent: options.onPoolEvent,
  });
}
