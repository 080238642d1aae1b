/**
 * The CRS registry: every coordinate reference system the twin accepts, with the proj4 definition we trust
 * for it, its area of use and its native vertical datum. Pure and DOM-free: shared by the app, the workers
 * and the tileset pipeline, so a point is transformed the same way everywhere.
 */
import proj4 from 'proj4';

/** EPSG codes the twin knows. A literal union, so a buffer's CRS is part of its type. */
export type Epsg = 4326 | 4979 | 4258 | 5514 | 5513 | 25832 | 25833 | 32633 | 31468 | 31469 | 3035;

export type VerticalDatum = 'ellipsoidal' | 'Bpv' | 'DHHN2016' | 'EGM96';

export interface CrsInfo {
  readonly epsg: Epsg;
  readonly name: string;
  /** proj4 definition string used for this CRS (see the comments in DEFS for why each one). */
  readonly proj4: string;
  /** EPSG's area of use, WGS84 degrees [west, south, east, north]; where points are placed accurately is `accurateArea`. */
  readonly areaOfUse: readonly [number, number, number, number];
  /** The height datum data in this CRS usually comes with. */
  readonly usualVerticalDatum: VerticalDatum;
  readonly geographic: boolean;
  /** Horizontal accuracy of this definition against PROJ's best operation inside the area of use, metres. */
  readonly accuracyM: number;
}

/** A 7-parameter Helmert to WGS 84 in the position-vector convention: proj4's `+towgs84` order and signs. */
export interface Helmert7 {
  readonly txM: number;
  readonly tyM: number;
  readonly tzM: number;
  readonly rxArcsec: number;
  readonly ryArcsec: number;
  readonly rzArcsec: number;
  readonly scalePpm: number;
}

export interface Ellipsoid {
  /** proj4's `+ellps` name. */
  readonly proj4: string;
  readonly a: number;
  readonly invF: number;
}

/** Bessel 1841 exactly as proj4 defines `+ellps=bessel` (PROJ uses the same numbers). */
export const BESSEL_1841: Ellipsoid = { proj4: 'bessel', a: 6377397.155, invF: 299.1528128 };

/**
 * S-JTSK: the 7-parameter "S-JTSK to WGS 84 (5)" operation in proj4's position-vector convention (EPSG gives
 * it as coordinate frame, so the rotation signs are flipped). The common 3-parameter 589,76,480 string is
 * about 12 m off in western Bohemia.
 */
export const SJTSK_TO_WGS84: Helmert7 = { txM: 572.213, tyM: 85.334, tzM: 461.94, rxArcsec: 4.9732, ryArcsec: 1.529, rzArcsec: 5.2484, scalePpm: 3.5378 };

/** A datum reached from WGS 84 by a Helmert, with the ellipsoid its geodetic coordinates live on. */
export interface HelmertDatum {
  readonly name: string;
  readonly ellipsoid: Ellipsoid;
  readonly toWgs84: Helmert7;
}
const SJTSK: HelmertDatum = { name: 'S-JTSK', ellipsoid: BESSEL_1841, toWgs84: SJTSK_TO_WGS84 };

const towgs84 = (h: Helmert7): string => `+towgs84=${[h.txM, h.tyM, h.tzM, h.rxArcsec, h.ryArcsec, h.rzArcsec, h.scalePpm].join(',')}`;
const SJTSK_TOWGS84 = towgs84(SJTSK_TO_WGS84);
const KROVAK = `+lat_0=49.5 +lon_0=24.8333333333333 +alpha=30.2881397527778 +k=0.9999 +x_0=0 +y_0=0 +ellps=${BESSEL_1841.proj4}`;
/** DHDN uses the AdV's BETA2007 NTv2 grid; `registerBeta2007` must have run before 31468/31469 are used. */
export const BETA2007_GRID_KEY = 'BETA2007';
const DHDN = `+ellps=bessel +nadgrids=@${BETA2007_GRID_KEY} +units=m +no_defs`;

const DEFS: readonly CrsInfo[] = [
  { epsg: 4326, name: 'WGS 84', proj4: '+proj=longlat +datum=WGS84 +no_defs', areaOfUse: [-180, -90, 180, 90], usualVerticalDatum: 'ellipsoidal', geographic: true, accuracyM: 0 },
  { epsg: 4979, name: 'WGS 84 (3D)', proj4: '+proj=longlat +datum=WGS84 +no_defs', areaOfUse: [-180, -90, 180, 90], usualVerticalDatum: 'ellipsoidal', geographic: true, accuracyM: 0 },
  // ETRS89 is taken as WGS 84, as PROJ does by default (a null transformation, ±1 m: the ETRF/ITRF drift).
  { epsg: 4258, name: 'ETRS89', proj4: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs', areaOfUse: [-16.1, 32.88, 40.18, 84.73], usualVerticalDatum: 'ellipsoidal', geographic: true, accuracyM: 1 },
  { epsg: 5514, name: 'S-JTSK / Krovak East North', proj4: `+proj=krovak ${KROVAK} ${SJTSK_TOWGS84} +units=m +no_defs`, areaOfUse: [12.09, 47.73, 22.56, 51.06], usualVerticalDatum: 'Bpv', geographic: false, accuracyM: 1 },
  { epsg: 5513, name: 'S-JTSK / Krovak', proj4: `+proj=krovak +axis=swu ${KROVAK} ${SJTSK_TOWGS84} +units=m +no_defs`, areaOfUse: [12.09, 47.73, 22.56, 51.06], usualVerticalDatum: 'Bpv', geographic: false, accuracyM: 1 },
  { epsg: 25832, name: 'ETRS89 / UTM zone 32N', proj4: '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs', areaOfUse: [6, 38.76, 12.01, 84.33], usualVerticalDatum: 'DHHN2016', geographic: false, accuracyM: 1 },
  { epsg: 25833, name: 'ETRS89 / UTM zone 33N', proj4: '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs', areaOfUse: [12, 46.4, 18.01, 84.42], usualVerticalDatum: 'DHHN2016', geographic: false, accuracyM: 1 },
  { epsg: 32633, name: 'WGS 84 / UTM zone 33N', proj4: '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs', areaOfUse: [12, 0, 18, 84], usualVerticalDatum: 'EGM96', geographic: false, accuracyM: 0 },
  { epsg: 31468, name: 'DHDN / 3-degree Gauss-Kruger zone 4', proj4: `+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=4500000 +y_0=0 ${DHDN}`, areaOfUse: [10.5, 47.39, 13.51, 54.59], usualVerticalDatum: 'DHHN2016', geographic: false, accuracyM: 0.1 },
  { epsg: 31469, name: 'DHDN / 3-degree Gauss-Kruger zone 5', proj4: `+proj=tmerc +lat_0=0 +lon_0=15 +k=1 +x_0=5500000 +y_0=0 ${DHDN}`, areaOfUse: [13.5, 47.27, 15.04, 55.09], usualVerticalDatum: 'DHHN2016', geographic: false, accuracyM: 0.1 },
  { epsg: 3035, name: 'ETRS89-extended / LAEA Europe', proj4: '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs', areaOfUse: [-35.58, 24.6, 44.83, 84.73], usualVerticalDatum: 'ellipsoidal', geographic: false, accuracyM: 1 },
];

const BY_EPSG = new Map<Epsg, CrsInfo>(DEFS.map((d) => [d.epsg, d]));

export function isKnownEpsg(code: number): code is Epsg {
  return BY_EPSG.has(code as Epsg);
}

export function crsInfo(epsg: Epsg): CrsInfo {
  const info = BY_EPSG.get(epsg);
  if (!info) throw new Error(`EPSG:${epsg} is not in the registry`);
  return info;
}

export function allCrs(): readonly CrsInfo[] {
  return DEFS;
}

let beta2007Loaded = false;
/** Register the BETA2007 NTv2 grid (the .gsb bytes) with proj4. Idempotent. */
export function registerBeta2007(gsb: ArrayBuffer): void {
  if (beta2007Loaded) return;
  proj4.nadgrid(BETA2007_GRID_KEY, gsb);
  beta2007Loaded = true;
}
export function needsBeta2007(epsg: Epsg): boolean {
  return epsg === 31468 || epsg === 31469;
}

export type Converter = { forward(xy: number[]): number[]; inverse(xy: number[]): number[] };
type Proj4Converter = { forward(xy: number[], enforceAxis?: boolean): number[]; inverse(xy: number[], enforceAxis?: boolean): number[] };
const converters = new Map<string, Converter>();

const hasAxisOrder = (epsg: Epsg): boolean => /\+axis=(?!enu)/.test(crsInfo(epsg).proj4);

/**
 * proj4 honours a definition's `+axis` only when asked to (`enforceAxis`): without it EPSG:5513 would come out
 * as 5514's negative easting/northing instead of southing/westing. Asked to, it also returns its own
 * datum-shifted z, so the input's z is put back: every converter carries z unchanged, as PROJ does.
 */
function axisAware(c: Proj4Converter): Converter {
  const wrap = (fn: Proj4Converter['forward']) => (p: number[]): number[] => {
    const r = fn(p, true);
    if (p.length > 2 && r.length > 2) r[2] = p[2]!;
    return r;
  };
  return { forward: wrap(c.forward.bind(c)), inverse: wrap(c.inverse.bind(c)) };
}

function build(fromDef: string, toDef: string, axes: boolean): Converter {
  const c = proj4(fromDef, toDef) as Proj4Converter;
  return axes ? axisAware(c) : c;
}

/**
 * A proj4 converter built once per CRS pair: the one-shot `proj4(from, to, p)` form re-parses both
 * definitions on every call and is 3-9x slower (measured in node on this machine kind).
 * Coordinates are in each CRS's EPSG axis order (5513: southing, westing; every other registered CRS:
 * easting/longitude first).
 */
export function converter(from: Epsg, to: Epsg): Converter {
  const key = `${from}>${to}`;
  let c = converters.get(key);
  if (!c) {
    if ((needsBeta2007(from) || needsBeta2007(to)) && !beta2007Loaded) {
      throw new Error(`EPSG:${needsBeta2007(from) ? from : to} needs the BETA2007 grid: call registerBeta2007 first`);
    }
    c = build(crsInfo(from).proj4, crsInfo(to).proj4, hasAxisOrder(from) || hasAxisOrder(to));
    converters.set(key, c);
  }
  return c;
}

/**
 * Registered CRSs on a Helmert datum, for the worker's ECEF fast path. Their geographic helper CRSs (lon/lat on
 * the datum's own ellipsoid) are built from this map and stay out of the registry and of `Epsg`: nothing but
 * that path should ever see Bessel lon/lat.
 */
const HELMERT_SOURCES: ReadonlyMap<Epsg, HelmertDatum> = new Map<Epsg, HelmertDatum>([
  [5514, SJTSK],
  [5513, SJTSK],
]);

/** The Helmert datum a registered CRS sits on, or null (WGS 84/ETRS89, or a grid-based datum such as DHDN). */
export function helmertDatum(epsg: Epsg): HelmertDatum | null {
  return HELMERT_SOURCES.get(epsg) ?? null;
}

const toSourceGeodetic = new Map<Epsg, Converter>();

/**
 * Projected CRS on a Helmert datum -> lon/lat degrees on the datum's own ellipsoid, no datum shift (`forward`;
 * `inverse` projects back). Throws for a CRS that `helmertDatum` does not know.
 */
export function inverseToSourceGeodetic(epsg: Epsg): Converter {
  const datum = HELMERT_SOURCES.get(epsg);
  if (!datum) throw new Error(`EPSG:${epsg} is not on a Helmert datum`);
  let c = toSourceGeodetic.get(epsg);
  if (!c) {
    // The projected definition loses its +towgs84 too: proj4 routes any pair with a +towgs84 on one side through
    // WGS 84, and a target without one would then receive WGS 84 lon/lat, about 100 m off the Bessel ones.
    const projected = crsInfo(epsg).proj4.replace(/\s*\+towgs84=\S+/, '');
    c = build(projected, `+proj=longlat +ellps=${datum.ellipsoid.proj4} +no_defs`, hasAxisOrder(epsg));
    toSourceGeodetic.set(epsg, c);
  }
  return c;
}

/**
 * How far beyond its zone a transverse Mercator CRS (UTM, Gauss-Krüger) still places a point exactly, degrees of
 * longitude. EPSG's area of use of a TM CRS is the zone it is defined for, not the limit of its accuracy: proj4's
 * `tmerc`/`utm` are the Krüger series of Poder/Engsager (`etmerc`, as PROJ), exact to the millimetre within
 * thousands of kilometres of the central meridian. Only the scale distortion grows (about 2 ‰ at 6° from it at
 * 49° N), which is why agencies use a zone beyond its edge: Bavaria publishes EPSG:25832 across the whole state,
 * to 13.8° E. Four degrees covers that and every coordinate the import dialog's ranges call a fit.
 */
export const TM_MARGIN_DEG = 4;
/** Where the BETA2007 grid shifts DHDN (Germany's box): outside it proj4 leaves DHDN unshifted, metres to 100 m off. */
const BETA2007_EXTENT: readonly [number, number, number, number] = [5.5, 47, 15.6667, 55.3];

/**
 * Where a CRS places points with its stated accuracy, WGS84 degrees [west, south, east, north]: the area of use,
 * widened for transverse Mercator zones (see TM_MARGIN_DEG) and, on DHDN, no wider than the BETA2007 grid.
 * Other projections (Křovák's Helmert fitted to Czechia, LAEA) keep EPSG's area.
 */
export function accurateArea(epsg: Epsg): readonly [number, number, number, number] {
  const info = crsInfo(epsg);
  const [w, s, e, n] = info.areaOfUse;
  if (!/\+proj=(utm|tmerc)\b/.test(info.proj4)) return info.areaOfUse;
  const wide = [w - TM_MARGIN_DEG, s, e + TM_MARGIN_DEG, n] as const;
  if (!needsBeta2007(epsg)) return wide;
  const [gw, gs, ge, gn] = BETA2007_EXTENT;
  return [Math.max(wide[0], gw), Math.max(wide[1], gs), Math.min(wide[2], ge), Math.min(wide[3], gn)];
}

/** True when a WGS84 lon/lat lies where the CRS places points accurately (its area of use, see `accurateArea`). */
export function insideAreaOfUse(epsg: Epsg, lonDeg: number, latDeg: number): boolean {
  const [w, s, e, n] = accurateArea(epsg);
  return lonDeg >= w && lonDeg <= e && latDeg >= s && latDeg <= n;
}

/**
 * How many of a sample of coordinates in `epsg` (pairs, flattened; `swapped`: second axis first) lie outside its
 * accurate area: the same test the import applies to every vertex, so the dialog and the import agree.
 * 0 when the CRS cannot be converted here (DHDN before its grid is registered): the import's own count tells.
 */
export function countOutsideAccurateArea(epsg: Epsg, sample: Float64Array, swapped: boolean): number {
  if (crsInfo(epsg).geographic) return 0;
  let toWgs84: Converter;
  try {
    toWgs84 = converter(epsg, 4326);
  } catch {
    return 0;
  }
  let outside = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    const [lon, lat] = toWgs84.forward(swapped ? [sample[i + 1]!, sample[i]!] : [sample[i]!, sample[i + 1]!]);
    if (Number.isFinite(lon) && Number.isFinite(lat) && !insideAreaOfUse(epsg, lon!, lat!)) outside++;
  }
  return outside;
}
