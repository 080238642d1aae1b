/**
 * OpenCelliD cell records -> mobile network sites: cells of one operator whose estimated positions lie within
 * `SITE_MERGE_M` of each other are taken as one site (one mast carrying several cells and technologies), placed
 * at their mean position. Pure: the step reads the file and the terrain, this module only shapes the data.
 *
 * OpenCelliD positions are themselves estimated, the centroid of the crowd measurements that saw a cell, so a
 * cell is typically tens to hundreds of metres from its antenna, towards where people measured it; grouping
 * merges the cells of one mast but cannot find the mast itself.
 */
import Papa from 'papaparse';
import type { CoverageOperator, CoverageSite } from '../../core/coverage/dataset';

/** Cells of one operator closer than this (metres, EPSG:3035) are one site. */
export const SITE_MERGE_M = 50;

/** Mobile network operators of the region, keyed "mcc-mnc" (MNC two digits, as the operators publish them). */
/**
 * `name` is the company's registered name; `brand` what the page shows next to the country code, the same in
 * every language ("Vodafone · CZ").
 */
export const OPERATORS: Readonly<Record<string, { name: string; brand: string; country: 'DE' | 'CZ'; mcc: number; mnc: number }>> = {
  '262-01': { name: 'Telekom Deutschland', brand: 'Telekom', country: 'DE', mcc: 262, mnc: 1 },
  '262-02': { name: 'Vodafone Germany', brand: 'Vodafone', country: 'DE', mcc: 262, mnc: 2 },
  '262-03': { name: 'Telefónica Germany (O2)', brand: 'O2 (Telefónica)', country: 'DE', mcc: 262, mnc: 3 },
  '230-01': { name: 'T-Mobile Czech Republic', brand: 'T-Mobile', country: 'CZ', mcc: 230, mnc: 1 },
  '230-02': { name: 'O2 Czech Republic', brand: 'O2', country: 'CZ', mcc: 230, mnc: 2 },
  '230-03': { name: 'Vodafone Czech Republic', brand: 'Vodafone', country: 'CZ', mcc: 230, mnc: 3 },
};

export const operatorKey = (mcc: number, mnc: number): string => `${mcc}-${String(mnc).padStart(2, '0')}`;

export interface OcidCell {
  /** 1-based line in the file. */
  readonly line: number;
  readonly radio: string;
  readonly mcc: number;
  readonly net: number;
  readonly area: number;
  readonly cell: number;
  readonly lonDeg: number;
  readonly latDeg: number;
  readonly rangeM: number;
  readonly samples: number;
  /** Unix seconds. */
  readonly updated: number;
}

export interface Skipped {
  readonly line: number;
  readonly reason: string;
}

const REQUIRED = ['radio', 'mcc', 'net', 'area', 'cell', 'lon', 'lat', 'range', 'samples', 'updated'] as const;
const RADIOS = new Set(['GSM', 'UMTS', 'CDMA', 'LTE', 'NR']);

/** The OpenCelliD CSV export (header radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal). */
export function parseOpenCellId(text: string): { cells: OcidCell[]; skipped: Skipped[] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const fields = parsed.meta.fields ?? [];
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) throw new Error(`OpenCelliD CSV: missing columns ${missing.join(', ')} (found ${fields.join(', ')})`);
  const cells: OcidCell[] = [];
  const skipped: Skipped[] = [];
  parsed.data.forEach((row, i) => {
    // Header on line 1 and one record per line (the export has no quoted line breaks).
    const line = i + 2;
    const num = (k: (typeof REQUIRED)[number]): number => (row[k] === undefined || row[k].trim() === '' ? Number.NaN : Number(row[k]));
    const c: OcidCell = {
      line,
      radio: (row['radio'] ?? '').trim().toUpperCase(),
      mcc: num('mcc'),
      net: num('net'),
      area: num('area'),
      cell: num('cell'),
      lonDeg: num('lon'),
      latDeg: num('lat'),
      rangeM: num('range'),
      samples: num('samples'),
      updated: num('updated'),
    };
    const bad = (['mcc', 'net', 'area', 'cell', 'lonDeg', 'latDeg', 'rangeM', 'samples', 'updated'] as const).find((k) => !Number.isFinite(c[k]));
    if (bad) skipped.push({ line, reason: `${bad} is not a number` });
    else if (!RADIOS.has(c.radio)) skipped.push({ line, reason: `unknown radio "${c.radio}"` });
    else if (!(operatorKey(c.mcc, c.net) in OPERATORS)) skipped.push({ line, reason: `operator ${operatorKey(c.mcc, c.net)} is not one of the region's networks` });
    else if (Math.abs(c.lonDeg) > 180 || Math.abs(c.latDeg) > 90) skipped.push({ line, reason: 'position out of range' });
    else cells.push(c);
  });
  for (const e of parsed.errors) skipped.push({ line: (e.row ?? 0) + 2, reason: `CSV: ${e.message}` });
  return { cells, skipped: skipped.toSorted((a, b) => a.line - b.line) };
}

const bucketKey = (bx: number, by: number): string => `${bx},${by}`;

/** Union-find over cell indices. */
function find(parent: Int32Array, i: number): number {
  let r = i;
  while (parent[r]! !== r) r = parent[r]!;
  // Path compression: later finds on the same chain are one step.
  for (let j = i; parent[j]! !== r; ) {
    const next = parent[j]!;
    parent[j] = r;
    j = next;
  }
  return r;
}

/**
 * Single-linkage groups of points closer than `mergeM`: a hash grid of `mergeM` buckets, so each point is compared
 * only with the 3×3 buckets around it (the whole OpenCelliD export of a country, 10^5–10^6 cells, stays cheap).
 * Returns a group number per point, groups numbered by their first point.
 */
export function groupWithin(x: Float64Array, y: Float64Array, mergeM: number): Int32Array {
  const n = x.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const buckets = new Map<string, number[]>();
  const d2 = mergeM * mergeM;
  for (let i = 0; i < n; i++) {
    const bx = Math.floor(x[i]! / mergeM);
    const by = Math.floor(y[i]! / mergeM);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of buckets.get(bucketKey(bx + dx, by + dy)) ?? []) {
          const ex = x[i]! - x[j]!;
          const ey = y[i]! - y[j]!;
          if (ex * ex + ey * ey <= d2) {
            const a = find(parent, i);
            const b = find(parent, j);
            if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
          }
        }
      }
    }
    const k = bucketKey(bx, by);
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  }
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) group[i] = find(parent, i);
  return group;
}

export interface SiteInputs {
  /** lon/lat -> EPSG:3035 [x, y]. */
  readonly toLaea: (lonDeg: number, latDeg: number) => [number, number];
  readonly fromLaea: (x: number, y: number) => [number, number];
  /** WGS84 ellipsoidal ground height, null where there is no DEM. */
  readonly groundAt: (lonDeg: number, latDeg: number) => number | null;
}

const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;
const r2 = (v: number): number => Math.round(v * 100) / 100;
const r1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Cells -> sites, sorted by operator, then north to south, then west to east; ids "<operator>-<n>" numbered in
 * that order. Positions: the mean of the cells' EPSG:3035 positions (a metric mean), rounded to 1 cm, and its
 * lon/lat (6 decimals ≈ 0.1 m).
 */
export function buildSites(cells: readonly OcidCell[], inputs: SiteInputs): { sites: CoverageSite[]; operators: Record<string, CoverageOperator>; maxSpreadM: number } {
  // A stable input order, so the groups (and so the output) do not depend on the file's row order.
  const sorted = cells.toSorted((a, b) => a.mcc - b.mcc || a.net - b.net || a.area - b.area || a.cell - b.cell || a.radio.localeCompare(b.radio) || a.line - b.line);
  const byOperator = new Map<string, OcidCell[]>();
  for (const c of sorted) {
    const k = operatorKey(c.mcc, c.net);
    const list = byOperator.get(k);
    if (list) list.push(c);
    else byOperator.set(k, [c]);
  }
  const sites: CoverageSite[] = [];
  const operators: Record<string, CoverageOperator> = {};
  let maxSpreadM = 0;
  for (const key of Object.keys(OPERATORS).toSorted()) {
    const list = byOperator.get(key) ?? [];
    const op = OPERATORS[key]!;
    const x = new Float64Array(list.length);
    const y = new Float64Array(list.length);
    list.forEach((c, i) => ([x[i], y[i]] = inputs.toLaea(c.lonDeg, c.latDeg)));
    const group = groupWithin(x, y, SITE_MERGE_M);
    const members = new Map<number, number[]>();
    for (let i = 0; i < list.length; i++) {
      const g = members.get(group[i]!);
      if (g) g.push(i);
      else members.set(group[i]!, [i]);
    }
    const opSites: Array<Omit<CoverageSite, 'id'>> = [];
    for (const idx of members.values()) {
      let sx = 0, sy = 0;
      for (const i of idx) {
        sx += x[i]!;
        sy += y[i]!;
      }
      const mx = r2(sx / idx.length);
      const my = r2(sy / idx.length);
      for (const i of idx) maxSpreadM = Math.max(maxSpreadM, Math.hypot(x[i]! - mx, y[i]! - my));
      const [lon, lat] = inputs.fromLaea(mx, my);
      const ground = inputs.groundAt(lon, lat);
      const cellsOfSite = idx.map((i) => list[i]!);
      opSites.push({
        operator: key,
        lonDeg: r6(lon),
        latDeg: r6(lat),
        xM: mx,
        yM: my,
        groundHeightEllipsoidalM: ground === null ? null : r1(ground),
        technologies: [...new Set(cellsOfSite.map((c) => c.radio))].toSorted(),
        cellCount: idx.length,
        samples: cellsOfSite.reduce((s, c) => s + c.samples, 0),
        rangeM: Math.max(...cellsOfSite.map((c) => c.rangeM)),
        cellIds: cellsOfSite.map((c) => `${c.area}-${c.cell}`),
        updated: new Date(Math.max(...cellsOfSite.map((c) => c.updated)) * 1000).toISOString().slice(0, 10),
      });
    }
    opSites.sort((a, b) => b.yM - a.yM || a.xM - b.xM);
    opSites.forEach((s, i) => sites.push({ id: `${key}-${String(i + 1).padStart(4, '0')}`, ...s }));
    operators[key] = { name: op.name, brand: op.brand, country: op.country, mcc: op.mcc, mnc: op.mnc, sites: opSites.length, cells: list.length };
  }
  return { sites, operators, maxSpreadM };
}
