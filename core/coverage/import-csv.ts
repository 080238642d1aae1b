/**
 * A coverage CSV, streamed row by row into `CsvRows` and then burned onto the analysis grid (`import-burn.ts`).
 */
import type Papa from 'papaparse';
import { crsInfo } from '../geo/crs';
import { isBlankRow, parseNumeral, streamCsvRows } from '../formats/import/csv';
import { parseCrsName } from '../formats/import/detect-crs';
import { JobCancelledError, yieldToEventLoop } from '../reproject/reproject';
import { RSRP_RANGE_DBM, grdText, type ImportGridHooks, type Warnings } from './import-common';
import { parseCellCode, planCsv, type CsvPlan, type CsvRows } from './import-csv-plan';
import { burnRows } from './import-burn';
import { CoverageInputError, type ImportedGrid, type ImportGridJob } from './types';

const DEFAULT_CHUNK_CHARS = 1 << 19;

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'ano', 'ja', 'covered', 'x']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'ne', 'nein', '']);

function growRows(r: CsvRows): void {
  const cap = Math.max(1024, r.a.length * 2);
  const grow = <T extends Float64Array | Float32Array | Uint16Array>(old: T, make: (n: number) => T): T => {
    const next = make(cap);
    next.set(old);
    return next;
  };
  r.a = grow(r.a, (k) => new Float64Array(k));
  r.b = grow(r.b, (k) => new Float64Array(k));
  r.size = grow(r.size, (k) => new Float64Array(k));
  r.value = grow(r.value, (k) => new Float32Array(k));
  r.group = grow(r.group, (k) => new Uint16Array(k));
}

function parseFlag(cell: string): number {
  const t = cell.trim().toLowerCase();
  if (t === '') return Number.NaN;
  if (TRUE_WORDS.has(t)) return 1;
  if (FALSE_WORDS.has(t)) return 0;
  return Number.NaN;
}

/** The smallest gap between distinct values (rounded to `quantum`), Infinity with fewer than two. */
function smallestGap(values: Float64Array, n: number, quantum: number): number {
  const q = Float64Array.from(values.subarray(0, n), (v) => Math.round(v / quantum));
  q.sort();
  let gap = Infinity;
  for (let i = 1; i < n; i++) if (q[i]! > q[i - 1]!) gap = Math.min(gap, q[i]! - q[i - 1]!);
  return gap * quantum;
}

/** What the rows read so far hold: the cells kept, and the operators, technologies and groups seen. */
interface CsvReadState {
  readonly rows: CsvRows;
  readonly operators: Map<string, string>;
  readonly technologies: Map<string, string>;
  readonly groups: Map<string, number>;
  readonly groupNames: string[];
  dataRows: number;
  firstCrs: number | null;
}

/** The row's cell: its code's SW corner and size, or its centre as written (axes in CRS order); null (and a warning) when unreadable. */
function cellOfRow(plan: CsvPlan, row: string[], line: number, decimalComma: boolean, warnings: Warnings, state: CsvReadState): { a: number; b: number; size: number } | null {
  const { columns } = plan;
  if (plan.cellCode >= 0) {
    const code = (row[plan.cellCode] ?? '').trim();
    const c = parseCellCode(code);
    if (!c) {
      warnings.add(`line ${line}: "${code}" in column "${columns[plan.cellCode]}" is not a grid cell code; row skipped`);
      return null;
    }
    return { a: c.eM, b: c.nM, size: c.sizeM };
  }
  const xs = row[plan.x] ?? '';
  const ys = row[plan.y] ?? '';
  const x = parseNumeral(xs, decimalComma);
  const y = parseNumeral(ys, decimalComma);
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    const [bad, col] = Number.isFinite(x) ? [ys, plan.y] : [xs, plan.x];
    warnings.add(bad.trim() === '' ? `line ${line}: column "${columns[col]}" is empty; row skipped` : `line ${line}: "${bad}" in column "${columns[col]}" is not a coordinate; row skipped`);
    return null;
  }
  if (plan.crsCol >= 0) {
    // One CRS per file: the first row's declaration (which the detection weighed) holds for all rows.
    const t = (row[plan.crsCol] ?? '').trim();
    if (t !== '') {
      const code = parseCrsName(t).horizontal;
      state.firstCrs ??= code;
      if (code !== state.firstCrs) {
        warnings.add(`line ${line}: "${t}" in column "${columns[plan.crsCol]}" differs from the CRS of the rows before it (EPSG:${state.firstCrs}); row skipped (one CRS per file)`);
        return null;
      }
    }
  }
  const [a, b] = plan.swapAxes ? [y, x] : [x, y];
  let size = Number.NaN;
  if (plan.size >= 0) {
    const s = parseNumeral(row[plan.size] ?? '', decimalComma);
    if (Number.isFinite(s) && s > 0) size = s;
  }
  return { a, b, size };
}

/** The row's RSRP in dBm or covered flag; null (and a warning) when unreadable or implausible. */
function valueOfRow(plan: CsvPlan, row: string[], line: number, decimalComma: boolean, warnings: Warnings): number | null {
  const { columns } = plan;
  if (plan.value >= 0) {
    const cell = row[plan.value] ?? '';
    const v = parseNumeral(cell, decimalComma);
    if (!Number.isFinite(v)) {
      warnings.add(cell.trim() === '' ? `line ${line}: column "${columns[plan.value]}" is empty; row skipped` : `line ${line}: "${cell}" in column "${columns[plan.value]}" is not a number; row skipped`);
      return null;
    }
    if (v < RSRP_RANGE_DBM[0] || v > RSRP_RANGE_DBM[1]) {
      const hint = v > 0 && -v >= RSRP_RANGE_DBM[0] && -v <= RSRP_RANGE_DBM[1] ? ` (written without its minus sign? RSRP is negative: ${-v} dBm)` : '';
      warnings.add(`line ${line}: ${v} in column "${columns[plan.value]}" is not an RSRP in dBm (expected ${RSRP_RANGE_DBM[0]} … ${RSRP_RANGE_DBM[1]})${hint}; row skipped`);
      return null;
    }
    return v;
  }
  const cell = row[plan.flag] ?? '';
  const v = parseFlag(cell);
  if (Number.isNaN(v)) {
    warnings.add(`line ${line}: "${cell}" in column "${columns[plan.flag]}" is not a covered flag (1/0, true/false, yes/no); row skipped`);
    return null;
  }
  return v;
}

/** The operator/technology group of a row, numbered in order of appearance. */
function groupOf(state: CsvReadState, op: string, tech: string): number {
  const key = `${op.toLowerCase()}\u0000${tech.toLowerCase()}`;
  let g = state.groups.get(key);
  if (g === undefined) {
    g = state.groups.size;
    state.groups.set(key, g);
    state.groupNames.push([op, tech].filter((s) => s !== '').join(' ') || 'all');
  }
  return g;
}

function pushRow(rows: CsvRows, cell: { a: number; b: number; size: number }, v: number, g: number): void {
  if (rows.n === rows.a.length) growRows(rows);
  const i = rows.n++;
  rows.a[i] = cell.a;
  rows.b[i] = cell.b;
  rows.size[i] = cell.size;
  rows.value[i] = v;
  rows.group[i] = g;
}

/** Streams the CSV's rows into `state`, keeping those of the job's operator and technology (when it names them). */
async function readCsvRows(job: ImportGridJob, text: string, plan: CsvPlan, state: CsvReadState, hooks: ImportGridHooks, warnings: Warnings): Promise<void> {
  const decimalComma = plan.delimiter !== ',';
  const wantOp = job.operator?.trim().toLowerCase();
  const wantTech = job.technology?.trim().toLowerCase();
  let header = true;
  const onRows = (chunk: string[][], lineOfRow: Uint32Array, errors: Papa.ParseError[]): void => {
    for (let r = 0; r < chunk.length; r++) {
      const row = chunk[r]!;
      if (header) {
        header = false;
        continue;
      }
      if (isBlankRow(row)) continue;
      state.dataRows++;
      const line = lineOfRow[r]!;
      const op = plan.operator >= 0 ? (row[plan.operator] ?? '').trim() : '';
      const tech = plan.technology >= 0 ? (row[plan.technology] ?? '').trim() : '';
      if (op !== '' && !state.operators.has(op.toLowerCase())) state.operators.set(op.toLowerCase(), op);
      if (tech !== '' && !state.technologies.has(tech.toLowerCase())) state.technologies.set(tech.toLowerCase(), tech);
      if (wantOp !== undefined && op.toLowerCase() !== wantOp) continue;
      if (wantTech !== undefined && tech.toLowerCase() !== wantTech) continue;
      const cell = cellOfRow(plan, row, line, decimalComma, warnings, state);
      if (!cell) continue;
      const v = valueOfRow(plan, row, line, decimalComma, warnings);
      if (v === null) continue;
      pushRow(state.rows, cell, v, groupOf(state, op, tech));
    }
    for (const e of errors) {
      const at = e.row !== undefined ? lineOfRow[e.row] : undefined;
      warnings.add(`${at !== undefined ? `line ${at}: ` : ''}${e.message}`);
    }
  };
  await streamCsvRows(text, plan.delimiter, onRows, {
    chunkChars: hooks.chunkChars ?? DEFAULT_CHUNK_CHARS,
    onProgress: (f: number): void => hooks.onProgress?.(0.7 * f),
    isCancelled: () => hooks.isCancelled?.() ?? false,
    pause: yieldToEventLoop,
    cancelled: () => new JobCancelledError(),
  });
}

/** Throws when no row was kept: none at all, none of the chosen operator and technology, or none readable. */
function checkRowsKept(job: ImportGridJob, plan: CsvPlan, state: CsvReadState, operatorList: readonly string[], technologyList: readonly string[], warnings: Warnings): void {
  if (state.dataRows === 0) throw new CoverageInputError('empty', `${job.fileName} has a header (${plan.columns.join(plan.delimiter)}) but no rows`);
  if (state.rows.n > 0) return;
  if (job.operator !== undefined || job.technology !== undefined) {
    const what = [job.operator !== undefined ? `operator "${job.operator}"` : '', job.technology !== undefined ? `technology "${job.technology}"` : ''].filter(Boolean).join(' and ');
    throw new CoverageInputError('empty', `no rows of ${what} in ${job.fileName}; it has operators ${operatorList.join(', ') || '(none named)'} and technologies ${technologyList.join(', ') || '(none named)'}`);
  }
  throw new CoverageInputError('bad-value', `no row of ${job.fileName} could be read: ${warnings.list.slice(0, 3).join('; ')}`);
}

/** Cell size of centre-given cells without a size column: the spacing of the centres, per axis (NaN for cell codes). */
function inferredCellSize(plan: CsvPlan, rows: CsvRows): [number, number] {
  if (plan.cellCode >= 0) return [Number.NaN, Number.NaN];
  const quantum = crsInfo(plan.epsg).geographic ? 1e-9 : 1e-3;
  const gx = smallestGap(rows.a, rows.n, quantum);
  const gy = smallestGap(rows.b, rows.n, quantum);
  // A single row or column of cells shows its spacing along one axis only: the cells are taken as square.
  return [Number.isFinite(gx) ? gx : gy, Number.isFinite(gy) ? gy : gx];
}

export async function importCsv(job: ImportGridJob, text: string, hooks: ImportGridHooks, warnings: Warnings): Promise<ImportedGrid> {
  const plan = planCsv(text, warnings);
  const rows: CsvRows = { n: 0, a: new Float64Array(0), b: new Float64Array(0), size: new Float64Array(0), value: new Float32Array(0), group: new Uint16Array(0) };
  const state: CsvReadState = { rows, operators: new Map(), technologies: new Map(), groups: new Map(), groupNames: [], dataRows: 0, firstCrs: null };
  await readCsvRows(job, text, plan, state, hooks, warnings);

  const operatorList = [...state.operators.values()].toSorted();
  const technologyList = [...state.technologies.values()].toSorted();
  checkRowsKept(job, plan, state, operatorList, technologyList, warnings);
  if (state.groups.size > 1) {
    warnings.add(`the file holds ${state.groups.size} operator/technology combinations (${state.groupNames.join(', ')}): each cell shows the strongest of them; choose one operator and technology to see it alone`);
  }

  const values = await burnRows(job.grid, rows, state.groups.size, plan, inferredCellSize(plan, rows), hooks);
  let placed = 0;
  for (let c = 0; c < values.placed.length; c++) if (values.placed[c]) placed++;
  if (placed === 0) {
    throw new CoverageInputError('outside-grid', `none of the ${rows.n} cells of ${job.fileName} lies in the analysis grid (${grdText(job.grid)}); the file's cells are in EPSG:${plan.epsg} around ${extentText(rows)}`);
  }
  hooks.onProgress?.(1);
  return {
    values: values.values,
    operators: operatorList,
    technologies: technologyList,
    sourceCrs: `EPSG:${plan.epsg}`,
    valueKind: plan.value >= 0 ? 'rsrp' : 'flag',
    cellsRead: rows.n,
    cellsPlaced: placed,
    warnings: warnings.done(),
    bytes: job.bytes,
  };
}

const round3Text = (v: number): string => String(Math.round(v * 1000) / 1000);

function extentText(rows: CsvRows): string {
  let a0 = Infinity, a1 = -Infinity, b0 = Infinity, b1 = -Infinity;
  for (let i = 0; i < rows.n; i++) {
    a0 = Math.min(a0, rows.a[i]!);
    a1 = Math.max(a1, rows.a[i]!);
    b0 = Math.min(b0, rows.b[i]!);
    b1 = Math.max(b1, rows.b[i]!);
  }
  return `${round3Text(a0)} … ${round3Text(a1)}, ${round3Text(b0)} … ${round3Text(b1)}`;
}
