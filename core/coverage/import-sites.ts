/**
 * A CSV of planned sites -> `SiteArrays` for the propagation model.
 */
import Papa from 'papaparse';
import { converter, type Converter, type Epsg } from '../geo/crs';
import { chooseDelimiter, inspectCsv, isBlankRow, newlinesIn, parseNumeral, uniformNewlines, uniqueColumnNames } from '../formats/import/csv';
import { detectCrs, normaliseColumnName } from '../formats/import/detect-crs';
import { SITE_MODEL_ASSUMPTIONS, type BandAssumption } from './dataset';
import { CRS_NAMES, Warnings, crsFromDetection, findColumn } from './import-common';
import { CoverageInputError, type GridSpec3035, type SiteArrays } from './types';

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

const EXPECTED_SITES = 'expected name, lon/lat (or x/y with a "crs" column), antenna height above ground in metres, and optionally azimuth, beamwidth, eirp (dBm per resource element) and band or frequency';

/** Where a site list's columns are and how its coordinates are read. */
interface SiteColumns {
  readonly columns: string[];
  /** The header as found, for messages. */
  readonly found: string;
  readonly decimalComma: boolean;
  readonly epsg: Epsg;
  readonly swapAxes: boolean;
  readonly toLaea: Converter | null;
  readonly xi: number;
  readonly yi: number;
  readonly nameCol: number;
  readonly hCol: number;
  readonly azCol: number;
  readonly bwCol: number;
  readonly eirpCol: number;
  /** The frequency column, else the band column (`bandCol`), else -1. */
  readonly fCol: number;
  readonly bandCol: number;
}

/** The site list's rows (header first) and its columns; throws when it has no coordinate columns. */
function planSites(text: string, warnings: Warnings): { rows: string[][]; plan: SiteColumns } {
  const delimiter = chooseDelimiter(text);
  if (!delimiter) throw new CoverageInputError('unknown-columns', `the site list has one column only; ${EXPECTED_SITES}`);
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', skipEmptyLines: false });
  const columns = uniqueColumnNames(parsed.data[0] ?? []);
  const norm = columns.map(normaliseColumnName);
  const found = columns.map((c) => `"${c}"`).join(', ');
  const inspection = inspectCsv(text, delimiter);
  if (inspection.readings.length === 0) throw new CoverageInputError('unknown-columns', `no coordinate columns in the site list: found ${found}; ${EXPECTED_SITES}`);
  const crsCol = findColumn(norm, CRS_NAMES);
  let declared: { text: string; where: string } | null = null;
  if (crsCol >= 0) {
    const first = parsed.data.slice(1).map((r) => (r[crsCol] ?? '').trim()).find((v) => v !== '');
    if (first !== undefined) declared = { text: first, where: `the "${columns[crsCol]}" column` };
  }
  const crs = crsFromDetection(detectCrs({ readings: inspection.readings, declared }), warnings, declared?.text ?? null);
  const freqCol = findColumn(norm, FREQ_NAMES);
  const bandCol = freqCol >= 0 ? -1 : findColumn(norm, BAND_NAMES);
  const plan: SiteColumns = {
    columns,
    found,
    decimalComma: delimiter !== ',',
    epsg: crs.epsg,
    swapAxes: crs.swapAxes,
    xi: columns.indexOf(crs.x),
    yi: columns.indexOf(crs.y),
    nameCol: findColumn(norm, SITE_NAME_NAMES),
    hCol: findColumn(norm, ANTENNA_HEIGHT_NAMES),
    azCol: findColumn(norm, AZIMUTH_NAMES),
    bwCol: findColumn(norm, BEAMWIDTH_NAMES),
    eirpCol: findColumn(norm, EIRP_NAMES),
    fCol: freqCol >= 0 ? freqCol : bandCol,
    bandCol,
    toLaea: crs.epsg === 3035 ? null : converter(crs.epsg, 3035),
  };
  return { rows: parsed.data, plan };
}

/** The antenna height above ground, m; throws (naming the site) when it is missing or implausible. */
function siteHeight(plan: SiteColumns, row: string[], label: string): number {
  const { hCol, columns } = plan;
  if (hCol < 0) {
    throw new CoverageInputError('site-no-height', `${label} has no antenna height: the site list has no antenna height column (found ${plan.found}); every site needs its antenna height above ground in metres, e.g. a column "antenna_height_m"`);
  }
  const hCell = row[hCol] ?? '';
  const h = parseNumeral(hCell, plan.decimalComma);
  if (!Number.isFinite(h)) {
    throw new CoverageInputError('site-no-height', `${label} has ${hCell.trim() === '' ? 'no antenna height' : `"${hCell}" as antenna height, not a number`} in column "${columns[hCol]}"; every site needs its antenna height above ground in metres`);
  }
  if (h <= 0 || h > 500) throw new CoverageInputError('bad-value', `${label}: an antenna height of ${h} m above ground is not plausible`);
  return h;
}

/** The site's position in EPSG:3035; null (and a warning) when its coordinates cannot be read or transformed. */
function sitePosition(plan: SiteColumns, row: string[], label: string, warnings: Warnings): [number, number] | null {
  const { xi, yi } = plan;
  const x0 = parseNumeral(row[xi] ?? '', plan.decimalComma);
  const y0 = parseNumeral(row[yi] ?? '', plan.decimalComma);
  if (!Number.isFinite(x0) || !Number.isFinite(y0)) {
    warnings.add(`${label}: the coordinates "${row[xi] ?? ''}", "${row[yi] ?? ''}" are not numbers; site skipped`);
    return null;
  }
  const [a, b] = plan.swapAxes ? [y0, x0] : [x0, y0];
  const [x, y] = plan.toLaea ? (plan.toLaea.forward([a, b]) as [number, number]) : [a, b];
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    warnings.add(`${label}: the coordinates cannot be transformed from EPSG:${plan.epsg}; site skipped`);
    return null;
  }
  return [x, y];
}

/** Azimuth (NaN: omnidirectional) and horizontal beamwidth, degrees. */
function siteBeam(plan: SiteColumns, row: string[], label: string, warnings: Warnings): { az: number; bw: number } {
  const { azCol, bwCol, decimalComma } = plan;
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
  return { az, bw };
}

/** Frequency (MHz) and reference-signal EIRP (dBm), each the file's or, flagged as assumed, the modelled default. */
function siteRadio(plan: SiteColumns, row: string[], label: string, warnings: Warnings, defaultBand: BandAssumption): { f: number; eirp: number; assumedBand: boolean; assumedEirp: boolean } {
  const { fCol, bandCol, eirpCol, decimalComma } = plan;
  let f = fCol >= 0 ? parseFrequencyMHz(row[fCol] ?? '', decimalComma, fCol === bandCol) : Number.NaN;
  if (fCol >= 0 && (row[fCol] ?? '').trim() !== '' && Number.isNaN(f)) warnings.add(`${label}: "${row[fCol]}" is not a band or frequency the twin knows; ${defaultBand.label} assumed`);
  const assumedBand = Number.isNaN(f);
  if (assumedBand) f = defaultBand.fMHz;
  let eirp = eirpCol >= 0 ? parseNumeral(row[eirpCol] ?? '', decimalComma) : Number.NaN;
  if (eirpCol >= 0 && (row[eirpCol] ?? '').trim() !== '' && Number.isNaN(eirp)) warnings.add(`${label}: EIRP "${row[eirpCol]}" is not a number; the assumed value is used`);
  const assumedEirp = Number.isNaN(eirp);
  if (assumedEirp) {
    // The assumed band closest in frequency (on a log scale, as path loss goes).
    const near = SITE_MODEL_ASSUMPTIONS.bands.reduce((p, q) => (Math.abs(Math.log(q.fMHz / f)) < Math.abs(Math.log(p.fMHz / f)) ? q : p));
    eirp = near.eirpPerReDbm;
  } else if (eirp > MAX_PLAUSIBLE_RS_EIRP_DBM) {
    warnings.add(`${label}: an EIRP of ${eirp} dBm looks like the total EIRP; RSRP needs the reference-signal EIRP per resource element (typically 15–35 dBm)`);
  }
  return { f, eirp, assumedBand, assumedEirp };
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
  const { rows, plan } = planSites(text, warnings);
  const out = { x: [] as number[], y: [] as number[], h: [] as number[], az: [] as number[], bw: [] as number[], eirp: [] as number[], f: [] as number[] };
  const names: string[] = [];
  const lines: number[] = [];
  const defaultBand = SITE_MODEL_ASSUMPTIONS.bands.find((b) => b.id === SITE_MODEL_ASSUMPTIONS.defaultBand)!;
  let assumedBand = 0;
  let assumedEirp = 0;
  let line = 1 + newlinesIn(rows[0] ?? []) + 1;
  for (const row of rows.slice(1)) {
    const at = line;
    line += 1 + newlinesIn(row);
    if (isBlankRow(row)) continue;
    const name = (plan.nameCol >= 0 ? (row[plan.nameCol] ?? '').trim() : '') || `site on line ${at}`;
    const label = `site "${name}" (line ${at})`;
    const h = siteHeight(plan, row, label);
    const xy = sitePosition(plan, row, label, warnings);
    if (!xy) continue;
    const [x, y] = xy;
    const { az, bw } = siteBeam(plan, row, label, warnings);
    const radio = siteRadio(plan, row, label, warnings, defaultBand);
    if (radio.assumedBand) assumedBand++;
    if (radio.assumedEirp) assumedEirp++;
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
    out.eirp.push(radio.eirp);
    out.f.push(radio.f);
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
    sourceCrs: `EPSG:${plan.epsg}`,
    warnings: warnings.done(),
  };
}
