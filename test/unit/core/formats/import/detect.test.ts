import { describe, expect, it } from 'vitest';
import type { Epsg } from '../../../../../core/geo/crs';
import { coordinateColumnPairs, detectCrs, heightColumn, parseCrsName, type Reading } from '../../../../../core/formats/import/detect-crs';
import { inspectFile } from '../../../../../core/formats/import/import';
import { bytesOf, control, fixture } from './helpers';

const PLACES = ['Plzeň', 'Cheb', 'Furth', 'Hof', 'Schneeberg', 'Regensburg'].map(control);
const CZECH = ['Plzeň', 'Cheb', 'Furth'].map(control);

/** The control points' coordinates in one CRS as a detection reading. */
function reading(epsg: string, points = PLACES, swap = false): Reading {
  const xy = points.flatMap((p) => {
    const c = p.projected[`EPSG:${epsg}`]!;
    return swap ? [c.n, c.e] : [c.e, c.n];
  });
  return { sample: Float64Array.from(xy) };
}

const epsgs = (r: ReturnType<typeof detectCrs>): Epsg[] => r.candidates.map((c) => c.epsg);
const codes = (r: { problems: { code: string }[] }): string[] => r.problems.map((p) => p.code);

describe('CRS detection by value ranges over the region', () => {
  it.each([
    ['5514', CZECH, 5514],
    ['25832', PLACES, 25832],
    ['31468', PLACES, 31468],
    ['3035', PLACES, 3035],
  ] as const)('EPSG:%s control points -> only that CRS', (code, points, expected) => {
    const r = detectCrs({ readings: [reading(code, [...points])] });
    expect(epsgs(r)).toEqual([expected]);
    expect(r.candidates[0]).toMatchObject({ source: 'range', swapAxes: false, fit: 1 });
    expect(r.problems).toEqual([]);
  });

  it('UTM 33: ETRS89 and WGS 84 both fit; 25833 ranks first and the ambiguity is reported with the reason', () => {
    const r = detectCrs({ readings: [reading('25833')] });
    expect(epsgs(r)).toEqual([25833, 32633]);
    const p = r.problems.find((x) => x.code === 'crs-ambiguous')!;
    expect(p.severity).toBe('warning');
    expect(p.message).toMatch(/EPSG:25833.*EPSG:32633.*ranked first because ETRS89/);
  });

  it('S-JTSK with positive values and south/west axes is 5513', () => {
    const xy = CZECH.flatMap((p) => [-p.projected['EPSG:5514']!.n, -p.projected['EPSG:5514']!.e]);
    const r = detectCrs({ readings: [{ sample: Float64Array.from(xy) }] });
    expect(epsgs(r)).toEqual([5513]);
    expect(r.candidates[0]!.swapAxes).toBe(false);
  });

  it('swapped UTM axes are detected and reported', () => {
    const r = detectCrs({ readings: [reading('25832', PLACES, true)] });
    expect(r.candidates[0]).toMatchObject({ epsg: 25832, swapAxes: true });
    expect(r.problems.find((p) => p.code === 'axes-swapped')).toMatchObject({ severity: 'warning' });
  });

  it('degrees in Europe are WGS84; latitude first is detected as swapped', () => {
    const lonLat = Float64Array.from(PLACES.flatMap((p) => [p.lonDeg, p.latDeg]));
    expect(detectCrs({ readings: [{ sample: lonLat }] }).candidates.map((c) => [c.epsg, c.swapAxes])).toEqual([[4326, false]]);
    const latLon = Float64Array.from(PLACES.flatMap((p) => [p.latDeg, p.lonDeg]));
    const r = detectCrs({ readings: [{ sample: latLon }] });
    expect(r.candidates.map((c) => [c.epsg, c.swapAxes])).toEqual([[4326, true]]);
    expect(codes(r)).toContain('axes-swapped');
  });

  it('fits nothing -> no candidate and an error naming the values, never a guess', () => {
    for (const sample of [[100, 120, 130, 140], [1_000, 2_000, 1_500, 2_500], [-822402, 1069674, -887800, 1021915]]) {
      const r = detectCrs({ readings: [{ sample: Float64Array.from(sample) }] });
      expect(r.candidates).toEqual([]);
      const p = r.problems.find((x) => x.code === 'crs-none-fits')!;
      expect(p.severity).toBe('error');
      expect(p.message).toMatch(/fit none of the CRSs/);
    }
  });

  it('a sample half in range is a candidate with a partial-fit warning', () => {
    const c = control('Plzeň').projected['EPSG:25832']!;
    const r = detectCrs({ readings: [{ sample: Float64Array.of(c.e, c.n, c.e + 10, c.n, c.e, c.n + 10, 1, 2) }] });
    expect(r.candidates[0]).toMatchObject({ epsg: 25832, fit: 0.75 });
    expect(codes(r)).toContain('crs-partial-fit');
  });
});

describe('declared CRSs', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::5514', 5514, null],
    ['EPSG:25832', 25832, null],
    ['urn:ogc:def:crs:EPSG:6.6:25833', 25833, null],
    ['https://www.opengis.net/def/crs/EPSG/0/25832', 25832, null],
    ['https://www.opengis.net/def/crs/EPSG/0/25832+7837', 25832, 7837],
    ['https://www.opengis.net/def/crs/EPSG/0/5555', 25832, 5783],
    ['https://www.opengis.net/def/crs/EPSG/0/7415', 28992, 5709],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326, null],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 4326, null],
    ['local', null, null],
  ])('%s -> horizontal %s, vertical %s', (text, horizontal, vertical) => {
    expect(parseCrsName(text)).toMatchObject({ horizontal, vertical });
  });

  it('a declared CRS that fits ranks first, with its declared height datum', () => {
    const r = detectCrs({ readings: [reading('25832')], declared: { text: 'EPSG:25832+7837', where: 'the test' } });
    expect(r.candidates[0]).toMatchObject({ epsg: 25832, source: 'declared', verticalDatum: 'DHHN2016', fit: 1 });
    expect(r.candidates[0]!.reason).toMatch(/declares "EPSG:25832\+7837"/);
  });

  it('a compound code outside the registry (7415, Dutch RD + NAP) is reported, the values decide', () => {
    const r = detectCrs({ readings: [reading('25832')], declared: { text: 'https://www.opengis.net/def/crs/EPSG/0/7415', where: 'the CityJSON metadata.referenceSystem' } });
    expect(r.problems.find((p) => p.code === 'crs-unsupported')!.message).toMatch(/7415 Amersfoort \/ RD New \+ NAP height, horizontal part EPSG:28992/);
    expect(epsgs(r)).toEqual([25832]);
  });

  it('a declaration the values contradict is kept but ranked after the CRS they fit, with a warning', () => {
    const r = detectCrs({ readings: [reading('5514', CZECH)], declared: { text: 'EPSG:25832', where: 'the GeoJSON crs member' } });
    expect(r.candidates.map((c) => [c.epsg, c.source])).toEqual([[5514, 'range'], [25832, 'declared']]);
    expect(r.problems.find((p) => p.code === 'crs-mismatch')!.message).toMatch(/they fit EPSG:5514/);
  });
});

describe('CSV column names', () => {
  it('finds coordinate pairs and heights in several languages', () => {
    expect(coordinateColumnPairs(['Name', 'Longitude', 'Latitude'])).toEqual([{ kind: 'lonlat', x: 'Longitude', y: 'Latitude' }]);
    expect(coordinateColumnPairs(['Rechtswert [m]', 'Hochwert [m]'])).toEqual([{ kind: 'gk', x: 'Rechtswert [m]', y: 'Hochwert [m]' }]);
    expect(coordinateColumnPairs(['id', 'Y_JTSK', 'X_JTSK'])).toEqual([{ kind: 'krovak', x: 'X_JTSK', y: 'Y_JTSK' }]);
    expect(coordinateColumnPairs(['E', 'N', 'lat', 'lng']).map((p) => p.kind)).toEqual(['lonlat', 'en']);
    expect(heightColumn(['název', 'Y', 'X', 'výška'])).toBe('výška');
    expect(heightColumn(['Höhe (m)'])).toBe('Höhe (m)');
    expect(coordinateColumnPairs(['name', 'street'])).toEqual([]);
  });

  it('lon/lat columns holding swapped values: WGS84 with swapAxes, reported', async () => {
    const r = await inspectFile({ fileName: 'swapped-latlon.csv', bytes: fixture('swapped-latlon.csv') });
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 4326, swapAxes: true, columns: { x: 'lon', y: 'lat', z: null } });
    expect(r.problems.find((p) => p.code === 'axes-swapped')!.message).toMatch(/the column "lon" holds the latitude and "lat" the longitude/);
  });

  it('column names that name the CRS make the candidate a "columns" one', async () => {
    const text = 'name,lon,lat\nPlzen,13.3775,49.7477\nCheb,12.3739,50.0796\n';
    const r = await inspectFile({ fileName: 'a.csv', bytes: bytesOf(text) });
    expect(r.crsCandidates).toHaveLength(1);
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 4326, source: 'columns', verticalDatum: 'ellipsoidal' });
    expect(r.crsCandidates[0]!.reason).toMatch(/columns "lon" and "lat" name longitude and latitude/);
  });
});

describe('format detection (by content)', () => {
  it('GeoJSON, CityJSON and CSV whatever the extension says', async () => {
    const geo = await inspectFile({ fileName: 'data.csv', bytes: fixture('bavaria-utm32.geojson') });
    expect(geo.format).toBe('geojson');
    expect(codes(geo)).toContain('extension-mismatch');
    expect((await inspectFile({ fileName: 'x.json', bytes: fixture('cube-25832.city.json') })).format).toBe('cityjson');
    expect((await inspectFile({ fileName: 'x.txt', bytes: fixture('sjtsk-plzen.csv') })).format).toBe('csv');
    expect((await inspectFile({ fileName: 'pt.json', bytes: bytesOf('{"type":"Point","coordinates":[13.3,49.7]}') })).featureCount).toBe(1);
  });

  it('malformed JSON: no format, an error with the line of the syntax error', async () => {
    const r = await inspectFile({ fileName: 'malformed.geojson', bytes: fixture('malformed.geojson') });
    expect(r.format).toBeNull();
    expect(r.problems[0]).toMatchObject({ code: 'malformed-json', severity: 'error', line: 5 });
    expect(r.problems[0]!.message).toMatch(/^malformed JSON at line 5/);
  });

  it('JSON that is neither, binary files and one-column text are refused with a reason', async () => {
    const other = await inspectFile({ fileName: 'p.json', bytes: bytesOf('{"type":"Topology","objects":{}}') });
    expect(other.problems[0]).toMatchObject({ code: 'unrecognised-json' });
    expect(other.problems[0]!.message).toMatch(/"Topology"/);
    const zip = await inspectFile({ fileName: 'a.zip', bytes: Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 0).buffer });
    expect(zip.problems[0]).toMatchObject({ code: 'binary-file' });
    const prose = await inspectFile({ fileName: 'notes.txt', bytes: bytesOf('just some words\nand more words\n') });
    expect(prose).toMatchObject({ format: null });
    expect(prose.problems[0]).toMatchObject({ code: 'not-a-table' });
  });
});
