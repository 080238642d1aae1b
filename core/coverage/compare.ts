/**
 * A against B on the analysis grid (two operators, two countries' networks, a scenario and its baseline): the
 * difference in dB and who covers each cell, as grids and as lon/lat images for the globe.
 *
 * The difference and the classes come out of one pass over the cells into the two outputs and nothing else
 * (4096² cells: 218 MB read and written once), which is what keeps a swipe between scenarios interactive: with
 * WebAssembly SIMD where it runs (`simd-diff.ts`), else a scalar loop with the same answers.
 */
import { colourize } from '../aggregation/colour';
import { imageSpecForGrid, warpToLonLat } from '../aggregation/warp';
import { simdDiffKernel } from './simd-diff';
import type { CompareJob, CompareResult, GridSpec3035, LonLatImageSpec, NoPrediction } from './types';

export const CLASS_NEITHER = 0;
export const CLASS_ONLY_A = 1;
export const CLASS_ONLY_B = 2;
export const CLASS_BOTH = 3;
export const CLASS_NO_DATA = 255;

/**
 * RGBA of the four classes (class 255, no data, is transparent), from the Okabe–Ito palette, told apart with
 * every common colour-vision deficiency: A blue, B orange, both bluish green, neither a light grey that lets
 * the terrain show through.
 */
export const CLASS_COLOURS: Readonly<Record<0 | 1 | 2 | 3, readonly [number, number, number, number]>> = {
  0: [187, 187, 187, 140],
  1: [0, 114, 178, 230],
  2: [230, 159, 0, 230],
  3: [0, 158, 115, 230],
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface DiffAndClasses {
  readonly diffDb: Float32Array;
  readonly classes: Uint8Array;
}

/**
 * A − B in dB (NaN where either has no prediction) and the class of every cell: 1 only A ≥ `coveredDbm`, 2 only
 * B, 3 both, 0 neither, 255 no data in A or B. One pass; writes into `diffOut`/`classesOut` when given.
 * WebAssembly SIMD where it runs (`simd-diff.ts`, same answers), else a scalar loop; `useSimd` false forces the
 * scalar loop (tests, benches).
 */
export function diffAndClasses(a: Float32Array, b: Float32Array, coveredDbm: number, diffOut?: Float32Array, classesOut?: Uint8Array, useSimd = true): DiffAndClasses {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`A has ${n} cells, B ${b.length}`);
  const diffDb = diffOut ?? new Float32Array(n);
  const classes = classesOut ?? new Uint8Array(n);
  if (diffDb.length !== n || classes.length !== n) throw new RangeError('outputs do not match the grids');
  const simd = useSimd ? simdDiffKernel() : null;
  diffLoopScalar(a, b, coveredDbm, diffDb, classes, simd ? simd(a, b, coveredDbm, diffDb, classes, n) : 0, n);
  return { diffDb, classes };
}

/** Class of one cell from A, B and A − B (NaN when either is): the NaN test is one comparison on the difference. */
function classOf(va: number, vb: number, d: number, t: number): number {
  return d === d ? (va >= t ? 1 : 0) | (vb >= t ? 2 : 0) : CLASS_NO_DATA;
}

/**
 * The scalar loop from cell `from` on, arrays as parameters (the JIT keeps them in registers): what runs where
 * WebAssembly SIMD cannot (`simd-diff.ts`), and the last few cells after it. Four cells a turn: their classes go
 * out as one 32-bit store (cell k in byte k of a little-endian word: every platform a browser runs on), which
 * takes about a quarter off against a byte store per cell. A big-endian platform, or an output not on a 4-byte
 * boundary, takes the byte-by-byte loop.
 */
export function diffLoopScalar(a: Float32Array, b: Float32Array, t: number, diff: Float32Array, classes: Uint8Array, from: number, n: number): void {
  let i = from;
  if (LITTLE_ENDIAN && (classes.byteOffset + i) % 4 === 0) {
    const words = new Uint32Array(classes.buffer, classes.byteOffset + i, (n - i) >> 2);
    for (let w = 0; w < words.length; w++, i += 4) {
      const a0 = a[i]!;
      const b0 = b[i]!;
      const a1 = a[i + 1]!;
      const b1 = b[i + 1]!;
      const a2 = a[i + 2]!;
      const b2 = b[i + 2]!;
      const a3 = a[i + 3]!;
      const b3 = b[i + 3]!;
      // NaN − x and x − NaN are NaN: the difference needs no test of its own.
      const d0 = a0 - b0;
      const d1 = a1 - b1;
      const d2 = a2 - b2;
      const d3 = a3 - b3;
      diff[i] = d0;
      diff[i + 1] = d1;
      diff[i + 2] = d2;
      diff[i + 3] = d3;
      words[w] = classOf(a0, b0, d0, t) | (classOf(a1, b1, d1, t) << 8) | (classOf(a2, b2, d2, t) << 16) | (classOf(a3, b3, d3, t) << 24);
    }
  }
  for (; i < n; i++) {
    const va = a[i]!;
    const vb = b[i]!;
    const d = va - vb;
    diff[i] = d;
    classes[i] = classOf(va, vb, d, t);
  }
}

/** The classes' RGBA on the grid (layout of `colourize`'s output): one 32-bit store per cell. */
export function classColours(classes: Uint8Array, out?: Uint8ClampedArray): Uint8ClampedArray {
  const rgba = out ?? new Uint8ClampedArray(classes.length * 4);
  if (rgba.length !== classes.length * 4 || rgba.byteOffset % 4 !== 0) throw new RangeError('rgba output does not match the classes');
  // A 256-word palette indexed by the class byte: unknown class values are transparent like no data.
  const paletteBytes = new Uint8Array(256 * 4);
  for (const k of [CLASS_NEITHER, CLASS_ONLY_A, CLASS_ONLY_B, CLASS_BOTH] as const) paletteBytes.set(CLASS_COLOURS[k], k * 4);
  const palette = new Uint32Array(paletteBytes.buffer);
  const words = new Uint32Array(rgba.buffer, rgba.byteOffset, classes.length);
  for (let i = 0; i < classes.length; i++) words[i] = palette[classes[i]!]!;
  return rgba;
}

/** Both images of a comparison over one lon/lat rectangle (default: the grid's). */
export function compareImages(grid: GridSpec3035, diff: DiffAndClasses, job: Pick<CompareJob, 'diffColour' | 'display'>): { diffImage: Uint8ClampedArray; classImage: Uint8ClampedArray; imageSpec: LonLatImageSpec } {
  const imageSpec = job.display ?? imageSpecForGrid(grid);
  const diffImage = warpToLonLat(colourize(diff.diffDb, job.diffColour), grid, imageSpec);
  const classImage = warpToLonLat(classColours(diff.classes), grid, imageSpec);
  return { diffImage, classImage, imageSpec };
}

/**
 * Class of a cell where A or B has no prediction, when a side's NaN means "not covered" (`NoPrediction`): the
 * other side alone decides; without that, or with both sides silent, no data.
 */
export function classWithoutPrediction(va: number, vb: number, t: number, noPrediction: NoPrediction): number {
  const hasA = va === va;
  const hasB = vb === vb;
  if (!hasA && noPrediction.a !== 'uncovered') return CLASS_NO_DATA;
  if (!hasB && noPrediction.b !== 'uncovered') return CLASS_NO_DATA;
  return (hasA && va >= t ? CLASS_ONLY_A : 0) | (hasB && vb >= t ? CLASS_ONLY_B : 0);
}

/**
 * Reclassifies the no-data cells by `noPrediction` (a pass over the classes only: the kernel above stays one
 * comparison per cell). The difference stays NaN there: A − B is not defined where one side predicts nothing.
 */
function applyNoPrediction(a: Float32Array, b: Float32Array, t: number, classes: Uint8Array, noPrediction: NoPrediction | undefined): void {
  if (!noPrediction || (noPrediction.a !== 'uncovered' && noPrediction.b !== 'uncovered')) return;
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] === CLASS_NO_DATA) classes[i] = classWithoutPrediction(a[i]!, b[i]!, t, noPrediction);
  }
}

/** The whole comparison (the inputs come back with it). */
export function compareCoverage(job: CompareJob): CompareResult {
  const cells = job.grid.width * job.grid.height;
  if (job.a.length !== cells || job.b.length !== cells) throw new RangeError(`A and B must have ${cells} cells (${job.grid.width}×${job.grid.height})`);
  const diff = diffAndClasses(job.a, job.b, job.thresholds.coveredDbm);
  applyNoPrediction(job.a, job.b, job.thresholds.coveredDbm, diff.classes, job.noPrediction);
  return { ...diff, ...compareImages(job.grid, diff, job), a: job.a, b: job.b };
}
