/**
 * The import worker's API: the object `import.worker.ts` exposes with comlink and the inline mode calls directly
 * in the page. Every job method has the pool's shape `(jobId, job, onProgress?)`.
 *
 *   inspect  -> format, feature count, ranked CRS candidates, CSV columns, file-level problems (cheap)
 *   convert  -> the file as an `ImportLayer` in WGS84 + ellipsoidal heights (layout in types.ts), transferred
 *   exportGeoJson -> a layer as GeoJSON text in any CRS of the registry
 *
 * Transfers: `convert` takes the file's bytes by transfer (`transferListOf`) and returns every typed array of
 * the layer wrapped in `Comlink.transfer`, so nothing large is copied either way. `inspect` takes the bytes by
 * transfer too and hands them back with its answer, since the page still needs them for `convert` (copying a
 * 40 MB file costs the page a 60 ms task); `exportGeoJson` copies the layer, which the page keeps drawing.
 * Over comlink a rejection keeps only `name` and `message` ('ImportError', 'JobCancelled').
 */
import { type GeodesyInit, type InitInfo, initGeodesy } from '../../core/geo/geodesy-init';
import { createJobRunner, type ProgressFn } from '../../core/jobs/progress';
import { type Epsg, type VerticalDatum } from '../../core/geo/crs';
import type { GeoidGrid } from '../../core/geo/geoid';
import { JobCancelledError } from '../../core/reproject/reproject';
import { exportGeoJson } from '../../core/formats/import/export';
import { convertFile, inspectFile } from '../../core/formats/import/import';
import { type CoordinateColumns, type ImportLayer, type ImportResult, type InspectResult, ImportError, layerTransferList } from '../../core/formats/import/types';

export type { ProgressFn };

/** The grids every worker of this pool is initialised with. */
export type ImportInit = GeodesyInit;
export type { InitInfo };

/** Chunking is a tuning knob (tests use small chunks to see progress and cancellation). */
export interface ImportTuning {
  /** GeoJSON features / CityJSON objects (÷10) / exported features per chunk. */
  chunkFeatures?: number;
  /** CSV characters per chunk. */
  chunkChars?: number;
}

export interface InspectJob {
  fileName: string;
  bytes: ArrayBuffer;
}

/** `inspect`'s answer: what the file is, and the file's bytes back (they went to the worker by transfer). */
export interface InspectReply {
  result: InspectResult;
  bytes: ArrayBuffer;
}

export interface ConvertJob {
  fileName: string;
  bytes: ArrayBuffer;
  /** Usually the fields of the chosen `CrsCandidate`: epsg, swapAxes, columns, verticalDatum. */
  epsg: Epsg;
  swapAxes?: boolean;
  columns?: CoordinateColumns;
  verticalDatum?: VerticalDatum;
  options?: ImportTuning;
}

export interface ExportJob {
  /** A `convert` result (or any `ImportLayer`). */
  layer: ImportLayer;
  epsg: Epsg;
  options?: ImportTuning;
}

export interface ImportApi {
  /** Loads the geoid and, when given, the BETA2007 grid. */
  init(init: ImportInit): Promise<InitInfo>;
  inspect(jobId: number, job: InspectJob, onProgress?: ProgressFn): Promise<InspectReply>;
  convert(jobId: number, job: ConvertJob, onProgress?: ProgressFn): Promise<ImportResult>;
  exportGeoJson(jobId: number, job: ExportJob, onProgress?: ProgressFn): Promise<string>;
  /** Asks a running job to stop at its next chunk boundary (it then rejects with JobCancelled). Unknown ids are ignored. */
  cancel(jobId: number): void;
}

export { transferListOf } from './transfer';

/** A fresh API with its own state (geoid, running jobs): one per worker, or one for the page in inline mode. */
export function createImportApi(): ImportApi {
  let geoid: GeoidGrid | null = null;
  const jobs = createJobRunner();

  return {
    async init(init) {
      const loaded = initGeodesy(init);
      geoid = loaded.geoid;
      return loaded.info;
    },
    inspect(jobId, job, onProgress) {
      return jobs.run(
        jobId,
        onProgress,
        async (hooks) => ({ result: await inspectFile(job, hooks), bytes: job.bytes }),
        (reply) => [reply.bytes],
      );
    },
    convert(jobId, job, onProgress) {
      return jobs.run(
        jobId,
        onProgress,
        (hooks) =>
          convertFile(
            job,
            { epsg: job.epsg, swapAxes: job.swapAxes, columns: job.columns, verticalDatum: job.verticalDatum },
            { geoid },
            { ...hooks, chunkFeatures: job.options?.chunkFeatures, chunkChars: job.options?.chunkChars },
          ),
        layerTransferList,
      );
    },
    exportGeoJson(jobId, job, onProgress) {
      return jobs.run(jobId, onProgress, (hooks) => exportGeoJson(job.layer, job.epsg, geoid, { ...hooks, chunkFeatures: job.options?.chunkFeatures }), () => []);
    },
    cancel: (jobId) => jobs.cancel(jobId),
  };
}

export { ImportError, JobCancelledError };
