/**
 * Pipeline step: every town under dataDir/buildings/ -> one 3D Tiles 1.1 tileset of GLB tiles at
 * tilesets/buildings/<id>/. A folder of CityJSON files is a LoD2 town, a folder with a footprint GeoJSON is a
 * footprint town (heights estimated); a new folder is picked up with no code change.
 */
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { converter, crsInfo, isKnownEpsg, type Epsg, type VerticalDatum } from '../../core/geo/crs';
import { enuToEcefMatrix, geodeticToEcef, WGS84_A, WGS84_F } from '../../core/geo/ellipsoid';
import { toEllipsoidalHeightM } from '../../core/geo/heights';
import type { ManifestEntry, PipelineContext } from '../context';
import {
  epsgCodesOf,
  functionLabel,
  parseCityJson,
  roofTypeLabel,
  triangulatePolygon,
  type CityBuilding,
  type Surface,
  type Vec2,
} from './cityjson';
import { estimateHeight, extrudeFootprint, supersededFootprints, type FootprintFeature, type FootprintPolygon } from './footprints';
import { writeTileGlb, type BuildingProperties, type TileSurface } from './glb';

/** What is known about a source folder beyond its files. Unknown folders get a derived id and an 'unknown' licence. */
interface FolderMeta {
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

/** Leaves hold at most this many buildings: small enough to stream, large enough to keep the request count low. */
export const MAX_BUILDINGS_PER_TILE = 300;
/** Geometric error of a content-less node, as a share of its horizontal diagonal (see `geometricErrorOf`). */
const NODE_ERROR_PER_DIAGONAL = 0.1;

export type TownKind = 'cityjson' | 'footprints';
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

/** Every town folder under dataDir/buildings, sorted by name. */
export async function discoverTowns(dataDir: string, log: (m: string) => void = () => {}): Promise<TownSource[]> {
  const root = path.join(dataDir, 'buildings');
  const entries = await readdir(root, { withFileTypes: true });
  const towns: TownSource[] = [];
  for (const dir of entries.filter((e) => e.isDirectory()).map((e) => e.name).toSorted()) {
    const names = (await readdir(path.join(root, dir))).toSorted();
    const full = (n: string): string => path.join(root, dir, n);
    const cityJson: string[] = [];
    for (const n of names.filter(isCityJsonName)) {
      // `.json` alone says nothing: only files that say they are CityJSON count.
      if (/"type"\s*:\s*"CityJSON"/.test(await readHead(full(n), 4096))) cityJson.push(full(n));
    }
    const geojson = names.filter((n) => n.endsWith('.geojson')).map(full);
    const meta = KNOWN_FOLDERS[dir] ?? deriveMeta(dir, log);
    if (cityJson.length > 0) {
      if (geojson.length) log(`buildings/${dir}: CityJSON present, ignoring ${geojson.length} GeoJSON file(s)`);
      towns.push({ folder: dir, kind: 'cityjson', files: cityJson, meta });
    } else if (geojson.length > 0) {
      towns.push({ folder: dir, kind: 'footprints', files: geojson, meta });
    } else {
      log(`buildings/${dir}: no CityJSON or GeoJSON, skipped`);
    }
  }
  return towns;
}

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

const emptyStats = (): TownStats => ({
  sourceObjects: 0, buildings: 0, polygons: 0, degenerateRings: 0, degeneratePolygons: 0, triangulationFailures: 0,
  areaMismatches: 0, droppedByEndDate: 0, droppedAsSuperseded: 0, outsideDem: 0, otherObjects: {}, notes: [],
});

/** Triangulate source surfaces and map their vertices through `toEcef` (x, y, z in the frame the surfaces use). */
function triangulateSurfaces(
  surfaces: readonly Surface[],
  toGeodetic: (x: number, y: number, z: number, out: Float64Array, o: number) => void,
  stats: TownStats,
): { surfaces: TileSurface[]; geo: number[] } {
  const out: TileSurface[] = [];
  const geo: number[] = [Infinity, Infinity, -Infinity, -Infinity, Infinity, -Infinity];
  for (const s of surfaces) {
    stats.polygons++;
    const r = triangulatePolygon(s.rings);
    if (!r.ok) {
      if (r.reason === 'degenerate') stats.degeneratePolygons++;
      else stats.triangulationFailures++;
      continue;
    }
    const { positions, indices, polygonArea, triangleArea } = r.value;
    if (Math.abs(triangleArea - polygonArea) > 0.01 * polygonArea + 1e-3) stats.areaMismatches++;
    const n = positions.length / 3;
    const lonLatH = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      toGeodetic(positions[i * 3]!, positions[i * 3 + 1]!, positions[i * 3 + 2]!, lonLatH, i * 3);
      const lon = lonLatH[i * 3]!, lat = lonLatH[i * 3 + 1]!, h = lonLatH[i * 3 + 2]!;
      geo[0] = Math.min(geo[0]!, lon); geo[1] = Math.min(geo[1]!, lat);
      geo[2] = Math.max(geo[2]!, lon); geo[3] = Math.max(geo[3]!, lat);
      geo[4] = Math.min(geo[4]!, h); geo[5] = Math.max(geo[5]!, h);
    }
    out.push({ kind: s.kind, ecef: geodeticToEcef(lonLatH, lonLatH), indices });
  }
  return { surfaces: out, geo };
}

const VERTICAL_EPSG: Readonly<Record<number, VerticalDatum>> = { 7837: 'DHHN2016', 8357: 'Bpv', 5773: 'EGM96' };

/** Horizontal CRS and vertical datum of a CityJSON file: declared, or the Bavarian LoD2 delivery CRS when recognisable. */
function cityJsonCrs(
  referenceSystem: string | null,
  buildings: readonly CityBuilding[],
  file: string,
  stats: TownStats,
  log: (m: string) => void,
): { epsg: Epsg; datum: VerticalDatum } {
  if (referenceSystem) {
    const codes = epsgCodesOf(referenceSystem);
    const horizontal = codes.find((c) => isKnownEpsg(c) && !crsInfo(c as Epsg).geographic);
    if (horizontal === undefined) throw new Error(`${file}: referenceSystem "${referenceSystem}" is not a projected CRS the twin knows`);
    const epsg = horizontal as Epsg;
    const vcode = codes.find((c) => c in VERTICAL_EPSG);
    return { epsg, datum: vcode !== undefined ? VERTICAL_EPSG[vcode]! : crsInfo(epsg).usualVerticalDatum };
  }
  // Bavarian LoD2 ids start with DEBY and municipality keys with 09 (Bavaria); it is delivered in UTM 32 / DHHN2016.
  const bavarian = buildings.length > 0 && buildings.every((b) => b.id.startsWith('DEBY') || String(b.attributes.Gemeindeschluessel ?? '').startsWith('09'));
  if (!bavarian) throw new Error(`${file}: CityJSON without metadata.referenceSystem and not recognisably Bavarian LoD2; add a referenceSystem`);
  const note = `${path.basename(file)}: no metadata.referenceSystem; Bavarian LoD2 (DEBY ids) taken as EPSG:25832 + DHHN2016`;
  stats.notes.push(note);
  log(`buildings: ${note}`);
  return { epsg: 25832, datum: 'DHHN2016' };
}

const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

async function loadCityJsonTown(town: TownSource, ctx: PipelineContext): Promise<TownBuildings> {
  const stats = emptyStats();
  const records: BuildingRecord[] = [];
  const seen = new Set<string>();
  const crsSeen = new Set<string>();
  let datumSeen: VerticalDatum = 'DHHN2016';
  for (const file of town.files) {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { CityObjects?: Record<string, { type?: unknown }> };
    const parsed = parseCityJson(doc);
    stats.sourceObjects += parsed.report.cityObjects;
    // Buildings and their parts are drawn; anything else (a Bridge, say) is left out, and the log says so.
    const others: Record<string, number> = {};
    for (const o of Object.values(doc.CityObjects ?? {})) {
      const type = String(o?.type ?? '');
      if (type !== 'Building' && type !== 'BuildingPart') others[type] = (others[type] ?? 0) + 1;
    }
    for (const [type, n] of Object.entries(others)) stats.otherObjects[type] = (stats.otherObjects[type] ?? 0) + n;
    if (Object.keys(others).length > 0) {
      const note = `${path.basename(file)}: left out ${Object.entries(others).map(([t, n]) => `${n} ${t}`).join(', ')} (only Buildings and BuildingParts are drawn)`;
      stats.notes.push(note);
      ctx.log(`buildings: ${note}`);
    }
    stats.degenerateRings += parsed.report.degenerateRings;
    const { epsg, datum } = cityJsonCrs(parsed.referenceSystem, parsed.buildings, file, stats, ctx.log);
    crsSeen.add(`EPSG:${epsg}`);
    datumSeen = datum;
    const toLonLat = converter(epsg, 4326);
    const toGeodetic = (x: number, y: number, z: number, out: Float64Array, o: number): void => {
      const ll = toLonLat.forward([x, y]);
      out[o] = ll[0]!;
      out[o + 1] = ll[1]!;
      out[o + 2] = toEllipsoidalHeightM(datum, z, ll[0]!, ll[1]!, ctx.geoid);
    };
    const sourceName = `${town.meta.source.split(',')[0]}, ${path.basename(file)}`;
    for (const b of parsed.buildings) {
      // Neighbouring tiles of the survey can both carry a building on their seam.
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      const a = b.attributes;
      let minZ = Infinity, maxZ = -Infinity, groundZ = Infinity;
      let refX = 0, refY = 0, refN = 0;
      for (const s of b.surfaces) for (const ring of s.rings) for (const p of ring) {
        minZ = Math.min(minZ, p[2]); maxZ = Math.max(maxZ, p[2]);
        if (s.kind === 'ground') groundZ = Math.min(groundZ, p[2]);
        refX += p[0]; refY += p[1]; refN++;
      }
      if (refN === 0) continue;
      const groundM = num(a.HoeheGrund) ?? (Number.isFinite(groundZ) ? groundZ : minZ);
      const heightM = num(a.measuredHeight) ?? (num(a.HoeheDach) !== null ? num(a.HoeheDach)! - groundM : maxZ - groundM);
      const [refLon, refLat] = toLonLat.forward([refX / refN, refY / refN]) as [number, number];
      const groundEll = toEllipsoidalHeightM(datum, groundM, refLon, refLat, ctx.geoid);
      // The building keeps its own (surveyed) heights either way; where no DEM is under it the scene's ground
      // is not its ground, which the step reports.
      if (!hasTerrain(ctx, refLon, refLat)) stats.outsideDem++;
      const tri = triangulateSurfaces(b.surfaces, toGeodetic, stats);
      if (tri.surfaces.length === 0) continue;
      const [w, s, e, n, minH, maxH] = tri.geo as [number, number, number, number, number, number];
      records.push({
        props: {
          id: b.id,
          source: sourceName,
          licence: town.meta.licence,
          heightM,
          heightEstimated: false,
          roofType: roofTypeLabel(a.roofType),
          function: functionLabel(a.function),
          groundHeightM: groundM,
          groundHeightDatum: datum,
          name: b.name,
          address: b.address,
        },
        surfaces: tri.surfaces,
        west: w, south: s, east: e, north: n, minH, maxH,
        groundEllipsoidalM: groundEll,
      });
    }
  }
  stats.buildings = records.length;
  noteOutsideDem(town, stats, ctx.log);
  return {
    source: town,
    records,
    sourceCrs: [...crsSeen].toSorted().join(', '),
    sourceVerticalDatum: datumSeen,
    groundKnown: true,
    estimatedHeights: false,
    stats,
  };
}

const hasTerrain = (ctx: Pick<PipelineContext, 'terrain'>, lonDeg: number, latDeg: number): boolean =>
  (ctx.terrain?.heightEllipsoidalM(lonDeg, latDeg) ?? null) !== null;

/** A town with buildings where the terrain model has no ground: counted in its log line and said in a note. */
function noteOutsideDem(town: TownSource, stats: TownStats, log: (m: string) => void): void {
  if (stats.outsideDem === 0) return;
  const note = town.kind === 'cityjson'
    ? `${stats.outsideDem} of ${stats.buildings} buildings lie where no DEM has ground: they stand at their own surveyed heights, which the scene's ground there (the ellipsoid) does not match`
    : `${stats.outsideDem} of ${stats.buildings} buildings lie where no DEM has ground: they stand on the ellipsoid, ground height unknown (groundHeightDatum none)`;
  stats.notes.push(note);
  log(`buildings/${town.meta.id}: ${note}`);
}

/** Metres per degree of longitude and latitude on the WGS84 ellipsoid at a latitude. */
function metresPerDegree(latDeg: number): { lon: number; lat: number } {
  const e2 = WGS84_F * (2 - WGS84_F);
  const phi = (latDeg * Math.PI) / 180;
  const w = 1 - e2 * Math.sin(phi) ** 2;
  const nu = WGS84_A / Math.sqrt(w);
  const rho = (WGS84_A * (1 - e2)) / w ** 1.5;
  return { lon: (nu * Math.cos(phi) * Math.PI) / 180, lat: (rho * Math.PI) / 180 };
}

function footprintAddress(t: Readonly<Record<string, unknown>>): string {
  const s = (k: string): string => (typeof t[k] === 'string' ? (t[k] as string).trim() : '');
  const street = s('addr:street') || s('addr:place');
  const hn = s('addr:housenumber'), cp = s('addr:conscriptionnumber');
  let first = '';
  if (street) first = [street, hn || cp].filter(Boolean).join(' ');
  // Czech houses carry a conscription number (čp.), and in streets an orientation number after a slash.
  else if (cp) first = `čp. ${cp}${hn && hn !== cp ? `/${hn}` : ''}`;
  else if (hn) first = hn;
  const town = [s('addr:postcode'), s('addr:city')].filter(Boolean).join(' ');
  return first ? [first, town].filter(Boolean).join(', ') : '';
}

async function loadFootprintTown(town: TownSource, ctx: PipelineContext): Promise<TownBuildings> {
  const stats = emptyStats();
  const records: BuildingRecord[] = [];
  let groundKnown = true;
  let anyEstimated = false;
  for (const file of town.files) {
    const fc = JSON.parse(await readFile(file, 'utf8')) as { type?: string; crs?: { properties?: { name?: string } }; features?: FootprintFeature[] };
    if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${file}: not a GeoJSON FeatureCollection`);
    const crsName = fc.crs?.properties?.name;
    if (crsName && !/CRS84|EPSG::?4326$/i.test(crsName)) throw new Error(`${file}: GeoJSON in ${crsName}; only WGS84 lon/lat is read`);
    const all = fc.features.filter((f) => f?.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
    stats.sourceObjects += fc.features.length;
    const hasEndDates = all.some((f) => f.properties && 'end_date' in f.properties);
    // OpenHistoricalMap keeps demolished buildings with an end_date; only the standing ones belong in the twin.
    let standing = all.filter((f) => !(typeof f.properties?.end_date === 'string' && f.properties.end_date !== ''));
    stats.droppedByEndDate += all.length - standing.length;
    if (!hasEndDates && all.some((f) => f.properties && 'start_date' in f.properties)) {
      const gone = supersededFootprints(standing);
      standing = standing.filter((_, i) => !gone.has(i));
      stats.droppedAsSuperseded += gone.size;
      const note = `${path.basename(file)}: dated mapping without any end_date; ${gone.size} footprints overlapped by a later one dropped as demolished`;
      stats.notes.push(note);
      ctx.log(`buildings: ${note}`);
    }
    const sourceName = `${town.meta.source.split(',')[0]}, ${path.basename(file)}`;
    const ordered = standing
      .map((f, i) => ({ f, id: String(f.id ?? f.properties?.id ?? `${path.basename(file)}#${i}`) }))
      .toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const { f, id } of ordered) {
      const tags = f.properties ?? {};
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      // Local metric frame at the footprint's bounding-box centre: exact to millimetres over a building.
      let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
      for (const p of polys[0]?.[0] ?? []) { w = Math.min(w, p[0]!); e = Math.max(e, p[0]!); s = Math.min(s, p[1]!); n = Math.max(n, p[1]!); }
      if (!Number.isFinite(w)) continue;
      const lon0 = (w + e) / 2, lat0 = (s + n) / 2;
      const k = metresPerDegree(lat0);
      const local: FootprintPolygon[] = polys.map((poly) => poly.map((ring) => ring.map((p): Vec2 => [(p[0]! - lon0) * k.lon, (p[1]! - lat0) * k.lat])));
      const c = areaCentroid(local);
      const cLon = lon0 + c[0] / k.lon, cLat = lat0 + c[1] / k.lat;
      const groundEll = ctx.terrain?.heightEllipsoidalM(cLon, cLat) ?? null;
      const groundSrc = groundEll !== null ? ctx.terrain?.heightSourceM(cLon, cLat) ?? null : null;
      if (groundEll === null) {
        groundKnown = false;
        stats.outsideDem++;
      }
      const est = estimateHeight(tags);
      anyEstimated ||= est.estimated;
      const ext = extrudeFootprint(local, groundEll ?? 0, est.heightM);
      stats.degenerateRings += ext.degenerateRings;
      const toGeodetic = (x: number, y: number, z: number, out: Float64Array, o: number): void => {
        out[o] = lon0 + x / k.lon;
        out[o + 1] = lat0 + y / k.lat;
        out[o + 2] = z;
      };
      const tri = triangulateSurfaces(ext.surfaces, toGeodetic, stats);
      if (tri.surfaces.length === 0) continue;
      const [gw, gs, ge, gn, minH, maxH] = tri.geo as [number, number, number, number, number, number];
      const b = typeof tags.building === 'string' ? tags.building : 'yes';
      records.push({
        props: {
          id,
          source: sourceName,
          licence: town.meta.licence,
          heightM: est.heightM,
          heightEstimated: est.estimated,
          roofType: 'flat (assumed)',
          function: [`building=${b}`, typeof tags.amenity === 'string' ? `amenity=${tags.amenity}` : ''].filter(Boolean).join('; '),
          groundHeightM: groundSrc ?? 0,
          groundHeightDatum: groundSrc !== null ? 'EGM96' : 'none',
          name: typeof tags.name === 'string' ? tags.name : '',
          address: footprintAddress(tags),
        },
        surfaces: tri.surfaces,
        west: gw, south: gs, east: ge, north: gn, minH, maxH,
        groundEllipsoidalM: groundEll ?? 0,
      });
    }
  }
  stats.buildings = records.length;
  noteOutsideDem(town, stats, ctx.log);
  return {
    source: town,
    records,
    sourceCrs: 'EPSG:4326',
    sourceVerticalDatum: 'none',
    groundKnown: groundKnown && records.length > 0,
    estimatedHeights: anyEstimated,
    stats,
  };
}

/** Area-weighted centroid of the outer rings (holes ignored: they move it by centimetres). */
function areaCentroid(polys: readonly FootprintPolygon[]): [number, number] {
  let a = 0, cx = 0, cy = 0;
  for (const poly of polys) {
    const ring = poly[0] ?? [];
    for (let i = 0; i < ring.length; i++) {
      const p = ring[i]!, q = ring[(i + 1) % ring.length]!;
      const cr = p[0] * q[1] - q[0] * p[1];
      a += cr; cx += (p[0] + q[0]) * cr; cy += (p[1] + q[1]) * cr;
    }
  }
  return Math.abs(a) < 1e-9 ? [0, 0] : [cx / (3 * a), cy / (3 * a)];
}

/** Load one town's buildings (no output). */
export function loadTown(town: TownSource, ctx: PipelineContext): Promise<TownBuildings> {
  return town.kind === 'cityjson' ? loadCityJsonTown(town, ctx) : loadFootprintTown(town, ctx);
}

/** A node of the tile tree: a leaf holds buildings, an inner node two children. */
interface KdNode {
  readonly name: string;
  readonly records: BuildingRecord[];
  readonly children: KdNode[];
}

/**
 * Median splits along the longer side until no leaf holds more than `maxPerTile` buildings: leaves of even size
 * (a quadtree would leave most of its cells near-empty in a town this small) and a shallow tree.
 */
export function kdSplit(records: readonly BuildingRecord[], maxPerTile = MAX_BUILDINGS_PER_TILE, name = 'r'): KdNode {
  if (records.length <= maxPerTile) return { name, records: [...records], children: [] };
  const cx = (r: BuildingRecord): number => (r.west + r.east) / 2;
  const cy = (r: BuildingRecord): number => (r.south + r.north) / 2;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const r of records) { w = Math.min(w, cx(r)); e = Math.max(e, cx(r)); s = Math.min(s, cy(r)); n = Math.max(n, cy(r)); }
  const k = metresPerDegree((s + n) / 2);
  const key = (e - w) * k.lon >= (n - s) * k.lat ? cx : cy;
  const sorted = records.toSorted((a, b) => key(a) - key(b) || (a.props.id < b.props.id ? -1 : a.props.id > b.props.id ? 1 : 0));
  const half = Math.ceil(sorted.length / 2);
  return {
    name,
    records: sorted,
    children: [kdSplit(sorted.slice(0, half), maxPerTile, `${name}0`), kdSplit(sorted.slice(half), maxPerTile, `${name}1`)],
  };
}

const DEG = Math.PI / 180;
const round = (x: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

interface Extent { west: number; south: number; east: number; north: number; minH: number; maxH: number }
function extentOf(records: readonly BuildingRecord[]): Extent {
  const x: Extent = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity, minH: Infinity, maxH: -Infinity };
  for (const r of records) {
    x.west = Math.min(x.west, r.west); x.south = Math.min(x.south, r.south);
    x.east = Math.max(x.east, r.east); x.north = Math.max(x.north, r.north);
    x.minH = Math.min(x.minH, r.minH); x.maxH = Math.max(x.maxH, r.maxH);
  }
  return x;
}

/** A region (radians, ellipsoidal metres) holding the extent, padded outwards by ~1 m so rounding cannot cut content. */
function regionOf(x: Extent): number[] {
  const pad = 1e-7; // rad, ~0.6 m
  return [
    round(x.west * DEG - pad, 10), round(x.south * DEG - pad, 10), round(x.east * DEG + pad, 10), round(x.north * DEG + pad, 10),
    Math.floor(x.minH - 1), Math.ceil(x.maxH + 1),
  ];
}

/**
 * Geometric error of an inner node: a tenth of its diagonal. At Cesium's default 16 px and a 1000 px high view,
 * a node's children load within about 5 node diagonals, where a 10 m building still spans a pixel or more;
 * framing a whole town is well inside that. Leaves carry the full detail and have 0.
 */
function geometricErrorOf(x: Extent): number {
  const k = metresPerDegree((x.south + x.north) / 2);
  const diag = Math.hypot((x.east - x.west) * k.lon, (x.north - x.south) * k.lat);
  return Math.max(1, Math.round(diag * NODE_ERROR_PER_DIAGONAL));
}

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return 0;
  const s = xs.toSorted((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface TilesetResult {
  readonly entry: ManifestEntry;
  readonly tiles: number;
  readonly triangles: number;
  readonly bytes: number;
}

/** Write tilesets/buildings/<id>/ for one loaded town. Replaces the folder's previous content. */
export async function writeTownTileset(town: TownBuildings, outDir: string): Promise<TilesetResult> {
  const { meta } = town.source;
  if (town.records.length === 0) throw new Error(`buildings/${town.source.folder}: no buildings to write`);
  const dir = path.join(outDir, 'buildings', meta.id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'tiles'), { recursive: true });
  let tiles = 0, triangles = 0, bytes = 0;

  const toTile = async (node: KdNode): Promise<Record<string, unknown>> => {
    const x = extentOf(node.records);
    if (node.children.length === 0) {
      const centreLon = (x.west + x.east) / 2, centreLat = (x.south + x.north) / 2;
      // The frame sits on the median ground so local heights stay small and positive.
      const centreH = round(median(node.records.map((r) => r.groundEllipsoidalM)), 2);
      const transform = enuToEcefMatrix(centreLon, centreLat, centreH);
      const tile = await writeTileGlb(node.records, transform);
      const uri = `tiles/${node.name}.glb`;
      await writeFile(path.join(dir, uri), tile.glb);
      tiles++;
      triangles += tile.triangles;
      bytes += tile.glb.byteLength;
      return {
        transform: transform.map((v) => round(v, 12)),
        boundingVolume: { box: tile.box.map((v) => round(v, 3)) },
        geometricError: 0,
        content: { uri },
      };
    }
    const children: Record<string, unknown>[] = [];
    for (const c of node.children) children.push(await toTile(c));
    return { boundingVolume: { region: regionOf(x) }, geometricError: geometricErrorOf(x), children };
  };

  const root = await toTile(kdSplit(town.records));
  // A root that is itself a leaf keeps its content; otherwise it is an empty grouping node. Both refine by adding.
  root.refine = 'ADD';
  const groundEllipsoidalM = round(median(town.records.map((r) => r.groundEllipsoidalM)), 2);
  const rootError = typeof root.geometricError === 'number' && root.geometricError > 0 ? root.geometricError : geometricErrorOf(extentOf(town.records));
  const tileset = {
    asset: {
      version: '1.1',
      extras: {
        sddi: {
          title: meta.title,
          source: meta.source,
          licence: meta.licence,
          attribution: meta.attribution,
          sourceCrs: town.sourceCrs,
          sourceVerticalDatum: town.sourceVerticalDatum,
          groundEllipsoidalM,
          groundKnown: town.groundKnown,
        },
      },
    },
    geometricError: rootError * 2,
    root,
  };
  const json = `${JSON.stringify(tileset, null, 1)}\n`;
  await writeFile(path.join(dir, 'tileset.json'), json);
  bytes += Buffer.byteLength(json);
  const x = extentOf(town.records);
  const entry: ManifestEntry = {
    id: meta.id,
    kind: 'buildings',
    url: `buildings/${meta.id}/tileset.json`,
    title: meta.title,
    source: meta.source,
    licence: meta.licence,
    attribution: meta.attribution,
    sourceCrs: town.sourceCrs,
    sourceVerticalDatum: town.sourceVerticalDatum,
    bbox: [round(x.west, 6), round(x.south, 6), round(x.east, 6), round(x.north, 6)],
    featureCount: town.records.length,
    extras: {
      groundEllipsoidalM,
      groundKnown: town.groundKnown,
      estimatedHeights: town.estimatedHeights,
    },
  };
  return { entry, tiles, triangles, bytes };
}

/** The step: every town folder under dataDir/buildings -> tilesets/buildings/<id>/tileset.json. */
export async function buildBuildings(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const towns = await discoverTowns(ctx.dataDir, ctx.log);
  const entries: ManifestEntry[] = [];
  for (const source of towns) {
    const town = await loadTown(source, ctx);
    const r = await writeTownTileset(town, ctx.outDir);
    const s = town.stats;
    ctx.log(
      `buildings/${source.meta.id}: ${s.buildings} buildings (${s.sourceObjects} source objects), ${r.tiles} tiles, ` +
        `${r.triangles} triangles, ${r.bytes} bytes; polygons ${s.polygons}, degenerate rings ${s.degenerateRings}, ` +
        `degenerate polygons ${s.degeneratePolygons}, triangulation failures ${s.triangulationFailures}, area mismatches ${s.areaMismatches}` +
        (s.droppedByEndDate || s.droppedAsSuperseded ? `, dropped ${s.droppedByEndDate} by end_date and ${s.droppedAsSuperseded} as superseded` : '') +
        `, outside every DEM ${s.outsideDem}`,
    );
    entries.push(r.entry);
  }
  return entries;
}

