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
  /** Area of use, WGS84 degrees [west, south, east, north]; outside it the transform's accuracy is not known. */
  readonly areaOfUse: readonly [number, number, number, number];
  /** The height datum data in this CRS usually comes with. */
  readonly usualVerticalDatum: VerticalDatum;
  readonly geographic: boolean;
  /** Horizontal accuracy of this definition against PROJ's best operation inside the area of use, metres. */
  readonly accuracyM: number;
}

/**
 * S-JTSK: the 7-parameter "S-JTSK to WGS 84 (5)" operation in proj4's position-vector convention (EPSG gives
 * it as coordinate frame, so the rotation signs are flipped). The common 3-parameter 589,76,480 string is
 * about 12 m off in western Bohemia.
 */
const SJTSK_TOWGS84 = '+towgs84=572.213,85.334,461.94,4.9732,1.529,5.2484,3.5378';
const KROVAK = '+lat_0=49.5 +lon_0=24.8333333333333 +alpha=30.2881397527778 +k=0.9999 +x_0=0 +y_0=0 +ellps=bessel';
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
const converters = new Map<string, Converter>();

/**
 * A proj4 converter built once per CRS pair: the one-shot `proj4(from, to, p)` form re-parses both
 * definitions on every call and is 3-9x slower (measured in node on this machine kind).
 */
export function converter(from: Epsg, to: Epsg): Converter {
  const key = `${from}>${to}`;
  let c = converters.get(key);
  if (!c) {
    if ((needsBeta2007(from) || needsBeta2007(to)) && !beta2007Loaded) {
      throw new Error(`EPSG:${needsBeta2007(from) ? from : to} needs the BETA2007 grid: call registerBeta2007 first`);
    }
    c = proj4(crsInfo(from).proj4, crsInfo(to).proj4) as Converter;
    converters.set(key, c);
  }
  return c;
}

/** True when a WGS84 lon/lat lies inside the CRS's area of use. */
export function insideAreaOfUse(epsg: Epsg, lonDeg: number, latDeg: number): boolean {
  const [w, s, e, n] = crsInfo(epsg).areaOfUse;
  return lonDeg >= w && lonDeg <= e && latDeg >= s && latDeg <= n;
}
