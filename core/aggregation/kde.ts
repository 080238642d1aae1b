/**
 * Kernel density (Gaussian-weighted mean) from cell sums: the blur of `blur.ts` at full resolution, or on a
 * coarser pyramid level for wide kernels.
 */
import type { AggregateParams, GridSpec3035, Readings3035 } from './types';
import { cellCount, scratchBuffer, scratchSums } from './buffers';
import { binSums, type ReadingSelection } from './bin';
import { boxKernel, boxKernelPeak, boxRadiiForGauss, gaussBlur } from './blur';

export const DEFAULT_MIN_WEIGHT = 0.05;
/** kde without `sigmaM`: two cells, the least that smooths visibly. */
export const DEFAULT_KDE_SIGMA_CELLS = 2;

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
 * their outside neighbours. `acc` (cell sums, layout in `bin.ts`, summed with `offset`) is left unchanged.
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

export function kdeGrid(grid: GridSpec3035, readings: Readings3035, params: AggregateParams, selection: ReadingSelection, offset: number): { values: Float32Array; count: number } {
  const acc = scratchSums(grid);
  const count = binSums(grid, readings, acc, selection, offset);
  const sigmaM = params.sigmaM ?? DEFAULT_KDE_SIGMA_CELLS * grid.cellM;
  return { values: kdeFromSums(grid, acc, sigmaM, params.minWeight ?? DEFAULT_MIN_WEIGHT, offset), count };
}
