/**
 * Heatmap aggregation: readings on the EPSG:3035 grid → per-cell values (mean, kernel-smoothed mean, inverse
 * distance). Pure and DOM-free: runs the same in the aggregation worker, in the page (inline mode) and in node.
 * Layouts are those of `types.ts`.
 *
 * The hot loops are flat loops over typed arrays that get every array and number as a parameter: V8 keeps
 * parameters in registers, while arrays reached through a closure or a module variable are reloaded and
 * re-checked on every access (3.5× slower when measured for the binning loop). Cell indices come from one
 * multiplication by 1/cellM, which is exact on cell edges for the whole-metre cell sizes of the ladder.
 */
import type { AggregateJob, AggregateParams, AggregateResult, ColourSpec, GridSpec3035, Readings3035, TimeSteps } from './types';
import { colourizeWithRange } from './colour';
import { cellCount, checkGrid, checkReadings, scratchSums } from './buffers';
import { meanGrid, meanOfSums, selectionForWindow, type ReadingSelection } from './bin';
import { DEFAULT_KDE_SIGMA_CELLS, DEFAULT_MIN_WEIGHT, kdeFromSums, kdeGrid } from './kde';
import { DEFAULT_IDW_POWER, DEFAULT_IDW_RADIUS_M, idwGrid } from './idw';
import { binStep, bucketByTime, stepCells } from './time';

export { releaseWorkBuffers } from './buffers';
export { binMean, binSums, cellSums, meanOfSums, selectionForWindow, type IndexRange, type ReadingSelection } from './bin';
export { boxKernel, boxKernelPeak, boxRadiiForGauss, gaussBlur } from './blur';
export { DEFAULT_KDE_SIGMA_CELLS, DEFAULT_MIN_WEIGHT, blurCellSums, kdeFromSums, pyramidFactor, type BlurredSums } from './kde';
export { DEFAULT_IDW_POWER, DEFAULT_IDW_RADIUS_M, MAX_IDW_READINGS, idwGrid, selectedIndices } from './idw';
export { MAX_STEPS, NO_CELL, bandRows, binStep, bucketByTime, stepCells, type StepCells, type TimeBuckets } from './time';
export { CELL_LADDER_M, DEFAULT_CELLS_ACROSS, MAX_CELL_M, MAX_GRID_CELLS, MIN_CELL_M, cellSizeForView, extentOfGrid, gridForExtent } from './grid';

/** A series is using the kept buffers (between its awaits). */
let seriesRunning = false;

// ---- jobs ---------------------------------------------------------------------------------------------------------

/**
 * GridValues and the number of readings used for them, by the job's operation. `offset`: a value near the data
 * (see the cell sums in `bin.ts`); jobs use the middle of their colour domain.
 */
export function aggregateValues(grid: GridSpec3035, readings: Readings3035, params: AggregateParams, selection: ReadingSelection, offset = 0): { values: Float32Array; count: number } {
  checkGrid(grid);
  checkReadings(readings);
  switch (params.op) {
    case 'mean':
      return meanGrid(grid, readings, selection, offset);
    case 'kde':
      return kdeGrid(grid, readings, params, selection, offset);
    case 'idw':
      return idwGrid(grid, readings, selection, params.power ?? DEFAULT_IDW_POWER, params.radiusM ?? DEFAULT_IDW_RADIUS_M, offset);
    default:
      throw new RangeError(`unknown aggregation ${String((params as { op: unknown }).op)}`);
  }
}

/** The offset for a job's cell sums: values are expected within the colour domain. */
export const domainMiddle = (colour: ColourSpec): number => {
  const m = (colour.domain[0] + colour.domain[1]) / 2;
  return Number.isFinite(m) ? m : 0;
};

/** One frame: the job's operation over the readings in its window, coloured with its fixed domain. */
export function aggregate(job: AggregateJob): AggregateResult {
  const { grid, readings, params, colour } = job;
  const { values, count } = aggregateValues(grid, readings, params, selectionForWindow(readings, job.window), domainMiddle(colour));
  const { rgba, min, max } = colourizeWithRange(values, colour);
  return { grid, values, rgba, count, min, max };
}

export interface SeriesValues {
  /** steps.count frames back to back (types.ts, Series). */
  readonly values: Float32Array;
  readonly counts: Uint32Array;
}

/**
 * Every step of `steps`: the readings are bucketed by time first (`stepCells`; `bucketByTime` for idw, which
 * needs their positions), then each step is aggregated from its bucket alone, so the whole series touches each
 * reading about once. `beforeStep` runs before each step and may throw (cancellation) or pause (await) there.
 */
export async function aggregateSeries(
  grid: GridSpec3035,
  readings: Readings3035,
  params: AggregateParams,
  steps: TimeSteps,
  beforeStep: (step: number) => void | Promise<void> = () => {},
  offset = 0,
): Promise<SeriesValues> {
  checkGrid(grid);
  checkReadings(readings);
  if (!readings.tMs) throw new RangeError('a time series needs readings with tMs');
  const cells = cellCount(grid);
  const values = new Float32Array(cells * steps.count);
  const counts = new Uint32Array(steps.count);
  if (params.op === 'idw') {
    const { order, offsets } = bucketByTime(readings.tMs, steps.t0Ms, steps.stepMs, steps.count);
    for (let s = 0; s < steps.count; s++) {
      await beforeStep(s);
      const r = aggregateValues(grid, readings, params, order.subarray(offsets[s]!, offsets[s + 1]!), offset);
      values.set(r.values, s * cells);
      counts[s] = r.count;
    }
    return { values, counts };
  }
  // The kept buffers outlive the awaits between steps, so a second series meanwhile (the API called directly;
  // the pool runs one job per worker) buckets into fresh ones.
  const reuse = !seriesRunning;
  seriesRunning = true;
  try {
    const bucketed = stepCells(grid, readings, steps, offset, reuse);
    for (let s = 0; s < steps.count; s++) {
      await beforeStep(s);
      // Taken per step: other jobs may use the scratch sums during the await.
      const acc = scratchSums(grid);
      counts[s] = binStep(bucketed, s, acc);
      const out = values.subarray(s * cells, (s + 1) * cells);
      if (params.op === 'kde') {
        out.set(kdeFromSums(grid, acc, params.sigmaM ?? DEFAULT_KDE_SIGMA_CELLS * grid.cellM, params.minWeight ?? DEFAULT_MIN_WEIGHT, offset));
      } else if (params.op === 'mean') {
        meanOfSums(acc, offset, out);
      } else {
        throw new RangeError(`unknown aggregation ${String((params as { op: unknown }).op)}`);
      }
    }
  } finally {
    if (reuse) seriesRunning = false;
  }
  return { values, counts };
}
