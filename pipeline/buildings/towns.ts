/**
 * The town folders under dataDir/buildings and the shapes a loaded town takes: a folder of CityJSON or CityGML
 * files is a LoD2 town, a folder with a footprint GeoJSON is a footprint town.
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BuildingProperties, TileSurface } from './glb';

/** What is known about a source folder beyond its files. Unknown folders get a derived id and an 'unknown' licence. */
export interface FolderMeta {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly licence: string;
  readonly attribution: string;
}
const KNOWN_FOLDERS: Readonly<Record<string, FolderMeta>> = {
  regensburg_lod2: {
    id: 'regensburg-west',
    title: 'Regensburg West – LoD2 buildings',
    source: 'Bayerische Vermessungsverwaltung, LoD2 Bayern (tiles 720_5432, 720_5434), CityJSON',
    licence: 'CC BY 4.0',
    attribution: 'Datenquelle: Bayerische Vermessungsverwaltung – www.geodaten.bayern.de',
  },
  zatec_ohm: {
    id: 'zatec',
    title: 'Žatec – building footprints, estimated heights',
    source: 'OpenHistoricalMap, Žatec (traced from the 1843 stable cadastre)',
    licence: 'CC0 1.0',
    attribution: '© OpenHistoricalMap contributors (CC0)',
  },
};

/** 'lod2': surveyed LoD2 buildings (CityJSON, CityGML or both); 'footprints': GeoJSON outlines, heights estimated. */
export type TownKind = 'lod2' | 'footprints';
export interface TownSource {
  readonly folder: string;
  readonly kind: TownKind;
  /** Absolute paths, sorted. */
  readonly files: readonly string[];
  readonly meta: FolderMeta;
}

/** Building ready for tiling: surfaces in ECEF, geodetic extent, and its row of the property table. */
export interface BuildingRecord {
  readonly props: BuildingProperties;
  readonly surfaces: readonly TileSurface[];
  /** Geodetic extent of the vertices: degrees and ellipsoidal metres. */
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
  readonly minH: number;
  readonly maxH: number;
  readonly groundEllipsoidalM: number;
}

export interface TownStats {
  sourceObjects: number;
  buildings: number;
  polygons: number;
  degenerateRings: number;
  degeneratePolygons: number;
  /** Polygons earcut returned nothing for, or whose triangles cover a different area (> 1 %) than the polygon. */
  triangulationFailures: number;
  areaMismatches: number;
  droppedByEndDate: number;
  droppedAsSuperseded: number;
  /** Buildings where no DEM of the terrain model has ground: they keep their own heights, or stand on the ellipsoid without any. */
  outsideDem: number;
  /** LoD2 buildings the source gave no measuredHeight: their height is the geometry's (max z − min z). */
  heightsFromGeometry: number;
  /** CityObjects of types the buildings tileset does not draw (Bridge, Road, …), by type. */
  otherObjects: Record<string, number>;
  notes: string[];
}

export interface TownBuildings {
  readonly source: TownSource;
  readonly records: BuildingRecord[];
  readonly sourceCrs: string;
  readonly sourceVerticalDatum: string;
  readonly groundKnown: boolean;
  readonly estimatedHeights: boolean;
  readonly stats: TownStats;
}

const isCityJsonName = (f: string): boolean => f.endsWith('.city.json') || (f.endsWith('.json') && !f.endsWith('.geojson'));
export const isCityGmlName = (f: string): boolean => /\.(gml|xml)$/i.test(f);
/** CityJSON Text Sequences (CityJSONSeq): a CityJSON header line, then one CityJSONFeature per line. */
export const isCityJsonSeqName = (f: string): boolean => /\.(city\.)?jsonl$/i.test(f);

/**
 * The LoD2 files of a folder, sorted: CityJSON and CityGML. The extension alone says little (`.json`, `.xml`), so
 * only files whose first bytes say CityJSON or a CityGML CityModel count.
 */
export async function lod2Files(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await readdir(folder)).toSorted()) {
    const file = path.join(folder, n);
    if ((isCityJsonName(n) || isCityJsonSeqName(n)) && /"type"\s*:\s*"CityJSON"/.test(await readHead(file, 4096))) out.push(file);
    else if (isCityGmlName(n) && /<([\w.-]+:)?CityModel[\s>]/.test(await readHead(file, 4096))) out.push(file);
  }
  return out;
}

/** Every town folder under dataDir/buildings, sorted by name. */
export async function discoverTowns(dataDir: string, log: (m: string) => void = () => {}): Promise<TownSource[]> {
  const root = path.join(dataDir, 'buildings');
  const entries = await readdir(root, { withFileTypes: true });
  const towns: TownSource[] = [];
  for (const dir of entries.filter((e) => e.isDirectory()).map((e) => e.name).toSorted()) {
    const lod2 = await lod2Files(path.join(root, dir));
    const geojson = (await readdir(path.join(root, dir))).filter((n) => n.endsWith('.geojson')).toSorted().map((n) => path.join(root, dir, n));
    const meta = folderMeta(dir, log);
    if (lod2.length > 0) {
      if (geojson.length) log(`buildings/${dir}: LoD2 present, ignoring ${geojson.length} GeoJSON file(s)`);
      towns.push({ folder: dir, kind: 'lod2', files: lod2, meta });
    } else if (geojson.length > 0) {
      towns.push({ folder: dir, kind: 'footprints', files: geojson, meta });
    } else {
      log(`buildings/${dir}: no CityJSON, CityGML or GeoJSON, skipped`);
    }
  }
  return towns;
}

/** What is known about a source folder (by its name), or what can be derived from the name. */
export const folderMeta = (dir: string, log: (m: string) => void): FolderMeta => KNOWN_FOLDERS[dir] ?? deriveMeta(dir, log);

async function readHead(file: string, bytes: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

function deriveMeta(dir: string, log: (m: string) => void): FolderMeta {
  const id = dir.toLowerCase().replace(/_(lod\d|ohm|osm|buildings|footprints)$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  log(`buildings/${dir}: not a known source folder; id "${id}", licence unknown - add it to KNOWN_FOLDERS`);
  return { id, title: dir, source: `buildings/${dir}`, licence: 'unknown (see buildings/SOURCES.md)', attribution: '' };
}

export const emptyStats = (): TownStats => ({
  sourceObjects: 0, buildings: 0, polygons: 0, degenerateRings: 0, degeneratePolygons: 0, triangulationFailures: 0,
  areaMismatches: 0, droppedByEndDate: 0, droppedAsSuperseded: 0, outsideDem: 0, heightsFromGeometry: 0, otherObjects: {}, notes: [],
});
