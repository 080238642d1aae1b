/**
 * The reprojection worker's API: the object `reproject.worker.ts` exposes with comlink and the inline mode
 * calls directly in the page. Every job method has the pool's shape `(jobId, job, onProgress?)`.
 *
 * Transfers: results come back wrapped in `Comlink.transfer`, so the output `Float64Array`'s buffer moves to the
 * caller instead of being copied (outside comlink the wrapper is a no-op). Inputs move in the same way when the
 * caller transfers them; `transferListOf` gives the list for a job.
 */
import { type GeodesyInit, type InitInfo, initGeodesy } from '../../core/geo/geodesy-init';
import { createJobRunner, type ProgressFn } from '../../core/jobs/progress';
import type { CoordBuffer } from '../../core/geo/buffers';
import { type Epsg } from '../../core/geo/crs';
import type { GeoidGrid } from '../../core/geo/geoid';
import {
  JobCancelledError,
  type OutsideAreaPolicy,
  type ReprojectResult,
  type ToEcefResult,
  reprojectBuffer,
  toEcef,
} from '../../core/reproject/reproject';

export type { ProgressFn };

/** The grids every worker of this pool is initialised with. */
export type ReprojectInit = GeodesyInit;
export type { InitInfo };

/** Options a job may set; chunking is a tuning knob, the hooks belong to the API. */
export interface JobTuning {
  chunkPoints?: number;
  outsideArea?: OutsideAreaPolicy;
  /** Reuse the input's buffer for the output: no second allocation when the input was transferred in. */
  inPlace?: boolean;
}

export interface ReprojectJob {
  input: CoordBuffer;
  to: Epsg;
  /** 'carry' (default) keeps z in its datum; 'ellipsoidal' converts it with the geoid given to `init`. */
  heights?: 'carry' | 'ellipsoidal';
  options?: JobTuning;
}

export interface ToEcefJob {
  input: CoordBuffer;
  options?: JobTuning;
}

export interface ReprojectApi {
  /** Loads the geoid and, when given, the BETA2007 grid. Jobs needing either reject until this has run. */
  init(init: ReprojectInit): Promise<InitInfo>;
  reproject(jobId: number, job: ReprojectJob, onProgress?: ProgressFn): Promise<ReprojectResult>;
  toEcef(jobId: number, job: ToEcefJob, onProgress?: ProgressFn): Promise<ToEcefResult>;
  /** Asks a running job to stop at its next chunk boundary (it then rejects with JobCancelled). Unknown ids are ignored. */
  cancel(jobId: number): void;
}

export { transferListOf } from './transfer';

/** A result's output buffer moves back to the caller. */
const resultTransfer = (r: { buffer: { xyz: Float64Array } }): Transferable[] => [r.buffer.xyz.buffer as ArrayBuffer];

/** A fresh API with its own state (geoid, running jobs): one per worker, or one for the page in inline mode. */
export function createReprojectApi(): ReprojectApi {
  let geoid: GeoidGrid | null = null;
  const jobs = createJobRunner();

  return {
    async init(init) {
      const loaded = initGeodesy(init);
      geoid = loaded.geoid;
      return loaded.info;
    },
    reproject(jobId, job, onProgress) {
      return jobs.run(jobId, onProgress, (hooks) =>
        reprojectBuffer(job.input, job.to, {
          ...hooks,
          heights: job.heights ?? 'carry',
          geoid,
          chunkPoints: job.options?.chunkPoints,
          outsideArea: job.options?.outsideArea,
          inPlace: job.options?.inPlace,
        }),
        resultTransfer,
      );
    },
    toEcef(jobId, job, onProgress) {
      return jobs.run(jobId, onProgress, (hooks) =>
        toEcef(job.input, geoid, {
          ...hooks,
          chunkPoints: job.options?.chunkPoints,
          outsideArea: job.options?.outsideArea,
          inPlace: job.options?.inPlace,
        }),
        resultTransfer,
      );
    },
    cancel: (jobId) => jobs.cancel(jobId),
  };
}

export { JobCancelledError };
