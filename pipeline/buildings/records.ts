/**
 * What every buildings source shares once it is read: surfaces triangulated into ECEF with their geodetic extent,
 * a LoD2 building (CityJSON or CityGML) turned into a record with its surveyed heights, and the notes about ground.
 */
import { type Converter, type VerticalDatum } from '../../core/geo/crs';
import { geodeticToEcef, WGS84_A, WGS84_F } from '../../core/geo/ellipsoid';
import { toEllipsoidalHeightM } from '../../core/geo/heights';
import type { PipelineContext } from '../context';
import { functionLabel, roofTypeLabel, triangulatePolygon, type CityBuilding, type Surface } from './cityjson';
import type { TileSurface } from './glb';
import type { BuildingRecord, TownSource, TownStats } from './towns';

/** Triangulate source surfaces and map their vertices through `toEcef` (x, y, z in the frame the surfaces use). */
export function triangulateSurfaces(
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

const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

/** What the LoD2 buildings of one file (in one CRS) share: where they come from and how their coordinates are placed. */
export interface Lod2File {
  readonly sourceName: string;
  readonly licence: string;
  readonly datum: VerticalDatum;
  readonly toLonLat: Converter;
  readonly toGeodetic: (x: number, y: number, z: number, out: Float64Array, o: number) => void;
}

/** One LoD2 building (CityJSON or CityGML) as a record with its surveyed heights; null when it has no vertices or no surface. */
export function lod2Record(b: CityBuilding, f: Lod2File, ctx: PipelineContext, stats: TownStats): BuildingRecord | null {
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
  // is not its ground, which the step reports. Without a terrain model (a folder tiled on its own) nothing is checked.
  if (ctx.terrain && !hasTerrain(ctx, refLon, refLat)) stats.outsideDem++;
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

export const hasTerrain = (ctx: Pick<PipelineContext, 'terrain'>, lonDeg: number, latDeg: number): boolean =>
  (ctx.terrain?.heightEllipsoidalM(lonDeg, latDeg) ?? null) !== null;

/** A town with buildings where the terrain model has no ground: counted in its log line and said in a note. */
export function noteOutsideDem(town: TownSource, stats: TownStats, log: (m: string) => void): void {
  if (stats.outsideDem === 0) return;
  const note = town.kind === 'lod2'
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
