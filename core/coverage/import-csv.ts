/**
 * A coverage CSV, streamed row by row into `CsvRows` and then burned onto the analysis grid (`import-burn.ts`).
 */
import type Papa from 'papaparse';
import { crsInfo } from '../geo/crs';
import { isBlankRow, parseNumeral, streamCsvRows } from '../formats/import/csv';
import { parseCrsName } from '../formats/import/detect-crs';
import { JobCancelledError, yieldToEventLoop } from '../reproject/reproject';
import { RSRP_RANGE_DBM, grdText, type ImportGridHooks, type Warnings } from './import-common';
import { parseCellCode, planCsv, type CsvRows } from './import-csv-plan';
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

export async function importCsv(job: ImportGridJob, text: string, hooks: ImportGridHooks, warnings: Warnings): Promise<ImportedGrid> {
  const plan = planCsv(text, warnings);
  const { columns } = plan;
  const decimalComma = plan.delimiter !== ',';
  const wantOp = job.operator?.trim().toLowerCase();
  const wantTech = job.technology?.trim().toLowerCase();
  const operators = new Map<string, string>();
  const technologies = new Map<string, string>();
  const groups = new Map<string, number>();
  const groupNames: string[] = [];
  const rows: CsvRows = { n: 0, a: new Float64Array(0), b: new Float64Array(0), size: new Float64Array(0), value: new Float32Array(0), group: new Uint16Array(0) };
  let dataRows = 0;
  let firstCrs: number | null = null;
  const progress = (f: number): void => hooks.onProgress?.(0.7 * f);

  let header = true;
  const onRows = (chunk: string[][], lineOfRow: Uint32Array, errors: Papa.ParseError[]): void => {
    for (let r = 0; r < chunk.length; r++) {
      const row = chunk[r]!;
      if (header) {
        header = false;
        continue;
      }
      if (isBlankRow(row)) continue;
      dataRows++;
      const line = lineOfRow[r]!;
      const op = plan.operator >= 0 ? (row[plan.operator] ?? '').trim() : '';
      const tech = plan.technology >= 0 ? (row[plan.technology] ?? '').trim() : '';
      if (op !== '' && !operators.has(op.toLowerCase())) operators.set(op.toLowerCase(), op);
      if (tech !== '' && !technologies.has(tech.toLowerCase())) technologies.set(tech.toLowerCase(), tech);
      if (wantOp !== undefined && op.toLowerCase() !== wantOp) continue;
      if (wantTech !== undefined && tech.toLowerCase() !== wantTech) continue;

      let a: number, b: number, size = Number.NaN;
      if (plan.cellCode >= 0) {
        const code = (row[plan.cellCode] ?? '').trim();
        const c = parseCellCode(code);
        if (!c) {
          warnings.add(`line ${line}: "${code}" in column "${columns[plan.cellCode]}" is not a grid cell code; row skipped`);
          continue;
        }
        [a, b, size] = [c.eM, c.nM, c.sizeM];
      } else {
        const xs = row[plan.x] ?? '';
        const ys = row[plan.y] ?? '';
        const x = parseNumeral(xs, decimalComma);
        const y = parseNumeral(ys, decimalComma);
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          const [bad, col] = Number.isFinite(x) ? [ys, plan.y] : [xs, plan.x];
          warnings.add(bad.trim() === '' ? `line ${line}: column "${columns[col]}" is empty; row skipped` : `line ${line}: "${bad}" in column "${columns[col]}" is not a coordinate; row skipped`);
          continue;
        }
        if (plan.crsCol >= 0) {
          // One CRS per file: the first row's declaration (which the detection weighed) holds for all rows.
          const t = (row[plan.crsCol] ?? '').trim();
          if (t !== '') {
            const code = parseCrsName(t).horizontal;
            firstCrs ??= code;
            if (code !== firstCrs) {
              warnings.add(`line ${line}: "${t}" in column "${columns[plan.crsCol]}" differs from the CRS of the rows before it (EPSG:${firstCrs}); row skipped (one CRS per file)`);
              continue;
            }
          }
        }
        [a, b] = plan.swapAxes ? [y, x] : [x, y];
        if (plan.size >= 0) {
          const s = parseNumeral(row[plan.size] ?? '', decimalComma);
          if (Number.isFinite(s) && s > 0) size = s;
        }
      }

      let v: number;
      if (plan.value >= 0) {
        const cell = row[plan.value] ?? '';
        v = parseNumeral(cell, decimalComma);
        if (!Number.isFinite(v)) {
          warnings.add(cell.trim() === '' ? `line ${line}: column "${columns[plan.value]}" is empty; row skipped` : `line ${line}: "${cell}" in column "${columns[plan.value]}" is not a number; row skipped`);
          continue;
        }
        if (v < RSRP_RANGE_DBM[0] || v > RSRP_RANGE_DBM[1]) {
          const hint = v > 0 && -v >= RSRP_RANGE_DBM[0] && -v <= RSRP_RANGE_DBM[1] ? ` (written without its minus sign? RSRP is negative: ${-v} dBm)` : '';
          warnings.add(`line ${line}: ${v} in column "${columns[plan.value]}" is not an RSRP in dBm (expected ${RSRP_RANGE_DBM[0]} … ${RSRP_RANGE_DBM[1]})${hint}; row skipped`);
          continue;
        }
      } else {
        const cell = row[plan.flag] ?? '';
        v = parseFlag(cell);
        if (Number.isNaN(v)) {
          warnings.add(`line ${line}: "${cell}" in column "${columns[plan.flag]}" is not a covered flag (1/0, true/false, yes/no); row skipped`);
          continue;
        }
      }

      const key = `${op.toLowerCase()}\u0000${tech.toLowerCase()}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = groups.size;
        groups.set(key, g);
        groupNames.push([op, tech].filter((s) => s !== '').join(' ') || 'all');
      }
      if (rows.n === rows.a.length) growRows(rows);
      const i = rows.n++;
      rows.a[i] = a;
      rows.b[i] = b;
      rows.size[i] = size;
      rows.value[i] = v;
      rows.group[i] = g;
    }
    for (const e of errors) {
      const at = e.row !== undefined ? lineOfRow[e.row] : undefined;
      warnings.add(`${at !== undefined ? `line ${at}: ` : ''}${e.message}`);
    }
  };

  await streamCsvRows(text, plan.delimiter, onRows, {
    chunkChars: hooks.chunkChars ?? DEFAULT_CHUNK_CHARS,
    onProgress: progress,
    isCancelled: () => hooks.isCancelled?.() ?? false,
    pause: yieldToEventLoop,
    cancelled: () => new JobCancelledError(),
  });

  const operatorList = [...operators.values()].toSorted();
  const technologyList = [...technologies.values()].toSorted();
  if (dataRows === 0) throw new CoverageInputError('empty', `${job.fileName} has a header (${columns.join(plan.delimiter)}) but no rows`);
  if (rows.n === 0) {
    if (wantOp !== undefined || wantTech !== undefined) {
      const what = [job.operator !== undefined ? `operator "${job.operator}"` : '', job.technology !== undefined ? `technology "${job.technology}"` : ''].filter(Boolean).join(' and ');
      throw new CoverageInputError('empty', `no rows of ${what} in ${job.fileName}; it has operators ${operatorList.join(', ') || '(none named)'} and technologies ${technologyList.join(', ') || '(none named)'}`);
    }
    throw new CoverageInputError('bad-value', `no row of ${job.fileName} could be read: ${warnings.list.slice(0, 3).join('; ')}`);
  }
  if (groups.size > 1) {
    warnings.add(`the file holds ${groups.size} operator/technology combinations (${groupNames.join(', ')}): each cell shows the strongest of them; choose one operator and technology to see it alone`);
  }

  // Cell size of centre-given cells without a size column: the spacing of the centres, per axis.
  let inferred: [number, number] = [Number.NaN, Number.NaN];
  if (plan.cellCode < 0) {
    const quantum = crsInfo(plan.epsg).geographic ? 1e-9 : 1e-3;
    const gx = smallestGap(rows.a, rows.n, quantum);
    const gy = smallestGap(rows.b, rows.n, quantum);
    // A single row or column of cells shows its spacing along one axis only: the cells are taken as square.
    inferred = [Number.isFinite(gx) ? gx : gy, Number.isFinite(gy) ? gy : gx];
  }

  const values = await burnRows(job.grid, rows, groups.size, plan, inferred, hooks);
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
