/**
 * Importer fuzzing through the worker's API (the code path a worker runs): GeoJSON, CityJSON and CSV built to be
 * wrong in the ways real files are. Every run must end in a correct layer or an `ImportError` with a message:
 * never another exception, never a hang, never a non-finite coordinate, never a point invented at 0,0.
 * FUZZ_RUNS sets the runs per property (default 1,000; a long mode uses more).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createImportApi } from '../../../../../workers/import/api';
import type { ImportLayer } from '../../../../../core/formats/import/types';
import { GEOID_JSON, bytesOf } from './helpers';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);
const api = createImportApi();
await api.init({ geoid: GEOID_JSON });
let jobId = 0;

type Outcome = { ok: true; layer: ImportLayer } | { ok: false; name: string; message: string };

/** inspect, then convert with the first candidate (or the given CRS), with a hang guard. */
async function importText(fileName: string, text: string, epsg?: number): Promise<Outcome> {
  const run = async (): Promise<Outcome> => {
    try {
      const { result, bytes } = await api.inspect(++jobId, { fileName, bytes: bytesOf(text) });
      const c = result.crsCandidates[0];
      const layer = await api.convert(++jobId, {
        fileName,
        bytes,
        epsg: (epsg ?? c?.epsg ?? 4326) as never,
        swapAxes: c?.swapAxes,
        columns: c?.columns,
        verticalDatum: c?.verticalDatum,
      });
      return { ok: true, layer };
    } catch (e) {
      return { ok: false, name: e instanceof Error ? e.name : typeof e, message: e instanceof Error ? e.message : String(e) };
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<Outcome>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`import of ${fileName} did not end within 10 s`)), 10_000);
  });
  try {
    return await Promise.race([run(), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Outcomes per format: a fuzzer whose files all fail (or all pass) would prove little. */
const tally = { ok: 0, error: 0, points: 0 };

function checkOutcome(o: Outcome): void {
  tally[o.ok ? 'ok' : 'error']++;
  if (o.ok) tally.points += o.layer.points.xyz.length / 3;
  if (!o.ok) {
    expect(o.name, o.message).toBe('ImportError');
    expect(o.message.length).toBeGreaterThan(5);
    return;
  }
  const l = o.layer;
  for (const xyz of [l.points.xyz, l.lines.xyz, l.polygons.xyz, l.triangles.xyz]) {
    for (let i = 0; i < xyz.length; i++) expect(Number.isFinite(xyz[i]), `coordinate ${i} is ${xyz[i]}`).toBe(true);
  }
  for (let i = 0; i < l.points.xyz.length; i += 3) expect(l.points.xyz[i] === 0 && l.points.xyz[i + 1] === 0, 'a point at 0,0').toBe(false);
}

// ---- GeoJSON ----
const badNumber = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999', 'null', '"13.4"', '[]', '{}', 'true', '1e-400');
const lon = fc.double({ min: 11.8, max: 14.5, noNaN: true });
const lat = fc.double({ min: 48.5, max: 50.5, noNaN: true });
/** A position as JSON text: usually fine, sometimes a bad number, sometimes too short or too long. */
const position = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(lon, lat).map(([x, y]) => `[${x},${y}]`) },
  { weight: 1, arbitrary: fc.tuple(lon, badNumber).map(([x, y]) => `[${x},${y}]`) },
  { weight: 1, arbitrary: fc.tuple(badNumber, lat).map(([x, y]) => `[${x},${y}]`) },
  { weight: 1, arbitrary: fc.constantFrom('[]', '[13.4]', '[13.4,49.7,300,1,2]', '13.4', '"x"', 'null') },
);
const positions = (min: number, max: number) => fc.array(position, { minLength: min, maxLength: max }).map((p) => `[${p.join(',')}]`);
/** Rings: closed, unclosed, too short, self-intersecting (a bow tie). */
const ring = fc.oneof(
  positions(4, 8).map((p) => p.replace(/^\[(\[[^\]]*\])(.*)\]$/, (_m, first: string, rest: string) => `[${first}${rest},${first}]`)),
  positions(0, 5),
  fc.tuple(lon, lat).map(([x, y]) => `[[${x},${y}],[${x + 0.01},${y + 0.01}],[${x + 0.01},${y}],[${x},${y + 0.01}],[${x},${y}]]`),
);
const geometry = fc.oneof(
  position.map((c) => `{"type":"Point","coordinates":${c}}`),
  positions(0, 6).map((c) => `{"type":"LineString","coordinates":${c}}`),
  positions(0, 6).map((c) => `{"type":"MultiPoint","coordinates":${c}}`),
  fc.array(ring, { minLength: 0, maxLength: 3 }).map((r) => `{"type":"Polygon","coordinates":[${r.join(',')}]}`),
  fc.array(positions(0, 4), { maxLength: 3 }).map((r) => `{"type":"MultiLineString","coordinates":[${r.join(',')}]}`),
  // wrong nesting and wrong types
  position.map((c) => `{"type":"Polygon","coordinates":${c}}`),
  positions(1, 3).map((c) => `{"type":"Point","coordinates":${c}}`),
  fc.constantFrom('null', '{}', '{"type":"Circle","coordinates":[13,49]}', '{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[13.4,49.7]}]}', '[]', '"Point"'),
  // deep nesting
  fc.integer({ min: 50, max: 3000 }).map((d) => `{"type":"Polygon","coordinates":${'['.repeat(d)}${']'.repeat(d)}}`),
);
const propertyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.constantFrom('null', 'true'),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 20, max: 400 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
).map((v) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : v === 'null' || v === 'true' || v.startsWith('{') ? v : JSON.stringify(v)));
const properties = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 12 }), propertyValue, { maxKeys: 6 }).map((d) => `{${Object.entries(d).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  fc.constantFrom('null', '[]', '"text"', '7'),
);
const feature = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(geometry, properties).map(([g, p]) => `{"type":"Feature","geometry":${g},"properties":${p}}`) },
  { weight: 1, arbitrary: fc.constantFrom('null', '{}', '{"type":"Feature"}', '{"type":"Feature","geometry":{"type":"Point"}}', '[1,2]') },
);
const crsMember = fc.constantFrom('', ',"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5514"}}', ',"crs":{"type":"name","properties":{"name":"EPSG:99999"}}', ',"crs":null', ',"crs":"4326"');
const geojsonText = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.array(feature, { maxLength: 8 }), crsMember).map(([f, c]) => `{"type":"FeatureCollection"${c},"features":[${f.join(',')}]}`) },
  { weight: 1, arbitrary: geometry },
  { weight: 1, arbitrary: feature },
  // truncated or not JSON at all
  { weight: 1, arbitrary: fc.tuple(fc.array(feature, { minLength: 1, maxLength: 4 }), fc.nat()).map(([f, cut]) => { const t = `{"type":"FeatureCollection","features":[${f.join(',')}]}`; return t.slice(0, cut % t.length); }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

// ---- CityJSON ----
const vertex = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: 0, max: 5000 })).map((v) => `[${v.join(',')}]`) },
  { weight: 1, arbitrary: fc.tuple(badNumber, badNumber).map(([a, b]) => `[${a},${b},0]`) },
  { weight: 1, arbitrary: fc.constantFrom('[]', '[1,2]', 'null', '"v"') },
);
const surface = fc.array(fc.array(fc.integer({ min: -2, max: 14 }), { minLength: 0, maxLength: 6 }), { minLength: 0, maxLength: 2 }).map((r) => JSON.stringify(r));
const cityObject = fc.tuple(fc.array(surface, { maxLength: 6 }), fc.constantFrom('Solid', 'MultiSurface', 'CompositeSurface', 'Nonsense', 'Solid')).map(
  ([s, type]) => `{"type":"Building","attributes":{"measuredHeight":12},"geometry":[{"type":"${type}","lod":"2","boundaries":${type === 'Solid' ? `[[${s.join(',')}]]` : `[${s.join(',')}]`}}]}`,
);
const cityjsonText = fc.tuple(
  fc.array(vertex, { maxLength: 12 }),
  fc.array(cityObject, { maxLength: 4 }),
  fc.constantFrom('"transform":{"scale":[0.001,0.001,0.001],"translate":[700000,5430000,300]},', '"transform":{"scale":[0,"a"]},', '', '"transform":null,'),
  fc.constantFrom('https://www.opengis.net/def/crs/EPSG/0/25832', 'urn:ogc:def:crs:EPSG::5514', 'EPSG:4326', '', 'https://www.opengis.net/def/crs/EPSG/0/1'),
).map(([v, objs, transform, crs]) => `{"type":"CityJSON","version":"2.0",${transform}"metadata":{"referenceSystem":"${crs}"},"CityObjects":{${objs.map((o, i) => `"b${i}":${o}`).join(',')}},"vertices":[${v.join(',')}]}`);

// ---- CSV ----
const junk = fc.constantFrom('', ' ', '""', 'NaN', '-', 'n/a', '1e999', '"multi\nline"', '"quote ""x"""');
/** A number cell: dot or decimal comma (quoted when the separator is a comma, as spreadsheets write it). */
const numberCell = (min: number, max: number, sep: string) =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 999_999 }), fc.boolean()).map(([a, b, comma]) => (comma ? (sep === ',' ? `"${a},${b}"` : `${a},${b}`) : `${a}.${b}`));
const maybeJunk = (cell: fc.Arbitrary<string>) => fc.oneof({ weight: 7, arbitrary: cell }, { weight: 1, arbitrary: junk });
const csvText = fc
  .tuple(fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), fc.boolean(), fc.constantFrom('lonlat', 'latlon', 'xy', 'none'))
  .chain(([sep, eol, bom, mixEol, layout]) => {
    const header = { lonlat: ['lon', 'lat', 'name'], latlon: ['latitude', 'longitude', 'name'], xy: ['x', 'y', 'name'], none: ['a', 'b', 'c'] }[layout];
    const row = fc.tuple(maybeJunk(numberCell(12, 13, sep)), maybeJunk(numberCell(48, 50, sep)), maybeJunk(fc.string({ maxLength: 8 }).map((t) => JSON.stringify(t))));
    return fc.array(row, { maxLength: 12 }).map((rows) => {
      const lines = [header.join(sep), ...rows.map(([x, y, n]) => (layout === 'latlon' ? [y, x, n] : [x, y, n]).join(sep))];
      const text = mixEol ? lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('') : lines.join(eol);
      return `${bom ? '\uFEFF' : ''}${text}`;
    });
  });

describe('importer fuzzing (worker API code path)', () => {
  it(`GeoJSON: ${RUNS} broken files end in a layer or an ImportError`, async () => {
    Object.assign(tally, { ok: 0, error: 0, points: 0 });
    await fc.assert(fc.asyncProperty(geojsonText, async (t) => checkOutcome(await importText('fuzz.geojson', t))), { numRuns: RUNS });
    expect(tally.ok).toBeGreaterThan(RUNS * 0.2);
    expect(tally.error).toBeGreaterThan(RUNS * 0.05);
  });

  it(`CityJSON: ${RUNS} broken files end in a layer or an ImportError`, async () => {
    Object.assign(tally, { ok: 0, error: 0, points: 0 });
    await fc.assert(fc.asyncProperty(cityjsonText, async (t) => checkOutcome(await importText('fuzz.city.json', t, 25832))), { numRuns: RUNS });
    expect(tally.ok).toBeGreaterThan(RUNS * 0.1);
    expect(tally.error).toBeGreaterThan(RUNS * 0.05);
  });

  it(`CSV: ${RUNS} files with commas, semicolons, BOMs, empty cells and quoted newlines; never a point at 0,0`, async () => {
    Object.assign(tally, { ok: 0, error: 0, points: 0 });
    await fc.assert(
      fc.asyncProperty(csvText, async (t) => {
        const o = await importText('fuzz.csv', t);
        checkOutcome(o);
        // Every number written was a lon in 12–14 or a lat in 48–51: a point anywhere else was invented or swapped.
        if (o.ok) for (let i = 0; i < o.layer.points.xyz.length; i += 3) {
          expect(o.layer.points.xyz[i]).toBeGreaterThanOrEqual(12);
          expect(o.layer.points.xyz[i]).toBeLessThan(14);
          expect(o.layer.points.xyz[i + 1]).toBeGreaterThanOrEqual(48);
          expect(o.layer.points.xyz[i + 1]).toBeLessThan(51);
        }
      }),
      { numRuns: RUNS },
    );
    expect(tally.ok).toBeGreaterThan(RUNS * 0.2);
    expect(tally.points).toBeGreaterThan(RUNS);
  });
});
