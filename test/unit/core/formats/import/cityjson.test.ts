import { describe, expect, it } from 'vitest';
import { converter } from '../../../../../core/geo/crs';
import { geoidUndulationM } from '../../../../../core/geo/geoid';
import { convertFile, inspectFile } from '../../../../../core/formats/import/import';
import { TRIANGLE_KIND } from '../../../../../core/formats/import/types';
import { at, bytesOf, control, fixture, GEOID, metresBetween } from './helpers';

const noYield = { yieldBetweenChunks: () => Promise.resolve() };
const file = (): { fileName: string; bytes: ArrayBuffer } => ({ fileName: 'cube-25832.city.json', bytes: fixture('cube-25832.city.json') });

/** Unit normal of triangle t in local east-north-up metres. */
function enuNormal(xyz: Float64Array, indices: Uint32Array, t: number): [number, number, number] {
  const p = [0, 1, 2].map((k) => at(xyz, indices[t * 3 + k]!));
  const lat0 = (p[0]![1] * Math.PI) / 180;
  const enu = p.map(([lon, lat, h]) => [(lon - p[0]![0]) * 111_320 * Math.cos(lat0), (lat - p[0]![1]) * 110_574, h - p[0]![2]] as const);
  const u = enu[1]!.map((v, i) => v - enu[0]![i]!);
  const v = enu[2]!.map((w, i) => w - enu[0]![i]!);
  const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
  const l = Math.hypot(n[0]!, n[1]!, n[2]!);
  return [n[0]! / l, n[1]! / l, n[2]! / l];
}

describe('CityJSON: one cube building in EPSG:25832', () => {
  it('inspect: declared CRS from metadata.referenceSystem, one feature, heights', async () => {
    const r = await inspectFile(file());
    expect(r).toMatchObject({ format: 'cityjson', featureCount: 1, hasHeights: true, problemCount: 0 });
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 25832, source: 'declared', verticalDatum: 'DHHN2016' });
  });

  it('convert: 12 outward-facing triangles, transform applied, corner within 1 cm, attributes kept', async () => {
    const out = await convertFile(file(), { epsg: 25832 }, { geoid: GEOID }, noYield);
    expect(out.problemCount).toBe(0);
    expect(out.counts).toMatchObject({ features: 1, triangles: 12, points: 0, lines: 0, polygons: 0, vertices: 24 });
    const { xyz, indices, feature, kind } = out.triangles;
    expect(Array.from(feature)).toEqual(Array.from({ length: 12 }, () => 0));
    expect([...kind].filter((k) => k === TRIANGLE_KIND.roof)).toHaveLength(2);
    expect([...kind].filter((k) => k === TRIANGLE_KIND.ground)).toHaveLength(2);
    expect([...kind].filter((k) => k === TRIANGLE_KIND.wall)).toHaveLength(8);
    // the corner vertex: translate + 11.479 m, 11.381 m, 0 -> the Regensburg control point to 1 mm
    const reg = control('Regensburg');
    let best = Infinity;
    for (let i = 0; i < xyz.length / 3; i++) best = Math.min(best, metresBetween(at(xyz, i)[0], at(xyz, i)[1], reg.lonDeg, reg.latDeg));
    expect(best).toBeLessThan(0.01);
    // heights: 330 m and 340 m DHHN2016 plus the geoid
    const n = geoidUndulationM(GEOID, reg.lonDeg, reg.latDeg);
    expect(out.heightRange![0]).toBeCloseTo(330 + n, 3);
    expect(out.heightRange![1]).toBeCloseTo(340 + n, 3);
    // every triangle faces away from the cube's centre
    const c = converter(25832, 4326).forward([721016.479, 5433976.381]);
    for (let t = 0; t < 12; t++) {
      const nrm = enuNormal(xyz, indices, t);
      const a = at(xyz, indices[t * 3]!);
      const dE = (a[0] - c[0]!) * 111_320 * Math.cos((a[1] * Math.PI) / 180);
      const dN = (a[1] - c[1]!) * 110_574;
      const dU = a[2] - (335 + n);
      expect(nrm[0] * dE + nrm[1] * dN + nrm[2] * dU).toBeGreaterThan(0);
      if (kind[t] === TRIANGLE_KIND.roof) expect(nrm[2]).toBeGreaterThan(0.99);
    }
    const names = out.properties.names;
    expect(names.slice(0, 2)).toEqual(['id', 'type']);
    expect(out.properties.columns[0]).toEqual(['DEBY_TEST_CUBE']);
    expect(out.properties.columns[1]).toEqual(['Building']);
    expect(Array.from(out.properties.columns[names.indexOf('measuredHeight')] as Float64Array)).toEqual([10]);
    expect(out.properties.columns[names.indexOf('roofType')]).toEqual(['1000']);
  });

  it('other CityObject types become features too, and children are folded into their parent', async () => {
    const doc = JSON.parse(new TextDecoder().decode(fixture('cube-25832.city.json'))) as { CityObjects: Record<string, unknown> };
    const cube = doc.CityObjects.DEBY_TEST_CUBE as { geometry: unknown };
    doc.CityObjects = {
      tree: { type: 'SolitaryVegetationObject', attributes: { species: 'Quercus robur' }, geometry: cube.geometry },
      bridge: { type: 'Bridge', children: ['bridge-part'] },
      'bridge-part': { type: 'BridgePart', parents: ['bridge'], geometry: cube.geometry },
    };
    const bytes = bytesOf(JSON.stringify(doc));
    expect((await inspectFile({ fileName: 'c.json', bytes })).featureCount).toBe(2);
    const out = await convertFile({ fileName: 'c.json', bytes }, { epsg: 25832 }, { geoid: GEOID }, noYield);
    expect(out.counts).toMatchObject({ features: 2, triangles: 24 });
    expect(out.properties.columns[1]).toEqual(['Bridge', 'SolitaryVegetationObject']);
    // the sorted ids are bridge, bridge-part, tree
    expect(Array.from(out.featureSource)).toEqual([0, 2]);
  });

  it('inspect: a document without CityObjects or vertices, or with a broken transform, is invalid CityJSON', async () => {
    for (const [drop, message] of [['CityObjects', /without a "CityObjects" object/], ['vertices', /without a "vertices" array/], ['transform', /"transform" lacks three numbers/]] as const) {
      const doc = JSON.parse(new TextDecoder().decode(fixture('cube-25832.city.json'))) as Record<string, unknown>;
      if (drop === 'transform') doc.transform = { scale: [0.001, 0.001] };
      else delete doc[drop];
      const r = await inspectFile({ fileName: 'c.city.json', bytes: bytesOf(JSON.stringify(doc)) });
      expect(r).toMatchObject({ format: 'cityjson', featureCount: 0, crsCandidates: [] });
      expect(r.problems).toEqual([{ code: 'invalid-cityjson', severity: 'error', message: expect.stringMatching(message) }]);
    }
  });

  it('a vertex index out of range: convert rejects as invalid CityJSON', async () => {
    const doc = JSON.parse(new TextDecoder().decode(fixture('cube-25832.city.json'))) as { vertices: number[][] };
    doc.vertices = doc.vertices.slice(0, 4);
    await expect(convertFile({ fileName: 'c.json', bytes: bytesOf(JSON.stringify(doc)) }, { epsg: 25832 }, { geoid: GEOID })).rejects.toMatchObject({
      name: 'ImportError',
      message: expect.stringMatching(/invalid CityJSON: CityJSON vertex index \d+ out of range/),
    });
  });
});
