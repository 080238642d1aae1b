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
import type {
  AggregateJob,
  AggregateParams,
  AggregateResult,
  ColourSpec,
  Extent3035,
  GridSpec3035,
  Readings3035,
  TimeSteps,
  TimeWindow,
} from './types';
import { colourize, valueRange } from './colour';

/** Readings [start, end) in array order. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Which readings an operation sees: all (undefined), a range, a list of indices (such as one time step of
 * `bucketByTime`'s order), or a time window (every reading is tested).
 */
export type ReadingSelection = IndexRange | Uint32Array | TimeWindow | undefined;

export const DEFAULT_MIN_WEIGHT = 0.05;
export const DEFAULT_IDW_POWER = 2;
export const DEFAULT_IDW_RADIUS_M = 40_000;
/** kde without `sigmaM`: two cells, the least that smooths visibly. */
export const DEFAULT_KDE_SIGMA_CELLS = 2;

const cellCount = (grid: GridSpec3035): number => grid.width * grid.height;

function checkGrid(grid: GridSpec3035): void {
  const { width, height, cellM, xMinM, yMaxM } = grid;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`grid size ${width}×${height} is not a positive whole number of cells`);
  }
  if (!(cellM > 0 && Number.isFinite(cellM) && Number.isFinite(xMinM) && Number.isFinite(yMaxM))) {
    throw new RangeError(`grid origin (${xMinM}, ${yMaxM}) or cell size ${cellM} m is not valid`);
  }
}

function checkReadings(r: Readings3035): number {
  const n = r.x.length;
  if (r.y.length !== n || r.value.length !== n || (r.tMs !== undefined && r.tMs.length !== n)) {
    throw new RangeError(`readings: x, y, value${r.tMs ? ', tMs' : ''} differ in length`);
  }
  return n;
}

// ---- binning ----------------------------------------------------------------------------------------------------
// Per-cell accumulator ("cell sums"): Float32Array(2·cells), cell c's Σ(value − offset) at [2c] and its reading
// count at [2c + 1]. Interleaved, so a reading touches one cache line instead of two, and Float32, so a 512²
// grid's accumulator is 2 MB and mostly stays in cache: 1.8× faster than separate Float64 sums and Uint32
// counts for a million readings in random order (measured in node). The offset (a value near the data, such
// as the middle of the colour domain) keeps Float32's 24 bits for the variation rather than the magnitude
// (pressure in Pa); counts stay exact up to 2^24 readings per cell.
//
// One kernel per selection kind, so the inner loop has no branch on the kind. Each returns how many readings it
// added; readings outside the grid or with a NaN value are skipped.

function sumRange(
  x: Float64Array, y: Float64Array, v: Float32Array, start: number, end: number, offset: number,
  x0: number, y0: number, inv: number, w: number, h: number, acc: Float32Array,
): number {
  let added = 0;
  for (let i = start; i < end; i++) {
    const fx = (x[i]! - x0) * inv;
    const fy = (y0 - y[i]!) * inv;
    const val = v[i]!;
    // Written so that NaN coordinates or values fail the test.
    if (fx >= 0 && fx < w && fy >= 0 && fy < h && val === val) {
      const c = ((fy | 0) * w + (fx | 0)) << 1;
      acc[c]! += val - offset;
      acc[c + 1]! += 1;
      added++;
    }
  }
  return added;
}

function sumIndices(
  x: Float64Array, y: Float64Array, v: Float32Array, idx: Uint32Array, offset: number,
  x0: number, y0: number, inv: number, w: number, h: number, acc: Float32Array,
): number {
  let added = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const fx = (x[i]! - x0) * inv;
    const fy = (y0 - y[i]!) * inv;
    const val = v[i]!;
    if (fx >= 0 && fx < w && fy >= 0 && fy < h && val === val) {
      const c = ((fy | 0) * w + (fx | 0)) << 1;
      acc[c]! += val - offset;
      acc[c + 1]! += 1;
      added++;
    }
  }
  return added;
}

function sumWindow(
  x: Float64Array, y: Float64Array, v: Float32Array, t: Float64Array, t0: number, t1: number, offset: number,
  x0: number, y0: number, inv: number, w: number, h: number, acc: Float32Array,
): number {
  let added = 0;
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!;
    if (!(ti >= t0 && ti < t1)) continue;
    const fx = (x[i]! - x0) * inv;
    const fy = (y0 - y[i]!) * inv;
    const val = v[i]!;
    if (fx >= 0 && fx < w && fy >= 0 && fy < h && val === val) {
      const c = ((fy | 0) * w + (fx | 0)) << 1;
      acc[c]! += val - offset;
      acc[c + 1]! += 1;
      added++;
    }
  }
  return added;
}

const isWindow = (s: ReadingSelection): s is TimeWindow => s !== undefined && !(s instanceof Uint32Array) && 't0Ms' in s;

/** First index in the sorted `t` whose value is not below `bound` (t.length when none). */
function lowerBound(t: Float64Array, bound: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The selection for a job's time window: a range when the readings are time-sorted (binary search), else the
 * window itself (scanned). Throws when there is a window but no times.
 */
export function selectionForWindow(readings: Readings3035, win: TimeWindow | undefined): ReadingSelection {
  if (!win) return undefined;
  const t = readings.tMs;
  if (!t) throw new RangeError('a time window needs readings with tMs');
  if (readings.timeSorted) return { start: lowerBound(t, win.t0Ms), end: lowerBound(t, win.t1Ms) };
  return win;
}

/** A cleared accumulator for the grid (layout above). */
export const cellSums = (grid: GridSpec3035): Float32Array => new Float32Array(cellCount(grid) * 2);

/**
 * Adds the selected readings into the cell sums `acc` (layout above; not cleared here, so several batches can be
 * added up) and returns how many fell inside the grid with a value. Every call on one accumulator must use the
 * same `offset`.
 */
export function binSums(grid: GridSpec3035, readings: Readings3035, acc: Float32Array, selection?: ReadingSelection, offset = 0): number {
  checkGrid(grid);
  const n = checkReadings(readings);
  if (acc.length !== cellCount(grid) * 2) throw new RangeError('cell sums do not match the grid');
  if (!Number.isFinite(offset)) throw new RangeError(`offset ${offset} is not finite`);
  const { x, y, value } = readings;
  const { xMinM, yMaxM, width, height } = grid;
  const inv = 1 / grid.cellM;
  if (selection === undefined) return sumRange(x, y, value, 0, n, offset, xMinM, yMaxM, inv, width, height, acc);
  if (selection instanceof Uint32Array) return sumIndices(x, y, value, selection, offset, xMinM, yMaxM, inv, width, height, acc);
  if (isWindow(selection)) {
    if (!readings.tMs) throw new RangeError('a time window needs readings with tMs');
    return sumWindow(x, y, value, readings.tMs, selection.t0Ms, selection.t1Ms, offset, xMinM, yMaxM, inv, width, height, acc);
  }
  const start = Math.max(0, selection.start);
  const end = Math.min(n, selection.end);
  return sumRange(x, y, value, start, end, offset, xMinM, yMaxM, inv, width, height, acc);
}

/** Mean per cell from cell sums: Σ/n + offset, NaN where the count is 0. */
export function meanOfSums(acc: Float32Array, offset = 0, out: Float32Array = new Float32Array(acc.length >> 1)): Float32Array {
  for (let c = 0; c < out.length; c++) {
    const k = acc[2 * c + 1]!;
    out[c] = k > 0 ? acc[2 * c]! / k + offset : NaN;
  }
  return out;
}

/** Arithmetic mean of the selected readings per cell (GridValues; NaN for empty cells). */
export function binMean(grid: GridSpec3035, readings: Readings3035, selection?: ReadingSelection, offset = 0): Float32Array {
  return meanGrid(grid, readings, selection, offset).values;
}

function meanGrid(grid: GridSpec3035, readings: Readings3035, selection: ReadingSelection, offset: number): { values: Float32Array; count: number } {
  const acc = cellSums(grid);
  const count = binSums(grid, readings, acc, selection, offset);
  return { values: meanOfSums(acc, offset), count };
}

// ---- kernel density (Gaussian-weighted mean) --------------------------------------------------------------------

/**
 * Radii of the three box filters whose succession approximates a Gaussian of `sigmaCells` (W. Jarosz, I. Kutskir:
 * two neighbouring odd widths, as many of each as brings the summed variance closest to σ²). Box widths are odd
 * whole cells, so the kernel's σ is a little off: at most 9% at 2 cells, 6% from 3 cells up (a smoothing length
 * chosen by eye, so this goes unseen). Below about half a cell every radius is 0 and the blur does nothing.
 */
export function boxRadiiForGauss(sigmaCells: number): [number, number, number] {
  const n = 3;
  const s2 = sigmaCells * sigmaCells;
  const wIdeal = Math.sqrt((12 * s2) / n + 1);
  let wl = Math.floor(wIdeal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * s2 - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  const r = (i: number): number => ((i < m ? wl : wu) - 1) / 2;
  return [r(0), r(1), r(2)];
}

/** The centre value of the 1D kernel the boxes make (each box sums to 1, so the whole kernel does too). */
export function boxKernelPeak(radii: readonly number[]): number {
  let k = [1];
  for (const r of radii) {
    const width = 2 * r + 1;
    const next = Array.from({ length: k.length + width - 1 }, () => 0);
    for (let i = 0; i < k.length; i++) for (let j = 0; j < width; j++) next[i + j]! += k[i]! / width;
    k = next;
  }
  return k[(k.length - 1) / 2]!;
}

/** Box filter of radius r along one row: src[so..so+n) → dst[dof..dof+n); zero outside the row. */
function boxRow(src: Float64Array, so: number, dst: Float64Array, dof: number, n: number, r: number): void {
  if (r === 0) {
    for (let i = 0; i < n; i++) dst[dof + i] = src[so + i]!;
    return;
  }
  const scale = 1 / (2 * r + 1);
  let acc = 0;
  const lim = Math.min(r, n - 1);
  for (let i = 0; i <= lim; i++) acc += src[so + i]!;
  for (let i = 0; i < n; i++) {
    dst[dof + i] = acc * scale;
    const a = i + r + 1;
    if (a < n) acc += src[so + a]!;
    const s = i - r;
    if (s >= 0) acc -= src[so + s]!;
  }
}

/**
 * Box filter of radius r down the columns, src → dst, with one running sum per column (`acc`, width long):
 * the image is walked row by row, so memory is read in order rather than a column at a time.
 */
function boxColumns(src: Float64Array, dst: Float64Array, w: number, h: number, r: number, acc: Float64Array): void {
  if (r === 0) {
    dst.set(src);
    return;
  }
  const scale = 1 / (2 * r + 1);
  acc.fill(0);
  const lim = Math.min(r, h - 1);
  for (let row = 0; row <= lim; row++) {
    const o = row * w;
    for (let c = 0; c < w; c++) acc[c]! += src[o + c]!;
  }
  for (let row = 0; row < h; row++) {
    const o = row * w;
    const a = row + r + 1;
    const s = row - r;
    const ao = a * w;
    const so = s * w;
    if (a < h && s >= 0) {
      for (let c = 0; c < w; c++) {
        dst[o + c] = acc[c]! * scale;
        acc[c]! += src[ao + c]! - src[so + c]!;
      }
    } else if (a < h) {
      for (let c = 0; c < w; c++) {
        dst[o + c] = acc[c]! * scale;
        acc[c]! += src[ao + c]!;
      }
    } else if (s >= 0) {
      for (let c = 0; c < w; c++) {
        dst[o + c] = acc[c]! * scale;
        acc[c]! -= src[so + c]!;
      }
    } else {
      for (let c = 0; c < w; c++) dst[o + c] = acc[c]! * scale;
    }
  }
}

/**
 * Blurs `data` (w×h, row-major) in place with three box filters per axis, approximating a Gaussian of
 * σ = `sigmaCells`; zero is assumed outside the image, so the total is kept except for what spills over the
 * edges. `scratch` (same length) avoids an allocation per call. Cost does not depend on σ.
 */
export function gaussBlur(data: Float64Array, w: number, h: number, sigmaCells: number, scratch: Float64Array = new Float64Array(data.length)): void {
  if (data.length !== w * h || scratch.length < w * h) throw new RangeError('blur buffers do not match the image size');
  const [r1, r2, r3] = boxRadiiForGauss(sigmaCells);
  if (r1 === 0 && r2 === 0 && r3 === 0) return;
  // Down the columns: data → scratch → data → scratch.
  const acc = new Float64Array(w);
  boxColumns(data, scratch, w, h, r1, acc);
  boxColumns(scratch, data, w, h, r2, acc);
  boxColumns(data, scratch, w, h, r3, acc);
  // Along the rows, each row through two row buffers while it is in cache: scratch → data.
  const a = new Float64Array(w);
  const b = new Float64Array(w);
  for (let row = 0; row < h; row++) {
    const o = row * w;
    boxRow(scratch, o, a, 0, w, r1);
    boxRow(a, 0, b, 0, w, r2);
    boxRow(b, 0, data, o, w, r3);
  }
}

function kdeRatio(bs: Float64Array, bn: Float64Array, invPeak: number, minWeight: number, offset: number, out: Float32Array): void {
  for (let c = 0; c < bs.length; c++) {
    const n = bn[c]!;
    out[c] = n > 0 && n * invPeak >= minWeight ? bs[c]! / n + offset : NaN;
  }
}

/**
 * Kernel-weighted mean from binned sums and counts: blur(Σv)/blur(n) with a Gaussian of σ = `sigmaM`
 * (Nadaraya–Watson on cell centres). The kernel weight of a cell is blur(n) scaled to a kernel peak of 1; below
 * `minWeight` the cell has no value. A constant field stays that constant wherever there is a value. Readings
 * outside the grid are not seen, so cells within about 3σ of the grid's edge lack their outside neighbours.
 * `acc` (cell sums, layout above, summed with `offset`) is left unchanged; the blur runs in Float64.
 */
export function kdeFromSums(grid: GridSpec3035, acc: Float32Array, sigmaM: number, minWeight = DEFAULT_MIN_WEIGHT, offset = 0): Float32Array {
  if (!(sigmaM >= 0)) throw new RangeError(`kde sigma ${sigmaM} m is not valid`);
  const { width, height } = grid;
  const cells = cellCount(grid);
  if (acc.length !== cells * 2) throw new RangeError('cell sums do not match the grid');
  const sigmaCells = sigmaM / grid.cellM;
  const bs = new Float64Array(cells);
  const bn = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    bs[c] = acc[2 * c]!;
    bn[c] = acc[2 * c + 1]!;
  }
  const scratch = new Float64Array(cells);
  gaussBlur(bs, width, height, sigmaCells, scratch);
  gaussBlur(bn, width, height, sigmaCells, scratch);
  const peak1d = boxKernelPeak(boxRadiiForGauss(sigmaCells));
  const out = new Float32Array(bs.length);
  kdeRatio(bs, bn, 1 / (peak1d * peak1d), minWeight, offset, out);
  return out;
}

function kdeGrid(grid: GridSpec3035, readings: Readings3035, params: AggregateParams, selection: ReadingSelection, offset: number): { values: Float32Array; count: number } {
  const acc = cellSums(grid);
  const count = binSums(grid, readings, acc, selection, offset);
  const sigmaM = params.sigmaM ?? DEFAULT_KDE_SIGMA_CELLS * grid.cellM;
  return { values: kdeFromSums(grid, acc, sigmaM, params.minWeight ?? DEFAULT_MIN_WEIGHT, offset), count };
}

// ---- inverse distance ----------------------------------------------------------------------------------------------

/** Indices of the selected readings with finite coordinates and value (the stations IDW works with). */
export function selectedIndices(readings: Readings3035, selection: ReadingSelection): Uint32Array {
  const n = checkReadings(readings);
  const { x, y, value, tMs } = readings;
  const keep = (i: number): boolean => Number.isFinite(x[i]!) && Number.isFinite(y[i]!) && !Number.isNaN(value[i]!);
  const out: number[] = [];
  if (selection instanceof Uint32Array) {
    for (const i of selection) if (i < n && keep(i)) out.push(i);
  } else if (isWindow(selection)) {
    if (!tMs) throw new RangeError('a time window needs readings with tMs');
    for (let i = 0; i < n; i++) if (tMs[i]! >= selection.t0Ms && tMs[i]! < selection.t1Ms && keep(i)) out.push(i);
  } else {
    const start = Math.max(0, selection?.start ?? 0);
    const end = Math.min(n, selection?.end ?? n);
    for (let i = start; i < end; i++) if (keep(i)) out.push(i);
  }
  return Uint32Array.from(out);
}

function idwCells(
  sx: Float64Array, sy: Float64Array, sv: Float64Array, acc: Float32Array, offset: number,
  x0: number, y0: number, cell: number, w: number, h: number, power: number, radius: number, out: Float32Array,
): void {
  const r2 = radius * radius;
  const halfPower = power / 2;
  const squared = power === 2;
  const near = new Uint32Array(sx.length);
  for (let row = 0; row < h; row++) {
    const cy = y0 - (row + 0.5) * cell;
    // Stations that can reach this row at all.
    let m = 0;
    for (let s = 0; s < sy.length; s++) if (Math.abs(sy[s]! - cy) <= radius) near[m++] = s;
    for (let col = 0; col < w; col++) {
      const c = row * w + col;
      const k = acc[2 * c + 1]!;
      if (k > 0) {
        out[c] = acc[2 * c]! / k + offset;
        continue;
      }
      const cx = x0 + (col + 0.5) * cell;
      let num = 0;
      let den = 0;
      for (let j = 0; j < m; j++) {
        const s = near[j]!;
        const dx = sx[s]! - cx;
        const dy = sy[s]! - cy;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        const wt = squared ? 1 / d2 : Math.pow(d2, -halfPower);
        num += wt * sv[s]!;
        den += wt;
      }
      out[c] = den > 0 ? num / den : NaN;
    }
  }
}

/**
 * Inverse-distance weighting (Shepard) of the selected readings at cell centres, exact per cell: a cell holding
 * readings takes their mean (the interpolant passes through the data, at grid resolution); any other cell takes
 * Σ wᵢvᵢ / Σ wᵢ with wᵢ = dᵢ^−power over the readings within `radiusM`, and no value when there are none.
 * Readings outside the grid but within the radius count. Meant for sparse stations (tens to hundreds): the
 * cost is cells × stations near each row.
 */
export function idwGrid(
  grid: GridSpec3035, readings: Readings3035, selection: ReadingSelection,
  power = DEFAULT_IDW_POWER, radiusM = DEFAULT_IDW_RADIUS_M, offset = 0,
): { values: Float32Array; count: number } {
  checkGrid(grid);
  if (!(power > 0) || !(radiusM > 0)) throw new RangeError(`idw power ${power} or radius ${radiusM} m is not valid`);
  const idx = selectedIndices(readings, selection);
  const sx = new Float64Array(idx.length);
  const sy = new Float64Array(idx.length);
  const sv = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    sx[k] = readings.x[i]!;
    sy[k] = readings.y[i]!;
    sv[k] = readings.value[i]!;
  }
  const acc = cellSums(grid);
  const count = binSums(grid, readings, acc, idx, offset);
  const values = new Float32Array(cellCount(grid));
  idwCells(sx, sy, sv, acc, offset, grid.xMinM, grid.yMaxM, grid.cellM, grid.width, grid.height, power, radiusM, values);
  return { values, count };
}

// ---- time ---------------------------------------------------------------------------------------------------------

export interface TimeBuckets {
  /** Reading indices grouped by step, ascending within a step; only readings inside the steps' range. */
  readonly order: Uint32Array;
  /** Step s holds order[offsets[s] .. offsets[s+1]); offsets[steps] = order.length. */
  readonly offsets: Uint32Array;
}

/** Steps are stored per reading in 16 bits; this value marks a reading outside the steps. */
const NO_STEP = 0xffff;
/** More steps than any slider shows; keeps a step index in 16 bits. */
export const MAX_STEPS = NO_STEP - 1;

/**
 * Pass 1 of the counting sort: the step of every reading into `stepOf` (NO_STEP outside) and the count per step
 * into counts[s + 1]. Division, not a multiplication by 1/step: the product is not exact for every step length,
 * and a reading on a step boundary must land where the window [t0 + s·step, t0 + (s+1)·step) puts it. Storing
 * the step costs two bytes per reading and spares pass 2 reading the times again and dividing (measured:
 * 135 ms instead of 155 ms for 10 million readings).
 */
function countSteps(t: Float64Array, t0: number, step: number, steps: number, counts: Uint32Array, stepOf: Uint16Array): void {
  for (let i = 0; i < t.length; i++) {
    const f = (t[i]! - t0) / step;
    if (f >= 0 && f < steps) {
      const s = f | 0;
      stepOf[i] = s;
      counts[s + 1]!++;
    } else {
      stepOf[i] = NO_STEP;
    }
  }
}

function scatterSteps(stepOf: Uint16Array, next: Uint32Array, order: Uint32Array): void {
  for (let i = 0; i < stepOf.length; i++) {
    const s = stepOf[i]!;
    if (s !== NO_STEP) order[next[s]!++] = i;
  }
}

function checkSteps(t0Ms: number, stepMs: number, steps: number): void {
  if (!(stepMs > 0) || !Number.isFinite(t0Ms) || !(Number.isInteger(steps) && steps >= 0 && steps <= MAX_STEPS)) {
    throw new RangeError(`time steps ${steps} × ${stepMs} ms from ${t0Ms} are not valid`);
  }
}

/** Pass 1 and the prefix sum: the step per reading and each step's start (offsets, steps + 1 long). */
function stepsOf(tMs: Float64Array, t0Ms: number, stepMs: number, steps: number): { stepOf: Uint16Array; offsets: Uint32Array } {
  checkSteps(t0Ms, stepMs, steps);
  const stepOf = new Uint16Array(tMs.length);
  const offsets = new Uint32Array(steps + 1);
  countSteps(tMs, t0Ms, stepMs, steps, offsets, stepOf);
  for (let s = 0; s < steps; s++) offsets[s + 1]! += offsets[s]!;
  return { stepOf, offsets };
}

/**
 * Counting sort of reading indices by time step: step s is [t0Ms + s·stepMs, t0Ms + (s+1)·stepMs). Two passes
 * over the readings' times and none over the rest, so a scrub over all steps then touches each reading once
 * instead of once per step. Readings outside [t0Ms, t0Ms + steps·stepMs) or with a NaN time are left out.
 */
export function bucketByTime(tMs: Float64Array, t0Ms: number, stepMs: number, steps: number): TimeBuckets {
  const { stepOf, offsets } = stepsOf(tMs, t0Ms, stepMs, steps);
  const order = new Uint32Array(offsets[steps]!);
  scatterSteps(stepOf, offsets.slice(0, steps), order);
  return { order, offsets };
}

// ---- jobs ---------------------------------------------------------------------------------------------------------

/**
 * GridValues and the number of readings used for them, by the job's operation. `offset`: a value near the data
 * (see the cell sums above); jobs use the middle of their colour domain.
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
  const [min, max] = valueRange(values);
  return { grid, values, rgba: colourize(values, colour), count, min, max };
}

export interface SeriesValues {
  /** steps.count frames back to back (types.ts, Series). */
  readonly values: Float32Array;
  readonly counts: Uint32Array;
}

/**
 * Readings bucketed by time step and reduced to what binning needs, in step order: reading k of step s (k in
 * offsets[s] .. offsets[s+1]) falls in cell `cell[k]` (NO_CELL when outside the grid or without a value) with
 * `value[k]` − offset. Eight bytes per reading, read in order per step.
 */
export interface StepCells {
  readonly cell: Uint32Array;
  readonly value: Float32Array;
  readonly offsets: Uint32Array;
}

export const NO_CELL = 0xffffffff;

function scatterStepCells(
  x: Float64Array, y: Float64Array, v: Float32Array, stepOf: Uint16Array, offset: number,
  x0: number, y0: number, inv: number, w: number, h: number, next: Uint32Array, cellOut: Uint32Array, valueOut: Float32Array,
): void {
  for (let i = 0; i < stepOf.length; i++) {
    const s = stepOf[i]!;
    if (s === NO_STEP) continue;
    const k = next[s]!++;
    const fx = (x[i]! - x0) * inv;
    const fy = (y0 - y[i]!) * inv;
    const val = v[i]!;
    const inside = fx >= 0 && fx < w && fy >= 0 && fy < h && val === val;
    cellOut[k] = inside ? (fy | 0) * w + (fx | 0) : NO_CELL;
    valueOut[k] = val - offset;
  }
}

/**
 * Buckets the readings by time step (the counting sort of `bucketByTime`) and, in the same pass, works out each
 * one's cell, so the steps are then binned from two small arrays read in order rather than by gathering x, y,
 * value of scattered readings per step (measured for 10 million readings over 24 steps: 1.1 s for gathering
 * through `bucketByTime`'s order, a quarter of that this way: every step would touch a cache line per array per
 * reading).
 */
export function stepCells(grid: GridSpec3035, readings: Readings3035, steps: TimeSteps, offset = 0): StepCells {
  checkGrid(grid);
  checkReadings(readings);
  const t = readings.tMs;
  if (!t) throw new RangeError('time steps need readings with tMs');
  const { stepOf, offsets } = stepsOf(t, steps.t0Ms, steps.stepMs, steps.count);
  const n = offsets[steps.count]!;
  const cell = new Uint32Array(n);
  const value = new Float32Array(n);
  scatterStepCells(readings.x, readings.y, readings.value, stepOf, offset,
    grid.xMinM, grid.yMaxM, 1 / grid.cellM, grid.width, grid.height, offsets.slice(0, steps.count), cell, value);
  return { cell, value, offsets };
}

function sumStepCells(cell: Uint32Array, value: Float32Array, start: number, end: number, acc: Float32Array): number {
  let added = 0;
  for (let k = start; k < end; k++) {
    const c = cell[k]!;
    if (c === NO_CELL) continue;
    acc[2 * c]! += value[k]!;
    acc[2 * c + 1]! += 1;
    added++;
  }
  return added;
}

/** Adds step `s` of `stepCells` into cell sums (summed with the offset `stepCells` was given). */
export function binStep(cells: StepCells, s: number, acc: Float32Array): number {
  return sumStepCells(cells.cell, cells.value, cells.offsets[s]!, cells.offsets[s + 1]!, acc);
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
  const bucketed = stepCells(grid, readings, steps, offset);
  const acc = cellSums(grid);
  for (let s = 0; s < steps.count; s++) {
    await beforeStep(s);
    acc.fill(0);
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
  return { values, counts };
}

// ---- grid choice --------------------------------------------------------------------------------------------------

/** Cell sizes a heatmap uses, metres: round numbers, so grids at different zooms nest or at least line up often. */
export const CELL_LADDER_M = [100, 200, 250, 500, 1000, 2000, 2500, 5000] as const;
export const MIN_CELL_M = 100;
export const MAX_CELL_M = 5000;

/** About this many cells across the view: near the screen's resolution on a heatmap, and a 512² frame stays cheap. */
export const DEFAULT_CELLS_ACROSS = 512;

/**
 * Cell size for a view `viewWidthM` metres across (the viewport's ground width; from the camera height h with
 * Cesium's default 60° field of view, about 1.15·h·aspect): the smallest ladder step that keeps at most
 * `cellsAcross` cells across, so 100 m when zoomed in and 5 km at most. A non-finite width gives 5 km.
 */
export function cellSizeForView(viewWidthM: number, cellsAcross = DEFAULT_CELLS_ACROSS): number {
  const raw = viewWidthM / Math.max(1, cellsAcross);
  if (!Number.isFinite(raw)) return MAX_CELL_M;
  for (const step of CELL_LADDER_M) if (step >= raw) return step;
  return MAX_CELL_M;
}

/** The next coarser cell size: the next ladder step, or twice the size beyond the ladder. */
function coarser(cellM: number): number {
  for (const step of CELL_LADDER_M) if (step > cellM) return step;
  return cellM * 2;
}

/** Largest grid side: 1024² float cells are 4 MB, and a texture side every WebGL implementation takes. */
export const MAX_GRID_CELLS = 1024;

/**
 * The grid covering `extent` with cells of `cellM`, its edges on multiples of `cellM` in EPSG:3035, so grids of
 * any layer or time with the same cell size share their cell boundaries. When the extent needs more than
 * `maxCells` cells on a side the cells are made coarser (next ladder step, then doubling) until it fits, rather
 * than cutting the view short.
 */
export function gridForExtent(extent: Extent3035, cellM: number, maxCells = MAX_GRID_CELLS): GridSpec3035 {
  const { xMinM, yMinM, xMaxM, yMaxM } = extent;
  if (![xMinM, yMinM, xMaxM, yMaxM].every(Number.isFinite) || xMaxM < xMinM || yMaxM < yMinM) {
    throw new RangeError(`extent ${xMinM}, ${yMinM}, ${xMaxM}, ${yMaxM} is not a rectangle`);
  }
  if (!(cellM > 0 && Number.isFinite(cellM)) || !(maxCells >= 1)) throw new RangeError(`cell size ${cellM} m or limit ${maxCells} is not valid`);
  let cell = cellM;
  for (;;) {
    const x0 = Math.floor(xMinM / cell) * cell;
    const y1 = Math.ceil(yMaxM / cell) * cell;
    const width = Math.max(1, Math.ceil(xMaxM / cell) - Math.floor(xMinM / cell));
    const height = Math.max(1, Math.ceil(yMaxM / cell) - Math.floor(yMinM / cell));
    if (width <= maxCells && height <= maxCells) return { xMinM: x0, yMaxM: y1, cellM: cell, width, height };
    cell = coarser(cell);
  }
}

/** The EPSG:3035 rectangle a grid covers. */
export function extentOfGrid(grid: GridSpec3035): Extent3035 {
  return { xMinM: grid.xMinM, yMinM: grid.yMaxM - grid.height * grid.cellM, xMaxM: grid.xMinM + grid.width * grid.cellM, yMaxM: grid.yMaxM };
}
