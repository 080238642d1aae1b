/** Where real terrain exists: the DEM footprints written by the pipeline (tilesets/terrain/coverage.geojson). */
import type { Feature, FeatureCollection, Polygon } from 'geojson';

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
