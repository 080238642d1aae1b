/**
 * Coverage CSV rows onto the analysis grid: fine source cells averaged per analysis cell, coarse ones filling the
 * analysis cells whose centres they contain.
 */
import { converter, crsInfo, type Converter } from '../geo/crs';
import { yieldToEventLoop } from '../reproject/reproject';
import { DEFAULT_CHUNK_CELLS, cancelCheck, cellCount, type ImportGridHooks } from './import-common';
import type { CsvPlan, CsvRows } from './import-csv-plan';
import { FLAG_COVERED_DBM, type GridSpec3035 } from './types';

/** One group's accumulator on the grid and what placing a row needs. */
interface Burn {
  readonly grid: GridSpec3035;
  readonly sum: Float64Array;
  readonly count: Uint32Array;
  readonly toLaea: Converter | null;
  readonly fromLaea: Converter | null;
  readonly inferred: readonly [number, number];
  /**
   * Metres per source unit, to compare a cell with the grid's (degrees: metres of latitude, the shorter side of a
   * lon/lat cell being its longitude side only north of 60°).
   */
  readonly unitM: number;
}

function addAt(burn: Burn, col: number, row: number, v: number): void {
  const { width, height } = burn.grid;
  if (col < 0 || row < 0 || col >= width || row >= height) return;
  const c = row * width + col;
  burn.sum[c] = burn.sum[c]! + v;
  burn.count[c] = burn.count[c]! + 1;
}

/** Row indices grouped by group, in file order within each (a counting sort: stable, linear). */
function groupOrder(rows: CsvRows, groupCount: number): Uint32Array {
  const starts = new Uint32Array(groupCount + 1);
  for (let i = 0; i < rows.n; i++) starts[rows.group[i]! + 1]!++;
  for (let g = 0; g < groupCount; g++) starts[g + 1] = starts[g + 1]! + starts[g]!;
  const order = new Uint32Array(rows.n);
  const fill = starts.slice(0, groupCount);
  for (let i = 0; i < rows.n; i++) order[fill[rows.group[i]!]!++] = i;
  return order;
}

/** A row given by its cell code (EPSG:3035 SW corner and size). */
function burnCodeRow(burn: Burn, rows: CsvRows, i: number): void {
  const { xMinM, yMaxM, cellM, width, height } = burn.grid;
  const v = rows.value[i]!;
  const e = rows.a[i]!;
  const nn = rows.b[i]!;
  const s = rows.size[i]!;
  if (s < cellM) {
    addAt(burn, Math.floor((e + s / 2 - xMinM) / cellM), Math.floor((yMaxM - (nn + s / 2)) / cellM), v);
    return;
  }
  // Analysis centres inside [e, e + s) × [nn, nn + s).
  const c0 = Math.max(0, Math.ceil((e - xMinM) / cellM - 0.5));
  const c1 = Math.min(width, Math.ceil((e + s - xMinM) / cellM - 0.5));
  const r0 = Math.max(0, Math.floor((yMaxM - nn - s) / cellM - 0.5) + 1);
  const r1 = Math.min(height - 1, Math.floor((yMaxM - nn) / cellM - 0.5));
  for (let row = r0; row <= r1; row++) for (let col = c0; col < c1; col++) addAt(burn, col, row, v);
}

/** A row given by its centre in the source CRS (size from its column or the inferred spacing). */
function burnCentreRow(burn: Burn, rows: CsvRows, i: number): void {
  const { xMinM, yMaxM, cellM, width, height } = burn.grid;
  const { toLaea, fromLaea, inferred } = burn;
  const v = rows.value[i]!;
  const x = rows.a[i]!;
  const y = rows.b[i]!;
  const sx = Number.isNaN(rows.size[i]!) ? inferred[0] : rows.size[i]!;
  const sy = Number.isNaN(rows.size[i]!) ? inferred[1] : rows.size[i]!;
  const coarse = Number.isFinite(sx) && Number.isFinite(sy) && Math.min(sx, sy) * burn.unitM >= cellM;
  const [cx, cy] = toLaea ? (toLaea.forward([x, y]) as [number, number]) : [x, y];
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return;
  if (!coarse) {
    addAt(burn, Math.floor((cx - xMinM) / cellM), Math.floor((yMaxM - cy) / cellM), v);
    return;
  }
  // A coarse source cell, a rectangle in its own CRS: the analysis centres in its EPSG:3035 bounding box
  // are taken back to the source CRS and tested against it.
  let bx0 = Infinity, bx1 = -Infinity, by0 = Infinity, by1 = -Infinity;
  for (const [dx, dy] of [[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]] as const) {
    const [px, py] = toLaea ? (toLaea.forward([x + dx * sx, y + dy * sy]) as [number, number]) : [x + dx * sx, y + dy * sy];
    bx0 = Math.min(bx0, px);
    bx1 = Math.max(bx1, px);
    by0 = Math.min(by0, py);
    by1 = Math.max(by1, py);
  }
  const c0 = Math.max(0, Math.floor((bx0 - xMinM) / cellM));
  const c1 = Math.min(width - 1, Math.floor((bx1 - xMinM) / cellM));
  const r0 = Math.max(0, Math.floor((yMaxM - by1) / cellM));
  const r1 = Math.min(height - 1, Math.floor((yMaxM - by0) / cellM));
  for (let row = r0; row <= r1; row++) {
    const yc = yMaxM - (row + 0.5) * cellM;
    for (let col = c0; col <= c1; col++) {
      const xc = xMinM + (col + 0.5) * cellM;
      const [ux, uy] = fromLaea ? (fromLaea.forward([xc, yc]) as [number, number]) : [xc, yc];
      if (ux >= x - sx / 2 && ux < x + sx / 2 && uy >= y - sy / 2 && uy < y + sy / 2) addAt(burn, col, row, v);
    }
  }
}

/** Folds one group's accumulator into the result: the strongest value per cell. */
function foldGroup(burn: Burn, flags: boolean, values: Float32Array, placed: Uint8Array): void {
  const { sum, count } = burn;
  for (let c = 0; c < values.length; c++) {
    const w = count[c]!;
    if (w === 0) continue;
    placed[c] = 1;
    const mean = sum[c]! / w;
    const val = flags ? (mean >= 0.5 ? FLAG_COVERED_DBM : Number.NaN) : mean;
    const old = values[c]!;
    if (!Number.isNaN(val) && (Number.isNaN(old) || val > old)) values[c] = val;
  }
}

/**
 * Rows -> values on the grid, group by group (operator/technology) into one reused accumulator, keeping per cell
 * the strongest group's value. RSRP means are taken in dB (the typical level of the cell, not a power sum: the
 * sub-cells of one prediction differ by a few dB); flags average to the covered share, covered from one half up.
 */
export async function burnRows(
  grid: GridSpec3035,
  rows: CsvRows,
  groupCount: number,
  plan: CsvPlan,
  inferred: readonly [number, number],
  hooks: ImportGridHooks,
): Promise<{ values: Float32Array; placed: Uint8Array }> {
  const n = cellCount(grid);
  const values = new Float32Array(n).fill(Number.NaN);
  const placed = new Uint8Array(n);
  const laea = plan.epsg === 3035;
  const burn: Burn = {
    grid,
    sum: new Float64Array(n),
    count: new Uint32Array(n),
    toLaea: laea ? null : converter(plan.epsg, 3035),
    fromLaea: laea ? null : converter(3035, plan.epsg),
    inferred,
    unitM: crsInfo(plan.epsg).geographic ? 111_320 : 1,
  };
  const chunk = hooks.chunkCells ?? DEFAULT_CHUNK_CELLS;
  const order = groupOrder(rows, groupCount);
  const total = rows.n + groupCount * n;
  let done = 0;
  let k = 0;
  for (let g = 0; g < groupCount; g++) {
    burn.sum.fill(0);
    burn.count.fill(0);
    for (; k < rows.n && rows.group[order[k]!] === g; k++) {
      if (k > 0 && k % chunk === 0) {
        cancelCheck(hooks);
        hooks.onProgress?.(0.7 + (0.3 * done) / total);
        await yieldToEventLoop();
      }
      done++;
      if (plan.cellCode >= 0) burnCodeRow(burn, rows, order[k]!);
      else burnCentreRow(burn, rows, order[k]!);
    }
    foldGroup(burn, plan.value < 0, values, placed);
    done += n;
    cancelCheck(hooks);
    hooks.onProgress?.(0.7 + (0.3 * done) / total);
    await yieldToEventLoop();
  }
  return { values, placed };
}
