import { describe, expect, it } from 'vitest';
import { converter, type Epsg } from '../../../../core/geo/crs';
import { enuFrame } from '../../../../core/geo/enu';
import { scenarioToCityJson, type CityJsonBuildingInput, type CityJsonDocument, type CityJsonScenarioInput } from '../../../../core/scenario/cityjson-write';
import { buildingVolumeM3 } from '../../../../core/scenario/roof';
import { roofFormOfType } from '../../../../core/scenario/roof-type';
import { cityJsonProblems, signedVolume } from './cityjson-check';

const frame = enuFrame(13.3776, 49.7475);

/** A ring of [east, north] metres around a point in Plzeň as lon/lat. */
const ll = (ring: ReadonlyArray<readonly [number, number]>, east = 0, north = 0) => ring.map(([x, y]) => frame.toLonLat(x + east, y + north));
const rect = (w: number, d: number) => [[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]] as const;

const building = (id: string, ring: ReadonlyArray<readonly [number, number]>, east: number, extra: Partial<CityJsonBuildingInput> = {}): CityJsonBuildingInput => ({
  id, footprint: ll(ring, east), heightM: 12, storeys: 4, roof: 'flat', ...extra,
});

const scenario: CityJsonScenarioInput = {
  id: 'sc-plzen',
  name: 'Plzeň – Slovany',
  buildings: [
    building('flat', rect(20, 10), 0, { name: 'Dům „A“' }),
    building('gable', rect(30, 12), 60, { roof: 'gable', heightM: 15 }),
    building('hip', rect(24, 10), 120, { roof: 'hip' }),
    building('pyramid', rect(10, 10), 180, { roof: 'hip' }),
    // A skewed quadrilateral: its slopes are not planar and become triangles.
    building('skewed', [[-10, -5], [10, -5.4], [10.3, 5], [-10, 5.2]], 240, { roof: 'gable' }),
    // An L: no pitched roof closes onto it, so LoD 1 with the gable kept as an attribute.
    building('ell', [[0, 0], [20, 0], [20, 8], [8, 8], [8, 20], [0, 20]], 300, { roof: 'gable' }),
    // Drawn clockwise.
    building('cw', rect(8, 8).toReversed(), 360),
  ],
  masts: [{ id: 'm1', operator: '230-01', lonDeg: 13.38, latDeg: 49.75, antennaAglM: 35, name: 'Slovany', azimuthDeg: 120, beamwidthDeg: 65, eirpDbm: 43 }],
};

const write = (epsg: Epsg): CityJsonDocument => JSON.parse(JSON.stringify(scenarioToCityJson(scenario, epsg))) as CityJsonDocument;

describe('scenario -> CityJSON 2.0', () => {
  it.each([4326, 5514, 25832, 5513] as const)('EPSG:%s: required members, integer vertices, indices in range, closed solids facing outwards', (epsg) => {
    const doc = write(epsg);
    expect(cityJsonProblems(doc)).toEqual([]);
    expect(doc.metadata.referenceSystem).toBe(`https://www.opengis.net/def/crs/EPSG/0/${epsg}`);
    expect(Object.keys(doc.CityObjects)).toEqual(['flat', 'gable', 'hip', 'pyramid', 'skewed', 'ell', 'cw', 'm1']);
    for (const [id, o] of Object.entries(doc.CityObjects)) {
      expect(signedVolume(doc, o.geometry[0]!.boundaries[0]!), id).toBeGreaterThan(0);
    }
    expect(doc.transform.scale).toEqual(epsg === 4326 ? [1e-8, 1e-8, 0.001] : [0.001, 0.001, 0.001]);
    const [, , zMin, , , zMax] = doc.metadata.geographicalExtent;
    expect([zMin, zMax]).toEqual([0, 35]);
  });

  it('LoD 1 for flat roofs and footprints a pitched roof cannot close onto, LoD 2 with roof surfaces otherwise', () => {
    const doc = write(25832);
    const o = doc.CityObjects;
    const lods = Object.fromEntries(Object.entries(o).map(([id, x]) => [id, x.geometry[0]!.lod]));
    expect(lods).toEqual({ flat: '1', gable: '2', hip: '2', pyramid: '2', skewed: '2', ell: '1', cw: '1', m1: '1' });
    const surfaces = (id: string): string[] => {
      const g = o[id]!.geometry[0]!;
      return g.semantics!.values[0]!.map((v) => g.semantics!.surfaces[v]!.type);
    };
    const count = (id: string, type: string) => surfaces(id).filter((s) => s === type).length;
    // gable: ground, 4 walls to the eaves, 2 gable walls, 2 slopes (planar quads)
    expect([count('gable', 'GroundSurface'), count('gable', 'WallSurface'), count('gable', 'RoofSurface')]).toEqual([1, 6, 2]);
    expect([count('hip', 'WallSurface'), count('hip', 'RoofSurface')]).toEqual([4, 4]);
    // a hip over a square is a pyramid: four triangles meeting in one point
    expect([count('pyramid', 'RoofSurface'), o.pyramid!.geometry[0]!.boundaries[0]!.filter((f) => f[0]!.length === 3).length]).toEqual([4, 4]);
    // The ridge runs along one edge of the skewed footprint (its bounding rectangle's side): that slope stays a
    // planar quad, the other one is split in two triangles.
    expect(count('skewed', 'RoofSurface')).toBe(3);
    expect(o.m1!.geometry[0]!.semantics).toBeUndefined();
  });

  it('the LoD 2 solid encloses the volume the twin reports for the building', () => {
    const doc = write(25832);
    const b = scenario.buildings[1]!;
    const ring = b.footprint.map(([lon, lat]) => frame.toLocal(lon, lat));
    // UTM's scale factor here (about 0.99965 at 13.38° E) shrinks areas by 0.07 %.
    const v = signedVolume(doc, doc.CityObjects.gable!.geometry[0]!.boundaries[0]!);
    expect(Math.abs(v / buildingVolumeM3(ring, b.heightM, b.roof) - 1)).toBeLessThan(0.002);
  });

  it('attributes: name, measuredHeight, storeysAboveGround, roofType code, scenario id, heights above the ground', () => {
    const doc = write(5514);
    expect(doc.CityObjects.flat).toMatchObject({
      type: 'Building',
      attributes: { name: 'Dům „A“', measuredHeight: 12, storeysAboveGround: 4, roofType: '1000', scenarioId: 'sc-plzen', heightReference: 'relativeToGround' },
    });
    expect(doc.CityObjects.gable!.attributes.roofType).toBe('3100');
    expect(doc.CityObjects.ell!.attributes.roofType).toBe('3100');
    expect(doc.CityObjects.m1).toMatchObject({
      type: 'OtherConstruction',
      attributes: { function: 'mast', name: 'Slovany', operator: '230-01', antennaHeight: 35, azimuth: 120, beamwidth: 65, eirpDbm: 43, scenarioId: 'sc-plzen' },
    });
    expect(doc.metadata).toMatchObject({ title: 'Plzeň – Slovany', identifier: 'sc-plzen' });
    expect(['3100', 'gable', 'Hipped', 3200, '3500', '2100', null].map(roofFormOfType)).toEqual(['gable', 'gable', 'hip', 'hip', 'hip', null, null]);
  });

  it('places the footprint corners through the registry: corner 0 of the ground face is the first corner, to 1 mm', () => {
    const doc = write(5514);
    const g = doc.CityObjects.flat!.geometry[0]!;
    const groundAt = g.semantics!.values[0]!.indexOf(g.semantics!.surfaces.findIndex((s) => s.type === 'GroundSurface'));
    const first = doc.vertices[g.boundaries[0]![groundAt]![0]![0]!]!;
    const [x, y] = converter(4326, 5514).forward([...scenario.buildings[0]!.footprint[0]!]);
    expect(Math.abs(first[0]! * 0.001 + doc.transform.translate[0]! - x!)).toBeLessThan(0.0006);
    expect(Math.abs(first[1]! * 0.001 + doc.transform.translate[1]! - y!)).toBeLessThan(0.0006);
    expect(first[2]).toBe(0);
  });

  it('an empty scenario is a valid, empty document', () => {
    const doc = scenarioToCityJson({ id: 'e', name: 'Empty', buildings: [], masts: [] }, 25832);
    expect(cityJsonProblems(doc)).toEqual([]);
    expect(doc.CityObjects).toEqual({});
  });
});
