import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enuFrame } from '../../../../../core/geo/enu';
import { exportGeoJson } from '../../../../../core/formats/import/export';
import { convertFile, inspectFile } from '../../../../../core/formats/import/import';
import { t } from '../../../../../src/i18n';
import { exportScenarioFile, importScenarioFile, scenarioFileName } from '../../../../../src/layers/scenario/exchange';
import type { ProposedBuilding, Scenario } from '../../../../../src/state/scenario';
import { cityJsonProblems } from '../../../core/scenario/cityjson-check';
import { bytesOf, GEOID, metresBetween } from '../../../core/formats/import/helpers';

const noYield = { yieldBetweenChunks: () => Promise.resolve() };

/** The import worker's jobs, run in this thread. */
const imports = {
  inspect: async (_key: string, file: { fileName: string; bytes: ArrayBuffer }) => ({ result: await inspectFile(file, noYield), bytes: file.bytes }),
  convert: (_key: string, file: { fileName: string; bytes: ArrayBuffer }, choice: { epsg: never; swapAxes: boolean; candidate?: { verticalDatum: never } }) =>
    convertFile(file, { epsg: choice.epsg, swapAxes: choice.swapAxes, verticalDatum: choice.candidate?.verticalDatum }, { geoid: GEOID }, noYield),
  exportGeoJson: (_key: string, layer: never, epsg: never) => exportGeoJson(layer, epsg, null, noYield),
};

const frame = enuFrame(13.3776, 49.7475);
const rect = (w: number, d: number) => [[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]] as const;
function building(id: string, ring: ReadonlyArray<readonly [number, number]>, east: number, extra: Partial<ProposedBuilding> = {}): ProposedBuilding {
  return { id, kind: 'building', footprint: ring.map(([x, y]) => frame.toLonLat(x + east, y)), heightM: 12, storeys: 4, roof: 'flat', ...extra };
}

const scenario: Scenario = {
  id: 'sc-plzen',
  name: 'Plzeň – Slovany',
  parentId: null,
  buildings: [
    building('b1', rect(20, 10), 0, { name: 'Dům „A“' }),
    building('b2', rect(30, 12), 60, { roof: 'gable', heightM: 15.37, storeys: 5 }),
    building('b3', rect(10, 10), 120, { roof: 'hip', heightM: 9.6, storeys: 3 }),
    building('b4', [[-10, -5], [10, -5.4], [10.3, 5], [-10, 5.2]], 180, { roof: 'gable' }),
    building('b5', [[0, 0], [20, 0], [20, 8], [8, 8], [8, 20], [0, 20]], 240, { roof: 'hip', storeys: 2, heightM: 7.5 }),
  ],
  masts: [
    { id: 'm1', kind: 'mast', operator: '230-01', lonDeg: 13.38, latDeg: 49.75, antennaAglM: 35, name: 'Slovany', azimuthDeg: 120, beamwidthDeg: 65, eirpDbm: 43 },
    { id: 'm2', kind: 'mast', operator: '230-03', lonDeg: 13.385, latDeg: 49.751, antennaAglM: 28.5 },
  ],
  demolitions: [{ id: 'd1', kind: 'demolition', layerId: 'buildings-regensburg', featureId: 'X1' }],
};

const fileOf = (name: string, text: string) => ({ name, bytes: bytesOf(text) });

/** The scenario's objects as they must come back: everything but the ids of scenario and demolitions. */
function expectSameObjects(back: Scenario, want: Scenario): void {
  expect(back.buildings.map((b) => [b.id, b.storeys, b.roof, b.name])).toEqual(want.buildings.map((b) => [b.id, b.storeys, b.roof, b.name]));
  want.buildings.forEach((b, i) => {
    const got = back.buildings[i]!;
    expect(Math.abs(got.heightM - b.heightM), b.id).toBeLessThan(0.01);
    expect(got.footprint, b.id).toHaveLength(b.footprint.length);
    b.footprint.forEach(([lon, lat], k) => expect(metresBetween(lon, lat, got.footprint[k]![0], got.footprint[k]![1]), `${b.id} corner ${k}`).toBeLessThan(0.01));
  });
  expect(back.masts.map(({ lonDeg: _x, latDeg: _y, ...m }) => m)).toEqual(want.masts.map(({ lonDeg: _x, latDeg: _y, ...m }) => m));
  want.masts.forEach((m, i) => expect(metresBetween(m.lonDeg, m.latDeg, back.masts[i]!.lonDeg, back.masts[i]!.latDeg), m.id).toBeLessThan(0.01));
}

describe('scenario export and import as CityJSON', () => {
  it.each([4326, 5514, 25832] as const)('EPSG:%s: the file is valid CityJSON 2.0 and comes back as the same scenario', async (epsg) => {
    const out = await exportScenarioFile(undefined, scenario, epsg, 'cityjson', 'en', new Date('2026-05-04T10:00:00Z'));
    expect(out.fileName).toBe(`Plzeň-Slovany-EPSG${epsg}.city.json`);
    const doc = JSON.parse(out.text) as { metadata: { referenceSystem: string; referenceDate: string } };
    expect(cityJsonProblems(doc)).toEqual([]);
    expect(doc.metadata).toMatchObject({ referenceSystem: `https://www.opengis.net/def/crs/EPSG/0/${epsg}`, referenceDate: '2026-05-04' });
    const back = await importScenarioFile(imports as never, fileOf(out.fileName, out.text), 'sc-back', 'en');
    expect(back.epsg).toBe(epsg);
    expect(back.skipped).toBe(0);
    expect(back.scenario).toMatchObject({ id: 'sc-back', name: `Plzeň-Slovany-EPSG${epsg}`, demolitions: [] });
    expectSameObjects(back.scenario, scenario);
  });

  it('a footprint drawn clockwise comes back as the same polygon, counter-clockwise from the same first corner', async () => {
    const cw = building('cw', rect(8, 6).toReversed(), 0);
    const s: Scenario = { ...scenario, buildings: [cw], masts: [] };
    const out = await exportScenarioFile(undefined, s, 5514, 'cityjson', 'en');
    const back = (await importScenarioFile(imports as never, fileOf(out.fileName, out.text), 'sc-cw', 'en')).scenario.buildings[0]!;
    const want = [cw.footprint[0]!, ...cw.footprint.slice(1).toReversed()];
    want.forEach(([lon, lat], k) => expect(metresBetween(lon, lat, back.footprint[k]![0], back.footprint[k]![1])).toBeLessThan(0.01));
  });

  it('GeoJSON still round-trips, now with the masts’ sectors and EIRP', async () => {
    const out = await exportScenarioFile(imports as never, scenario, 25832, 'geojson', 'en');
    expect(out.fileName).toBe('Plzeň-Slovany-EPSG25832.geojson');
    const back = await importScenarioFile(imports as never, fileOf(out.fileName, out.text), 'sc-g', 'en');
    expectSameObjects(back.scenario, scenario);
  });

  it('a building of a Bavarian LoD2 CityJSON becomes a proposed building: ground outline, measured height, storeys, roof type', async () => {
    const text = readFileSync(new URL('../../../../fixtures/import/cube-25832.city.json', import.meta.url), 'utf8');
    const back = await importScenarioFile(imports as never, fileOf('cube-25832.city.json', text), 'sc-cube', 'en');
    expect(back).toMatchObject({ epsg: 25832, skipped: 0 });
    const b = back.scenario.buildings[0]!;
    expect(b).toMatchObject({ heightM: 10, storeys: 3, roof: 'flat' });
    expect(b.footprint).toHaveLength(4);
    const sides = b.footprint.map((p, k) => metresBetween(p[0], p[1], b.footprint[(k + 1) % 4]![0], b.footprint[(k + 1) % 4]![1]));
    // 10 m in UTM; the spherical distance of the check is within 0.5 % of the ellipsoidal one.
    for (const side of sides) expect(Math.abs(side - 10)).toBeLessThan(0.05);
    // DEBY_TEST_CUBE is not a valid scenario id (upper case): the building gets a fresh one.
    expect(b.id).toMatch(/^b-/);
  });

  it.each([
    ['truncated JSON', '{"type":"CityJSON","version":"2.0","CityObjects":{', /malformed JSON/],
    ['no vertices', '{"type":"CityJSON","version":"2.0","transform":{"scale":[1,1,1],"translate":[0,0,0]},"CityObjects":{}}', /CityJSON without a "vertices" array/],
    ['a broken transform', '{"type":"CityJSON","version":"2.0","transform":{"scale":[0.001]},"CityObjects":{},"vertices":[]}', /"transform" lacks three numbers/],
  ])('a malformed CityJSON (%s) fails with a reason and the notice names the file', async (_what, text, reason) => {
    const err = await importScenarioFile(imports as never, fileOf('plan-broken.city.json', text), 'sc-x', 'en').then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(reason);
    const notice = t('en', 'scenario.importFailed', { file: 'plan-broken.city.json', message: err!.message });
    expect(notice).toMatch(/^plan-broken\.city\.json could not be imported: /);
  });

  it('a vertex index out of range fails as invalid CityJSON', async () => {
    const out = await exportScenarioFile(undefined, { ...scenario, masts: [] }, 25832, 'cityjson', 'en');
    const doc = JSON.parse(out.text) as { vertices: number[][] };
    doc.vertices = doc.vertices.slice(0, 3);
    await expect(importScenarioFile(imports as never, fileOf('cut.city.json', JSON.stringify(doc)), 'sc-y', 'en')).rejects.toThrow(/invalid CityJSON: CityJSON vertex index \d+ out of range/);
  });

  it('names files after the scenario, safely', () => {
    expect(scenarioFileName('Plan / B: "neu"', 5514, 'cityjson')).toBe('Plan-B-neu-EPSG5514.city.json');
    expect(scenarioFileName('***', 4326, 'geojson')).toBe('scenario-EPSG4326.geojson');
  });
});
