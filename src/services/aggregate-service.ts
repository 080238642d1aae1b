/**
 * The app's use of the aggregation pool: heatmap frames for every layer that draws one, latest wins per key, job
 * events into the store, lifecycle problems as notices.
 */
import type { AppStore } from '../state/store';
import type { FrameJob, FrameResult } from '../../core/aggregation/types';
import { createAggregatePool, type AggregatePool } from './aggregate-pool';
import { poolNotices } from './reproject-service';

export interface AggregationService {
  readonly pool: AggregatePool;
  frame(key: string, job: FrameJob): Promise<FrameResult>;
}

export function startAggregation(store: AppStore): AggregationService {
  const pool = createAggregatePool({ onJobEvent: (e) => store.getState().updateJob(e), onPoolEvent: poolNotices(store, 'Aggregation') });
  return {
    pool,
    // The station arrays are small and rebuilt per frame: moved to the worker, not copied.
    frame: (key, job) => pool.run('frame', key, job),
  };
}
