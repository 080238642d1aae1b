/**
 * The embedded coverage dataset (tilesets/coverage/, written by `pipeline/coverage`): the file layouts,
 * their encoders (used by the pipeline) and decoders (used by the page and the coverage worker), in one module so
 * writer and reader cannot drift apart. Pure and DOM-free.
 *
 * Files (every grid is the analysis grid `extras.grid` of the manifest entry: EPSG:3035, NW origin, image order,
 * index = row·width + col, row 0 northernmost):
 *   sites.json       `CoverageSitesFile`: operators, sites (OpenCelliD cells grouped per operator), and the
 *                    modelling assumptions (antenna height, pattern, reference-signal EIRP per band), labelled
 *                    "modelled/assumed".
 *   dem-3035.bin     width·height Int16, little-endian, ground height at the cell centre in decimetres, WGS84
 *                    ellipsoidal (the pipeline's terrain model); −32768 = no data. No header: the grid is in the
 *                    manifest. Decimetres keep the file at 2 bytes a cell while staying well below the DEM's own
 *                    error (SRTM: metres); ±3276.7 m covers every ground height in Europe.
 *   zones-3035.bin   one plane of width·height cells per entry of `zones.json` `planes`, in that order, each
 *                    `bytesPerCell` wide (1: Uint8; 2: Uint16 little-endian, for the municipalities); today the
 *                    admin-1 regions, the side of the border, the municipalities. In a plane 0 = none, k = unit k.
 *   zones.json       `CoverageZonesFile`: per plane its units with index, name, country and lon/lat boxes.
 */
import { z } from 'zod';
import type { Dem3035, GridSpec3035, SiteArrays, ZoneRaster } from './types';

z.config({ jitless: true });

/** dem-3035.bin: decimetres per unit, and the no-data code. */
export const DEM_UNIT_M = 0.1;
export const DEM_NO_DATA = -32768;

/** Heights in metres (NaN: no data) -> dem-3035.bin bytes. */
export function encodeDem(grid: GridSpec3035, heightM: Float32Array): Uint8Array {
  const n = grid.width * grid.height;
  if (heightM.length !== n) throw new RangeError(`heights: ${heightM.length} values for a ${grid.width}×${grid.height} grid`);
  const out = new Uint8Array(n * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const h = heightM[i]!;
    // −32767 … 32767: −32768 stays reserved for "no data" even for an absurd height.
    const dm = Number.isFinite(h) ? Math.max(-32767, Math.min(32767, Math.round(h / DEM_UNIT_M))) : DEM_NO_DATA;
    view.setInt16(2 * i, dm, true);
  }
  return out;
}

/** dem-3035.bin bytes -> `Dem3035` (metres, NaN: no data). */
export function decodeDem(bytes: ArrayBuffer | Uint8Array, grid: GridSpec3035): Dem3035 {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const n = grid.width * grid.height;
  if (b.byteLength !== n * 2) throw new RangeError(`dem-3035.bin: ${b.byteLength} bytes, expected ${n * 2} for a ${grid.width}×${grid.height} grid`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const heightM = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const dm = view.getInt16(2 * i, true);
    heightM[i] = dm === DEM_NO_DATA ? Number.NaN : dm * DEM_UNIT_M;
  }
  return { grid, heightM };
}

// ---- sites.json -------------------------------------------------------------------------------------------

/**
 * Reference-signal EIRP per resource element of one band, with the arithmetic that gives it:
 *   eirpPerReDbm = 10·log10(totalPowerW · 1000) − 10·log10(resourceElements) + antennaGainDbi − feederLossDb
 * `resourceElements` is the number of subcarriers of the carrier (12 per resource block), over which the
 * transmitter's power is spread evenly: RSRP is measured per resource element, so this is the EIRP it is
 * measured against.
 */
export interface BandAssumption {
  readonly id: string;
  readonly label: string;
  /** Downlink centre frequency of the band, MHz. */
  readonly fMHz: number;
  readonly bandwidthMHz: number;
  readonly resourceElements: number;
  readonly totalPowerW: number;
  readonly antennaGainDbi: number;
  readonly feederLossDb: number;
  readonly eirpPerReDbm: number;
}

export interface SiteModelAssumptions {
  readonly status: 'modelled/assumed';
  readonly note: string;
  readonly antennaAglM: number;
  readonly pattern: 'omni';
  readonly defaultBand: string;
  readonly bands: readonly BandAssumption[];
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

function band(b: Omit<BandAssumption, 'eirpPerReDbm'>): BandAssumption {
  const eirp = 10 * Math.log10(b.totalPowerW * 1000) - 10 * Math.log10(b.resourceElements) + b.antennaGainDbi - b.feederLossDb;
  return { ...b, eirpPerReDbm: round1(eirp) };
}

/**
 * What OpenCelliD does not say about a site (antenna height, pattern, power) is assumed, the same for every
 * site; the page labels every result built on it "modelled". The numbers are those of a typical rural macro site:
 *   700 MHz  LTE band 28, 10 MHz = 50 RB = 600 RE; 40 W = 46.0 dBm → 46.0 − 27.8 = 18.2 dBm/RE;
 *            omni antenna 11 dBi, feeder 2 dB → 27.2 dBm.
 *   1800 MHz LTE band 3, 20 MHz = 100 RB = 1200 RE; 60 W = 47.8 dBm → 47.8 − 30.8 = 17.0 dBm/RE;
 *            12 dBi, feeder 3 dB → 26.0 dBm.
 *   3500 MHz NR n78, 100 MHz at 30 kHz = 273 RB = 3276 RE; 200 W = 53.0 dBm → 53.0 − 35.2 = 17.9 dBm/RE;
 *            12 dBi omni-equivalent (the active antenna's beamforming gain is not modelled), no feeder
 *            (radio in the antenna) → 29.9 dBm.
 * Frequencies are the downlink band centres (758–803, 1805–1880, 3400–3800 MHz).
 */
export const SITE_MODEL_ASSUMPTIONS: SiteModelAssumptions = {
  status: 'modelled/assumed',
  note:
    'OpenCelliD positions are estimated from crowd-sourced measurements, not surveyed; antenna height, pattern and ' +
    'power are not in the source and are assumed alike for every site. Coverage computed from them is a model.',
  antennaAglM: 30,
  pattern: 'omni',
  defaultBand: '700',
  bands: [
    band({ id: '700', label: '700 MHz (LTE band 28, 10 MHz)', fMHz: 780.5, bandwidthMHz: 10, resourceElements: 600, totalPowerW: 40, antennaGainDbi: 11, feederLossDb: 2 }),
    band({ id: '1800', label: '1800 MHz (LTE band 3, 20 MHz)', fMHz: 1842.5, bandwidthMHz: 20, resourceElements: 1200, totalPowerW: 60, antennaGainDbi: 12, feederLossDb: 3 }),
    band({ id: '3500', label: '3500 MHz (NR n78, 100 MHz)', fMHz: 3600, bandwidthMHz: 100, resourceElements: 3276, totalPowerW: 200, antennaGainDbi: 12, feederLossDb: 0 }),
  ],
};

const lonLatBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const gridSchema = z.object({
  xMinM: z.number(),
  yMaxM: z.number(),
  cellM: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

const operatorSchema = z.object({
  name: z.string(),
  /** Shown in the page with the country code ("Vodafone · CZ"): the same in every language. */
  brand: z.string(),
  country: z.string(),
  mcc: z.number().int(),
  mnc: z.number().int(),
  sites: z.number().int().nonnegative(),
  cells: z.number().int().nonnegative(),
});

const siteSchema = z.object({
  id: z.string(),
  /** Key into `operators` ("262-01"). */
  operator: z.string(),
  lonDeg: z.number().min(-180).max(180),
  latDeg: z.number().min(-90).max(90),
  /** EPSG:3035 easting / northing, metres. */
  xM: z.number(),
  yM: z.number(),
  /** WGS84 ellipsoidal ground height from the terrain model; null where no DEM covers the site. */
  groundHeightEllipsoidalM: z.number().nullable(),
  technologies: z.array(z.string()),
  cellCount: z.number().int().positive(),
  /** OpenCelliD: measurements behind the cells' positions, summed. */
  samples: z.number().int().nonnegative(),
  /** OpenCelliD `range`, the largest of the site's cells: how far apart its samples were, metres. */
  rangeM: z.number().nonnegative(),
  /** "area-cell" of each cell, for tracing back to OpenCelliD. */
  cellIds: z.array(z.string()),
  /** Newest OpenCelliD update of the site's cells, YYYY-MM-DD (UTC). */
  updated: z.string(),
});

const bandSchema = z.object({
  id: z.string(),
  label: z.string(),
  fMHz: z.number().positive(),
  bandwidthMHz: z.number().positive(),
  resourceElements: z.number().int().positive(),
  totalPowerW: z.number().positive(),
  antennaGainDbi: z.number(),
  feederLossDb: z.number(),
  eirpPerReDbm: z.number(),
});

export const coverageSitesFileSchema = z.object({
  about: z.string(),
  source: z.object({ name: z.string(), file: z.string(), licence: z.string(), attribution: z.string(), note: z.string() }),
  crs: z.string(),
  grid: gridSchema,
  operators: z.record(z.string(), operatorSchema),
  model: z.object({
    status: z.literal('modelled/assumed'),
    note: z.string(),
    antennaAglM: z.number().positive(),
    pattern: z.literal('omni'),
    defaultBand: z.string(),
    bands: z.array(bandSchema).min(1),
  }),
  sites: z.array(siteSchema),
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});

export type CoverageSitesFile = z.infer<typeof coverageSitesFileSchema>;
export type CoverageSite = z.infer<typeof siteSchema>;
export type CoverageOperator = z.infer<typeof operatorSchema>;

/** Validate a fetched sites.json; throws with the first problems listed. */
export function parseSitesFile(json: unknown): CoverageSitesFile {
  const r = coverageSitesFileSchema.safeParse(json);
  if (!r.success) throw new Error(`coverage sites.json is not valid: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  for (const s of r.data.sites) {
    if (!(s.operator in r.data.operators)) throw new Error(`coverage sites.json is not valid: site ${s.id} names operator ${s.operator}, which is not listed`);
  }
  return r.data;
}

/**
 * The sites of a file (optionally of one operator) as the model's struct of arrays, every site with the assumed
 * antenna height, omni pattern and the EIRP and frequency of `bandId` (default: the file's default band).
 */
export function siteArraysFromFile(file: CoverageSitesFile, options: { bandId?: string; operator?: string } = {}): { sites: SiteArrays; ids: string[] } {
  const bandId = options.bandId ?? file.model.defaultBand;
  const b = file.model.bands.find((x) => x.id === bandId);
  if (!b) throw new RangeError(`no band "${bandId}" in the model assumptions (${file.model.bands.map((x) => x.id).join(', ')})`);
  const list = options.operator === undefined ? file.sites : file.sites.filter((s) => s.operator === options.operator);
  const n = list.length;
  const sites: SiteArrays = {
    count: n,
    x: Float64Array.from(list, (s) => s.xM),
    y: Float64Array.from(list, (s) => s.yM),
    groundM: Float32Array.from(list, (s) => s.groundHeightEllipsoidalM ?? Number.NaN),
    antennaAglM: new Float32Array(n).fill(file.model.antennaAglM),
    azimuthDeg: new Float32Array(n).fill(Number.NaN),
    beamwidthDeg: new Float32Array(n).fill(360),
    eirpDbm: new Float32Array(n).fill(b.eirpPerReDbm),
    fMHz: new Float32Array(n).fill(b.fMHz),
  };
  return { sites, ids: list.map((s) => s.id) };
}

// ---- zones ------------------------------------------------------------------------------------------------

const zoneUnitSchema = z.object({
  /** k in the plane (1-based). */
  index: z.number().int().min(1).max(65535),
  /** ISO 3166-2 for regions ("CZ-PK"), ISO 3166-1 alpha-2 for the sides ("CZ"). */
  code: z.string(),
  name: z.string(),
  country: z.string(),
  /** The whole unit, WGS84 [west, south, east, north]: where the page flies to show it. */
  bbox: lonLatBox,
  /** Its part inside the analysis grid (lon/lat of its cells' corners); null when no cell of the grid is in it. */
  gridBbox: lonLatBox.nullable(),
  /** Cells of the analysis grid whose centre lies in the unit. */
  cells: z.number().int().nonnegative(),
});

const zonePlaneSchema = z.object({
  /** "admin1" (regions), later "admin2", "lau" …; "side" is the side of the state border. */
  id: z.string(),
  title: z.string(),
  source: z.string(),
  licence: z.string(),
  /** 1: a Uint8 plane (≤ 255 units); 2: Uint16 little-endian (≤ 65,535). */
  bytesPerCell: z.union([z.literal(1), z.literal(2)]).default(1),
  units: z.array(zoneUnitSchema).max(65535),
}).refine((p) => p.units.length <= (p.bytesPerCell === 1 ? 255 : 65535), { message: 'more units than the plane can index' });

export const coverageZonesFileSchema = z.object({
  about: z.string(),
  grid: gridSchema,
  file: z.string(),
  planes: z.array(zonePlaneSchema).min(1),
});

export type CoverageZonesFile = z.infer<typeof coverageZonesFileSchema>;
export type ZonePlane = z.infer<typeof zonePlaneSchema>;
export type ZoneUnit = z.infer<typeof zoneUnitSchema>;

export function parseZonesFile(json: unknown): CoverageZonesFile {
  const r = coverageZonesFileSchema.safeParse(json);
  if (!r.success) throw new Error(`coverage zones.json is not valid: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** zones-3035.bin -> one typed array per plane of `zones.planes` (Uint8 or Uint16 by its `bytesPerCell`). */
export function decodeZones(bytes: ArrayBuffer | Uint8Array, zones: CoverageZonesFile): Map<string, ZoneRaster> {
  const n = zones.grid.width * zones.grid.height;
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const expected = zones.planes.reduce((s, p) => s + n * p.bytesPerCell, 0);
  if (b.byteLength !== expected) {
    throw new RangeError(`${zones.file}: ${b.byteLength} bytes, expected ${expected} (${zones.planes.length} planes of ${zones.grid.width}×${zones.grid.height})`);
  }
  const out = new Map<string, ZoneRaster>();
  let offset = 0;
  for (const p of zones.planes) {
    const bytesOf = b.subarray(offset, offset + n * p.bytesPerCell);
    if (p.bytesPerCell === 1) out.set(p.id, bytesOf.slice());
    else {
      const dv = new DataView(bytesOf.buffer, bytesOf.byteOffset, bytesOf.byteLength);
      const plane = new Uint16Array(n);
      for (let i = 0; i < n; i++) plane[i] = dv.getUint16(i * 2, true);
      out.set(p.id, plane);
    }
    offset += n * p.bytesPerCell;
  }
  return out;
}

/** The planes in file order, each as its bytes (Uint16 little-endian where `bytesPerCell` is 2). */
export function encodeZones(planes: readonly ZoneRaster[]): Uint8Array {
  const out = new Uint8Array(planes.reduce((s, p) => s + p.length * p.BYTES_PER_ELEMENT, 0));
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const p of planes) {
    if (p instanceof Uint8Array) out.set(p, o);
    else for (let i = 0; i < p.length; i++) dv.setUint16(o + i * 2, p[i]!, true);
    o += p.length * p.BYTES_PER_ELEMENT;
  }
  return out;
}
