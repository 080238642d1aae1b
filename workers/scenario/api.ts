/**
 * The scenario worker's API: what `scenario.worker.ts` exposes with comlink and the inline mode calls directly in
 * the page. `buildBuilding` turns a proposed building (footprint in local metres, height, roof form) into a
 * binary glTF, transferred back.
 */
import { createJobRunner, type ProgressFn } from '../../core/jobs/progress';
import { buildingGlb, type RoofForm } from '../../core/scenario/geometry';

export interface BuildJob {
  /** Footprint corners as east, north pairs in metres around the local origin (x0, y0, x1, y1, …). */
  readonly ringM: Float64Array;
  readonly heightM: number;
  readonly roof: RoofForm;
}

export interface BuildResult {
  readonly glb: ArrayBuffer;
  /** The roof actually built ('flat' where a pitched roof does not fit the footprint). */
  readonly roofApplied: RoofForm;
  readonly eavesM: number;
}

export interface ScenarioApi {
  buildBuilding(jobId: number, job: BuildJob, onProgress?: ProgressFn): Promise<BuildResult>;
  cancel(jobId: number): void;
}

export function createScenarioApi(): ScenarioApi {
  const jobs = createJobRunner();
  return {
    buildBuilding(jobId, job, onProgress) {
      return jobs.run(
        jobId,
        onProgress,
        async (hooks) => {
          const ring: Array<[number, number]> = [];
          for (let i = 0; i + 1 < job.ringM.length; i += 2) ring.push([job.ringM[i]!, job.ringM[i + 1]!]);
          const r = await buildingGlb({ ring, heightM: job.heightM, roof: job.roof });
          hooks.onProgress(1);
          return r;
        },
        (r) => [r.glb],
      );
    },
    cancel: (jobId) => jobs.cancel(jobId),
  };
}
