/**
 * The coverage layer, renderer-neutral: colour scales in dBm, the default comparison, the statistics table as CSV,
 * and where to fly for a zone. Pure, tested in node.
 */
import Papa from 'papaparse';
import { interpolateRdBu, interpolateRdYlGn } from 'd3-scale-chromatic';
import { LUT_SIZE, lutFromInterpolator } from '../../../core/aggregation/colour';
import type { ColourSpec } from '../../../core/coverage/types';
import type { CameraState, CoverageLayerInfo, CoverageSource, CoverageStatsRow } from '../../state/types';

/** RSRP scale: the weakest value a phone can still use to the strongest one seen near a mast. */
export const RSRP_DOMAIN_DBM: readonly [number, number] = [-140, -60];
/** A − B: ±30 dB covers a different site density or band; beyond it the colour saturates. */
export const DIFF_DOMAIN_DB: readonly [number, number] = [-30, 30];

export const DEFAULT_THRESHOLDS = { coveredDbm: -110, goodDbm: -95 } as const;

/** The RSRP colour at fraction t of the domain (the palette's darkest red end is skipped: it reads as black on terrain). */
export const rsrpInterpolate = (t: number): string => interpolateRdYlGn(0.05 + 0.95 * t);

/**
 * RSRP colours: red (weak) to green (strong) above the "covered" threshold, transparent below it, so the map
 * reads as "where is there service" at a glance; the threshold is the user's.
 */
export function rsrpColour(coveredDbm: number): ColourSpec {
  const lut = lutFromInterpolator(rsrpInterpolate, 1);
  const [d0, d1] = RSRP_DOMAIN_DBM;
  for (let k = 0; k < LUT_SIZE; k++) {
    const v = d0 + (k / (LUT_SIZE - 1)) * (d1 - d0);
    if (v < coveredDbm) lut[k * 4 + 3] = 0;
  }
  return { domain: RSRP_DOMAIN_DBM, lut };
}

/** A − B: blue where A is stronger, red where B is (diverging, neutral at 0 dB). */
export function diffColour(): ColourSpec {
  return { domain: DIFF_DOMAIN_DB, lut: lutFromInterpolator((t) => interpolateRdBu(t), 1) };
}

/** The comparison shown first: the largest German operator against the largest Czech one (a cross-border view). */
export function defaultComparison(sources: readonly CoverageSource[]): { a: string; b: string } {
  const bySites = (country: string) => sources.filter((s) => s.country === country).toSorted((x, y) => (y.sites ?? 0) - (x.sites ?? 0))[0];
  const a = bySites('DE') ?? sources[0];
  const b = bySites('CZ') ?? sources.find((s) => s.id !== a?.id) ?? a;
  return { a: a?.id ?? '', b: b?.id ?? '' };
}

export function initialCoverageInfo(sources: readonly CoverageSource[], cellM: number, demShare: number): CoverageLayerInfo {
  return {
    sources,
    ...defaultComparison(sources),
    // A alone until the user asks for a comparison: no divider across a first view of the region.
    mode: 'single',
    bandMHz: 700,
    ...DEFAULT_THRESHOLDS,
    split: 0.5,
    progress: 0,
    stats: [],
    frames: 0,
    demShare,
    cellM,
  };
}

const round = (v: number, digits: number): number | '' => (Number.isFinite(v) ? Number(v.toFixed(digits)) : '');

/**
 * The statistics table as CSV (RFC 4180 through papaparse): one row per zone, the numbers as shown in the page
 * but unrounded beyond their precision, empty where there is no prediction. Names come from data: quoted by
 * the writer, and cells starting with = + - @ are escaped so a spreadsheet does not run them as formulas.
 */
export function statsToCsv(rows: readonly CoverageStatsRow[], a: string, b: string): string {
  return Papa.unparse(
    rows.map((r) => ({
      group: r.group,
      zone: r.name,
      zone_code: r.code,
      country: r.country,
      area_km2: round(r.areaKm2, 1),
      source_a: a,
      source_b: b,
      covered_pct_a: round(r.coveredPctA, 2),
      covered_pct_b: round(r.coveredPctB, 2),
      mean_rsrp_dbm_a: round(r.meanDbmA, 2),
      mean_rsrp_dbm_b: round(r.meanDbmB, 2),
      mean_diff_db: round(r.meanDiffDb, 2),
      only_a_pct: round(r.onlyAPct, 2),
      only_b_pct: round(r.onlyBPct, 2),
      both_pct: round(r.bothPct, 2),
      neither_pct: round(r.neitherPct, 2),
    })),
    { escapeFormulae: true, newline: '\r\n' },
  );
}

/** A camera looking straight down on a lon/lat box, high enough to see all of it (60° field of view). */
export function cameraForBox([west, south, east, north]: readonly [number, number, number, number]): CameraState {
  const latMid = (south + north) / 2;
  const widthM = (east - west) * 111_320 * Math.cos((latMid * Math.PI) / 180);
  const heightM = (north - south) * 110_540;
  const extentM = Math.max(widthM, heightM, 2_000);
  return { lonDeg: (west + east) / 2, latDeg: latMid, heightM: Math.round(extentM * 1.2), headingDeg: 0, pitchDeg: -90, rollDeg: 0 };
}

export type StatsSortKey = 'name' | 'areaKm2' | 'coveredPctA' | 'coveredPctB' | 'meanDbmA' | 'meanDbmB' | 'meanDiffDb';

/** Sorted copy; NaN (no prediction) always last, whatever the direction. */
export function sortStats(rows: readonly CoverageStatsRow[], key: StatsSortKey, descending: boolean): CoverageStatsRow[] {
  const dir = descending ? -1 : 1;
  return rows.toSorted((x, y) => {
    if (key === 'name') return dir * x.name.localeCompare(y.name);
    const vx = x[key];
    const vy = y[key];
    if (Number.isNaN(vx)) return Number.isNaN(vy) ? 0 : 1;
    if (Number.isNaN(vy)) return -1;
    return dir * (vx - vy);
  });
}

/** Municipal rows shown at once in the statistics table: sorting or a search brings the others up. */
export const MUNICIPALITY_ROWS_SHOWN = 60;

/** Case- and accent-insensitive form of a name ("Domažlice" and "domazlice" match). */
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The rows whose name contains the query (accents and case ignored); all rows for an empty query. */
export function filterStats(rows: readonly CoverageStatsRow[], query: string): CoverageStatsRow[] {
  const q = fold(query.trim());
  return q === '' ? [...rows] : rows.filter((r) => fold(r.name).includes(q));
}
