/**
 * The aggregation worker's API: the object `aggregate.worker.ts` exposes with comlink and the inline mode calls
 * directly in the page. Every job method has the pool's shape `(jobId, job, onProgress?)`.
 *
 *   aggregate -> AggregateResult: GridValues and their colours on the EPSG:3035 grid
 *   frame     -> the same plus the colours warped to a lon/lat image for the globe (FrameResult)
 *   series    -> every step of a time slider at once, the readings bucketed by time first (SeriesResult)
 *
 * Transfers: the readings go to the worker by transfer (`transferListOf`) and come back with the answer in
 * `readings`, the same arrays, so the page keeps its data for the next frame without a copy either way (a
 * million readings are 20 MB: about 5 ms of cloning on the main thread per frame). Every typed array of a result is
 * transferred too. Only views that span their whole buffer can move; anything else is copied. The colour LUT
 * (1 KB) is copied: the page keeps it for the next frame. Over comlink a rejection keeps only `name` and
 * `message` ('JobCancelled', 'RangeError').
 */
import { createJobRunner, type JobHooks, type ProgressFn, wholeBuffers } from '../../core/jobs/progress';
import { JobCancelledError, yieldToEventLoop } from '../../core/reproject/reproject';
import { aggregate, aggregateSeries, domainMiddle, releaseWorkBuffers } from '../../core/aggregation/aggregate';
import { colourizeWithRange } from '../../core/aggregation/colour';
import type { AggregateJob, AggregateResult, FrameJob, FrameResult, Readings3035, SeriesJob, SeriesResult } from '../../core/aggregation/types';
import { imageSpecForGrid, warpToLonLat } from '../../core/aggregation/warp';
import { readingViews, transferListOf } from './transfer';

export type { ProgressFn };

/** An answer and the readings it was computed from, handed back (see the module comment). */
export type WithReadings<R> = R & { readonly readings: Readings3035 };

export interface AggregateApi {
  aggregate(jobId: number, job: AggregateJob, onProgress?: ProgressFn): Promise<WithReadings<AggregateResult>>;
  frame(jobId: number, job: FrameJob, onProgress?: ProgressFn): Promise<WithReadings<FrameResult>>;
  series(jobId: number, job: SeriesJob, onProgress?: ProgressFn): Promise<WithReadings<SeriesResult>>;
  /** Asks a running job to stop at its next step (it then rejects with JobCancelled). Unknown ids are ignored. */
  cancel(jobId: number): void;
}

export { transferListOf };

/** Every array of an answer goes back by transfer: the result's and the readings'. */
function resultTransfer(r: { readings: Readings3035; values: Float32Array; rgba: Uint8ClampedArray; image?: Uint8ClampedArray; images?: Uint8ClampedArray }): Transferable[] {
  return wholeBuffers([r.values, r.rgba, r.image, r.images, ...readingViews(r.readings)]);
}

/** Yield to the worker's event loop at most this often during a series, so a cancel message can land. */
const YIELD_EVERY_MS = 30;

function stepper(hooks: JobHooks, steps: number): (step: number) => Promise<void> {
  let lastYield = performance.now();
  return async (step) => {
    if (hooks.isCancelled()) throw new JobCancelledError();
    hooks.onProgress(step / Math.max(1, steps));
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
      if (hooks.isCancelled()) throw new JobCancelledError();
    }
  };
}

async function runSeries(job: SeriesJob, hooks: JobHooks): Promise<WithReadings<SeriesResult>> {
  const { grid, readings, params, colour, steps, display } = job;
  const { values, counts } = await aggregateSeries(grid, readings, params, steps, stepper(hooks, steps.count), domainMiddle(colour));
  const cells = grid.width * grid.height;
  const { rgba, min, max } = colourizeWithRange(values, colour);
  let images: Uint8ClampedArray | undefined;
  if (display) {
    const px = display.width * display.height * 4;
    images = new Uint8ClampedArray(px * steps.count);
    for (let s = 0; s < steps.count; s++) {
      if (hooks.isCancelled()) throw new JobCancelledError();
      warpToLonLat(rgba.subarray(s * cells * 4, (s + 1) * cells * 4), grid, display, { out: images.subarray(s * px, (s + 1) * px) });
    }
  }
  hooks.onProgress(1);
  return { grid, steps, values, rgba, counts, min, max, ...(images ? { images, imageSpec: display } : {}), readings };
}

/**
 * The work buffers kept between frames (up to 26 MB at 1024²) and series (10 bytes a reading) go once no job
 * has run for this long: long enough to span a scrub or a pan, short enough not to hold memory for a layer
 * that was switched off.
 */
const RELEASE_AFTER_MS = 30_000;

/** A fresh API with its own running jobs: one per worker, or one for the page in inline mode. */
export function createAggregateApi(): AggregateApi {
  const jobs = createJobRunner();
  let releaseTimer: ReturnType<typeof setTimeout> | null = null;
  /** Runs a job and restarts the idle countdown after it. */
  const tracked = <R>(p: Promise<R>): Promise<R> => {
    if (releaseTimer !== null) clearTimeout(releaseTimer);
    releaseTimer = null;
    const restart = (): void => {
      if (releaseTimer !== null) clearTimeout(releaseTimer);
      releaseTimer = setTimeout(releaseWorkBuffers, RELEASE_AFTER_MS);
      // In node (tests, inline use) the countdown must not keep the process alive.
      (releaseTimer as { unref?: () => void }).unref?.();
    };
    p.then(restart, restart);
    return p;
  };
  return {
    aggregate(jobId, job, onProgress) {
      return tracked(jobs.run(jobId, onProgress, async () => ({ ...aggregate(job), readings: job.readings }), resultTransfer));
    },
    frame(jobId, job, onProgress) {
      return tracked(jobs.run(
        jobId,
        onProgress,
        async (hooks) => {
          const result = aggregate(job);
          hooks.onProgress(0.5);
          const imageSpec = job.display ?? imageSpecForGrid(job.grid);
          const image = warpToLonLat(result.rgba, job.grid, imageSpec);
          hooks.onProgress(1);
          return { ...result, image, imageSpec, readings: job.readings };
        },
        resultTransfer,
      ));
    },
    series(jobId, job, onProgress) {
      return tracked(jobs.run(jobId, onProgress, (hooks) => runSeries(job, hooks), resultTransfer));
    },
    cancel: (jobId) => jobs.cancel(jobId),
  };
}

export { JobCancelledError };
