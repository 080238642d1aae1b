/**
 * The scenario pool: proposed buildings meshed (three.js) and written as binary glTF in `workers/scenario`, or the
 * same API in the page when workers cannot be created (the pool reports 'fallback-inline').
 *
 *   const pool = createScenarioPool({ onJobEvent: (e) => store.getState().updateJob(e) });
 *   const { glb } = await pool.run('buildBuilding', `scenario:${buildingId}`, { ringM, heightM: 12, roof: 'gable' });
 *
 * The inline API is loaded on demand: three.js would otherwise sit in the page's own bundle (≈360 KiB) for a
 * fallback that is almost never needed.
 */
import type { ScenarioApi } from '../../workers/scenario/api';
import { type AppPoolOptions, type WorkerPool, createWorkerPool, lazyInlineApi } from './pool';

export type ScenarioPool = WorkerPool<ScenarioApi>;

function createScenarioWorker(): Worker {
  // Written out in full so Vite finds the worker entry and bundles it.
  return new Worker(new URL('../../workers/scenario/scenario.worker.ts', import.meta.url), { type: 'module', name: 'scenario' });
}

/** `size` defaults to 1: a building is meshed in milliseconds; one worker keeps the page's cores for Cesium. */
export function createScenarioPool(options: AppPoolOptions = {}): ScenarioPool {
  return createWorkerPool<ScenarioApi>({
    name: 'scenario',
    size: options.size ?? 1,
    mode: options.mode,
    // Every building of a scenario is queued at once (an imported plan may hold hundreds); a job is a small ring.
    maxQueue: options.maxQueue ?? 2000,
    createWorker: options.createWorker ?? createScenarioWorker,
    // The API in the page, its module (and three.js) fetched by the first job that needs it.
    inlineApi: lazyInlineApi(() => import('../../workers/scenario/api').then((m) => m.createScenarioApi()), ['buildBuilding']),
    // The glb comes back by transfer; the job's small ring is copied.
    transferOf: () => [],
    onJobEvent: options.onJobEvent,
    onPoolEvent: options.onPoolEvent,
  });
}
