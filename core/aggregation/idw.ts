/**
 * Inverse-distance weighting of sparse stations at cell centres.
 */
import type { GridSpec3035, Readings3035 } from './types';
import { cellCount, checkGrid, checkReadings, scratchSums } from './buffers';
import { binSums, isWindow, type ReadingSelection } from './bin';

export const DEFAULT_IDW_POWER = 2;
export const DEFAULT_IDW_RADIUS_M = 40_000;
/** idw costs cells × readings: 2,000 readings on a 512² grid are about a second, and a frame cannot be cancelled midway. */
export const MAX_IDW_READINGS = 2000;

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
