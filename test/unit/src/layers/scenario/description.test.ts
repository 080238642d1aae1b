import { describe, expect, it } from 'vitest';
import { enuFrame } from '../../../../../core/geo/enu';
import { footprintAreaM2, layerToScenario, scenarioMetrics, scenarioToLayer } from '../../../../../src/layers/scenario/description';
import type { ProposedBuilding, Scenario } from '../../../../../src/state/scenario';
import { exportGeoJson } from '../../../../../core/formats/import/export';
import { convertFile, inspectFile } from '../../../../../core/formats/import/import';
import { metresBetween } from '../../../core/formats/import/helpers';

const noYield = { yieldBetweenChunks: () => Promise.resolve() };

/** w × d metres (east × north) centred `east`, `north` metres from a point in Plzeň. */
function block(id: string, w: number, d: number, east = 0, north = 0, extra: Partial<ProposedBuilding> = {}): ProposedBuilding {
  const f = enuFrame(13.3776, 49.7475);
  const footprint = ([[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]] as const).map(([x, y]) => f.toLonLat(x + east, y + north));
  return { id, kind: 'building', footprint, heightM: 12, storeys: 4, roof: 'flat', ...extra };
}

const scenario: Scenario = {
  id: 'sc-plzen',
  name: 'Plzeň – Slovany',
  parentId: null,
  buildings: [block('b1', 20, 10, 0, 0, { name: 'Dům „A“' }), block('b2', 30, 12, 60, 20, { roof: 'gable', heightM: 15, storeys: 4 })],
  masts: [{ id: 'm1', kind: 'mast', operator: '230-01', lonDeg: 13.38, latDeg: 49.75, antennaAglM: 35, name: 'Slovany' }],
  demolitions: [{ id: 'd1', kind: 'demolition', layerId: 'buildings-regensburg', featureId: 'X1' }],
};

const within = (got: number, want: number) => expect(Math.abs(got / want - 1)).toBeLessThan(0.005);

describe('scenario metrics', () => {
  it('adds floor area (footprint × storeys), volume, max height and counts', () => {
    // turf measures on a sphere: a third of a percent under the ellipsoidal area at 50° N.
    within(footprintAreaM2(scenario.buildings[0]!.footprint), 200);
    const m = scenarioMetrics(scenario);
    within(m.floorAreaM2, 200 * 4 + 360 * 4);
    // b1: 200 m² × 12 m; b2: 360 m² prism to the eaves + a gable over 30 × 12 m (rise min(6, 6·tan 40°) = 5.03 m).
    const rise = Math.min(0.4 * 15, 6 * Math.tan((40 * Math.PI) / 180));
    expect(m.volumeM3).toBeCloseTo(2400 + 360 * (15 - rise) + (30 * 12 * rise) / 2, -1);
    expect(m).toMatchObject({ maxHeightM: 15, buildings: 2, masts: 1, demolitions: 1 });
  });
});

describe('scenario export and import through the importer', () => {
  it.each([5514, 25832, 4326] as const)('EPSG:%s: re-importing the exported file restores every corner within 1 cm, and the attributes', async (epsg) => {
    const text = await exportGeoJson(scenarioToLayer(scenario), epsg, null, noYield);
    const bytes = new TextEncoder().encode(text).buffer as ArrayBuffer;
    const info = await inspectFile({ fileName: 'plan.geojson', bytes });
    expect(info.crsCandidates[0]).toMatchObject({ epsg, swapAxes: false });
    const layer = await convertFile({ fileName: 'plan.geojson', bytes }, info.crsCandidates[0]!, { geoid: null }, noYield);
    const { scenario: back, skipped } = layerToScenario(layer, 'sc-back', 'plan');
    expect(skipped).toBe(0);
    expect(back.buildings.map((b) => [b.id, b.heightM, b.storeys, b.roof, b.name])).toEqual(scenario.buildings.map((b) => [b.id, b.heightM, b.storeys, b.roof, b.name]));
    scenario.buildings.forEach((b, i) => {
      const got = back.buildings[i]!.footprint;
      expect(got).toHaveLength(b.footprint.length);
      b.footprint.forEach(([lon, lat], k) => expect(metresBetween(lon, lat, got[k]![0], got[k]![1])).toBeLessThan(0.01));
    });
    expect(back.masts).toHaveLength(1);
    expect(back.masts[0]).toMatchObject({ id: 'm1', operator: '230-01', antennaAglM: 35, name: 'Slovany' });
    expect(metresBetween(13.38, 49.75, back.masts[0]!.lonDeg, back.masts[0]!.latDeg)).toBeLessThan(0.01);
    if (epsg === 5514) {
      const doc = JSON.parse(text) as { crs: { properties: { name: string } }; features: Array<{ geometry: { coordinates: number[][][] } }> };
      expect(doc.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::5514');
      // S-JTSK Křovák East North: both coordinates negative in Czechia.
      const [x, y] = doc.features[0]!.geometry.coordinates[0]![0]!;
      expect(x).toBeLessThan(0);
      expect(y).toBeLessThan(0);
    }
  });

  it('turns plain footprints of any file into buildings (height from the columns, else 3 storeys) and skips points without an operator', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { height: 16 }, geometry: { type: 'Polygon', coordinates: [[[13.37, 49.74], [13.3703, 49.74], [13.3703, 49.7402], [13.37, 49.7402], [13.37, 49.74]]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[13.372, 49.74], [13.3723, 49.74], [13.3723, 49.7402], [13.372, 49.74]]] } },
        { type: 'Feature', properties: { note: 'a bench' }, geometry: { type: 'Point', coordinates: [13.371, 49.741] } },
      ],
    });
    const bytes = new TextEncoder().encode(text).buffer as ArrayBuffer;
    const layer = await convertFile({ fileName: 'f.geojson', bytes }, { epsg: 4326 }, { geoid: null }, noYield);
    const { scenario: s, skipped } = layerToScenario(layer, 'sc-f', 'f');
    expect(s.buildings.map((b) => [b.heightM, b.storeys, b.roof])).toEqual([[16, 5, 'flat'], [9.600000000000001, 3, 'flat']]);
    expect(skipped).toBe(1);
    expect(s.masts).toEqual([]);
  });
});
