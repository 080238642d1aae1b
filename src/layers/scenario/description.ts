/**
 * The scenario layer's pure side: metrics per variant, and a scenario as the importer's layer layout (so the
 * existing GeoJSON writer exports it in any CRS of the registry, and the existing reader brings it back).
 */
import { area as turfArea, polygon } from '@turf/turf';
import { buildingVolumeM3 } from '../../../core/scenario/roof';
import type { ImportLayer, ImportResult } from '../../../core/formats/import/types';
import { LIMITS, localRing, newId, ROOF_FORMS, scenarioProblem, type LonLat, type ProposedBuilding, type RoofForm, type Scenario } from '../../state/scenario';
import type { ScenarioMast } from '../../state/types';

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
const COLUMNS = ['kind', 'id', 'name', 'heightM', 'storeys', 'roof', 'operator', 'antennaAglM'] as const;

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
      ],
    },
    featureSource: Uint32Array.from({ length: nb + nm }, (_, i) => i),
  };
}

/** Storey height assumed when a file gives a height but no storeys (and the reverse). */
const STOREY_M = 3.2;

/**
 * An imported file (an exported scenario, or anyone's footprints) as a new scenario: polygons become proposed
 * buildings (their outer ring; height and storeys from the columns, else from each other, else 3 storeys),
 * points with an operator become masts. What cannot be used is counted, never half-applied.
 */
export function layerToScenario(layer: ImportResult, id: string, name: string): { scenario: Scenario; skipped: number } {
  const col = (n: string) => {
    const i = layer.properties.names.indexOf(n);
    return i < 0 ? undefined : layer.properties.columns[i];
  };
  const text = (n: string, f: number): string => {
    const c = col(n);
    const v = c?.[f];
    return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  };
  const number = (names: readonly string[], f: number): number => {
    for (const n of names) {
      const t = text(n, f);
      if (t !== '' && Number.isFinite(Number(t))) return Number(t);
    }
    return Number.NaN;
  };
  const buildings: ProposedBuilding[] = [];
  const masts: ScenarioMast[] = [];
  const used = new Set<string>();
  const freshId = (want: string, prefix: string): string => {
    const idOk = /^[a-z0-9][a-z0-9-]{0,63}$/.test(want) && !used.has(want);
    const out = idOk ? want : newId(prefix);
    used.add(out);
    return out;
  };
  let skipped = 0;
  const { polygons, points } = layer;
  let ring = 0;
  for (let g = 0; g < polygons.polygonFeature.length; g++) {
    const f = polygons.polygonFeature[g]!;
    // The polygon's first ring is its outline; holes are not modelled for proposed buildings.
    while (ring < polygons.ringPolygon.length && polygons.ringPolygon[ring]! < g) ring++;
    if (polygons.ringPolygon[ring] !== g) continue;
    const footprint: Array<[number, number]> = [];
    for (let v = polygons.ringOffsets[ring]!; v < polygons.ringOffsets[ring + 1]!; v++) footprint.push([polygons.xyz[v * 3]!, polygons.xyz[v * 3 + 1]!]);
    const last = footprint.at(-1);
    if (last && footprint.length > 1 && last[0] === footprint[0]![0] && last[1] === footprint[0]![1]) footprint.pop();
    let heightM = number(['heightM', 'height', 'measuredHeight'], f);
    let storeys = Math.round(number(['storeys', 'levels', 'building:levels'], f));
    if (!Number.isFinite(storeys) || storeys < 1) storeys = Number.isFinite(heightM) ? Math.max(1, Math.round(heightM / STOREY_M)) : 3;
    if (!Number.isFinite(heightM)) heightM = storeys * STOREY_M;
    const roofText = text('roof', f);
    const roof: RoofForm = (ROOF_FORMS as readonly string[]).includes(roofText) ? (roofText as RoofForm) : 'flat';
    const nameText = text('name', f).slice(0, LIMITS.nameChars);
    buildings.push({ id: freshId(text('id', f), 'b'), kind: 'building', footprint, heightM, storeys: Math.min(storeys, LIMITS.storeys[1]), roof, ...(nameText ? { name: nameText } : {}) });
  }
  for (let i = 0; i < points.feature.length; i++) {
    const f = points.feature[i]!;
    const operator = text('operator', f);
    if (text('kind', f) !== 'mast' && !operator) {
      skipped++;
      continue;
    }
    const antenna = number(['antennaAglM'], f);
    const nameText = text('name', f).slice(0, LIMITS.nameChars);
    masts.push({ id: freshId(text('id', f), 'mast'), kind: 'mast', operator: operator || 'unknown', lonDeg: points.xyz[i * 3]!, latDeg: points.xyz[i * 3 + 1]!, antennaAglM: Number.isFinite(antenna) ? antenna : 30, ...(nameText ? { name: nameText } : {}) });
  }
  // Each object is checked on its own: a bad one is left out, the rest is kept.
  const base: Scenario = { id, name: name.slice(0, LIMITS.nameChars) || id, parentId: null, buildings: [], masts: [], demolitions: [] };
  const goodBuildings = buildings.filter((b) => scenarioProblem({ ...base, buildings: [b] }) === null);
  const goodMasts = masts.filter((m) => scenarioProblem({ ...base, masts: [m] }) === null);
  skipped += buildings.length - goodBuildings.length + masts.length - goodMasts.length;
  const capped = goodBuildings.slice(0, LIMITS.objects);
  return { scenario: { ...base, buildings: capped, masts: goodMasts.slice(0, LIMITS.objects - capped.length) }, skipped };
}
