/**
 * Loading a town's buildings: LoD2 (CityJSON or CityGML, surveyed heights; `load-lod2.ts`) or footprint GeoJSON
 * (heights estimated), each building triangulated into ECEF surfaces with its geodetic extent and property row.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PipelineContext } from '../context';
import type { Vec2 } from './cityjson';
import { estimateHeight, extrudeFootprint, supersededFootprints, type FootprintFeature, type FootprintPolygon } from './footprints';
import { loadLod2Town } from './load-lod2';
import { metresPerDegree, noteOutsideDem, triangulateSurfaces } from './records';
import { emptyStats, type BuildingRecord, type TownBuildings, type TownSource, type TownStats } from './towns';

export { metresPerDegree } from './records';

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
  return town.kind === 'lod2' ? loadLod2Town(town, ctx) : loadFootprintTown(town, ctx);
}
