/**
 * Places: the municipalities of both sides (German Gemeinden, BKG VG250 2016; Czech obce, ČÚZK RÚIAN geometry as
 * simplified by iROZHLAS/DataRozhlas) as thin outlines and named places for the app's labels, with the names
 * other languages use for the larger towns (Cheb/Eger, Regensburg/Řezno).
 *
 * Invariants:
 * - Every outline is valid: the few self-intersecting source rings are split at their kinks (turf unkinkPolygon)
 *   before simplification, and the step reports how many it repaired.
 * - `rank` orders labels for decluttering: 1 (regional centres) … 4 (villages); the app shows rank k only below
 *   a camera distance that grows with the rank, and drops overlapping labels in rank order.
 * - The label point lies inside the municipality, at the terrain model's ground height there; outline vertices
 *   carry the served surface's height as their third coordinate.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { booleanPointInPolygon, centerOfMass, featureCollection, kinks, pointOnFeature, simplify, union } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { ManifestEntry, PipelineContext } from '../context';
import { EXONYMS } from './exonyms';
import { surfaceOf } from '../terrain/step';
import type { TerrainMosaic } from '../terrain/model';

export const MUNICIPALITY_FILES = {
  de: 'boundaries/municipalities/de_gemeinden_vg250_2016_aoi.geojson',
  cz: 'boundaries/municipalities/cz_obce_datarozhlas_aoi.geojson',
} as const;
/** ≈ 70–110 m: below what a municipal outline shows at the zooms it is drawn at (the sources are 1:250,000 and ≈ 12 m). */
const TOLERANCE_DEG = 0.001;

export interface PlaceProps {
  /** "DE-<AGS>" or "CZ-<RÚIAN kód obce>". */
  code: string;
  name: string;
  country: 'DE' | 'CZ';
  /** BKG's BEZ (Stadt, Markt, Gemeinde, Kreisfreie Stadt …) or "obec". */
  kind: string;
  /** Inhabitants where the source has them (Czech obce, ≈ 2021), else null. */
  population: number | null;
  rank: 1 | 2 | 3 | 4;
  /** Label point inside the municipality: lon, lat (degrees), WGS84 ellipsoidal ground height (m). */
  label: [number, number, number];
  /** Names in other languages where they differ ({ de: 'Eger' }). */
  names?: Partial<Record<'cs' | 'de' | 'en', string>>;
}

/** German municipalities carry no population in VG250: their kind ranks them; Czech ones rank by population. */
export function rankOf(country: 'DE' | 'CZ', kind: string, population: number | null): 1 | 2 | 3 | 4 {
  if (country === 'DE') {
    if (kind === 'Kreisfreie Stadt') return 1;
    if (kind === 'Große Kreisstadt' || kind === 'Stadt') return 2;
    if (kind === 'Markt') return 3;
    return 4;
  }
  const p = population ?? 0;
  return p >= 30_000 ? 1 : p >= 5_000 ? 2 : p >= 1_000 ? 3 : 4;
}

const r5 = (x: number): number => Math.round(x * 1e5) / 1e5;
/** ≈ 7–11 m, below the simplification. */
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * A valid polygon or multipolygon: a self-intersecting outline is rebuilt by the polygon clipper (turf's union of
 * the outline with itself resolves crossings into simple rings); reports whether it had to.
 */
export function repaired(f: Feature<Polygon | MultiPolygon>): { feature: Feature<Polygon | MultiPolygon>; repaired: boolean } {
  if (kinks(f).features.length === 0) return { feature: f, repaired: false };
  const fixed = union(featureCollection([f, f]));
  if (!fixed) throw new Error(`places: the outline of ${String(f.properties?.['GEN'] ?? f.properties?.['ob'])} could not be repaired`);
  return { feature: { ...f, geometry: fixed.geometry }, repaired: true };
}

/** A point inside: the centre of mass where it is inside, else turf's point on the surface. */
export function labelPoint(f: Feature<Polygon | MultiPolygon>): [number, number] {
  const c = centerOfMass(f).geometry.coordinates as [number, number];
  return booleanPointInPolygon(c, f) ? c : (pointOnFeature(f).geometry.coordinates as [number, number]);
}

/** One municipality as read from the sources, its outline repaired (not yet simplified). */
export interface Municipality {
  readonly feature: Feature<Polygon | MultiPolygon>;
  readonly code: string;
  readonly name: string;
  readonly country: 'DE' | 'CZ';
  readonly kind: string;
  readonly population: number | null;
  readonly repaired: boolean;
}

/** Both municipality files, German first, in source order; shared by the places and coverage steps. */
export async function loadMunicipalities(dataDir: string): Promise<Municipality[]> {
  const out: Municipality[] = [];
  for (const [country, rel] of [['DE', MUNICIPALITY_FILES.de], ['CZ', MUNICIPALITY_FILES.cz]] as const) {
    const fc = JSON.parse(await readFile(path.join(dataDir, rel), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    for (const src of fc.features) {
      const p = src.properties ?? {};
      const { feature, repaired: was } = repaired(src);
      out.push({
        feature,
        code: country === 'DE' ? `DE-${String(p['AGS'])}` : `CZ-${String(p['kod'])}`,
        name: String(country === 'DE' ? p['GEN'] : p['ob']),
        country,
        kind: country === 'DE' ? String(p['BEZ']) : 'obec',
        population: country === 'CZ' && Number.isFinite(Number(p['obv'])) ? Number(p['obv']) : null,
        repaired: was,
      });
    }
  }
  return out;
}

export async function buildPlaces(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const terrain = ctx.terrain;
  if (!terrain) throw new Error('places need the terrain model (ground heights of the labels)');
  const out: Array<Feature<Polygon | MultiPolygon | Point, PlaceProps>> = [];
  let fixed = 0;
  const surface = surfaceOf(terrain as TerrainMosaic);
  for (const m of await loadMunicipalities(ctx.dataDir)) {
    if (m.repaired) fixed++;
    const [lon, lat] = labelPoint(m.feature);
    const ground = terrain.heightEllipsoidalM(lon, lat) ?? 0;
    // Simplifying and rounding can make a ring touch itself again: repaired once more after them.
    const simplified = repaired({ ...m.feature, geometry: round(simplify(m.feature, { tolerance: TOLERANCE_DEG, highQuality: true, mutate: false }).geometry) });
    if (simplified.repaired) fixed++;
    const names = EXONYMS[m.name];
    withGroundHeights(simplified.feature.geometry, surface);
    out.push({
      type: 'Feature',
      properties: {
        code: m.code, name: m.name, country: m.country, kind: m.kind, population: m.population,
        rank: rankOf(m.country, m.kind, m.population),
        label: [r5(lon), r5(lat), Math.round(ground * 10) / 10],
        ...(names ? { names } : {}),
      },
      geometry: simplified.feature.geometry,
    });
  }
  const prague = pragueLabel(out);
  if (prague) out.push(prague);
  out.sort((a, b) => a.properties.rank - b.properties.rank || a.properties.code.localeCompare(b.properties.code));
  const dir = path.join(ctx.outDir, 'places');
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify({ type: 'FeatureCollection', features: out })}\n`;
  await writeFile(path.join(dir, 'municipalities.geojson'), json);
  const count = (c: string): number => out.filter((f) => f.properties.country === c && f.geometry.type !== 'Point').length;
  const stillKinked = out.filter((f) => f.geometry.type !== 'Point' && kinks(f as Feature<Polygon | MultiPolygon>).features.length > 0).length;
  if (stillKinked > 0) ctx.log(`places: ${stillKinked} outlines have rings meeting at a point (turf's kinks reports touches too)`);
  ctx.log(`places: ${count('DE')} Gemeinden + ${count('CZ')} obce, ${fixed} self-intersecting outlines repaired, ${(json.length / 1024).toFixed(0)} KiB`);
  return [
    {
      id: 'places',
      kind: 'places',
      url: 'places/municipalities.geojson',
      title: 'Municipalities and place names',
      source: 'BKG VG250 2016 (Gemeinden); ČÚZK RÚIAN via iROZHLAS/DataRozhlas (obce, simplified)',
      licence: 'GeoNutzV (BKG); CC BY 4.0 (ČÚZK)',
      attribution: '© GeoBasis-DE / BKG 2016 (Daten verändert); ČÚZK RÚIAN (zjednodušeno, iROZHLAS/DataRozhlas)',
      sourceCrs: 'EPSG:4326',
      sourceVerticalDatum: 'none',
      bbox: bboxOf(out),
      featureCount: out.length,
      extras: { repairedOutlines: fixed, simplifiedToleranceDeg: TOLERANCE_DEG },
    },
  ];
}

/**
 * Every vertex gets the served terrain's WGS84 ellipsoidal height (whole metres) as its third coordinate: the app
 * draws the outlines as plain lines at those heights (cheap), not as terrain-draped volumes (100 k vertices of
 * those would cost a software-rendered frame seconds).
 */
function withGroundHeights(g: Polygon | MultiPolygon, surface: (lon: number, lat: number) => number): void {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) for (const ring of poly) for (const p of ring) p[2] = Math.round(surface(p[0]!, p[1]!));
}

/**
 * Prague is 22+ municipal districts in RÚIAN ("Praha 1" … "Praha 22"): each keeps its outline and a district
 * label, and the city gets one label of its own (a Point feature, no outline) at the Old Town, ranked first.
 */
export function pragueLabel(features: Array<Feature<Polygon | MultiPolygon | Point, PlaceProps>>): Feature<Point, PlaceProps> | null {
  const districts = features.filter((f) => f.properties.country === 'CZ' && /^Praha \d+$/.test(f.properties.name));
  if (districts.length === 0) return null;
  for (const d of districts) d.properties.rank = 3;
  const centre = districts.find((d) => d.properties.name === 'Praha 1') ?? districts[0]!;
  const population = districts.reduce((n, d) => n + (d.properties.population ?? 0), 0);
  return {
    type: 'Feature',
    properties: { code: 'CZ-554782', name: 'Praha', country: 'CZ', kind: 'hlavní město', population, rank: 1, label: centre.properties.label, names: { de: 'Prag', en: 'Prague' } },
    geometry: { type: 'Point', coordinates: centre.properties.label.slice(0, 2) },
  };
}

/** A ring rounded to r4, without the repeated points rounding makes. */
const roundRing = (r: Position[]): Position[] => r.map((p) => [r4(p[0]!), r4(p[1]!)]).filter((p, i, a) => i === 0 || p[0] !== a[i - 1]![0] || p[1] !== a[i - 1]![1]);

function round(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = roundRing;
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map(ring) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(ring)) };
}

function bboxOf(features: ReadonlyArray<Feature<Polygon | MultiPolygon | Point, PlaceProps>>): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const f of features) {
    if (f.geometry.type === 'Point') continue;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const poly of polys) {
      for (const q of poly[0] ?? []) {
        w = Math.min(w, q[0]!);
        e = Math.max(e, q[0]!);
        s = Math.min(s, q[1]!);
        n = Math.max(n, q[1]!);
      }
    }
  }
  return [r5(w), r5(s), r5(e), r5(n)];
}
