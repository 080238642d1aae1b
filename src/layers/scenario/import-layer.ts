/**
 * An imported file (an exported scenario, or anyone's footprints or 3D city model) as a new scenario:
 *
 * - Polygons (GeoJSON, CSV) become proposed buildings (their outer ring); 3D objects (CityJSON) become buildings
 *   with the outline of their ground surfaces (core/scenario/outline.ts) as footprint, or masts when they say so
 *   (`function: "mast"`, or an operator).
 * - Height and storeys come from the columns (the twin's own names, or CityJSON's `measuredHeight` and
 *   `storeysAboveGround`), else from each other, else (3D objects) from their extent, else 3 storeys; the roof
 *   form from `roof` or a CityJSON `roofType` code.
 * - Points with an operator become masts.
 * What cannot be used is counted, never half-applied.
 */
import { featureShapes } from '../../../core/scenario/outline';
import { roofFormOfType } from '../../../core/scenario/roof-type';
import type { ImportResult } from '../../../core/formats/import/types';
import { ID_PATTERN, LIMITS, newId, ROOF_FORMS, scenarioProblem, type ProposedBuilding, type RoofForm, type Scenario } from '../../state/scenario';
import type { ScenarioMast } from '../../state/types';

/** Storey height assumed when a file gives a height but no storeys (and the reverse). */
const STOREY_M = 3.2;
/** A sector's width when a file gives an azimuth but none (a common three-sector panel). */
const DEFAULT_BEAMWIDTH_DEG = 65;

/** Reads one feature's values from the layer's property columns, by any of several column names. */
interface Row {
  text(names: readonly string[], f: number): string;
  number(names: readonly string[], f: number): number;
}

function rowReader(layer: ImportResult): Row {
  const text = (n: string, f: number): string => {
    const i = layer.properties.names.indexOf(n);
    const v = i < 0 ? undefined : layer.properties.columns[i]?.[f];
    return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  };
  return {
    text: (names, f) => names.map((n) => text(n, f)).find((t) => t !== '') ?? '',
    number(names, f) {
      for (const n of names) {
        const t = text(n, f);
        if (t !== '' && Number.isFinite(Number(t))) return Number(t);
      }
      return Number.NaN;
    },
  };
}

/** A building from feature `f`'s columns; `extentM` is the 3D object's height when the columns give none. */
function buildingOf(row: Row, f: number, footprint: Array<[number, number]>, extentM = Number.NaN): ProposedBuilding & { rawId: string } {
  const last = footprint.at(-1);
  if (last && footprint.length > 1 && last[0] === footprint[0]![0] && last[1] === footprint[0]![1]) footprint.pop();
  let heightM = row.number(['heightM', 'height', 'measuredHeight'], f);
  if (!Number.isFinite(heightM) && extentM > 0) heightM = Math.round(extentM * 1000) / 1000;
  let storeys = Math.round(row.number(['storeys', 'storeysAboveGround', 'levels', 'building:levels'], f));
  if (!Number.isFinite(storeys) || storeys < 1) storeys = Number.isFinite(heightM) ? Math.max(1, Math.round(heightM / STOREY_M)) : 3;
  if (!Number.isFinite(heightM)) heightM = storeys * STOREY_M;
  const roofText = row.text(['roof'], f);
  const roof: RoofForm = (ROOF_FORMS as readonly string[]).includes(roofText) ? (roofText as RoofForm) : (roofFormOfType(row.text(['roofType'], f)) ?? 'flat');
  const name = row.text(['name'], f).slice(0, LIMITS.nameChars);
  return { rawId: row.text(['id'], f), id: '', kind: 'building', footprint, heightM, storeys: Math.min(storeys, LIMITS.storeys[1]), roof, ...(name ? { name } : {}) };
}

/** A mast at lon/lat from feature `f`'s columns, or null when the feature is no mast. */
function mastOf(row: Row, f: number, lonDeg: number, latDeg: number): (ScenarioMast & { rawId: string }) | null {
  const operator = row.text(['operator'], f);
  if (row.text(['kind', 'function'], f) !== 'mast' && !operator) return null;
  const antenna = row.number(['antennaAglM', 'antennaHeight'], f);
  const azimuth = row.number(['azimuthDeg', 'azimuth'], f);
  const beamwidth = row.number(['beamwidthDeg', 'beamwidth'], f);
  const eirp = row.number(['eirpDbm'], f);
  const name = row.text(['name'], f).slice(0, LIMITS.nameChars);
  const sector = azimuth >= 0 && azimuth <= 360;
  return {
    rawId: row.text(['id'], f), id: '', kind: 'mast', operator: operator || 'unknown', lonDeg, latDeg,
    antennaAglM: Number.isFinite(antenna) ? antenna : 30,
    ...(name ? { name } : {}),
    ...(sector ? { azimuthDeg: azimuth, beamwidthDeg: beamwidth >= 1 && beamwidth <= 360 ? beamwidth : DEFAULT_BEAMWIDTH_DEG } : {}),
    ...(eirp >= -50 && eirp <= 100 ? { eirpDbm: eirp } : {}),
  };
}

/** Buildings from the layer's polygons (outer rings only: holes are not modelled for proposed buildings). */
function polygonBuildings(layer: ImportResult, row: Row): Array<ProposedBuilding & { rawId: string }> {
  const { polygons } = layer;
  const out: Array<ProposedBuilding & { rawId: string }> = [];
  let ring = 0;
  for (let g = 0; g < polygons.polygonFeature.length; g++) {
    while (ring < polygons.ringPolygon.length && polygons.ringPolygon[ring]! < g) ring++;
    if (polygons.ringPolygon[ring] !== g) continue;
    const footprint: Array<[number, number]> = [];
    for (let v = polygons.ringOffsets[ring]!; v < polygons.ringOffsets[ring + 1]!; v++) footprint.push([polygons.xyz[v * 3]!, polygons.xyz[v * 3 + 1]!]);
    out.push(buildingOf(row, polygons.polygonFeature[g]!, footprint));
  }
  return out;
}

/** The layer's candidates, in file order within each kind, and how many features were of no use. */
function candidates(layer: ImportResult): { buildings: Array<ProposedBuilding & { rawId: string }>; masts: Array<ScenarioMast & { rawId: string }>; skipped: number } {
  const row = rowReader(layer);
  const buildings = polygonBuildings(layer, row);
  const masts: Array<ScenarioMast & { rawId: string }> = [];
  let skipped = 0;
  for (const [f, shape] of featureShapes(layer.triangles)) {
    const mast = shape.centre ? mastOf(row, f, shape.centre[0], shape.centre[1]) : null;
    const type = row.text(['type'], f);
    if (mast) masts.push(mast);
    else if (shape.outline.length >= 3 && (type === '' || type === 'Building')) buildings.push(buildingOf(row, f, shape.outline, shape.zMax - shape.zMin));
    else skipped++;
  }
  const { points } = layer;
  for (let i = 0; i < points.feature.length; i++) {
    const mast = mastOf(row, points.feature[i]!, points.xyz[i * 3]!, points.xyz[i * 3 + 1]!);
    if (mast) masts.push(mast);
    else skipped++;
  }
  return { buildings, masts, skipped };
}

export function layerToScenario(layer: ImportResult, id: string, name: string): { scenario: Scenario; skipped: number } {
  const found = candidates(layer);
  const used = new Set<string>();
  // The file's ids where they are valid and unique, fresh ones otherwise.
  const freshId = (want: string, prefix: string): string => {
    const out = ID_PATTERN.test(want) && !used.has(want) ? want : newId(prefix);
    used.add(out);
    return out;
  };
  const buildings = found.buildings.map(({ rawId, ...b }): ProposedBuilding => ({ ...b, id: freshId(rawId, 'b') }));
  const masts = found.masts.map(({ rawId, ...m }): ScenarioMast => ({ ...m, id: freshId(rawId, 'mast') }));
  // Each object is checked on its own: a bad one is left out, the rest is kept.
  const base: Scenario = { id, name: name.slice(0, LIMITS.nameChars) || id, parentId: null, buildings: [], masts: [], demolitions: [] };
  const goodBuildings = buildings.filter((b) => scenarioProblem({ ...base, buildings: [b] }) === null);
  const goodMasts = masts.filter((m) => scenarioProblem({ ...base, masts: [m] }) === null);
  const skipped = found.skipped + buildings.length - goodBuildings.length + masts.length - goodMasts.length;
  const capped = goodBuildings.slice(0, LIMITS.objects);
  return { scenario: { ...base, buildings: capped, masts: goodMasts.slice(0, LIMITS.objects - capped.length) }, skipped };
}
