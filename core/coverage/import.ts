/**
 * Coverage files a user brings, onto the analysis grid:
 *   - `importCoverageGrid`: a coverage grid (CSV of grid cells, or a GeoTIFF raster) -> RSRP in dBm (or covered
 *     flags) per analysis cell;
 *   - `parseSitesCsv`: a list of planned sites -> `SiteArrays` for the propagation model.
 * Pure and DOM-free: runs in the coverage worker, in the page (inline mode) and in node tests. CSV goes through
 * the import worker's helpers (papaparse, delimiter choice, decimal commas, BOM and encodings, CRS detection), so
 * a file that imports as points imports as coverage the same way.
 *
 * A CSV row is one source cell: an INSPIRE / EEA grid cell code (EPSG:3035, e.g. `100mN28910E44550`,
 * `1kmE4455N2891`, `CRS3035RES100mN2891000E4455000`) or the cell centre as x/y in any registered CRS (from a
 * `crs`/`epsg` column, else detected from the column names and value ranges), with an RSRP in dBm or a covered
 * flag. Cells finer than the analysis grid are averaged per analysis cell (by their centre); coarser ones fill the
 * analysis cells whose centres they contain. The size of a centre-given cell comes from a `cell_size` column, else
 * from the spacing of the centres (the smallest gap between distinct eastings / northings): irregular
 * measurement points then have a tiny spacing and are averaged per cell, as they should be.
 *
 * A raster is sampled nearest-neighbour at every analysis cell centre. The centres are transformed into the
 * raster's CRS exactly on a lattice of every 16th cell and bilinearly in between: over 3.2 km the projections'
 * curvature is far below a millimetre, and a million-cell grid needs about 4 000 proj4 calls per pass.
 */
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import Papa from 'papaparse';
import { allCrs, converter, crsInfo, isKnownEpsg, type Epsg } from '../geo/crs';
import { chooseDelimiter, inspectCsv, isBlankRow, newlinesIn, parseNumeral, streamCsvRows, uniformNewlines, uniqueColumnNames } from '../formats/import/csv';
import { coordinateColumnPairs, detectCrs, normaliseColumnName, parseCrsName, type CrsDetection } from '../formats/import/detect-crs';
import { binaryKind, decodeText } from '../formats/import/text';
import { JobCancelledError, yieldToEventLoop } from '../reproject/reproject';
import { georefOf, noDataOf, type RasterGeoref } from '../geo/georef';
import type { JobHooks } from '../jobs/progress';
import { SITE_MODEL_ASSUMPTIONS } from './dataset';
import { CoverageInputError, FLAG_COVERED_DBM, type GridSpec3035, type ImportedGrid, type ImportGridJob, type SiteArrays } from './types';

/** Progress, cancellation and chunk sizes (`JobHooks` fits; the sizes are for tests and benchmarks). */
export interface ImportGridHooks extends Partial<JobHooks> {
  /** CSV characters per parse chunk. */
  readonly chunkChars?: number;
  /** Analysis cells (or raster pixels) per chunk of resampling work. */
  readonly chunkCells?: number;
}

/** Warnings listed one by one; beyond this they are counted. */
export const MAX_WARNINGS = 50;
/** RSRP as 3GPP reports it runs from −156 to −31 dBm; a little room either side for other measures in dBm. */
export const RSRP_RANGE_DBM: readonly [number, number] = [-170, -20];
/** Lattice spacing of exact transforms for raster resampling, in analysis cells. */
const LATTICE_STEP = 16;
const DEFAULT_CHUNK_CELLS = 1 << 17;
const DEFAULT_CHUNK_CHARS = 1 << 19;

// ---- column names (compared after `normaliseColumnName`: lower case, no accents, no units in brackets) ----------

const CELL_ID_NAMES = ['cellcode', 'cellid', 'gridcode', 'gridid', 'grdid', 'gridcell', 'gridcellid', 'eeacellcode', 'inspireid', 'cell', 'code', 'id', 'kodbunky', 'zellcode'];
const CRS_NAMES = ['crs', 'epsg', 'epsgcode', 'srid', 'srs', 'crsepsg', 'referencesystem', 'souradnicovysystem', 'koordinatensystem'];
const OPERATOR_NAMES = ['operator', 'operatorname', 'provider', 'network', 'carrier', 'mno', 'betreiber', 'netzbetreiber', 'operatorid', 'plmn', 'mccmnc', 'poskytovatel'];
const TECH_NAMES = ['technology', 'tech', 'rat', 'radio', 'technologie', 'generation', 'networktype', 'system', 'standard'];
const VALUE_NAMES = ['rsrp', 'rsrpdbm', 'ssrsrp', 'ssrsrpdbm', 'nrrsrp', 'value', 'valuedbm', 'signal', 'signaldbm', 'signalstrength', 'dbm', 'level', 'leveldbm', 'pegel', 'uroven', 'urovensignalu'];
const FLAG_NAMES = ['covered', 'iscovered', 'coverage', 'coverageflag', 'pokryti', 'pokryto', 'versorgt', 'abdeckung', 'flag'];
const SIZE_NAMES = ['cellsize', 'cellsizem', 'size', 'sizem', 'res', 'resm', 'resolution', 'resolutionm', 'cellm', 'rozliseni', 'aufloesung'];

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'ano', 'ja', 'covered', 'x']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'ne', 'nein', '']);

function findColumn(norm: readonly string[], names: readonly string[]): number {
  // The first name in the list wins over later ones (most specific first), whatever the column order.
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

const EXPECTED_GRID =
  'a grid cell code (INSPIRE/EEA, e.g. 100mN28910E44550, 1kmE4455N2891 or CRS3035RES100mN2891000E4455000) or cell ' +
  'centre coordinates (x/y, easting/northing, lon/lat; the CRS in a "crs" or "epsg" column or recognised from the values), ' +
  'and an RSRP in dBm ("rsrp", "rsrp_dbm", "value", "signal") or a covered flag ("covered": 0/1, true/false, yes/no); ' +
  'optionally "operator", "technology" and "cell_size"';

// ---- grid cell codes -------------------------------------------------------------------------------------

const CELL_CODE = /^\s*(?:CRS(\d+))?\s*(?:RES)?(\d+(?:\.\d+)?)\s*(m|km)\s*([NE])\s*(\d+)\s*([NE])\s*(\d+)\s*$/i;
/** EPSG:3035 coordinates are below 10 000 km (the projection's false origin is 4 321 km / 3 210 km). */
const LAEA_MAX_M = 1e7;

/** An INSPIRE / EEA cell code -> its south-west corner and size in EPSG:3035 metres; null when it is not one. */
export function parseCellCode(code: string): { eM: number; nM: number; sizeM: number } | null {
  const m = CELL_CODE.exec(code);
  if (!m) return null;
  if (m[1] !== undefined && m[1] !== '3035') return null;
  if (m[4]!.toUpperCase() === m[6]!.toUpperCase()) return null;
  const sizeM = Number(m[2]) * (m[3]!.toLowerCase() === 'km' ? 1000 : 1);
  if (!(sizeM > 0)) return null;
  const full = m[1] !== undefined;
  // Short codes count in units of the cell size (1kmN2891 = 2 891 km); the CRS3035RES form and some exports
  // write metres. A value read in cell units that would lie beyond the projection's extent is in metres.
  const metres = (digits: string): number | null => {
    const v = Number(digits);
    if (full) return v;
    if (v * sizeM < LAEA_MAX_M) return v * sizeM;
    return v < LAEA_MAX_M ? v : null;
  };
  const a = metres(m[5]!);
  const b = metres(m[7]!);
  if (a === null || b === null) return null;
  return m[4]!.toUpperCase() === 'N' ? { nM: a, eM: b, sizeM } : { eM: a, nM: b, sizeM };
}

// ---- shared accumulation -----------------------------------------------------------------------------------

const cellCount = (g: GridSpec3035): number => g.width * g.height;

class Warnings {
  readonly list: string[] = [];
  private extra = 0;
  add(message: string): void {
    if (this.list.length < MAX_WARNINGS) this.list.push(message);
    else this.extra++;
  }
  done(): string[] {
    return this.extra > 0 ? [...this.list, `… and ${this.extra} more warnings`] : this.list;
  }
}

function cancelCheck(hooks: ImportGridHooks): void {
  if (hooks.isCancelled?.()) throw new JobCancelledError();
}

const metresText = (v: number): string => Math.round(v).toLocaleString('en-GB').replace(/,/g, ' ');

function grdText(g: GridSpec3035): string {
  return `E ${metresText(g.xMinM)} … ${metresText(g.xMinM + g.width * g.cellM)}, N ${metresText(g.yMaxM - g.height * g.cellM)} … ${metresText(g.yMaxM)} (EPSG:3035)`;
}

// ---- CSV grid ------------------------------------------------------------------------------------------------

interface CsvPlan {
  readonly delimiter: string;
  readonly columns: string[];
  readonly cellCode: number;
  readonly x: number;
  readonly y: number;
  readonly swapAxes: boolean;
  readonly epsg: Epsg;
  readonly crsCol: number;
  readonly value: number;
  readonly flag: number;
  readonly operator: number;
  readonly technology: number;
  readonly size: number;
}

/** The column holding grid cell codes: a named one whose sampled values parse, else any column whose values do. */
function cellCodeColumn(norm: readonly string[], sample: readonly string[][]): number {
  const parses = (i: number): boolean => {
    let ok = 0, seen = 0;
    for (const r of sample) {
      const v = (r[i] ?? '').trim();
      if (v === '') continue;
      seen++;
      if (parseCellCode(v)) ok++;
    }
    return seen > 0 && ok / seen >= 0.8;
  };
  const named = findColumn(norm, CELL_ID_NAMES);
  if (named >= 0 && parses(named)) return named;
  for (let i = 0; i < norm.length; i++) if (parses(i)) return i;
  return -1;
}

function crsFromDetection(det: CrsDetection, warnings: Warnings, declaredText: string | null): { epsg: Epsg; swapAxes: boolean; x: string; y: string } {
  const top = det.candidates[0];
  if (!top?.columns) {
    const why = det.problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; ');
    throw new CoverageInputError('bad-value', `the coordinate system of the cell centres cannot be told${declaredText ? ` (the file says "${declaredText}")` : ''}: ${why || 'no coordinates to judge it from'}`);
  }
  for (const p of det.problems) if (p.severity === 'warning') warnings.add(`coordinate system: ${p.message}`);
  return { epsg: top.epsg, swapAxes: top.swapAxes, x: top.columns.x, y: top.columns.y };
}

function planCsv(text: string, warnings: Warnings): CsvPlan {
  const delimiter = chooseDelimiter(text);
  const head = Papa.parse<string[]>(text, { delimiter: delimiter ?? ',', newline: '\n', preview: 201, skipEmptyLines: 'greedy' });
  const header = head.data[0] ?? [];
  const columns = uniqueColumnNames(header);
  const found = columns.map((c) => `"${c}"`).join(', ');
  if (!delimiter) throw new CoverageInputError('unknown-columns', `one column only (${found}): expected ${EXPECTED_GRID}, separated by commas, semicolons or tabs`);
  const norm = columns.map(normaliseColumnName);
  const sample = head.data.slice(1);
  if (sample.length === 0) throw new CoverageInputError('empty', `the file has a header (${header.join(delimiter)}) but no rows`);
  const cellCode = cellCodeColumn(norm, sample);
  const value = findColumn(norm, VALUE_NAMES);
  const flag = findColumn(norm, FLAG_NAMES);
  const pairs = coordinateColumnPairs(columns);
  const missing: string[] = [];
  if (cellCode < 0 && pairs.length === 0) missing.push('no grid cell code and no centre coordinates');
  if (value < 0 && flag < 0) missing.push('no RSRP value and no covered flag');
  if (missing.length > 0) throw new CoverageInputError('unknown-columns', `${missing.join(', ')}: found ${found}; expected ${EXPECTED_GRID}`);
  if (value >= 0 && flag >= 0) warnings.add(`both an RSRP column ("${columns[value]}") and a covered flag ("${columns[flag]}"): the RSRP is used`);
  const crsCol = findColumn(norm, CRS_NAMES);
  const base = {
    delimiter,
    columns,
    cellCode,
    crsCol,
    value,
    flag: value >= 0 ? -1 : flag,
    operator: findColumn(norm, OPERATOR_NAMES),
    technology: findColumn(norm, TECH_NAMES),
    size: findColumn(norm, SIZE_NAMES),
  };
  if (cellCode >= 0) return { ...base, x: -1, y: -1, swapAxes: false, epsg: 3035 };
  const inspection = inspectCsv(text, delimiter);
  let declared: { text: string; where: string } | null = null;
  if (crsCol >= 0) {
    const first = sample.map((r) => (r[crsCol] ?? '').trim()).find((v) => v !== '');
    if (first !== undefined) {
      const parsed = parseCrsName(first);
      if (parsed.horizontal !== null && !isKnownEpsg(parsed.horizontal)) {
        throw new CoverageInputError('unsupported', `the "${columns[crsCol]}" column says ${first}, which the twin does not support; known: ${allCrs().map((c) => `EPSG:${c.epsg}`).join(', ')}`);
      }
      declared = { text: first, where: `the "${columns[crsCol]}" column` };
    }
  }
  const det = detectCrs({ readings: inspection.readings, declared });
  const crs = crsFromDetection(det, warnings, declared?.text ?? null);
  return { ...base, x: columns.indexOf(crs.x), y: columns.indexOf(crs.y), swapAxes: crs.swapAxes, epsg: crs.epsg };
}

/** Rows read from the CSV, in source units, before they are burned onto the grid. */
interface CsvRows {
  n: number;
  /** Cell codes: the SW corner in EPSG:3035; centres: x/y as written (axes already in CRS order). */
  a: Float64Array;
  b: Float64Array;
  /** Cell size from the code or the size column; NaN: infer from the spacing. */
  size: Float64Array;
  value: Float32Array;
  group: Uint16Array;
}

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

async function importCsv(job: ImportGridJob, text: string, hooks: ImportGridHooks, warnings: Warnings): Promise<ImportedGrid> {
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

/**
 * Rows -> values on the grid, group by group (operator/technology) into one reused accumulator, keeping per cell
 * the strongest group's value. RSRP means are taken in dB (the typical level of the cell, not a power sum: the
 * sub-cells of one prediction differ by a few dB); flags average to the covered share, covered from one half up.
 */
async function burnRows(
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
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  const { xMinM, yMaxM, cellM, width, height } = grid;
  const flags = plan.value < 0;
  const laea = plan.epsg === 3035;
  const toLaea = laea ? null : converter(plan.epsg, 3035);
  const fromLaea = laea ? null : converter(3035, plan.epsg);
  const geographic = crsInfo(plan.epsg).geographic;
  const chunk = hooks.chunkCells ?? DEFAULT_CHUNK_CELLS;
  // Row indices grouped by group, in file order within each (a counting sort: stable, linear).
  const starts = new Uint32Array(groupCount + 1);
  for (let i = 0; i < rows.n; i++) starts[rows.group[i]! + 1]!++;
  for (let g = 0; g < groupCount; g++) starts[g + 1] = starts[g + 1]! + starts[g]!;
  const order = new Uint32Array(rows.n);
  const fill = starts.slice(0, groupCount);
  for (let i = 0; i < rows.n; i++) order[fill[rows.group[i]!]!++] = i;
  const total = rows.n + groupCount * n;
  let done = 0;

  const addAt = (col: number, row: number, v: number): void => {
    if (col < 0 || row < 0 || col >= width || row >= height) return;
    const c = row * width + col;
    sum[c] = sum[c]! + v;
    count[c] = count[c]! + 1;
  };

  // Metres per source unit, to compare a cell with the grid's (degrees: metres of latitude, the shorter side
  // of a lon/lat cell being its longitude side only north of 60°).
  const unitM = geographic ? 111_320 : 1;
  let k = 0;
  for (let g = 0; g < groupCount; g++) {
    sum.fill(0);
    count.fill(0);
    for (; k < rows.n && rows.group[order[k]!] === g; k++) {
      if (k > 0 && k % chunk === 0) {
        cancelCheck(hooks);
        hooks.onProgress?.(0.7 + (0.3 * done) / total);
        await yieldToEventLoop();
      }
      done++;
      const i = order[k]!;
      const v = rows.value[i]!;
      if (plan.cellCode >= 0) {
        const e = rows.a[i]!;
        const nn = rows.b[i]!;
        const s = rows.size[i]!;
        if (s < cellM) {
          addAt(Math.floor((e + s / 2 - xMinM) / cellM), Math.floor((yMaxM - (nn + s / 2)) / cellM), v);
          continue;
        }
        // Analysis centres inside [e, e + s) × [nn, nn + s).
        const c0 = Math.max(0, Math.ceil((e - xMinM) / cellM - 0.5));
        const c1 = Math.min(width, Math.ceil((e + s - xMinM) / cellM - 0.5));
        const r0 = Math.max(0, Math.floor((yMaxM - nn - s) / cellM - 0.5) + 1);
        const r1 = Math.min(height - 1, Math.floor((yMaxM - nn) / cellM - 0.5));
        for (let row = r0; row <= r1; row++) for (let col = c0; col < c1; col++) addAt(col, row, v);
        continue;
      }
      const x = rows.a[i]!;
      const y = rows.b[i]!;
      const sx = Number.isNaN(rows.size[i]!) ? inferred[0] : rows.size[i]!;
      const sy = Number.isNaN(rows.size[i]!) ? inferred[1] : rows.size[i]!;
      const coarse = Number.isFinite(sx) && Number.isFinite(sy) && Math.min(sx, sy) * unitM >= cellM;
      const [cx, cy] = toLaea ? (toLaea.forward([x, y]) as [number, number]) : [x, y];
      if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
      if (!coarse) {
        addAt(Math.floor((cx - xMinM) / cellM), Math.floor((yMaxM - cy) / cellM), v);
        continue;
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
          if (ux >= x - sx / 2 && ux < x + sx / 2 && uy >= y - sy / 2 && uy < y + sy / 2) addAt(col, row, v);
        }
      }
    }
    // Fold this group into the result: the strongest value per cell.
    for (let c = 0; c < n; c++) {
      const w = count[c]!;
      if (w === 0) continue;
      placed[c] = 1;
      const mean = sum[c]! / w;
      const val = flags ? (mean >= 0.5 ? FLAG_COVERED_DBM : Number.NaN) : mean;
      const old = values[c]!;
      if (!Number.isNaN(val) && (Number.isNaN(old) || val > old)) values[c] = val;
    }
    done += n;
    cancelCheck(hooks);
    hooks.onProgress?.(0.7 + (0.3 * done) / total);
    await yieldToEventLoop();
  }
  return { values, placed };
}

// ---- GeoTIFF -----------------------------------------------------------------------------------------------

const isTiff = (b: Uint8Array): boolean =>
  b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && (b[2] === 42 || b[2] === 43) && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 42 || b[3] === 43)));

function georefOrThrow(image: GeoTIFFImage, fileName: string): RasterGeoref {
  const r = georefOf(image);
  if (r.ok) return r.georef;
  const known = allCrs().map((c) => `EPSG:${c.epsg}`).join(', ');
  if (r.reason === 'no-position' || r.reason === 'no-crs') {
    throw new CoverageInputError('no-georeference', `${fileName} is a TIFF without a usable georeference (${r.message}); save it as a GeoTIFF with its coordinate system, in one of ${known}`);
  }
  if (r.reason === 'unknown-crs') throw new CoverageInputError('unsupported', `${fileName}: ${r.message}; the twin knows ${known}: reproject the raster to one of them`);
  throw new CoverageInputError('unsupported', `${fileName}: ${r.message}`);
}

/** Lattice positions along an axis of n cells: every LATTICE_STEP-th, and the last. */
function latticeNodes(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i += LATTICE_STEP) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * For every analysis cell centre, its raster-CRS coordinates, row by row: exact transforms on a lattice of every
 * `LATTICE_STEP`-th cell (plus the last row and column), bilinear in between. Calls `visit(row, X, Y)` with the
 * row's coordinates in reused arrays.
 */
async function forEachRowInCrs(
  grid: GridSpec3035,
  epsg: Epsg,
  hooks: ImportGridHooks,
  progress: (f: number) => void,
  visit: (row: number, X: Float64Array, Y: Float64Array) => void,
): Promise<void> {
  const { width, height, xMinM, yMaxM, cellM } = grid;
  const cols = latticeNodes(width);
  const rowsAt = latticeNodes(height);
  const conv = epsg === 3035 ? null : converter(3035, epsg);
  const LX = new Float64Array(cols.length * rowsAt.length);
  const LY = new Float64Array(cols.length * rowsAt.length);
  rowsAt.forEach((r, j) => {
    cols.forEach((c, i) => {
      const x = xMinM + (c + 0.5) * cellM;
      const y = yMaxM - (r + 0.5) * cellM;
      const [X, Y] = conv ? (conv.forward([x, y]) as [number, number]) : [x, y];
      LX[j * cols.length + i] = X;
      LY[j * cols.length + i] = Y;
    });
  });
  const rowX = new Float64Array(cols.length);
  const rowY = new Float64Array(cols.length);
  const X = new Float64Array(width);
  const Y = new Float64Array(width);
  const rowsPerChunk = Math.max(1, Math.floor((hooks.chunkCells ?? DEFAULT_CHUNK_CELLS) / width));
  let j = 0;
  for (let row = 0; row < height; row++) {
    if (row > 0 && row % rowsPerChunk === 0) {
      cancelCheck(hooks);
      progress(row / height);
      await yieldToEventLoop();
    }
    while (j + 1 < rowsAt.length - 1 && rowsAt[j + 1]! <= row) j++;
    const r0 = rowsAt[j]!;
    const r1 = rowsAt[Math.min(j + 1, rowsAt.length - 1)]!;
    const t = r1 > r0 ? (row - r0) / (r1 - r0) : 0;
    const a = j * cols.length;
    const b = Math.min(j + 1, rowsAt.length - 1) * cols.length;
    for (let i = 0; i < cols.length; i++) {
      rowX[i] = LX[a + i]! + t * (LX[b + i]! - LX[a + i]!);
      rowY[i] = LY[a + i]! + t * (LY[b + i]! - LY[a + i]!);
    }
    let i = 0;
    for (let col = 0; col < width; col++) {
      while (i + 1 < cols.length - 1 && cols[i + 1]! <= col) i++;
      const c0 = cols[i]!;
      const c1 = cols[Math.min(i + 1, cols.length - 1)]!;
      const s = c1 > c0 ? (col - c0) / (c1 - c0) : 0;
      const i1 = Math.min(i + 1, cols.length - 1);
      X[col] = rowX[i]! + s * (rowX[i1]! - rowX[i]!);
      Y[col] = rowY[i]! + s * (rowY[i1]! - rowY[i]!);
    }
    visit(row, X, Y);
  }
  progress(1);
}

async function importGeoTiff(job: ImportGridJob, hooks: ImportGridHooks, warnings: Warnings): Promise<ImportedGrid> {
  let image: GeoTIFFImage;
  try {
    image = await (await fromArrayBuffer(job.bytes)).getImage(0);
  } catch (e) {
    throw new CoverageInputError('unsupported', `${job.fileName} cannot be read as a TIFF: ${e instanceof Error ? e.message : String(e)}`);
  }
  const g = georefOrThrow(image, job.fileName);
  if (image.getSamplesPerPixel() > 1) warnings.add(`${job.fileName} has ${image.getSamplesPerPixel()} bands; only the first is read`);
  const { grid } = job;

  // Pass 1: the raster window the grid's centres fall in (the lattice's bounding box holds every interpolated
  // point, a convex combination of lattice points).
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  await forEachRowInCrs(grid, g.epsg, {}, () => {}, (_row, X, Y) => {
    for (let c = 0; c < X.length; c++) {
      const u = (X[c]! - g.originX) / g.scaleX;
      const v = (g.originY - Y[c]!) / g.scaleY;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
  });
  const wx0 = Math.max(0, Math.floor(u0));
  const wy0 = Math.max(0, Math.floor(v0));
  const wx1 = Math.min(g.width, Math.floor(u1) + 1);
  const wy1 = Math.min(g.height, Math.floor(v1) + 1);
  if (!(wx1 > wx0 && wy1 > wy0)) {
    const [ax, ay] = [g.originX, g.originY];
    const [bx, by] = [g.originX + g.width * g.scaleX, g.originY - g.height * g.scaleY];
    throw new CoverageInputError('outside-grid', `${job.fileName} (EPSG:${g.epsg}, ${Math.min(ax, bx)} … ${Math.max(ax, bx)}, ${Math.min(ay, by)} … ${Math.max(ay, by)}) does not overlap the analysis grid (${grdText(grid)})`);
  }

  // Pass 2: read the window in strips of whole file blocks, with progress and cancellation between them.
  const ww = wx1 - wx0;
  const wh = wy1 - wy0;
  const win = new Float32Array(ww * wh);
  const noData = noDataOf(image);
  const block = Math.max(1, image.getTileHeight());
  const stripRows = Math.max(block, Math.floor((hooks.chunkCells ?? DEFAULT_CHUNK_CELLS) / ww / block) * block);
  let finite = 0;
  let allFlags = true;
  let vMin = Infinity, vMax = -Infinity;
  for (let y = wy0; y < wy1; ) {
    cancelCheck(hooks);
    // Strips start on block boundaries so no block is decoded twice.
    const yEnd = Math.min(wy1, (Math.floor(y / block) + 1) * block + stripRows - block);
    const data = await image.readRasters({ window: [wx0, y, wx1, yEnd], samples: [0], interleave: false });
    const band = data[0]!;
    const off = (y - wy0) * ww;
    for (let i = 0; i < band.length; i++) {
      const raw = Number(band[i]);
      const v = raw === noData || !Number.isFinite(raw) ? Number.NaN : raw;
      win[off + i] = v;
      if (Number.isNaN(v)) continue;
      finite++;
      if (v !== 0 && v !== 1) allFlags = false;
      if (v < vMin) vMin = v;
      if (v > vMax) vMax = v;
    }
    hooks.onProgress?.((0.5 * (yEnd - wy0)) / wh);
    y = yEnd;
    await yieldToEventLoop();
  }
  if (finite === 0) throw new CoverageInputError('empty', `${job.fileName}: every pixel over the analysis grid is nodata${noData !== null ? ` (${noData})` : ''}`);
  const flags = allFlags;
  if (!flags && (vMax > RSRP_RANGE_DBM[1] || vMin < RSRP_RANGE_DBM[0])) {
    warnings.add(`${job.fileName}: values run from ${vMin} to ${vMax}, which does not look like RSRP in dBm (${RSRP_RANGE_DBM[0]} … ${RSRP_RANGE_DBM[1]}); they are used as they are`);
  }

  // Pass 3: nearest neighbour at every analysis centre.
  const values = new Float32Array(cellCount(grid)).fill(Number.NaN);
  let placed = 0;
  await forEachRowInCrs(grid, g.epsg, hooks, (f) => hooks.onProgress?.(0.5 + 0.5 * f), (row, X, Y) => {
    const base = row * grid.width;
    for (let c = 0; c < grid.width; c++) {
      const px = Math.floor((X[c]! - g.originX) / g.scaleX) - wx0;
      const py = Math.floor((g.originY - Y[c]!) / g.scaleY) - wy0;
      if (px < 0 || py < 0 || px >= ww || py >= wh) continue;
      const v = win[py * ww + px]!;
      if (Number.isNaN(v)) continue;
      placed++;
      values[base + c] = flags ? (v === 1 ? FLAG_COVERED_DBM : Number.NaN) : v;
    }
  });
  if (placed === 0) throw new CoverageInputError('outside-grid', `${job.fileName}: no analysis cell centre falls on a pixel with data (${grdText(grid)})`);
  hooks.onProgress?.(1);
  return {
    values,
    operators: [],
    technologies: [],
    sourceCrs: `EPSG:${g.epsg}`,
    valueKind: flags ? 'flag' : 'rsrp',
    cellsRead: finite,
    cellsPlaced: placed,
    warnings: warnings.done(),
    bytes: job.bytes,
  };
}

// ---- entry point ---------------------------------------------------------------------------------------------

/**
 * A coverage grid file (CSV of grid cells or a GeoTIFF) -> values on `job.grid`. Throws `CoverageInputError` for
 * files it cannot use (with a message for the user), `JobCancelledError` when cancelled. The input bytes are not
 * detached and are handed back.
 */
export async function importCoverageGrid(job: ImportGridJob, hooks: ImportGridHooks = {}): Promise<ImportedGrid> {
  const warnings = new Warnings();
  const bytes = new Uint8Array(job.bytes);
  if (bytes.length === 0) throw new CoverageInputError('empty', `${job.fileName} is empty`);
  cancelCheck(hooks);
  if (isTiff(bytes)) return importGeoTiff(job, hooks, warnings);
  const binary = binaryKind(bytes);
  if (binary) throw new CoverageInputError('unsupported', `${job.fileName} is ${binary}; a coverage grid is a CSV of grid cells or a GeoTIFF`);
  const decoded = decodeText(bytes);
  if (decoded.problem) warnings.add(decoded.problem.message);
  const text = uniformNewlines(decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text);
  if (text.trim() === '') throw new CoverageInputError('empty', `${job.fileName} holds no text`);
  return importCsv(job, text, hooks, warnings);
}

// ---- planned sites -----------------------------------------------------------------------------------------

export interface ParsedSites {
  readonly sites: SiteArrays;
  readonly names: string[];
  /** 1-based line of each site in the file. */
  readonly lines: number[];
  readonly sourceCrs: string;
  readonly warnings: string[];
}

const SITE_NAME_NAMES = ['name', 'sitename', 'site', 'siteid', 'id', 'label', 'nazev', 'bezeichnung', 'standort', 'stanoviste'];
const ANTENNA_HEIGHT_NAMES = [
  'antennaheight', 'antennaheightm', 'antennaagl', 'antennaaglm', 'heightagl', 'heightaglm', 'heightaboveground', 'agl', 'aglm', 'hagl',
  'hbs', 'hbsm', 'antennenhoehe', 'antennahoehe', 'hoeheuebergrund', 'vyskaanteny', 'vyskaantenym', 'mastheight', 'height', 'heightm',
];
const AZIMUTH_NAMES = ['azimuth', 'azimuthdeg', 'az', 'azi', 'bearing', 'direction', 'richtung', 'hauptstrahlrichtung', 'smer'];
const BEAMWIDTH_NAMES = ['beamwidth', 'beamwidthdeg', 'hbw', 'horizontalbeamwidth', 'halfpowerbeamwidth', 'bw', 'oeffnungswinkel'];
const EIRP_NAMES = ['eirp', 'eirpdbm', 'rseirp', 'rseirpdbm', 'eirpperre', 'eirpperredbm', 'rsepre'];
const FREQ_NAMES = ['frequency', 'frequencymhz', 'freq', 'freqmhz', 'fmhz', 'frekvence', 'frequenz', 'carrier'];
const BAND_NAMES = ['band', 'bandmhz', 'frequencyband', 'pasmo', 'frequenzband'];

/** Beamwidth of a sector whose file gives an azimuth but no beamwidth: the common 65° panel. */
export const DEFAULT_SECTOR_BEAMWIDTH_DEG = 65;
/** A reference-signal EIRP per resource element above this is most likely a total EIRP. */
const MAX_PLAUSIBLE_RS_EIRP_DBM = 50;

/** 3GPP band numbers (LTE "B", NR "n") -> downlink centre frequency, MHz: the bands in use in CZ and DE. */
const BANDS_MHZ: Readonly<Record<string, number>> = {
  '1': 2140, '3': 1842.5, '7': 2655, '8': 942.5, '20': 806, '28': 780.5, '32': 1474, '38': 2595, '77': 3750, '78': 3600,
};

/** A band or frequency cell -> MHz: "1800", "1800 MHz", "3.5 GHz", "3,5" (GHz), "B3", "LTE 20", "n78"; NaN if unknown. */
export function parseFrequencyMHz(cell: string, decimalComma: boolean, isBandColumn: boolean): number {
  const t = cell.trim().toLowerCase();
  if (t === '') return Number.NaN;
  const band = /^(?:b|n|band|lte|nr)\s*-?\s*(\d{1,2})$/.exec(t);
  if (band) return BANDS_MHZ[band[1]!] ?? Number.NaN;
  const m = /^([\d.,\s]+?)\s*(mhz|ghz)?$/.exec(t);
  if (!m) return Number.NaN;
  const v = parseNumeral(m[1]!, decimalComma || /^\d+,\d+$/.test(m[1]!.trim()));
  if (!Number.isFinite(v) || v <= 0) return Number.NaN;
  if (m[2] === 'ghz') return v * 1000;
  if (m[2] === 'mhz') return v;
  // A bare whole number below 100 in a band column is a 3GPP band number; below 10 with decimals, GHz.
  if (isBandColumn && Number.isInteger(v) && v < 100) return BANDS_MHZ[String(v)] ?? Number.NaN;
  if (v < 10) return v * 1000;
  return v >= 100 ? v : Number.NaN;
}

/**
 * A CSV of planned sites -> `SiteArrays` (EPSG:3035) and their names. Columns: name, lon/lat or x/y (+ `crs`),
 * antenna height above ground (required: a missing height rejects the file, naming the site and line), azimuth
 * (empty: omni), beamwidth (default 65° for a sector), EIRP per resource element in dBm and band or frequency
 * (defaults: the dataset's assumed values, with a warning). Ground heights come from the DEM (`groundM` NaN).
 * Sites outside `grid` are kept (they still reach into it) and listed in the warnings.
 */
export function parseSitesCsv(input: string, grid?: GridSpec3035): ParsedSites {
  const text = uniformNewlines(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
  if (text.trim() === '') throw new CoverageInputError('empty', 'the site list is empty');
  const warnings = new Warnings();
  const delimiter = chooseDelimiter(text);
  const expected = 'expected name, lon/lat (or x/y with a "crs" column), antenna height above ground in metres, and optionally azimuth, beamwidth, eirp (dBm per resource element) and band or frequency';
  if (!delimiter) throw new CoverageInputError('unknown-columns', `the site list has one column only; ${expected}`);
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', skipEmptyLines: false });
  const decimalComma = delimiter !== ',';
  const columns = uniqueColumnNames(parsed.data[0] ?? []);
  const norm = columns.map(normaliseColumnName);
  const found = columns.map((c) => `"${c}"`).join(', ');
  const inspection = inspectCsv(text, delimiter);
  if (inspection.readings.length === 0) throw new CoverageInputError('unknown-columns', `no coordinate columns in the site list: found ${found}; ${expected}`);
  const crsCol = findColumn(norm, CRS_NAMES);
  let declared: { text: string; where: string } | null = null;
  if (crsCol >= 0) {
    const first = parsed.data.slice(1).map((r) => (r[crsCol] ?? '').trim()).find((v) => v !== '');
    if (first !== undefined) declared = { text: first, where: `the "${columns[crsCol]}" column` };
  }
  const crs = crsFromDetection(detectCrs({ readings: inspection.readings, declared }), warnings, declared?.text ?? null);
  const xi = columns.indexOf(crs.x);
  const yi = columns.indexOf(crs.y);
  const nameCol = findColumn(norm, SITE_NAME_NAMES);
  const hCol = findColumn(norm, ANTENNA_HEIGHT_NAMES);
  const azCol = findColumn(norm, AZIMUTH_NAMES);
  const bwCol = findColumn(norm, BEAMWIDTH_NAMES);
  const eirpCol = findColumn(norm, EIRP_NAMES);
  const freqCol = findColumn(norm, FREQ_NAMES);
  const bandCol = freqCol >= 0 ? -1 : findColumn(norm, BAND_NAMES);
  const fCol = freqCol >= 0 ? freqCol : bandCol;
  const toLaea = crs.epsg === 3035 ? null : converter(crs.epsg, 3035);

  const out = { x: [] as number[], y: [] as number[], h: [] as number[], az: [] as number[], bw: [] as number[], eirp: [] as number[], f: [] as number[] };
  const names: string[] = [];
  const lines: number[] = [];
  const defaultBand = SITE_MODEL_ASSUMPTIONS.bands.find((b) => b.id === SITE_MODEL_ASSUMPTIONS.defaultBand)!;
  let assumedBand = 0;
  let assumedEirp = 0;
  let line = 1 + newlinesIn(parsed.data[0] ?? []) + 1;
  for (const row of parsed.data.slice(1)) {
    const at = line;
    line += 1 + newlinesIn(row);
    if (isBlankRow(row)) continue;
    const name = (nameCol >= 0 ? (row[nameCol] ?? '').trim() : '') || `site on line ${at}`;
    const label = `site "${name}" (line ${at})`;
    if (hCol < 0) {
      throw new CoverageInputError('site-no-height', `${label} has no antenna height: the site list has no antenna height column (found ${found}); every site needs its antenna height above ground in metres, e.g. a column "antenna_height_m"`);
    }
    const hCell = row[hCol] ?? '';
    const h = parseNumeral(hCell, decimalComma);
    if (!Number.isFinite(h)) {
      throw new CoverageInputError('site-no-height', `${label} has ${hCell.trim() === '' ? 'no antenna height' : `"${hCell}" as antenna height, not a number`} in column "${columns[hCol]}"; every site needs its antenna height above ground in metres`);
    }
    if (h <= 0 || h > 500) throw new CoverageInputError('bad-value', `${label}: an antenna height of ${h} m above ground is not plausible`);
    const x0 = parseNumeral(row[xi] ?? '', decimalComma);
    const y0 = parseNumeral(row[yi] ?? '', decimalComma);
    if (!Number.isFinite(x0) || !Number.isFinite(y0)) {
      warnings.add(`${label}: the coordinates "${row[xi] ?? ''}", "${row[yi] ?? ''}" are not numbers; site skipped`);
      continue;
    }
    const [a, b] = crs.swapAxes ? [y0, x0] : [x0, y0];
    const [x, y] = toLaea ? (toLaea.forward([a, b]) as [number, number]) : [a, b];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      warnings.add(`${label}: the coordinates cannot be transformed from EPSG:${crs.epsg}; site skipped`);
      continue;
    }
    let az = Number.NaN;
    if (azCol >= 0 && (row[azCol] ?? '').trim() !== '') {
      az = parseNumeral(row[azCol] ?? '', decimalComma);
      if (!Number.isFinite(az)) {
        warnings.add(`${label}: azimuth "${row[azCol]}" is not a number; taken as omnidirectional`);
        az = Number.NaN;
      } else az = ((az % 360) + 360) % 360;
    }
    let bw = Number.isNaN(az) ? 360 : DEFAULT_SECTOR_BEAMWIDTH_DEG;
    if (!Number.isNaN(az) && bwCol >= 0 && (row[bwCol] ?? '').trim() !== '') {
      const v = parseNumeral(row[bwCol] ?? '', decimalComma);
      if (Number.isFinite(v) && v > 0 && v <= 360) bw = v;
      else warnings.add(`${label}: beamwidth "${row[bwCol]}" is not an angle in (0, 360]; ${DEFAULT_SECTOR_BEAMWIDTH_DEG}° used`);
    }
    let f = fCol >= 0 ? parseFrequencyMHz(row[fCol] ?? '', decimalComma, fCol === bandCol) : Number.NaN;
    if (fCol >= 0 && (row[fCol] ?? '').trim() !== '' && Number.isNaN(f)) warnings.add(`${label}: "${row[fCol]}" is not a band or frequency the twin knows; ${defaultBand.label} assumed`);
    if (Number.isNaN(f)) {
      f = defaultBand.fMHz;
      assumedBand++;
    }
    let eirp = eirpCol >= 0 ? parseNumeral(row[eirpCol] ?? '', decimalComma) : Number.NaN;
    if (eirpCol >= 0 && (row[eirpCol] ?? '').trim() !== '' && Number.isNaN(eirp)) warnings.add(`${label}: EIRP "${row[eirpCol]}" is not a number; the assumed value is used`);
    if (Number.isNaN(eirp)) {
      // The assumed band closest in frequency (on a log scale, as path loss goes).
      const near = SITE_MODEL_ASSUMPTIONS.bands.reduce((p, q) => (Math.abs(Math.log(q.fMHz / f)) < Math.abs(Math.log(p.fMHz / f)) ? q : p));
      eirp = near.eirpPerReDbm;
      assumedEirp++;
    } else if (eirp > MAX_PLAUSIBLE_RS_EIRP_DBM) {
      warnings.add(`${label}: an EIRP of ${eirp} dBm looks like the total EIRP; RSRP needs the reference-signal EIRP per resource element (typically 15–35 dBm)`);
    }
    if (grid) {
      const dx = Math.max(grid.xMinM - x, 0, x - (grid.xMinM + grid.width * grid.cellM));
      const dy = Math.max(grid.yMaxM - grid.height * grid.cellM - y, 0, y - grid.yMaxM);
      if (dx > 0 || dy > 0) warnings.add(`${label} lies ${(Math.hypot(dx, dy) / 1000).toFixed(1)} km outside the analysis grid; it counts only where it reaches into it`);
    }
    out.x.push(x);
    out.y.push(y);
    out.h.push(h);
    out.az.push(az);
    out.bw.push(bw);
    out.eirp.push(eirp);
    out.f.push(f);
    names.push(name);
    lines.push(at);
  }
  if (names.length === 0) throw new CoverageInputError(warnings.list.length > 0 ? 'bad-value' : 'empty', `no site could be read${warnings.list.length > 0 ? `: ${warnings.list.slice(0, 3).join('; ')}` : ''}`);
  if (assumedBand > 0) warnings.add(`${assumedBand} site(s) without a band or frequency: ${defaultBand.label} assumed`);
  if (assumedEirp > 0) warnings.add(`${assumedEirp} site(s) without an EIRP: the assumed reference-signal EIRP of the nearest modelled band is used (modelled, not measured)`);
  return {
    sites: {
      count: names.length,
      x: Float64Array.from(out.x),
      y: Float64Array.from(out.y),
      groundM: new Float32Array(names.length).fill(Number.NaN),
      antennaAglM: Float32Array.from(out.h),
      azimuthDeg: Float32Array.from(out.az),
      beamwidthDeg: Float32Array.from(out.bw),
      eirpDbm: Float32Array.from(out.eirp),
      fMHz: Float32Array.from(out.f),
    },
    names,
    lines,
    sourceCrs: `EPSG:${crs.epsg}`,
    warnings: warnings.done(),
  };
}
