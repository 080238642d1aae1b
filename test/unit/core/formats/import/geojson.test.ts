import { describe, expect, it } from 'vitest';
import { geoidUndulationM } from '../../../../../core/geo/geoid';
import { convertFile, inspectFile } from '../../../../../core/formats/import/import';
import { at, bytesOf, control, fixture, GEOID, metresBetween } from './helpers';

const noYield = { yieldBetweenChunks: () => Promise.resolve() };

const bavaria = (): { fileName: string; bytes: ArrayBuffer } => ({ fileName: 'bavaria-utm32.geojson', bytes: fixture('bavaria-utm32.geojson') });

/** Vertex i of `xyz` lies within 1 cm of the named control point. */
function near(xyz: Float64Array, i: number, name: string): void {
  const [lon, lat] = at(xyz, i);
  expect(metresBetween(lon, lat, control(name).lonDeg, control(name).latDeg)).toBeLessThan(0.01);
}

describe('Bavarian GeoJSON in EPSG:25832 with a crs member and DHHN2016 heights', () => {
  it('inspect: declared 25832, heights present', async () => {
    const r = await inspectFile(bavaria());
    expect(r).toMatchObject({ format: 'geojson', featureCount: 4, hasHeights: true, problemCount: 0 });
    expect(r.crsCandidates).toHaveLength(1);
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 25832, source: 'declared', swapAxes: false, verticalDatum: 'DHHN2016', fit: 1 });
    expect(r.crsCandidates[0]!.reason).toMatch(/the GeoJSON crs member declares "urn:ogc:def:crs:EPSG::25832"/);
  });

  it('convert: points, lines and polygons (with a hole) in place to 1 cm, properties typed', async () => {
    const out = await convertFile(bavaria(), { epsg: 25832 }, { geoid: GEOID }, noYield);
    expect(out.problemCount).toBe(0);
    expect(out.counts).toEqual({ features: 4, skippedFeatures: 0, points: 3, lines: 1, polygons: 1, rings: 2, triangles: 0, vertices: 3 + 2 + 8 });
    near(out.points.xyz, 0, 'Regensburg');
    near(out.points.xyz, 2, 'Furth');
    near(out.lines.xyz, 0, 'Hof');
    near(out.lines.xyz, 1, 'Schneeberg');
    const reg = control('Regensburg');
    expect(at(out.points.xyz, 0)[2]).toBeCloseTo(335.2 + geoidUndulationM(GEOID, reg.lonDeg, reg.latDeg), 6);
    expect(Array.from(out.points.feature)).toEqual([0, 3, 3]);
    expect(Array.from(out.lines.offsets)).toEqual([0, 2]);
    expect(Array.from(out.lines.feature)).toEqual([1]);
    // two open rings of 4 vertices, outer first
    expect(Array.from(out.polygons.ringOffsets)).toEqual([0, 4, 8]);
    expect(Array.from(out.polygons.ringPolygon)).toEqual([0, 0]);
    expect(Array.from(out.polygons.polygonFeature)).toEqual([2]);
    const names = out.properties.names;
    expect(names).toEqual(['name', 'einwohner', 'aktiv', 'info', 'id']);
    const col = (n: string): Float64Array | string[] => out.properties.columns[names.indexOf(n)]!;
    expect(Array.from(col('einwohner') as Float64Array)).toEqual([12000, NaN, 9000, 21000]);
    expect(col('aktiv')).toEqual(['true', '', '', '']);
    expect(col('info')).toEqual(['{"quelle":"LDBV"}', '', '', '']);
    expect(col('id')).toEqual(['p1', '', '', '']);
    expect(out.heights).toEqual({ mode: 'ellipsoidal', sourceDatum: 'DHHN2016' });
    expect(out.heightRange![1]).toBeGreaterThan(1051);
    // Regensburg and Furth lie east of UTM 32's nominal 12° E, but well within the zone's exact reach: no warning
    expect(out.outsideAreaOfUse).toBe(0);
  });
});

describe('broken GeoJSON features are skipped one by one with their index', () => {
  it('wrong nesting, non-numbers, overflow, unclosed rings, out of range, null geometry, 0,0', async () => {
    const file = { fileName: 'broken-features.geojson', bytes: fixture('broken-features.geojson') };
    const r = await inspectFile(file);
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 4326, source: 'declared' });
    const out = await convertFile(file, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.problems.map((p) => [p.feature, p.code, p.severity])).toEqual([
      [1, 'non-finite', 'error'],
      [2, 'non-finite', 'error'],
      [3, 'invalid-geometry', 'error'],
      [4, 'unclosed-ring', 'error'],
      [5, 'invalid-geometry', 'error'],
      [6, 'out-of-range', 'error'],
      [7, 'no-geometry', 'warning'],
      [8, 'invalid-geometry', 'error'],
      [10, 'zero-coordinates', 'error'],
      [11, 'invalid-geometry', 'error'],
    ]);
    expect(out.problems[0]!.message).toBe('geometry.coordinates[1] is "49.7477", not a number; the feature is skipped');
    expect(out.problems[3]!.message).toMatch(/geometry.coordinates\[0\] is not closed/);
    expect(Array.from(out.featureSource)).toEqual([0, 9, 12]);
    expect(out.counts).toMatchObject({ features: 3, skippedFeatures: 10, points: 2, lines: 1, polygons: 1 });
    expect(out.properties.columns[0]).toEqual(['ok point', 'collection', 'ok multipolygon']);
    const xyz = [out.points.xyz, out.lines.xyz, out.polygons.xyz];
    for (const a of xyz) for (let i = 0; i < a.length; i += 3) expect(Math.abs(a[i]!) + Math.abs(a[i + 1]!)).toBeGreaterThan(1);
  });

  it('a document that is one geometry or one feature imports as one feature', async () => {
    const out = await convertFile({ fileName: 'p.json', bytes: bytesOf('{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[13.3775,49.7477]},"properties":null}') }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.counts.features).toBe(1);
    expect(Array.from(out.properties.columns[0] as Float64Array)).toEqual([7]);
  });

  it('malformed JSON: convert rejects with the line', async () => {
    await expect(convertFile({ fileName: 'malformed.geojson', bytes: fixture('malformed.geojson') }, { epsg: 4326 }, { geoid: null })).rejects.toMatchObject({
      name: 'ImportError',
      message: expect.stringMatching(/^malformed JSON at line 5/),
    });
  });
});

describe('GeoJSON axes and heights', () => {
  it('[lat, lon] order without a crs member: WGS84 read swapped, reported; converted to the right place', async () => {
    const doc = { type: 'FeatureCollection', features: ['Plzeň', 'Cheb'].map((n) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [control(n).latDeg, control(n).lonDeg] } })) };
    const bytes = bytesOf(JSON.stringify(doc));
    const r = await inspectFile({ fileName: 'swapped.geojson', bytes });
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 4326, swapAxes: true, source: 'declared' });
    expect(r.problems.find((p) => p.code === 'axes-swapped')!.severity).toBe('warning');
    const out = await convertFile({ fileName: 'swapped.geojson', bytes }, r.crsCandidates[0]!, { geoid: null }, noYield);
    const [lon, lat] = at(out.points.xyz, 0);
    expect(metresBetween(lon, lat, 13.3775, 49.7477)).toBeLessThan(0.001);
  });

  it('no crs member but metric values: RFC 7946 WGS84 does not fit, the values decide, with a warning', async () => {
    const c = control('Hof').projected['EPSG:25832']!;
    const bytes = bytesOf(JSON.stringify({ type: 'Point', coordinates: [c.e, c.n] }));
    const r = await inspectFile({ fileName: 'p.geojson', bytes });
    expect(r.crsCandidates.map((x) => [x.epsg, x.source])).toEqual([[25832, 'range'], [4326, 'declared']]);
    expect(r.problems.map((p) => p.code)).toContain('crs-mismatch');
  });

  it('all-zero z is "no heights": placed on the ground, said so', async () => {
    const bytes = bytesOf(JSON.stringify({ type: 'LineString', coordinates: [[13.3, 49.7, 0], [13.4, 49.8, 0]] }));
    expect((await inspectFile({ fileName: 'l.geojson', bytes })).hasHeights).toBe(false);
    const out = await convertFile({ fileName: 'l.geojson', bytes }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.heights).toEqual({ mode: 'ground' });
    expect(out.problems[0]).toMatchObject({ code: 'heights-all-zero', severity: 'info' });
  });

  it('a position without z in a file with heights skips its feature', async () => {
    const doc = { type: 'FeatureCollection', features: [[13.3, 49.7, 400], [13.4, 49.8]].map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } })) };
    const out = await convertFile({ fileName: 'z.geojson', bytes: bytesOf(JSON.stringify(doc)) }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.counts.features).toBe(1);
    expect(out.problems.map((p) => [p.feature, p.code])).toEqual([[1, 'missing-height']]);
  });

  it('normal heights without the geoid: convert rejects and says init() is missing', async () => {
    await expect(convertFile({ fileName: 'b.geojson', bytes: fixture('bavaria-utm32.geojson') }, { epsg: 25832 }, { geoid: null })).rejects.toMatchObject({ name: 'ImportError', message: expect.stringMatching(/geoid grid: init\(\) has not run/) });
  });

  it('large collections are converted in chunks with progress and can be cancelled', async () => {
    const features = Array.from({ length: 3000 }, (_, i) => ({ type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [12 + i * 1e-4, 49.5] } }));
    const bytes = bytesOf(JSON.stringify({ type: 'FeatureCollection', features }));
    const progress: number[] = [];
    const out = await convertFile({ fileName: 'many.geojson', bytes }, { epsg: 4326 }, { geoid: null }, { ...noYield, chunkFeatures: 500, onProgress: (f) => progress.push(f) });
    expect(out.counts.features).toBe(3000);
    expect(progress).toHaveLength(1 + 6 + 1);
    let calls = 0;
    await expect(convertFile({ fileName: 'many.geojson', bytes }, { epsg: 4326 }, { geoid: null }, { chunkFeatures: 500, onProgress: () => calls++, isCancelled: () => calls >= 3 })).rejects.toMatchObject({ name: 'JobCancelled' });
  });
});
