/** CRS declarations as files write them: EPSG spellings, compound codes, vertical CRSs, a GeoJSON `crs` member. */
import type { VerticalDatum } from '../../geo/crs';

/** Compound CRSs (horizontal + height) a file may declare as one code. */
const COMPOUND: Readonly<Record<number, { horizontal: number; vertical: number; name: string }>> = {
  5555: { horizontal: 25832, vertical: 5783, name: 'ETRS89 / UTM zone 32N + DHHN92 height' },
  5556: { horizontal: 25833, vertical: 5783, name: 'ETRS89 / UTM zone 33N + DHHN92 height' },
  7415: { horizontal: 28992, vertical: 5709, name: 'Amersfoort / RD New + NAP height' },
  7423: { horizontal: 4258, vertical: 5621, name: 'ETRS89 + EVRF2007 height' },
  8360: { horizontal: 4258, vertical: 8357, name: 'ETRS89 + Baltic 1957 height' },
  9518: { horizontal: 4326, vertical: 3855, name: 'WGS 84 + EGM2008 height' },
  9707: { horizontal: 4326, vertical: 5773, name: 'WGS 84 + EGM96 height' },
  9924: { horizontal: 4258, vertical: 7837, name: 'ETRS89 + DHHN2016 height' },
};

/** Vertical CRSs -> the datum the twin converts them as; `note` when that is an approximation. */
export const VERTICAL: Readonly<Record<number, { datum: VerticalDatum | null; name: string; note?: string }>> = {
  7837: { datum: 'DHHN2016', name: 'DHHN2016 height' },
  5783: { datum: 'DHHN2016', name: 'DHHN92 height', note: 'taken as DHHN2016 (they differ by a few centimetres)' },
  5621: { datum: 'DHHN2016', name: 'EVRF2007 height', note: 'taken as DHHN2016 (within centimetres in this region)' },
  8357: { datum: 'Bpv', name: 'Baltic 1957 height (Bpv)' },
  // Czech heights are Bpv (Baltic 1957); S-JTSK data that names the Baltic 1977 code instead means them (both
  // Kronstadt-based), so `EPSG:5514+5705` is read as S-JTSK + Bpv rather than refused.
  5705: { datum: 'Bpv', name: 'Baltic 1977 height', note: 'taken as Bpv (Baltic 1957, the Czech height system)' },
  5773: { datum: 'EGM96', name: 'EGM96 height' },
  3855: { datum: 'EGM96', name: 'EGM2008 height', note: 'taken as EGM96 (they differ by less than 1 m here)' },
  5709: { datum: null, name: 'NAP height' },
};

/**
 * The AdV's CRS names (German surveying offices' GML, e.g. `urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH*GCG2016`):
 * horizontal part, then height system and quasigeoid, joined by `*`. Only the parts the twin can convert.
 */
const ADV_HORIZONTAL: Readonly<Record<string, number>> = {
  ETRS89_UTM32: 25832,
  ETRS89_UTM33: 25833,
  'ETRS89_LAT-LON': 4258,
  DE_DHDN_3GK4: 31468,
  DE_DHDN_3GK5: 31469,
};
const ADV_VERTICAL: Readonly<Record<string, number>> = { DE_DHHN2016_NH: 7837, DE_DHHN92_NH: 5783 };

function parseAdvName(text: string): ParsedCrsName | null {
  const m = /urn:adv:crs:([^\s"']+)/i.exec(text);
  if (!m) return null;
  const [h = '', v = ''] = m[1]!.toUpperCase().split('*');
  return { horizontal: ADV_HORIZONTAL[h] ?? null, vertical: ADV_VERTICAL[v] ?? null };
}

export interface ParsedCrsName {
  /** Horizontal EPSG code, known to the registry or not; null when none could be read. */
  readonly horizontal: number | null;
  readonly vertical: number | null;
  /** Name of a compound code, for messages. */
  readonly compoundName?: string;
}

/**
 * EPSG codes from the spellings files use: "EPSG:25832", "urn:ogc:def:crs:EPSG::5514", "urn:ogc:def:crs:EPSG:6.6:5514",
 * "http(s)://www.opengis.net/def/crs/EPSG/0/25832", compounds "…/25832+7837" or a compound code ("…/7415"), and
 * OGC CRS84 (WGS84 lon/lat), and the AdV's `urn:adv:crs:…` names.
 */
export function parseCrsName(text: string): ParsedCrsName {
  if (/CRS:?84\b/i.test(text)) return { horizontal: 4326, vertical: null };
  const adv = parseAdvName(text);
  if (adv) return adv;
  const codes: number[] = [];
  for (const m of text.matchAll(/EPSG(?:\/[\d.]+\/|:[\d.]*:|:|\/)(\d+(?:\+\d+)*)/gi)) {
    for (const c of m[1]!.split('+')) if (c) codes.push(Number(c));
  }
  if (codes.length === 0 && /^\s*\d+(\+\d+)?\s*$/.test(text)) codes.push(...text.trim().split('+').map(Number));
  let horizontal: number | null = null;
  let vertical: number | null = null;
  let compoundName: string | undefined;
  for (const c of codes) {
    const compound = COMPOUND[c];
    if (compound) {
      horizontal ??= compound.horizontal;
      vertical ??= compound.vertical;
      compoundName ??= `EPSG:${c} ${compound.name}`;
    } else if (c in VERTICAL) vertical ??= c;
    else horizontal ??= c;
  }
  return { horizontal, vertical, ...(compoundName ? { compoundName } : {}) };
}

/**
 * The name in a GeoJSON `crs` member (the 2008 GeoJSON form, still written by QGIS, GDAL and ArcGIS):
 * `{type: "name", properties: {name}}` or the older `{type: "EPSG", properties: {code}}`. undefined: no member
 * (or `null`, "no CRS given"); null: a member this reader cannot interpret (a link).
 */
export function geoJsonCrsText(crs: unknown): string | null | undefined {
  if (crs === undefined || crs === null) return undefined;
  if (typeof crs !== 'object') return null;
  const c = crs as { type?: unknown; properties?: { name?: unknown; code?: unknown } | null };
  if (c.type === 'name' && typeof c.properties?.name === 'string') return c.properties.name;
  if (c.type === 'EPSG' && (typeof c.properties?.code === 'number' || typeof c.properties?.code === 'string')) return `EPSG:${c.properties.code}`;
  return null;
}
