/** Where real terrain exists: the DEM footprints written by the pipeline (tilesets/terrain/coverage.geojson). */
import { featureCollection, union } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export interface TerrainFootprint {
  readonly title: string;
  readonly licence: string;
  readonly resolutionM: number;
  readonly polygon: Feature<Polygon>;
}

export interface TerrainCoverage {
  readonly footprints: readonly TerrainFootprint[];
}

export function parseCoverage(json: unknown): TerrainCoverage {
  const fc = json as FeatureCollection;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('terrain coverage is not a GeoJSON FeatureCollection');
  const footprints: TerrainFootprint[] = fc.features
    .filter((f): f is Feature<Polygon> => f?.geometry?.type === 'Polygon')
    .map((f) => ({
      title: String(f.properties?.['title'] ?? ''),
      licence: String(f.properties?.['licence'] ?? ''),
      resolutionM: Number(f.properties?.['resolutionM'] ?? Number.NaN),
      polygon: f,
    }));
  return { footprints };
}

/**
 * The rings where real terrain ends: the union of all footprints, so the shared edge of two adjacent DEM tiles
 * (N49E011 | N50E011) is not drawn as an edge of the data. Lon/lat rings, closed.
 */
export function coverageOutline(coverage: TerrainCoverage): Position[][] {
  const polys = coverage.footprints.map((f) => f.polygon);
  if (polys.length === 0) return [];
  const merged: Feature<Polygon | MultiPolygon> | null = polys.length === 1 ? polys[0]! : union(featureCollection(polys));
  if (!merged) return [];
  return merged.geometry.type === 'Polygon' ? merged.geometry.coordinates : merged.geometry.coordinates.flat();
}
