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
import { colourizeWithRange } from './colour';

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
/** idw costs cells × readings: 2,000 readings on a 512² grid are about a second, and a frame cannot be cancelled midway. */
export const MAX_IDW_READINGS = 2000;
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

/**
 * Work buffers kept between frames, by slot (0, 1, 2: blur; 3: cell sums): fresh memory costs a page fault per
 * 4 KB (about 0.5 ms per MB here), which at 512² is a quarter of a blur and a tenth of binning a million
 * readings. They grow to the largest grid seen (about 26 MB for 1024²) and are only used within one synchronous call.
 */
const workBuffers: Float32Array[] = [];
function scratchBuffer(slot: number, len: number): Float32Array {
  if (!workBuffers[slot] || workBuffers[slot].length < len) workBuffers[slot] = new Float32Array(len);
  return workBuffers[slot].subarray(0, len);
}

/** A series is using the kept buffers (between its awaits). */
let seriesRunning = false;
/**
 * The per-reading buffers of a series (10 bytes a reading: 100 MB for 10 million), kept for the next one: a
 * scrub recomputes its series whenever the view moves, and fresh memory of that size costs 45 ms of page faults,
 * a sixth of the series. `releaseWorkBuffers` lets them go.
 */
let keyBuffer: Uint16Array | null = null;
let cellBuffer: Uint32Array | null = null;
let valueBuffer: Float32Array | null = null;
const keptKeys = (len: number): Uint16Array => (keyBuffer && keyBuffer.length >= len ? keyBuffer : (keyBuffer = new Uint16Array(len))).subarray(0, len);
const keptCells = (len: number): Uint32Array => (cellBuffer && cellBuffer.length >= len ? cellBuffer : (cellBuffer = new Uint32Array(len))).subarray(0, len);
const keptValues = (len: number): Float32Array => (valueBuffer && valueBuffer.length >= len ? valueBuffer : (valueBuffer = new Float32Array(len))).subarray(0, len);

/** Drops the buffers kept between frames and series (the aggregation API does so once it has been idle a while). */
export function releaseWorkBuffers(): void {
  workBuffers.length = 0;
  keyBuffer = null;
  cellBuffer = null;
  valueBuffer = null;
}

const SUMS_SLOT = 3;
/** A zeroed cell-sums accumulator from the scratch buffers, valid until the next call that uses it. */
const scratchSums = (grid: GridSpec3035): Float32Array => scratchBuffer(SUMS_SLOT, cellCount(grid) * 2).fill(0);

// ---- binning ----------------------------------------------------------------------------------------------------
// Per-cell accumulator ("cell sums"): Float32Array(2·cells), cell c's Σ(value − offset) at [2c] and its reading
// count at [2c + 1]. Interleaved, so a reading touches one cache line instead of two, and Float32, so a 512²
// grid's accumulator is 2 MB and mostly stays in cache: 1.3–1.8× faster than separate Float64 sums and Uint32
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
  const acc = scratchSums(grid);
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

/** The 1D kernel the boxes make, centred (each box sums to 1, so the kernel does too). */
export function boxKernel(radii: readonly number[]): number[] {
  let k = [1];
  for (const r of radii) {
    const width = 2 * r + 1;
    const next = Array.from({ length: k.length + width - 1 }, () => 0);
    for (let i = 0; i < k.length; i++) for (let j = 0; j < width; j++) next[i + j]! += k[i]! / width;
    k = next;
  }
  return k;
}

/** The centre value of `boxKernel(radii)`. */
export function boxKernelPeak(radii: readonly number[]): number {
  const k = boxKernel(radii);
  return k[(k.length - 1) / 2]!;
}

/**
 * Box filter of radius r along one row of `n` values `stride` apart: src[so + k·stride] → dst[dof + k·stride],
 * zero outside the row. The running sum is a float64 local, so it does not drift across the row. Split into
 * the stretch where the box only gains values, the middle, and the stretch where it only loses them, so the
 * loops carry no bounds tests (a short row, 2r + 1 > n, takes the tested loop).
 */
function boxRow(src: Float32Array, so: number, dst: Float32Array, dof: number, n: number, r: number, stride: number): void {
  if (r === 0) {
    for (let i = 0; i < n; i++) dst[dof + i * stride] = src[so + i * stride]!;
    return;
  }
  const scale = 1 / (2 * r + 1);
  let acc = 0;
  const lim = Math.min(r, n - 1);
  for (let i = 0; i <= lim; i++) acc += src[so + i * stride]!;
  if (2 * r + 1 > n) {
    for (let i = 0; i < n; i++) {
      dst[dof + i * stride] = acc * scale;
      if (i + r + 1 < n) acc += src[so + (i + r + 1) * stride]!;
      if (i - r >= 0) acc -= src[so + (i - r) * stride]!;
    }
    return;
  }
  const add = (r + 1) * stride;
  let i = 0;
  for (; i < r; i++) {
    const k = i * stride;
    dst[dof + k] = acc * scale;
    acc += src[so + k + add]!;
  }
  const sub = r * stride;
  for (; i < n - r - 1; i++) {
    const k = i * stride;
    dst[dof + k] = acc * scale;
    acc += src[so + k + add]! - src[so + k - sub]!;
  }
  for (; i < n; i++) {
    const k = i * stride;
    dst[dof + k] = acc * scale;
    acc -= src[so + k - sub]!;
  }
}

/**
 * Box filter of radius r down the columns, src → dst (w values per row), with one float64 running sum per
 * column (`acc`, w long): the image is walked row by row, so memory is read in order rather than a column at a
 * time.
 */
function boxColumns(src: Float32Array, dst: Float32Array, w: number, h: number, r: number, acc: Float64Array): void {
  if (r === 0) {
    dst.set(src.subarray(0, w * h));
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
 * Blurs a w×h image of `channels` interleaved values per cell (1, or 2 for cell sums) with three box filters
 * per axis, approximating a Gaussian of σ = `sigmaCells`; zero is assumed outside the image, so the total is
 * kept except for what spills over the edges. Reads `src`, writes `dst` (may be `src`); `scratch` is one more
 * image of the same size. Cost does not depend on σ.
 */
export function gaussBlur(
  src: Float32Array, dst: Float32Array, w: number, h: number, sigmaCells: number, channels = 1,
  scratch: Float32Array = new Float32Array(w * h * channels),
): void {
  const len = w * h * channels;
  if (src.length !== len || dst.length !== len || scratch.length < len || scratch === src || scratch === dst) {
    throw new RangeError('blur buffers do not match the image size');
  }
  const [r1, r2, r3] = boxRadiiForGauss(sigmaCells);
  if (r1 === 0 && r2 === 0 && r3 === 0) {
    if (dst !== src) dst.set(src);
    return;
  }
  const rowLen = w * channels;
  // Down the columns (channels interleaved are just more columns): src → scratch → dst → scratch.
  const acc = new Float64Array(rowLen);
  boxColumns(src, scratch, rowLen, h, r1, acc);
  boxColumns(scratch, dst, rowLen, h, r2, acc);
  boxColumns(dst, scratch, rowLen, h, r3, acc);
  // Along the rows, each row through two row buffers while it is in cache: scratch → dst.
  const a = new Float32Array(rowLen);
  const b = new Float32Array(rowLen);
  for (let row = 0; row < h; row++) {
    const o = row * rowLen;
    for (let ch = 0; ch < channels; ch++) {
      boxRow(scratch, o + ch, a, ch, w, r1, channels);
      boxRow(a, ch, b, ch, w, r2, channels);
      boxRow(b, ch, dst, o + ch, w, r3, channels);
    }
  }
}

function kdeRatio(blurred: Float32Array, invPeak: number, minWeight: number, offset: number, out: Float32Array): void {
  for (let c = 0; c < out.length; c++) {
    const n = blurred[2 * c + 1]!;
    out[c] = n > 0 && n * invPeak >= minWeight ? blurred[2 * c]! / n + offset : NaN;
  }
}

/**
 * The coarsening of the pyramid path: the blur of σ cells runs on cells f times larger while σ stays at least 2
 * of them, f a power of two up to 8. The box blur's cost does not depend on σ but on the cell count, so a blur
 * of σ = 5 cells at 512² costs a quarter at 256² (measured in node: 9 ms → 4 ms with the resampling).
 */
export function pyramidFactor(sigmaCells: number): number {
  let f = 1;
  while (f < 8 && sigmaCells / (2 * f) >= 2) f *= 2;
  return f;
}

/** `downsampleSum` for f = 2 and even sides, the common case: four loads per cell instead of the generic block loops. */
function downsampleSum2(src: Float32Array, w: number, dst: Float32Array, cw: number, chh: number): void {
  const len = w * 2;
  for (let cr = 0; cr < chh; cr++) {
    const a = 2 * cr * len;
    const b = a + len;
    const d = cr * cw * 2;
    for (let cc = 0; cc < cw; cc++) {
      const k = 4 * cc;
      dst[d + 2 * cc] = src[a + k]! + src[a + k + 2]! + src[b + k]! + src[b + k + 2]!;
      dst[d + 2 * cc + 1] = src[a + k + 1]! + src[a + k + 3]! + src[b + k + 1]! + src[b + k + 3]!;
    }
  }
}

/** Sums f×f blocks of a two-channel image (w×h) into a coarse one (cw×chh); partial blocks at the edges sum what they have. */
function downsampleSum(src: Float32Array, w: number, h: number, f: number, dst: Float32Array, cw: number, chh: number): void {
  if (f === 2 && w % 2 === 0 && h % 2 === 0) {
    downsampleSum2(src, w, dst, cw, chh);
    return;
  }
  for (let cr = 0; cr < chh; cr++) {
    const r0 = cr * f;
    const r1 = Math.min(h, r0 + f);
    for (let cc = 0; cc < cw; cc++) {
      const c0 = cc * f;
      const c1 = Math.min(w, c0 + f);
      let s0 = 0;
      let s1 = 0;
      for (let row = r0; row < r1; row++) {
        const o = row * w * 2;
        for (let col = c0; col < c1; col++) {
          s0 += src[o + 2 * col]!;
          s1 += src[o + 2 * col + 1]!;
        }
      }
      dst[(cr * cw + cc) * 2] = s0;
      dst[(cr * cw + cc) * 2 + 1] = s1;
    }
  }
}

/** Where fine cell i's centre falls between coarse cell centres: lower index, upper index, weight of the upper. */
function lerpAxis(n: number, coarse: number, f: number): { lo: Int32Array; hi: Int32Array; t: Float32Array } {
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / f - 0.5;
    const u0 = Math.floor(u);
    lo[i] = Math.min(coarse - 1, Math.max(0, u0));
    hi[i] = Math.min(coarse - 1, Math.max(0, u0 + 1));
    t[i] = u - u0;
  }
  return { lo, hi, t };
}

/** Linear interpolation along the rows of a two-channel image: src (cw per row) → dst (w per row), rows [0, rows). */
function lerpRows(src: Float32Array, cw: number, dst: Float32Array, w: number, rows: number, lo: Int32Array, hi: Int32Array, t: Float32Array): void {
  for (let row = 0; row < rows; row++) {
    const so = row * cw * 2;
    const o = row * w * 2;
    for (let col = 0; col < w; col++) {
      const l = so + lo[col]! * 2;
      const r = so + hi[col]! * 2;
      const tx = t[col]!;
      dst[o + 2 * col] = src[l]! + (src[r]! - src[l]!) * tx;
      dst[o + 2 * col + 1] = src[l + 1]! + (src[r + 1]! - src[l + 1]!) * tx;
    }
  }
}

/** Linear interpolation between rows: fine row j = lerp(src row lo[j], src row hi[j], t[j]) times `scale`; rows are `len` values. */
function lerpColumns(src: Float32Array, dst: Float32Array, len: number, h: number, lo: Int32Array, hi: Int32Array, t: Float32Array, scale: number): void {
  for (let row = 0; row < h; row++) {
    const a = lo[row]! * len;
    const b = hi[row]! * len;
    const ty = t[row]!;
    const o = row * len;
    for (let k = 0; k < len; k++) {
      const top = src[a + k]!;
      dst[o + k] = (top + (src[b + k]! - top) * ty) * scale;
    }
  }
}

/**
 * The 1D peak of the pyramid path's kernel: the coarse box kernel, interpolated at where a reading's own fine
 * cell falls (averaged over its f possible positions within its coarse cell), per fine cell.
 */
function pyramidPeak1d(f: number, radii: readonly number[]): number {
  const k = boxKernel(radii);
  const mid = (k.length - 1) / 2;
  const at = (u: number): number => {
    const u0 = Math.floor(u);
    const t = u - u0;
    return (k[mid + u0] ?? 0) * (1 - t) + (k[mid + u0 + 1] ?? 0) * t;
  };
  let sum = 0;
  for (let p = 0; p < f; p++) sum += at((p + 0.5) / f - 0.5 - 0) / f;
  return sum / f;
}

export interface BlurredSums {
  /** Cell sums layout, blurred: Σ(value − offset) and kernel-weighted count per cell. */
  readonly blurred: Float32Array;
  /** The kernel's 2D peak value: a lone reading's weight in its own cell, before scaling to 1. */
  readonly peak: number;
}

/** The pyramid path before its last pass: blurred coarse sums resampled to full width, and how rows interpolate. */
interface PyramidStage {
  readonly wide: Float32Array;
  readonly rows: { lo: Int32Array; hi: Int32Array; t: Float32Array };
  /** 1/f²: coarse sums back to per-fine-cell amounts. */
  readonly norm: number;
}

/** Blurs cell sums up to the last pass: the finished image at full resolution, or the pyramid's last stage. */
function blurStage(acc: Float32Array, width: number, height: number, sigmaCells: number): { blurred: Float32Array | null; stage: PyramidStage | null; peak: number } {
  const len = width * height * 2;
  if (acc.length !== len) throw new RangeError('cell sums do not match the grid');
  const f = pyramidFactor(sigmaCells);
  if (f === 1) {
    const blurred = scratchBuffer(0, len);
    gaussBlur(acc, blurred, width, height, sigmaCells, 2, scratchBuffer(1, len));
    const p = boxKernelPeak(boxRadiiForGauss(sigmaCells));
    return { blurred, stage: null, peak: p * p };
  }
  // Variance the resampling adds per axis, in fine cells²: the position within a block (uniform over f cells)
  // and the bilinear tent (half-width f).
  const added = (f * f - 1) / 12 + (f * f) / 6;
  const sigmaCoarse = Math.sqrt(Math.max(0, sigmaCells * sigmaCells - added)) / f;
  const cw = Math.ceil(width / f);
  const chh = Math.ceil(height / f);
  const coarse = scratchBuffer(2, cw * chh * 2);
  downsampleSum(acc, width, height, f, coarse, cw, chh);
  gaussBlur(coarse, coarse, cw, chh, sigmaCoarse, 2, scratchBuffer(1, cw * chh * 2));
  // Bilinear back, separably: along the coarse rows to full width here, between those rows in the last pass.
  const cols = lerpAxis(width, cw, f);
  const wide = scratchBuffer(1, width * chh * 2);
  lerpRows(coarse, cw, wide, width, chh, cols.lo, cols.hi, cols.t);
  const p = pyramidPeak1d(f, boxRadiiForGauss(sigmaCoarse));
  return { blurred: null, stage: { wide, rows: lerpAxis(height, chh, f), norm: 1 / (f * f) }, peak: p * p };
}

/**
 * Cell sums blurred with a Gaussian of σ = `sigmaCells`: the 3-pass box blur at full resolution, or, for σ of
 * 4 cells and more, on the pyramid level `pyramidFactor` picks (sum f×f blocks, blur with the σ left after the
 * resampling's own spread, bilinear back). The total is kept away from the edges either way. `blurred` is a
 * buffer reused by the next call.
 */
export function blurCellSums(acc: Float32Array, width: number, height: number, sigmaCells: number): BlurredSums {
  const { blurred, stage, peak } = blurStage(acc, width, height, sigmaCells);
  if (blurred) return { blurred, peak };
  const out = scratchBuffer(0, width * height * 2);
  const { wide, rows, norm } = stage!;
  lerpColumns(wide, out, width * 2, height, rows.lo, rows.hi, rows.t, norm);
  return { blurred: out, peak };
}

/** The pyramid's last pass fused with the kde ratio: interpolate both channels between rows and divide. */
function lerpColumnsRatio(
  wide: Float32Array, out: Float32Array, w: number, h: number, lo: Int32Array, hi: Int32Array, t: Float32Array,
  weightScale: number, minWeight: number, offset: number,
): void {
  const len = w * 2;
  for (let row = 0; row < h; row++) {
    const a = lo[row]! * len;
    const b = hi[row]! * len;
    const ty = t[row]!;
    const o = row * w;
    for (let col = 0; col < w; col++) {
      const k = 2 * col;
      const s0 = wide[a + k]!;
      const n0 = wide[a + k + 1]!;
      const sum = s0 + (wide[b + k]! - s0) * ty;
      const n = n0 + (wide[b + k + 1]! - n0) * ty;
      out[o + col] = n > 0 && n * weightScale >= minWeight ? sum / n + offset : NaN;
    }
  }
}

/**
 * Kernel-weighted mean from binned sums and counts: blur(Σv)/blur(n) with a Gaussian of σ = `sigmaM`
 * (Nadaraya–Watson on cell centres; the blur of `blurCellSums`). The kernel weight of a cell is blur(n) scaled
 * to a kernel peak of 1; below `minWeight` the cell has no value. A constant field stays that constant wherever
 * there is a value. Readings outside the grid are not seen, so cells within about 3σ of the grid's edge lack
 * their outside neighbours. `acc` (cell sums, layout above, summed with `offset`) is left unchanged.
 */
export function kdeFromSums(grid: GridSpec3035, acc: Float32Array, sigmaM: number, minWeight = DEFAULT_MIN_WEIGHT, offset = 0): Float32Array {
  if (!(sigmaM >= 0)) throw new RangeError(`kde sigma ${sigmaM} m is not valid`);
  const cells = cellCount(grid);
  if (acc.length !== cells * 2) throw new RangeError('cell sums do not match the grid');
  const { blurred, stage, peak } = blurStage(acc, grid.width, grid.height, sigmaM / grid.cellM);
  const out = new Float32Array(cells);
  if (blurred) {
    kdeRatio(blurred, 1 / peak, minWeight, offset, out);
  } else {
    const { wide, rows, norm } = stage!;
    lerpColumnsRatio(wide, out, grid.width, grid.height, rows.lo, rows.hi, rows.t, norm / peak, minWeight, offset);
  }
  return out;
}

function kdeGrid(grid: GridSpec3035, readings: Readings3035, params: AggregateParams, selection: ReadingSelection, offset: number): { values: Float32Array; count: number } {
  const acc = scratchSums(grid);
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
  if (idx.length > MAX_IDW_READINGS) {
    throw new RangeError(`idw is for sparse stations: ${idx.length} readings (at most ${MAX_IDW_READINGS}); use mean or kde for dense data`);
  }
  const sx = new Float64Array(idx.length);
  const sy = new Float64Array(idx.length);
  const sv = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    sx[k] = readings.x[i]!;
    sy[k] = readings.y[i]!;
    sv[k] = readings.value[i]!;
  }
  const acc = scratchSums(grid);
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
  const { rgba, min, max } = colourizeWithRange(values, colour);
  return { grid, values, rgba, count, min, max };
}

export interface SeriesValues {
  /** steps.count frames back to back (types.ts, Series). */
  readonly values: Float32Array;
  readonly counts: Uint32Array;
}

/**
 * Readings bucketed by time step and reduced to what binning needs, in step order: reading k of step s (k in
 * offsets[s] .. offsets[s+1]) falls in cell `cell[k]` (NO_CELL when outside the grid or without a value) with
 * `value[k]` − offset. Eight bytes per reading, read in order per step. Within a step the readings are further
 * grouped by band of grid rows (see `bandRows`), north to south.
 */
export interface StepCells {
  readonly cell: Uint32Array;
  readonly value: Float32Array;
  readonly offsets: Uint32Array;
}

export const NO_CELL = 0xffffffff;

/**
 * Rows per band when a step's readings are grouped by band: the band's share of the cell sums (8 bytes a cell)
 * stays within 256 KB, so binning one band at a time hits the core's L2 cache instead of main memory. Measured
 * in node for 10 million readings over 24 steps at 512² (8 bands): binning 60 → 42 ms, the whole scrub 245 → 199 ms.
 */
export function bandRows(width: number): number {
  return Math.max(1, Math.floor(32_768 / width));
}

/**
 * Pass 1 of `stepCells`' counting sort, the key of a reading being step·bands + band: the key per reading into
 * `keyOf` (NO_STEP outside the steps) and the count per key into counts[key + 1]. Division for the step as in
 * `countSteps`; a reading above or below the grid goes to the nearest band (pass 2 finds it has no cell).
 */
function countStepBands(
  t: Float64Array, y: Float64Array, t0: number, step: number, steps: number,
  y0: number, invBand: number, bands: number, counts: Uint32Array, keyOf: Uint16Array,
): void {
  for (let i = 0; i < t.length; i++) {
    const f = (t[i]! - t0) / step;
    if (f >= 0 && f < steps) {
      let b = ((y0 - y[i]!) * invBand) | 0;
      b = b < 0 ? 0 : b >= bands ? bands - 1 : b;
      const k = (f | 0) * bands + b;
      keyOf[i] = k;
      counts[k + 1]!++;
    } else {
      keyOf[i] = NO_STEP;
    }
  }
}

function scatterStepCells(
  x: Float64Array, y: Float64Array, v: Float32Array, keyOf: Uint16Array, offset: number,
  x0: number, y0: number, inv: number, w: number, h: number, next: Uint32Array, cellOut: Uint32Array, valueOut: Float32Array,
): void {
  for (let i = 0; i < keyOf.length; i++) {
    const key = keyOf[i]!;
    if (key === NO_STEP) continue;
    const k = next[key]!++;
    const fx = (x[i]! - x0) * inv;
    const fy = (y0 - y[i]!) * inv;
    const val = v[i]!;
    const inside = fx >= 0 && fx < w && fy >= 0 && fy < h && val === val;
    cellOut[k] = inside ? (fy | 0) * w + (fx | 0) : NO_CELL;
    valueOut[k] = val - offset;
  }
}

/**
 * Buckets the readings by time step (a counting sort, as `bucketByTime`, keyed by step and band of rows) and, in
 * the same pass, works out each one's cell, so the steps are then binned from two small arrays read in order
 * rather than by gathering x, y, value of scattered readings per step (measured for 10 million readings over 24
 * steps: 1.1 s for gathering through `bucketByTime`'s order, a fifth of that this way: every step would touch a
 * cache line per array per reading). With `reuse` the arrays are the kept series buffers, valid until the next
 * call with `reuse`.
 */
export function stepCells(grid: GridSpec3035, readings: Readings3035, steps: TimeSteps, offset = 0, reuse = false): StepCells {
  checkGrid(grid);
  checkReadings(readings);
  const t = readings.tMs;
  if (!t) throw new RangeError('time steps need readings with tMs');
  const { t0Ms, stepMs, count } = steps;
  checkSteps(t0Ms, stepMs, count);
  const rows = bandRows(grid.width);
  // Keys are 16 bits: with very many steps, fewer (taller) bands.
  const bands = Math.max(1, Math.min(Math.ceil(grid.height / rows), Math.floor(MAX_STEPS / Math.max(1, count))));
  const keys = count * bands;
  const keyOf = reuse ? keptKeys(t.length) : new Uint16Array(t.length);
  const keyOffsets = new Uint32Array(keys + 1);
  countStepBands(t, readings.y, t0Ms, stepMs, count, grid.yMaxM, 1 / (grid.cellM * Math.ceil(grid.height / bands)), bands, keyOffsets, keyOf);
  for (let k = 0; k < keys; k++) keyOffsets[k + 1]! += keyOffsets[k]!;
  const n = keyOffsets[keys]!;
  const cell = reuse ? keptCells(n) : new Uint32Array(n);
  const value = reuse ? keptValues(n) : new Float32Array(n);
  scatterStepCells(readings.x, readings.y, readings.value, keyOf, offset,
    grid.xMinM, grid.yMaxM, 1 / grid.cellM, grid.width, grid.height, keyOffsets.slice(0, keys), cell, value);
  const offsets = Uint32Array.from({ length: count + 1 }, (_, s) => keyOffsets[s * bands]!);
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
