/**
 * A coverage CSV's plan: which columns hold the cell (a grid cell code, or centre coordinates and their CRS), the
 * value or flag, operator, technology and cell size.
 */
import Papa from 'papaparse';
import { allCrs, isKnownEpsg, type Epsg } from '../geo/crs';
import { chooseDelimiter, inspectCsv, uniqueColumnNames } from '../formats/import/csv';
import { coordinateColumnPairs, detectCrs, normaliseColumnName, parseCrsName } from '../formats/import/detect-crs';
import { CRS_NAMES, crsFromDetection, findColumn, type Warnings } from './import-common';
import { CoverageInputError } from './types';

// ---- column names (compared after `normaliseColumnName`: lower case, no accents, no units in brackets) ----------

const CELL_ID_NAMES = ['cellcode', 'cellid', 'gridcode', 'gridid', 'grdid', 'gridcell', 'gridcellid', 'eeacellcode', 'inspireid', 'cell', 'code', 'id', 'kodbunky', 'zellcode'];
const OPERATOR_NAMES = ['operator', 'operatorname', 'provider', 'network', 'carrier', 'mno', 'betreiber', 'netzbetreiber', 'operatorid', 'plmn', 'mccmnc', 'poskytovatel'];
const TECH_NAMES = ['technology', 'tech', 'rat', 'radio', 'technologie', 'generation', 'networktype', 'system', 'standard'];
const VALUE_NAMES = ['rsrp', 'rsrpdbm', 'ssrsrp', 'ssrsrpdbm', 'nrrsrp', 'value', 'valuedbm', 'signal', 'signaldbm', 'signalstrength', 'dbm', 'level', 'leveldbm', 'pegel', 'uroven', 'urovensignalu'];
const FLAG_NAMES = ['covered', 'iscovered', 'coverage', 'coverageflag', 'pokryti', 'pokryto', 'versorgt', 'abdeckung', 'flag'];
const SIZE_NAMES = ['cellsize', 'cellsizem', 'size', 'sizem', 'res', 'resm', 'resolution', 'resolutionm', 'cellm', 'rozliseni', 'aufloesung'];

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

export interface CsvPlan {
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

export function planCsv(text: string, warnings: Warnings): CsvPlan {
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
export interface CsvRows {
  n: number;
  /** Cell codes: the SW corner in EPSG:3035; centres: x/y as written (axes already in CRS order). */
  a: Float64Array;
  b: Float64Array;
  /** Cell size from the code or the size column; NaN: infer from the spacing. */
  size: Float64Array;
  value: Float32Array;
  group: Uint16Array;
}
