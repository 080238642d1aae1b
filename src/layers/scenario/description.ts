/**
 * The scenario layer's pure side: metrics per variant, and a scenario as the importer's layer layout (so the
 * existing GeoJSON writer exports it in any CRS of the registry, and the existing reader brings it back through
 * `layerToScenario`, import-layer.ts).
 */
import { area as turfArea, polygon } from '@turf/turf';
import { buildingVolumeM3 } from '../../../core/scenario/roof';
import type { ImportLayer } from '../../../core/formats/import/types';
import { localRing, type LonLat, type ProposedBuilding, type Scenario } from '../../state/scenario';
import type { ScenarioMast } from '../../state/types';

export { layerToScenario } from './import-layer';

/** The scenario layer's id: its pickables, its title and its selections. */
export const SCENARIO_LAYER_ID = 'scenario';

export interface ScenarioMetrics {
  /** Footprint area × storeys, m² (turf's area on the sphere: within 0.5 % of the ellipsoidal area here). */
  readonly floorAreaM2: number;
  readonly volumeM3: number;
  /** Of the proposed buildings, metres above their ground; 0 without any. */
  readonly maxHeightM: number;
  readonly buildings: number;
  readonly masts: number;
  readonly demolitions: number;
}

export function footprintAreaM2(ring: readonly LonLat[]): number {
  const closed = [...ring.map(([lon, lat]) => [lon, lat]), [ring[0]![0], ring[0]![1]]];
  return turfArea(polygon([closed]));
}

export function scenarioMetrics(s: Scenario): ScenarioMetrics {
  let floorAreaM2 = 0;
  let volumeM3 = 0;
  let maxHeightM = 0;
  for (const b of s.buildings) {
    floorAreaM2 += footprintAreaM2(b.footprint) * b.storeys;
    volumeM3 += buildingVolumeM3(localRing(b.footprint).xy, b.heightM, b.roof);
    maxHeightM = Math.max(maxHeightM, b.heightM);
  }
  return { floorAreaM2, volumeM3, maxHeightM, buildings: s.buildings.length, masts: s.masts.length, demolitions: s.demolitions.length };
}

/** Column names of an exported scenario (GeoJSON properties). */
const COLUMNS = ['kind', 'id', 'name', 'heightM', 'storeys', 'roof', 'operator', 'antennaAglM', 'azimuthDeg', 'beamwidthDeg', 'eirpDbm'] as const;

/**
 * A scenario's buildings (polygons, on the ground: written 2D) and masts (points) as an importer layer, one
 * feature each. Demolition marks have no geometry of their own and are not part of the file.
 */
export function scenarioToLayer(s: Scenario): ImportLayer {
  const nb = s.buildings.length;
  const nm = s.masts.length;
  const ringVertices = s.buildings.reduce((n, b) => n + b.footprint.length, 0);
  const polyXyz = new Float64Array(ringVertices * 3);
  const ringOffsets = new Uint32Array(nb + 1);
  let v = 0;
  s.buildings.forEach((b, i) => {
    ringOffsets[i] = v;
    for (const [lon, lat] of b.footprint) {
      polyXyz[v * 3] = lon;
      polyXyz[v * 3 + 1] = lat;
      v++;
    }
  });
  ringOffsets[nb] = v;
  const index = Uint32Array.from({ length: nb }, (_, i) => i);
  const pointXyz = new Float64Array(nm * 3);
  s.masts.forEach((m, i) => {
    pointXyz[i * 3] = m.lonDeg;
    pointXyz[i * 3 + 1] = m.latDeg;
  });
  const str = (f: (b: ProposedBuilding) => string, g: (m: ScenarioMast) => string): string[] => [...s.buildings.map(f), ...s.masts.map(g)];
  const num = (f: (b: ProposedBuilding) => number, g: (m: ScenarioMast) => number): Float64Array => Float64Array.from([...s.buildings.map(f), ...s.masts.map(g)]);
  return {
    featureCount: nb + nm,
    heights: { mode: 'ground' },
    points: { xyz: pointXyz, feature: Uint32Array.from({ length: nm }, (_, i) => nb + i) },
    lines: { xyz: new Float64Array(0), offsets: new Uint32Array(1), feature: new Uint32Array(0) },
    polygons: { xyz: polyXyz, ringOffsets, ringPolygon: index, polygonFeature: index },
    triangles: { xyz: new Float64Array(0), indices: new Uint32Array(0), feature: new Uint32Array(0), kind: new Uint8Array(0) },
    properties: {
      names: [...COLUMNS],
      columns: [
        str(() => 'building', () => 'mast'),
        str((b) => b.id, (m) => m.id),
        str((b) => b.name ?? '', (m) => m.name ?? ''),
        num((b) => b.heightM, () => Number.NaN),
        num((b) => b.storeys, () => Number.NaN),
        str((b) => b.roof, () => ''),
        str(() => '', (m) => m.operator),
        num(() => Number.NaN, (m) => m.antennaAglM),
        num(() => Number.NaN, (m) => m.azimuthDeg ?? Number.NaN),
        num(() => Number.NaN, (m) => m.beamwidthDeg ?? Number.NaN),
        num(() => Number.NaN, (m) => m.eirpDbm ?? Number.NaN),
      ],
    },
    featureSource: Uint32Array.from({ length: nb + nm }, (_, i) => i),
  };
}
