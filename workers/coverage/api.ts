/**
 * The coverage worker's API: the object `coverage.worker.ts` exposes with comlink and the inline mode calls
 * directly in the page. `init` runs once per worker (the pool's `setup`); every job method has the pool's shape
 * `(jobId, job, onProgress?)`.
 *
 *   init       the terrain (a DEM on the analysis grid, or null: no terrain term), kept for every tile
 *   modelTile  best-server RSRP of one tile from the sites (ModelTileResult)
 *   render     a values grid coloured and warped to a lon/lat image (RenderResult)
 *   compare    A − B, classes and both images (CompareResult)
 *   stats      the per-zone table (ZoneStats[])
 *   importGrid a coverage grid file resampled onto the analysis grid (ImportedGrid)
 *
 * Transfers (`transferListOf`, the pool's default): `render` and `compare` take their grids by transfer and
 * hand them back in the answer, `importGrid` the file's bytes; `modelTile` copies its sites (a few kB, shared by
 * every tile of a grid, which run on several workers at once) and `stats` its grids (its answer is a small table
 * that does not carry them back). Every typed array of an answer is transferred. Over comlink a rejection keeps
 * only `name` and `message` ('JobCancelled', 'CoverageInputError', 'RangeError').
 */
import { JobCancelledError } from '../../core/reproject/reproject';
import { createJobRunner, type JobHooks, type ProgressFn, wholeBuffers } from '../../core/jobs/progress';
import { imageSpecForGrid, warpToLonLat } from '../../core/aggregation/warp';
import { compareCoverage } from '../../core/coverage/compare';
import { importCoverageGrid } from '../../core/coverage/import';
import { modelTile } from '../../core/coverage/model';
import { zonalStats } from '../../core/coverage/stats';
import type {
  CompareJob,
  CompareResult,
  Dem3035,
  ImportedGrid,
  ImportGridJob,
  ModelTileJob,
  ModelTileResult,
  RenderJob,
  RenderResult,
  StatsJob,
  ZoneStats,
} from '../../core/coverage/types';

export type { ProgressFn };

export interface CoverageApi {
  /** The terrain for every later `modelTile` (null: model without terrain). Throws for a DEM whose heights do not fit its grid. */
  init(dem: Dem3035 | null): Promise<void>;
  modelTile(jobId: number, job: ModelTileJob, onProgress?: ProgressFn): Promise<ModelTileResult>;
  render(jobId: number, job: RenderJob, onProgress?: ProgressFn): Promise<RenderResult>;
  compare(jobId: number, job: CompareJob, onProgress?: ProgressFn): Promise<CompareResult>;
  stats(jobId: number, job: StatsJob, onProgress?: ProgressFn): Promise<ZoneStats[]>;
  importGrid(jobId: number, job: ImportGridJob, onProgress?: ProgressFn): Promise<ImportedGrid>;
  /** Asks a running job to stop at its next step (it then rejects with JobCancelled). Unknown ids are ignored. */
  cancel(jobId: number): void;
}

export { transferListOf } from './transfer';

function checkDem(dem: Dem3035 | null): void {
  if (!dem) return;
  const { width, height, cellM } = dem.grid;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && cellM > 0)) throw new RangeError(`DEM grid ${width}×${height} of ${cellM} m is not valid`);
  if (dem.heightM.length !== width * height) throw new RangeError(`the DEM has ${dem.heightM.length} heights for a ${width}×${height} grid`);
}

function throwIfCancelled(hooks: JobHooks): void {
  if (hooks.isCancelled()) throw new JobCancelledError();
}

/** A fresh API with its own terrain and running jobs: one per worker, or one for the page in inline mode. */
export function createCoverageApi(): CoverageApi {
  const jobs = createJobRunner();
  let dem: Dem3035 | null = null;
  return {
    async init(d) {
      checkDem(d);
      dem = d;
    },
    modelTile(jobId, job, onProgress) {
      return jobs.run(jobId, onProgress, (hooks) => modelTile(job, dem, hooks), (r) => wholeBuffers([r.rsrpDbm, r.server]));
    },
    render(jobId, job, onProgress) {
      return jobs.run(
        jobId,
        onProgress,
        async (hooks) => {
          throwIfCancelled(hooks);
          const cells = job.grid.width * job.grid.height;
          if (job.values.length !== cells) throw new RangeError(`values have ${job.values.length} cells, the grid ${cells}`);
          const imageSpec = job.display ?? imageSpecForGrid(job.grid);
          const image = warpToLonLat(job.values, job.grid, imageSpec, { colour: job.colour });
          hooks.onProgress(1);
          return { values: job.values, image, imageSpec };
        },
        (r) => wholeBuffers([r.values, r.image]),
      );
    },
    compare(jobId, job, onProgress) {
      return jobs.run(
        jobId,
        onProgress,
        async (hooks) => {
          throwIfCancelled(hooks);
          const r = compareCoverage(job);
          hooks.onProgress(1);
          return r;
        },
        (r) => wholeBuffers([r.diffDb, r.classes, r.diffImage, r.classImage, r.a, r.b]),
      );
    },
    stats(jobId, job, onProgress) {
      return jobs.run(
        jobId,
        onProgress,
        async (hooks) => {
          throwIfCancelled(hooks);
          const rows = zonalStats(job);
          hooks.onProgress(1);
          return rows;
        },
        () => [],
      );
    },
    importGrid(jobId, job, onProgress) {
      return jobs.run(jobId, onProgress, (hooks) => importCoverageGrid(job, hooks), (r) => wholeBuffers([r.values, new Uint8Array(r.bytes)]));
    },
    cancel: (jobId) => jobs.cancel(jobId),
  };
}

export { JobCancelledError };
