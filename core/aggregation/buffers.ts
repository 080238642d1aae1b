/**
 * Argument checks and the work buffers the aggregation kernels share (see `aggregate.ts` on the kernels).
 */
import type { GridSpec3035, Readings3035 } from './types';

export const cellCount = (grid: GridSpec3035): number => grid.width * grid.height;

export function checkGrid(grid: GridSpec3035): void {
  const { width, height, cellM, xMinM, yMaxM } = grid;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`grid size ${width}×${height} is not a positive whole number of cells`);
  }
  if (!(cellM > 0 && Number.isFinite(cellM) && Number.isFinite(xMinM) && Number.isFinite(yMaxM))) {
    throw new RangeError(`grid origin (${xMinM}, ${yMaxM}) or cell size ${cellM} m is not valid`);
  }
}

export function checkReadings(r: Readings3035): number {
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
export function scratchBuffer(slot: number, len: number): Float32Array {
  if (!workBuffers[slot] || workBuffers[slot].length < len) workBuffers[slot] = new Float32Array(len);
  return workBuffers[slot].subarray(0, len);
}

/**
 * The per-reading buffers of a series (10 bytes a reading: 100 MB for 10 million), kept for the next one: a
 * scrub recomputes its series whenever the view moves, and fresh memory of that size costs 45 ms of page faults,
 * a sixth of the series. `releaseWorkBuffers` lets them go.
 */
let keyBuffer: Uint16Array | null = null;
let cellBuffer: Uint32Array | null = null;
let valueBuffer: Float32Array | null = null;
export const keptKeys = (len: number): Uint16Array => (keyBuffer && keyBuffer.length >= len ? keyBuffer : (keyBuffer = new Uint16Array(len))).subarray(0, len);
export const keptCells = (len: number): Uint32Array => (cellBuffer && cellBuffer.length >= len ? cellBuffer : (cellBuffer = new Uint32Array(len))).subarray(0, len);
export const keptValues = (len: number): Float32Array => (valueBuffer && valueBuffer.length >= len ? valueBuffer : (valueBuffer = new Float32Array(len))).subarray(0, len);

/** Drops the buffers kept between frames and series (the aggregation API does so once it has been idle a while). */
export function releaseWorkBuffers(): void {
  workBuffers.length = 0;
  keyBuffer = null;
  cellBuffer = null;
  valueBuffer = null;
}

const SUMS_SLOT = 3;
/** A zeroed cell-sums accumulator from the scratch buffers, valid until the next call that uses it. */
export const scratchSums = (grid: GridSpec3035): Float32Array => scratchBuffer(SUMS_SLOT, cellCount(grid) * 2).fill(0);
