/**
 * The app's use of the reprojection pool: its init data comes from the embedded dataset (regional geoid,
 * BETA2007 grid), its job events go to the store's jobs slice, and its lifecycle problems become notices.
 */
import { coordBuffer } from '../../core/geo/buffers';
import type { AppStore } from '../state/store';
import { loadGeodesyInit } from './geodesy-init';
import type { PoolEvent } from './pool';
import { createReprojectPool, type ReprojectPool } from './reproject-pool';

export interface ReprojectionService {
  readonly pool: ReprojectPool;
  /** lon/lat degrees + ellipsoidal metres (stride 3) -> ECEF metres (stride 3). The input buffer is transferred. */
  toEcef(key: string, lonLatH: Float64Array): Promise<Float64Array>;
}

export function startReprojection(store: AppStore, tilesetsBase: string): ReprojectionService {
  const pool = createReprojectPool({
    loadInit: () => loadGeodesyInit(tilesetsBase),
    onJobEvent: (e) => store.getState().updateJob(e),
    onPoolEvent: poolNotices(store, 'Reprojection'),
  });
  return {
    pool,
    async toEcef(key, lonLatH) {
      const points = lonLatH.length / 3; // read before the buffer moves to the worker
      const r = await pool.run('toEcef', key, { input: coordBuffer(4979, 'ellipsoidal', lonLatH) });
      if (r.failed > 0) throw new Error(`${r.failed} of ${points} points could not be placed on the globe`);
      return r.buffer.xyz;
    },
  };
}

/** Pool lifecycle problems the user should know about (the app keeps working in all of them but 'broken'). */
export function poolNotices(store: AppStore, what: string): (e: PoolEvent) => void {
  return (e) => {
    if (e.kind === 'fallback-inline' || e.kind === 'broken' || e.kind === 'setup-failed') {
      store.getState().notify(e.kind === 'fallback-inline' ? 'warning' : 'error', `${what} ${e.kind}${e.message ? `: ${e.message}` : ''}`);
    }
  };
}
