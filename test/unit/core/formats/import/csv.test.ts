import { describe, expect, it } from 'vitest';
import { toEllipsoidalHeightM } from '../../../../../core/geo/heights';
import { chooseDelimiter, parseNumeral, uniformNewlines } from '../../../../../core/formats/import/csv';
import { convertFile, inspectFile } from '../../../../../core/formats/import/import';
import { at, bytesOf, control, fixture, GEOID, metresBetween } from './helpers';

const noYield = { yieldBetweenChunks: () => Promise.resolve() };

describe('CSV cells', () => {
  it('reads decimal commas only where the comma is not the delimiter, digit groups and the Unicode minus', () => {
    expect(parseNumeral('49,7477', true)).toBe(49.7477);
    expect(parseNumeral('49,7477', false)).toBeNaN();
    expect(parseNumeral(' -822 402,42 ', true)).toBe(-822402.42);
    expect(parseNumeral('\u2212822402.42', false)).toBe(-822402.42);
    expect(parseNumeral('1.5e3', false)).toBe(1500);
    for (const bad of ['', '  ', 'abc', '0x10', 'Infinity', '1,2,3', '49°44′']) expect(parseNumeral(bad, true)).toBeNaN();
  });

  it('chooses the delimiter that makes a consistent table, even with decimal commas', () => {
    expect(chooseDelimiter('a;b;c\n1,5;2,5;x\n3,5;4,5;y\n')).toBe(';');
    expect(chooseDelimiter('a,b,c\n1.5,2.5,"x;y"\n')).toBe(',');
    expect(chooseDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(chooseDelimiter('one column\nonly\n')).toBeNull();
    expect(uniformNewlines('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });
});

describe('Czech CSV in S-JTSK (semicolons, decimal commas, Y/X columns, Bpv heights)', () => {
  const file = { fileName: 'sjtsk-plzen.csv', bytes: fixture('sjtsk-plzen.csv') };

  it('inspect: 5514 from the values, read Y before X (the Czech convention, an info)', async () => {
    const r = await inspectFile(file);
    expect(r).toMatchObject({ format: 'csv', delimiter: ';', featureCount: 3, featureCountEstimated: false, hasHeights: true });
    expect(r.columns).toEqual(['název', 'Y', 'X', 'výška', 'druh', 'počet míst']);
    expect(r.crsCandidates).toHaveLength(1);
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 5514, swapAxes: true, source: 'range', verticalDatum: 'Bpv', columns: { x: 'X', y: 'Y', z: 'výška' } });
    expect(r.problems.find((p) => p.code === 'axes-swapped')).toMatchObject({ severity: 'info' });
  });

  it('convert: every point within 1 cm of the control point, Bpv heights made ellipsoidal, columns typed', async () => {
    const r = await inspectFile(file);
    const c = r.crsCandidates[0]!;
    const out = await convertFile({ ...file, bytes: fixture('sjtsk-plzen.csv') }, c, { geoid: GEOID }, noYield);
    expect(out.problemCount).toBe(0);
    expect(out.counts).toMatchObject({ features: 3, points: 3, skippedFeatures: 0 });
    expect(out.heights).toEqual({ mode: 'ellipsoidal', sourceDatum: 'Bpv' });
    const bpv = [310.5, 445.2, 398];
    ['Plzeň', 'Cheb', 'Furth'].forEach((name, i) => {
      const cp = control(name);
      const [lon, lat, h] = at(out.points.xyz, i);
      expect(metresBetween(lon, lat, cp.lonDeg, cp.latDeg)).toBeLessThan(0.01);
      expect(h).toBeCloseTo(toEllipsoidalHeightM('Bpv', bpv[i]!, cp.lonDeg, cp.latDeg, GEOID), 3);
    });
    expect(Array.from(out.featureSource)).toEqual([2, 3, 4]);
    expect(out.properties.names).toEqual(['název', 'druh', 'počet míst']);
    expect(out.properties.columns[0]).toEqual(['Plzeň, náměstí Republiky', 'Cheb, náměstí Krále Jiřího z Poděbrad', 'Folmava, hraniční přechod']);
    expect(Array.from(out.properties.columns[2] as Float64Array)).toEqual([120, NaN, 35]);
    expect(out.outsideAreaOfUse).toBe(0);
    expect(out.bbox![0]).toBeCloseTo(12.3739, 6);
    expect(out.source).toEqual({ epsg: 5514, swapAxes: true, verticalDatum: 'Bpv', columns: { x: 'X', y: 'Y', z: 'výška' } });
  });

  it('the same places as positive south/west values (Y, X in EPSG:5513) land in the same spots', async () => {
    const rows = ['Plzeň', 'Cheb', 'Furth'].map((n) => {
      const p = control(n).projected['EPSG:5514']!;
      return `${n};${(-p.e).toFixed(3).replace('.', ',')};${(-p.n).toFixed(3).replace('.', ',')}`;
    });
    const bytes = bytesOf(`name;Y;X\n${rows.join('\n')}\n`);
    const r = await inspectFile({ fileName: 'krovak.csv', bytes });
    expect(r.crsCandidates[0]).toMatchObject({ epsg: 5513, swapAxes: false });
    const out = await convertFile({ fileName: 'krovak.csv', bytes }, r.crsCandidates[0]!, { geoid: null }, noYield);
    expect(out.heights).toEqual({ mode: 'ground' });
    ['Plzeň', 'Cheb', 'Furth'].forEach((n, i) => {
      const [lon, lat, h] = at(out.points.xyz, i);
      expect(metresBetween(lon, lat, control(n).lonDeg, control(n).latDeg)).toBeLessThan(0.01);
      expect(h).toBe(0);
    });
  });
});

describe('CSV problems carry 1-based line numbers; nothing is placed at 0,0', () => {
  it('empty and non-numeric cells, 0,0 and a blank line', async () => {
    const out = await convertFile({ fileName: 'empty-cells.csv', bytes: fixture('empty-cells.csv') }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'empty-cell'],
      [4, 'empty-cell'],
      [5, 'not-a-number'],
      [6, 'zero-coordinates'],
    ]);
    expect(out.problems[0]!.message).toBe('the "lon" cell is empty; row skipped');
    expect(out.problems[2]!.message).toBe('"abc" in column "lon" is not a number; row skipped');
    expect(out.counts).toMatchObject({ features: 2, skippedFeatures: 4 });
    expect(Array.from(out.featureSource)).toEqual([2, 8]);
    for (let i = 0; i < out.counts.points; i++) {
      const [lon, lat] = at(out.points.xyz, i);
      expect(Math.abs(lon) + Math.abs(lat)).toBeGreaterThan(1);
    }
    expect(Array.from(out.properties.columns[0] as Float64Array)).toEqual([1, 6]);
    expect(out.properties.columns[1]).toEqual(['ok', 'after a blank line']);
  });

  it('BOM, tab delimiter, CRLF mixed with LF and a quoted line break', async () => {
    const file = { fileName: 'bom-crlf-quoted.csv', bytes: fixture('bom-crlf-quoted.csv') };
    const r = await inspectFile(file);
    expect(r.delimiter).toBe('\t');
    expect(r.columns).toEqual(['name', 'longitude', 'latitude', 'description']);
    const out = await convertFile(file, r.crsCandidates[0]!, { geoid: null }, noYield);
    expect(out.problems.map((p) => [p.line, p.code])).toEqual([[5, 'empty-cell']]);
    expect(Array.from(out.featureSource)).toEqual([2, 4, 6]);
    expect(out.properties.columns[0]).toEqual(['Plzeň', 'Cheb', 'Folmava']);
    expect(out.properties.columns[1]).toEqual(['first line\nsecond line', 'plain', 'a "quoted" word']);
    expect(metresBetween(...(at(out.points.xyz, 1).slice(0, 2) as [number, number]), 12.3739, 50.0796)).toBeLessThan(0.001);
  });

  it('no coordinate columns: inspect names the columns found, convert rejects with the same', async () => {
    const file = { fileName: 'no-coordinates.csv', bytes: fixture('no-coordinates.csv') };
    const r = await inspectFile(file);
    expect(r.format).toBe('csv');
    expect(r.crsCandidates).toEqual([]);
    expect(r.problems[0]).toMatchObject({ code: 'no-coordinate-columns', severity: 'error', line: 1 });
    expect(r.problems[0]!.message).toMatch(/found "name", "street", "city"/);
    await expect(convertFile(file, { epsg: 4326 }, { geoid: null }, noYield)).rejects.toMatchObject({ name: 'ImportError', message: expect.stringMatching(/no coordinate columns: found "name", "street", "city"/) });
  });

  it('a wrong CRS choice puts nothing in Africa: points outside Europe are counted and reported, not placed', async () => {
    const out = await convertFile({ fileName: 'sjtsk-plzen.csv', bytes: fixture('sjtsk-plzen.csv') }, { epsg: 25832, columns: { x: 'Y', y: 'X', z: null } }, { geoid: null }, noYield);
    expect(out.counts.features).toBe(0);
    expect(out.outsideEurope).toBe(3);
    expect(out.problems.map((p) => p.code)).toEqual(['outside-europe', 'no-features', 'outside-europe', 'outside-europe', 'outside-europe']);
    expect(out.problems[2]!.line).toBe(2);
    expect(out.bbox).toBeNull();
  });

  it('windows-1250 text (a legacy Czech export) is read, with a note', async () => {
    const bytes = Uint8Array.of(...new TextEncoder().encode('n\u00e1zev;lon;lat\n'), 0x50, 0x6c, 0x7a, 0x65, 0xf2, ...new TextEncoder().encode(';13,3775;49,7477\n'));
    const out = await convertFile({ fileName: 'a.csv', bytes: bytes.buffer }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.properties.columns[0]).toEqual(['Plzeň']);
    expect(out.problems[0]).toMatchObject({ code: 'encoding', severity: 'warning' });
  });

  it('keeps at most 100 problems and counts the rest', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${i},,49.5`).join('\n');
    const out = await convertFile({ fileName: 'a.csv', bytes: bytesOf(`id,lon,lat\n${rows}\n`) }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(out.problems).toHaveLength(100);
    expect(out.problemCount).toBe(251); // 250 rows and the "none placed" summary
    expect(out.problems[0]!.code).toBe('no-features');
    expect(out.problems[99]!.line).toBe(100);
  });
});

describe('CSV in chunks', () => {
  it('large files: progress per chunk, the same result as one chunk, and a row count estimate in inspect', async () => {
    const n = 20_000;
    const lines = ['id;lon;lat;name'];
    for (let i = 0; i < n; i++) lines.push(`${i};${(12 + (i % 100) * 0.01).toFixed(4).replace('.', ',')};${(49 + Math.floor(i / 100) * 0.001).toFixed(4).replace('.', ',')};p${i}`);
    const bytes = bytesOf(lines.join('\n'));
    const progress: number[] = [];
    const chunked = await convertFile({ fileName: 'big.csv', bytes }, { epsg: 4326 }, { geoid: null }, { ...noYield, chunkChars: 32 * 1024, onProgress: (f) => progress.push(f) });
    const whole = await convertFile({ fileName: 'big.csv', bytes }, { epsg: 4326 }, { geoid: null }, noYield);
    expect(chunked.counts.features).toBe(n);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.toSorted((a, b) => a - b)).toEqual(progress);
    expect(progress.at(-1)).toBe(1);
    expect(Array.from(chunked.points.xyz)).toEqual(Array.from(whole.points.xyz));
    expect(chunked.properties).toEqual(whole.properties);
    expect(Array.from(chunked.featureSource.subarray(-2))).toEqual([n, n + 1]);
    const info = await inspectFile({ fileName: 'big.csv', bytes });
    expect(info.featureCountEstimated).toBe(true);
    // extrapolated from the first 2000 rows, whose ids are shorter than the later ones
    expect(Math.abs(info.featureCount - n) / n).toBeLessThan(0.1);
  });

  it('a cancel lands between chunks', async () => {
    const lines = ['lon,lat'];
    for (let i = 0; i < 20_000; i++) lines.push(`13.${i},49.5`);
    let chunks = 0;
    const job = convertFile({ fileName: 'a.csv', bytes: bytesOf(lines.join('\n')) }, { epsg: 4326 }, { geoid: null }, {
      chunkChars: 8 * 1024,
      onProgress: () => chunks++,
      isCancelled: () => chunks >= 3,
    });
    await expect(job).rejects.toMatchObject({ name: 'JobCancelled' });
    expect(chunks).toBe(3);
  });
});
