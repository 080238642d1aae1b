/**
 * CRS detection for an imported file: what the file declares (a GeoJSON `crs` member, a CityJSON
 * `metadata.referenceSystem`), what its CSV column names say, and which CRSs the coordinate values fit over the
 * twin's region. The result is a ranked list with a reason for each entry, never a silent guess: when no range
 * fits there is no candidate and an error problem; when several fit, the ranking and its reason are reported.
 *
 * Why ranges over the region and not "anything the CRS can express": the projected CRSs the twin knows overlap
 * heavily elsewhere (UTM 32 and 33 eastings both run from ~200 000 to ~800 000), but over the Czech-Bavarian
 * border region their value ranges are disjoint, which is what makes detection by value possible at all.
 */
import { countOutsideAccurateArea, crsInfo, isKnownEpsg, type Epsg, type VerticalDatum } from '../../geo/crs';
import { columnsNameCrs, type ColumnPair } from './crs-columns';
import { VERTICAL, parseCrsName } from './crs-declarations';
import type { CoordinateColumns, CrsCandidate, ImportProblem } from './types';

export { coordinateColumnPairs, heightColumn, normaliseColumnName, type ColumnKind, type ColumnPair } from './crs-columns';
export { geoJsonCrsText, parseCrsName, type ParsedCrsName } from './crs-declarations';

type Range = readonly [number, number];

interface RangeRule {
  readonly epsg: Epsg;
  /** Range of the first and second coordinate as written in the CRS's proj4 axis order. */
  readonly first: Range;
  readonly second: Range;
  /** Axis names for messages. */
  readonly axes: readonly [string, string];
}

/**
 * Value ranges over the region (about lon 11-16.5 E, lat 48-51.2 N, a little wider than the border strip), a few
 * per cent wider than the extremes measured with the registry's converters, so data at the edge still fits.
 * S-JTSK covers all of Czechia; degrees cover Europe (degrees cannot be confused with any metric CRS).
 */
export const REGION_RANGES: readonly RangeRule[] = [
  { epsg: 5514, first: [-960_000, -420_000], second: [-1_260_000, -900_000], axes: ['easting (negative)', 'northing (negative)'] },
  { epsg: 5513, first: [900_000, 1_260_000], second: [420_000, 960_000], axes: ['X (southing)', 'Y (westing)'] },
  { epsg: 25832, first: [580_000, 920_000], second: [5_300_000, 5_700_000], axes: ['easting', 'northing'] },
  { epsg: 25833, first: [250_000, 520_000], second: [5_300_000, 5_700_000], axes: ['easting', 'northing'] },
  { epsg: 32633, first: [250_000, 520_000], second: [5_300_000, 5_700_000], axes: ['easting', 'northing'] },
  { epsg: 31468, first: [4_380_000, 4_720_000], second: [5_280_000, 5_720_000], axes: ['Rechtswert', 'Hochwert'] },
  { epsg: 31469, first: [5_280_000, 5_620_000], second: [5_280_000, 5_720_000], axes: ['Rechtswert', 'Hochwert'] },
  { epsg: 3035, first: [4_280_000, 4_920_000], second: [2_680_000, 3_320_000], axes: ['easting', 'northing'] },
  { epsg: 4326, first: [-25, 45], second: [34, 72], axes: ['longitude', 'latitude'] },
];

/** The rule a CRS is tested with (the 2D/ETRS89 geographic variants share the degree box). */
function ruleFor(epsg: Epsg): RangeRule {
  const key = epsg === 4979 || epsg === 4258 ? 4326 : epsg;
  return REGION_RANGES.find((r) => r.epsg === key)!;
}

/** Order among candidates that fit equally well: the CRS data of the region is usually published in first. */
const PREFERENCE: readonly Epsg[] = [5514, 25832, 25833, 31468, 31469, 3035, 4326, 4258, 4979, 5513, 32633];
const PREFERENCE_WHY: Partial<Record<Epsg, string>> = {
  25833: 'ETRS89 / UTM 33N is what Czech and German agencies publish; WGS 84 / UTM 33N differs from it by less than 1 m',
  5514: 'Krovak East North is the current Czech form; 5513 is the same projection with south/west axes',
};

/** A minimum share of sampled points in range for a CRS to be a candidate at all, and the share that counts as a full fit. */
export const MIN_FIT = 0.5;
export const FULL_FIT = 0.95;

// ---- detection ---------------------------------------------------------------------------------------------

/** One way of reading coordinates from the file: for CSV, a column pair; for JSON, the positions. */
export interface Reading {
  /** (first, second) coordinate pairs as written, finite, without 0,0 placeholders. */
  readonly sample: Float64Array;
  readonly columns?: ColumnPair;
  readonly heightColumn?: string | null;
}

export interface CrsEvidence {
  readonly readings: readonly Reading[];
  /** The declaration as written and where it was found, e.g. `{ text: 'EPSG:25832', where: 'the GeoJSON crs member' }`. */
  readonly declared?: { readonly text: string; readonly where: string } | null;
  /** A declaration that could not be read (a GeoJSON `crs` link). */
  readonly unreadableDeclaration?: string | null;
  /** GeoJSON without a `crs` member: WGS84 lon/lat by RFC 7946. */
  readonly impliedWgs84?: boolean;
}

export interface CrsDetection {
  readonly candidates: CrsCandidate[];
  readonly problems: ImportProblem[];
  /** The declared horizontal CRS when the registry knows it, and the height datum declared with it. */
  readonly declaredEpsg: Epsg | null;
  readonly declaredVertical: VerticalDatum | null;
}

interface Fit {
  readonly epsg: Epsg;
  readonly swapped: boolean;
  readonly fit: number;
  readonly reading: Reading;
  readonly readingIndex: number;
}

function fitOf(sample: Float64Array, rule: RangeRule, swapped: boolean): number {
  const n = sample.length / 2;
  if (n === 0) return 0;
  let inside = 0;
  const [a0, a1] = rule.first;
  const [b0, b1] = rule.second;
  for (let i = 0; i < sample.length; i += 2) {
    const a = swapped ? sample[i + 1]! : sample[i]!;
    const b = swapped ? sample[i]! : sample[i + 1]!;
    if (a >= a0 && a <= a1 && b >= b0 && b <= b1) inside++;
  }
  return inside / n;
}

/** Best reading of one CRS: highest fit, the file's own axis order and the earlier reading on ties. */
function bestFit(epsg: Epsg, readings: readonly Reading[]): Fit | null {
  const rule = ruleFor(epsg);
  let best: Fit | null = null;
  readings.forEach((reading, readingIndex) => {
    for (const swapped of [false, true]) {
      const fit = fitOf(reading.sample, rule, swapped);
      if (!best || fit > best.fit) best = { epsg, swapped, fit, reading, readingIndex };
    }
  });
  return best;
}

const fmt = (v: number): string => {
  const a = Math.abs(v);
  const digits = a >= 1000 ? 0 : a >= 10 ? 2 : 4;
  return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).replace(/,/g, ' ');
};

function sampleExtent(sample: Float64Array): string {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < sample.length; i += 2) {
    x0 = Math.min(x0, sample[i]!);
    x1 = Math.max(x1, sample[i]!);
    y0 = Math.min(y0, sample[i + 1]!);
    y1 = Math.max(y1, sample[i + 1]!);
  }
  return `first coordinate ${fmt(x0)} … ${fmt(x1)}, second ${fmt(y0)} … ${fmt(y1)}`;
}

const label = (epsg: Epsg): string => `EPSG:${epsg} ${crsInfo(epsg).name}`;
const pct = (f: number): string => `${Math.round(f * 100)} %`;

function fitText(f: Fit): string {
  const n = f.reading.sample.length / 2;
  const inRange = Math.round(f.fit * n);
  const swap = f.swapped ? ` with the axes swapped (the ${ruleFor(f.epsg).axes[1]} comes first)` : '';
  const share = inRange === n ? `all ${n} sampled coordinates` : `${inRange} of ${n} sampled coordinates (${pct(f.fit)})`;
  return `${share} fit ${crsInfo(f.epsg).name}${swap} over the twin's region (${sampleExtent(f.reading.sample)})${outsideText(f)}`;
}

/** Sampled coordinates the import will report as outside the accurate area: the dialog says so up front. */
function outsideText(f: Fit): string {
  const outside = countOutsideAccurateArea(f.epsg, f.reading.sample, f.swapped);
  return outside > 0 ? `; ${outside} of them outside the area where EPSG:${f.epsg} is accurate` : '';
}

function columnsText(pair: ColumnPair): string {
  return `columns "${pair.x}" and "${pair.y}"`;
}

function candidateOf(f: Fit, source: CrsCandidate['source'], reason: string, verticalDatum: VerticalDatum): CrsCandidate {
  const cols = f.reading.columns;
  return {
    epsg: f.epsg,
    source,
    reason,
    swapAxes: f.swapped,
    fit: f.fit,
    verticalDatum,
    ...(cols ? { columns: { x: cols.x, y: cols.y, z: f.reading.heightColumn ?? null } satisfies CoordinateColumns } : {}),
  };
}

/** What the file declares: a CRS the twin knows (and its heights' datum), with why, or nothing. */
interface Declaration {
  readonly epsg: Epsg | null;
  readonly vertical: VerticalDatum | null;
  readonly why: string;
}

/** Reads the file's declaration (or the WGS84 that GeoJSON implies); what cannot be used becomes a problem. */
function readDeclaration(evidence: CrsEvidence, problems: ImportProblem[]): Declaration {
  if (evidence.unreadableDeclaration) {
    problems.push({ code: 'crs-unreadable', severity: 'warning', message: `${evidence.unreadableDeclaration} cannot be read; the CRS is judged from the coordinates` });
  }
  if (!evidence.declared) {
    return evidence.impliedWgs84
      ? { epsg: 4326, vertical: null, why: 'GeoJSON without a "crs" member is WGS84 longitude/latitude (RFC 7946)' }
      : { epsg: null, vertical: null, why: '' };
  }
  const { text, where } = evidence.declared;
  const parsed = parseCrsName(text);
  if (parsed.horizontal === null) {
    problems.push({ code: 'crs-unreadable', severity: 'warning', message: `${where} "${text}" names no EPSG code; the CRS is judged from the coordinates` });
    return { epsg: null, vertical: null, why: '' };
  }
  if (!isKnownEpsg(parsed.horizontal)) {
    const what = parsed.compoundName ? `${parsed.compoundName}, horizontal part EPSG:${parsed.horizontal}` : `EPSG:${parsed.horizontal}`;
    problems.push({ code: 'crs-unsupported', severity: 'warning', message: `${where} declares ${what}, which the twin does not support; the CRS is judged from the coordinates` });
    return { epsg: null, vertical: null, why: '' };
  }
  const epsg = parsed.horizontal;
  const why = `${where} declares "${text}"${parsed.compoundName ? ` (${parsed.compoundName})` : ''}`;
  if (parsed.vertical === null) return { epsg, vertical: null, why };
  const v = VERTICAL[parsed.vertical];
  if (v?.datum) {
    if (v.note) problems.push({ code: 'vertical-datum', severity: 'info', message: `heights are declared in ${v.name} (EPSG:${parsed.vertical}), ${v.note}` });
    return { epsg, vertical: v.datum, why };
  }
  problems.push({
    code: 'vertical-datum',
    severity: 'warning',
    message: `heights are declared in ${v?.name ?? `EPSG:${parsed.vertical}`}, which the twin does not model; they are taken as ${crsInfo(epsg).usualVerticalDatum}`,
  });
  return { epsg, vertical: null, why };
}

/** The CRSs the values fit (other than the declared one), best first, as candidates. */
function rangedCandidates(readings: readonly Reading[], declaredEpsg: Epsg | null, verticalOf: (epsg: Epsg) => VerticalDatum): CrsCandidate[] {
  const fits: Fit[] = [];
  for (const rule of REGION_RANGES) {
    const f = bestFit(rule.epsg, readings);
    if (f && f.fit >= MIN_FIT) fits.push(f);
  }
  const sourceOf = (f: Fit): CrsCandidate['source'] => (f.reading.columns && columnsNameCrs(f.reading.columns.kind, f.epsg) ? 'columns' : 'range');
  const tier = (f: Fit): number => (f.fit >= FULL_FIT ? 1 : 0);
  fits.sort(
    (a, b) =>
      tier(b) - tier(a) ||
      Number(sourceOf(b) === 'columns') - Number(sourceOf(a) === 'columns') ||
      b.fit - a.fit ||
      a.readingIndex - b.readingIndex ||
      Number(a.swapped) - Number(b.swapped) ||
      PREFERENCE.indexOf(a.epsg) - PREFERENCE.indexOf(b.epsg),
  );
  const ranged: CrsCandidate[] = [];
  for (const f of fits) {
    if (f.epsg === declaredEpsg || (declaredEpsg !== null && ruleFor(declaredEpsg) === ruleFor(f.epsg) && crsInfo(declaredEpsg).geographic)) continue;
    const source = sourceOf(f);
    const reason = source === 'columns' ? `${columnsText(f.reading.columns!)} name ${crsInfo(f.epsg).geographic ? 'longitude and latitude' : crsInfo(f.epsg).name} and ${fitText(f)}` : fitText(f);
    ranged.push(candidateOf(f, source, reason, verticalOf(f.epsg)));
  }
  return ranged;
}

/**
 * The declared CRS among the ranged ones: first, unless the values do not fit it and fit another CRS well (that one
 * goes first, the declared one stays listed).
 */
function withDeclared(decl: Declaration & { epsg: Epsg }, readings: readonly Reading[], ranged: readonly CrsCandidate[], vertical: VerticalDatum, problems: ImportProblem[]): CrsCandidate[] {
  const f = readings.length > 0 ? bestFit(decl.epsg, readings)! : null;
  const declFit: Fit = f && f.fit >= MIN_FIT ? f : { epsg: decl.epsg, swapped: false, fit: f?.fit ?? 0, reading: readings[0] ?? { sample: new Float64Array(0) }, readingIndex: 0 };
  const fitsIt = declFit.fit >= MIN_FIT;
  const why = readings.length === 0 ? decl.why : fitsIt ? `${decl.why}; ${fitText(declFit)}` : `${decl.why}, but only ${pct(declFit.fit)} of the sampled coordinates fall in its range over the twin's region (${sampleExtent(declFit.reading.sample)})`;
  const declared = candidateOf(declFit, 'declared', why, vertical);
  const strongOther = ranged.find((c) => c.fit >= FULL_FIT);
  if (!fitsIt && readings.length > 0) {
    problems.push({
      code: 'crs-mismatch',
      severity: 'warning',
      message: `${decl.why}, but the coordinates do not fit it over the twin's region${strongOther ? `; they fit ${label(strongOther.epsg)}` : ''}`,
    });
  }
  if (!fitsIt && strongOther && readings.length > 0) {
    const strong = ranged.filter((c) => c.fit >= FULL_FIT);
    return [...strong, declared, ...ranged.filter((c) => c.fit < FULL_FIT)];
  }
  return [declared, ...ranged];
}

/** What the first candidate needs said: swapped axes, a partial fit, rivals that fit as well. */
function topProblems(top: CrsCandidate, candidates: readonly CrsCandidate[], readings: readonly Reading[], problems: ImportProblem[]): void {
  if (top.swapAxes) {
    const pair = readings.find((r) => r.columns && top.columns && r.columns.x === top.columns.x && r.columns.y === top.columns.y)?.columns;
    const czech = (top.epsg === 5514 || top.epsg === 5513) && pair !== undefined && (pair.kind === 'xy' || pair.kind === 'krovak');
    const what = pair ? `the column "${pair.x}" holds the ${ruleFor(top.epsg).axes[1]} and "${pair.y}" the ${ruleFor(top.epsg).axes[0]}` : `the first coordinate is the ${ruleFor(top.epsg).axes[1]}`;
    problems.push({
      code: 'axes-swapped',
      severity: czech ? 'info' : 'warning',
      message: `axes swapped for ${label(top.epsg)}: ${what}${czech ? ' (the Czech Y, X convention)' : ''}; they are read the other way round`,
    });
  }
  if (top.fit < FULL_FIT && readings.length > 0) {
    problems.push({ code: 'crs-partial-fit', severity: 'warning', message: `only ${pct(top.fit)} of the sampled coordinates fit ${label(top.epsg)}; the rest will be reported when converting` });
  }
  const rivals = candidates.filter((c) => c !== top && c.fit >= FULL_FIT);
  if (top.source !== 'declared' && top.fit >= FULL_FIT && rivals.length > 0) {
    const second = rivals[0]!;
    const why =
      top.source === 'columns' && second.source !== 'columns'
        ? 'its column names agree'
        : top.fit > second.fit
          ? 'more of the sampled coordinates fall in its range'
          : !top.swapAxes && second.swapAxes
            ? "it reads the file's axes in the order written"
            : (PREFERENCE_WHY[top.epsg] ?? 'it is the more common CRS for data of this region');
    problems.push({
      code: 'crs-ambiguous',
      severity: 'warning',
      message: `the coordinates fit ${[top, ...rivals].map((c) => label(c.epsg)).join(' and ')}; ${label(top.epsg)} is ranked first because ${why}`,
    });
  }
}

/** Rank the CRSs a file may be in. Pure; the problems are file-level ('crs-…', 'axes-swapped', 'vertical-datum'). */
export function detectCrs(evidence: CrsEvidence): CrsDetection {
  const problems: ImportProblem[] = [];
  const readings = evidence.readings.filter((r) => r.sample.length > 0);
  const decl = readDeclaration(evidence, problems);
  const { epsg: declaredEpsg, vertical: declaredVertical } = decl;
  const verticalOf = (epsg: Epsg): VerticalDatum => (epsg === declaredEpsg && declaredVertical ? declaredVertical : crsInfo(epsg).usualVerticalDatum);
  const ranged = rangedCandidates(readings, declaredEpsg, verticalOf);
  const candidates = declaredEpsg !== null ? withDeclared({ ...decl, epsg: declaredEpsg }, readings, ranged, verticalOf(declaredEpsg), problems) : ranged;

  const top = candidates[0];
  if (!top) {
    const extent = readings[0] ? ` (${sampleExtent(readings[0].sample)})` : '';
    const known = REGION_RANGES.map((r) => `${r.epsg}`).join(', ');
    problems.push({
      code: 'crs-none-fits',
      severity: 'error',
      message:
        readings.length === 0
          ? 'no coordinates to judge the CRS from'
          : `the coordinates${extent} fit none of the CRSs the twin knows (EPSG ${known}) over its region, in either axis order; choose the CRS by hand if you know it`,
    });
    return { candidates, problems, declaredEpsg, declaredVertical };
  }
  topProblems(top, candidates, readings, problems);
  return { candidates, problems, declaredEpsg, declaredVertical };
}
