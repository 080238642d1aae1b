/**
 * The app's coverage pool: `workers/coverage` in module workers, or the same API in the page when workers cannot
 * be created (the pool reports 'fallback-inline' through `onPoolEvent`).
 *
 *   const pool = createCoveragePool({ loadInit: async () => dem, onJobEvent: (e) => store.getState().updateJob(e) });
 *   const tiles = tilesOfGrid(grid, 128);
 *   const parts = await Promise.all(tiles.map((tile) => pool.run('modelTile', `coverage:${layer}:${tile.col0},${tile.row0}`, { grid, tile, sites, params })));
 *   const { image, imageSpec } = await pool.run('render', `coverage:${layer}`, { grid, values, colour }, { transfer: [] });
 *
 * Every worker gets the terrain once, in `setup` (`init(dem)`; the DEM is copied to each, 4 MB for a million
 * cells). Tiles are independent, so a grid's tiles spread over the workers; keyed per tile, a newer grid's tile
 * supersedes the same tile still queued or running. `render` and `compare` move their grids to the worker by
 * default and hand them back; pass `{ transfer: [] }` to copy them instead.
 */
import type { CoverageApi } from '../../workers/coverage/api';
import { transferListOf } from '../../workers/coverage/transfer';
import type { Dem3035 } from '../../core/coverage/types';
import { type InitPoolOptions, type WorkerPool, createWorkerPool, lazyInlineApi, sharedRetrying } from './pool';

export type CoveragePool = WorkerPool<CoverageApi>;

/**
 * `size` defaults to 2: a grid is many independent tiles of seconds of work in all, so a second worker halves
 * the wait (`npm run bench -- coverage`); more would only compete with the page and Cesium on two cores.
 * `loadInit` gives the terrain (null: model without it).
 */
export type CoveragePoolOptions = InitPoolOptions<Dem3035 | null>;

function createCoverageWorker(): Worker {
  // Written out in full so Vite finds the worker entry and bundles it.
  return new Worker(new URL('../../workers/coverage/coverage.worker.ts', import.meta.url), { type: 'module', name: 'coverage' });
}

export function createCoveragePool(options: CoveragePoolOptions): CoveragePool {
  const loadInit = sharedRetrying(options.loadInit);
  return createWorkerPool<CoverageApi>({
    name: 'coverage',
    size: options.size ?? 2,
    mode: options.mode,
    maxQueue: options.maxQueue,
    createWorker: options.createWorker ?? createCoverageWorker,
    // Fetched by the first job that runs in the page: the fallback is almost never needed.
    inlineApi: lazyInlineApi(() => import('../../workers/coverage/api').then((m) => m.createCoverageApi()), ['init', 'modelTile', 'render', 'compare', 'stats', 'importGrid']),
    setup: async (api) => api.init(await loadInit()),
    transferOf: transferListOf,
    onJobEvent: options.onJobEvent,
    onPoolEvent: options.onPoolEvent,
  });
}
