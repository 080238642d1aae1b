/**
 * Loading a town's buildings: CityJSON (LoD2, surveyed heights) or footprint GeoJSON (heights estimated), each
 * building triangulated into ECEF surfaces with its geodetic extent and property row.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { converter, crsInfo, isKnownEpsg, type Converter, type Epsg, type VerticalDatum } from '../../core/geo/crs';
import { geodeticToEcef, WGS84_A, WGS84_F } from '../../core/geo/ellipsoid';
import { toEllipsoidalHeightM } from '../../core/geo/heights';
import type { PipelineContext } from '../context';
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
import type { TileSurface } from './glb';
import { emptyStats, type BuildingRecord, type TownBuildings, type TownSource, type TownStats } from './towns';

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

/** Counts and notes the CityObjects of types the tileset does not draw (Buildings and their parts are drawn). */
function noteOtherObjects(doc: { CityObjects?: Record<string, { type?: unknown }> }, file: string, stats: TownStats, log: (m: string) => void): void {
  const others: Record<string, number> = {};
  for (const o of Object.values(doc.CityObjects ?? {})) {
    const type = String(o?.type ?? '');
    if (type !== 'Building' && type !== 'BuildingPart') others[type] = (others[type] ?? 0) + 1;
  }
  for (const [type, n] of Object.entries(others)) stats.otherObjects[type] = (stats.otherObjects[type] ?? 0) + n;
  if (Object.keys(others).length > 0) {
    const note = `${path.basename(file)}: left out ${Object.entries(others).map(([t, n]) => `${n} ${t}`).join(', ')} (only Buildings and BuildingParts are drawn)`;
    stats.notes.push(note);
    log(`buildings: ${note}`);
  }
}

/** What the buildings of one CityJSON file share: where they come from and how their coordinates are placed. */
interface CityJsonFile {
  readonly sourceName: string;
  readonly licence: string;
  readonly datum: VerticalDatum;
  readonly toLonLat: Converter;
  readonly toGeodetic: (x: number, y: number, z: number, out: Float64Array, o: number) => void;
}

/** One CityJSON building as a record with its surveyed heights; null when it has no vertices or no surface. */
function cityJsonRecord(b: CityBuilding, f: CityJsonFile, ctx: PipelineContext, stats: TownStats): BuildingRecord | null {
  const a = b.attributes;
  let minZ = Infinity, maxZ = -Infinity, groundZ = Infinity;
  let refX = 0, refY = 0, refN = 0;
  for (const s of b.surfaces) for (const ring of s.rings) for (const p of ring) {
    minZ = Math.min(minZ, p[2]); maxZ = Math.max(maxZ, p[2]);
    if (s.kind === 'ground') groundZ = Math.min(groundZ, p[2]);
    refX += p[0]; refY += p[1]; refN++;
  }
  if (refN === 0) return null;
  const groundM = num(a.HoeheGrund) ?? (Number.isFinite(groundZ) ? groundZ : minZ);
  const heightM = num(a.measuredHeight) ?? (num(a.HoeheDach) !== null ? num(a.HoeheDach)! - groundM : maxZ - groundM);
  const [refLon, refLat] = f.toLonLat.forward([refX / refN, refY / refN]) as [number, number];
  const groundEll = toEllipsoidalHeightM(f.datum, groundM, refLon, refLat, ctx.geoid);
  // The building keeps its own (surveyed) heights either way; where no DEM is under it the scene's ground
  // is not its ground, which the step reports.
  if (!hasTerrain(ctx, refLon, refLat)) stats.outsideDem++;
  const tri = triangulateSurfaces(b.surfaces, f.toGeodetic, stats);
  if (tri.surfaces.length === 0) return null;
  const [w, s, e, n, minH, maxH] = tri.geo as [number, number, number, number, number, number];
  return {
    props: {
      id: b.id,
      source: f.sourceName,
      licence: f.licence,
      heightM,
      heightEstimated: false,
      roofType: roofTypeLabel(a.roofType),
      function: functionLabel(a.function),
      groundHeightM: groundM,
      groundHeightDatum: f.datum,
      name: b.name,
      address: b.address,
    },
    surfaces: tri.surfaces,
    west: w, south: s, east: e, north: n, minH, maxH,
    groundEllipsoidalM: groundEll,
  };
}

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
    noteOtherObjects(doc, file, stats, ctx.log);
    stats.degenerateRings += parsed.report.degenerateRings;
    const { epsg, datum } = cityJsonCrs(parsed.referenceSystem, parsed.buildings, file, stats, ctx.log);
    crsSeen.add(`EPSG:${epsg}`);
    datumSeen = datum;
    const toLonLat = converter(epsg, 4326);
    const f: CityJsonFile = {
      sourceName: `${town.meta.source.split(',')[0]}, ${path.basename(file)}`,
      licence: town.meta.licence,
      datum,
      toLonLat,
      toGeodetic: (x, y, z, out, o) => {
        const ll = toLonLat.forward([x, y]);
        out[o] = ll[0]!;
        out[o + 1] = ll[1]!;
        out[o + 2] = toEllipsoidalHeightM(datum, z, ll[0]!, ll[1]!, ctx.geoid);
      },
    };
    for (const b of parsed.buildings) {
      // Neighbouring tiles of the survey can both carry a building on their seam.
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      const record = cityJsonRecord(b, f, ctx, stats);
      if (record) records.push(record);
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
export function metresPerDegree(latDeg: number): { lon: number; lat: number } {
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

/** A footprint file's standing buildings: demolished ones (with an end_date, or superseded in dated mapping) left out. */
async function standingFootprints(file: string, stats: TownStats, log: (m: string) => void): Promise<FootprintFeature[]> {
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
    log(`buildings: ${note}`);
  }
  return standing;
}

/** What a footprint town's buildings say as a whole: whether every one has DEM ground, whether any height is estimated. */
interface FootprintFlags {
  groundKnown: boolean;
  anyEstimated: boolean;
}

/** One footprint extruded on the terrain to its (estimated) height; null when it has no ring or no surface. */
function footprintRecord(f: FootprintFeature, id: string, sourceName: string, licence: string, ctx: PipelineContext, stats: TownStats, flags: FootprintFlags): BuildingRecord | null {
  const tags = f.properties ?? {};
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  // Local metric frame at the footprint's bounding-box centre: exact to millimetres over a building.
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const p of polys[0]?.[0] ?? []) { w = Math.min(w, p[0]!); e = Math.max(e, p[0]!); s = Math.min(s, p[1]!); n = Math.max(n, p[1]!); }
  if (!Number.isFinite(w)) return null;
  const lon0 = (w + e) / 2, lat0 = (s + n) / 2;
  const k = metresPerDegree(lat0);
  const local: FootprintPolygon[] = polys.map((poly) => poly.map((ring) => ring.map((p): Vec2 => [(p[0]! - lon0) * k.lon, (p[1]! - lat0) * k.lat])));
  const c = areaCentroid(local);
  const cLon = lon0 + c[0] / k.lon, cLat = lat0 + c[1] / k.lat;
  const groundEll = ctx.terrain?.heightEllipsoidalM(cLon, cLat) ?? null;
  const groundSrc = groundEll !== null ? ctx.terrain?.heightSourceM(cLon, cLat) ?? null : null;
  if (groundEll === null) {
    flags.groundKnown = false;
    stats.outsideDem++;
  }
  const est = estimateHeight(tags);
  flags.anyEstimated ||= est.estimated;
  const ext = extrudeFootprint(local, groundEll ?? 0, est.heightM);
  stats.degenerateRings += ext.degenerateRings;
  const toGeodetic = (x: number, y: number, z: number, out: Float64Array, o: number): void => {
    out[o] = lon0 + x / k.lon;
    out[o + 1] = lat0 + y / k.lat;
    out[o + 2] = z;
  };
  const tri = triangulateSurfaces(ext.surfaces, toGeodetic, stats);
  if (tri.surfaces.length === 0) return null;
  const [gw, gs, ge, gn, minH, maxH] = tri.geo as [number, number, number, number, number, number];
  const b = typeof tags.building === 'string' ? tags.building : 'yes';
  return {
    props: {
      id,
      source: sourceName,
      licence,
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
  };
}

async function loadFootprintTown(town: TownSource, ctx: PipelineContext): Promise<TownBuildings> {
  const stats = emptyStats();
  const records: BuildingRecord[] = [];
  const flags: FootprintFlags = { groundKnown: true, anyEstimated: false };
  for (const file of town.files) {
    const standing = await standingFootprints(file, stats, ctx.log);
    const sourceName = `${town.meta.source.split(',')[0]}, ${path.basename(file)}`;
    const ordered = standing
      .map((f, i) => ({ f, id: String(f.id ?? f.properties?.id ?? `${path.basename(file)}#${i}`) }))
      .toSorted((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const { f, id } of ordered) {
      const record = footprintRecord(f, id, sourceName, town.meta.licence, ctx, stats, flags);
      if (record) records.push(record);
    }
  }
  stats.buildings = records.length;
  noteOutsideDem(town, stats, ctx.log);
  return {
    source: town,
    records,
    sourceCrs: 'EPSG:4326',
    sourceVerticalDatum: 'none',
    groundKnown: flags.groundKnown && records.length > 0,
    estimatedHeights: flags.anyEstimated,
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
