import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { coordBuffer } from '../../../../core/geo/buffers';
import { converter, registerBeta2007 } from '../../../../core/geo/crs';
import { WGS84_A, WGS84_F } from '../../../../core/geo/ellipsoid';
import { toEllipsoidalHeightM } from '../../../../core/geo/heights';
import { DEFAULT_CHUNK_POINTS, JobCancelledError, reprojectBuffer, toEcef } from '../../../../core/reproject/reproject';
import { GEOID, TOWNS, metresBetween } from './fixtures';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const gsbPath = [path.resolve(repoRoot, '../shared/data/geodesy/BETA2007.gsb'), path.resolve(repoRoot, 'tilesets/geodesy/BETA2007.gsb')].find((p) => existsSync(p));

const noYield = { yieldBetweenChunks: () => Promise.resolve() };

describe('reprojectBuffer: control points', () => {
  it('EPSG:25832 720000/5432000 -> lon 12.008117 lat 49.001652', async () => {
    const r = await reprojectBuffer(coordBuffer(25832, 'DHHN2016', new Float64Array([720000, 5432000, 412.5])), 4326);
    expect(r.failed).toBe(0);
    expect(r.outsideArea).toBe(0);
    expect(r.buffer.epsg).toBe(4326);
    expect(r.buffer.verticalDatum).toBe('DHHN2016');
    expect(r.buffer.xyz[0]).toBeCloseTo(12.008117, 6);
    expect(r.buffer.xyz[1]).toBeCloseTo(49.001652, 6);
    expect(r.buffer.xyz[2]).toBe(412.5);
  });

  it('S-JTSK (5514) <-> WGS84 round trips within 3 mm', async () => {
    const lonLat = new Float64Array(TOWNS.flatMap(([, lon, lat]) => [lon, lat, 300]));
    const krovak = await reprojectBuffer(coordBuffer(4326, 'Bpv', lonLat), 5514);
    expect(krovak.failed).toBe(0);
    // Krovak East North: both coordinates negative in Czechia
    expect(krovak.buffer.xyz[0]).toBeLessThan(-800_000);
    expect(krovak.buffer.xyz[1]).toBeLessThan(-1_000_000);
    const back = await reprojectBuffer(krovak.buffer, 4326);
    for (let p = 0; p < TOWNS.length; p++) {
      expect(metresBetween(lonLat[p * 3]!, lonLat[p * 3 + 1]!, back.buffer.xyz[p * 3]!, back.buffer.xyz[p * 3 + 1]!)).toBeLessThan(0.003);
      expect(back.buffer.xyz[p * 3 + 2]).toBe(300);
    }
    const again = await reprojectBuffer(back.buffer, 5514);
    for (let i = 0; i < krovak.buffer.xyz.length; i += 3) {
      expect(Math.hypot(again.buffer.xyz[i]! - krovak.buffer.xyz[i]!, again.buffer.xyz[i + 1]! - krovak.buffer.xyz[i + 1]!)).toBeLessThan(0.003);
    }
  });

  it('matches the cached proj4 converter for a direct pair (25833 -> 5514)', async () => {
    const input = coordBuffer(25833, 'DHHN2016', new Float64Array([330000, 5550000, 0, 380000, 5520000, 0]));
    const r = await reprojectBuffer(input, 5514);
    const direct = converter(25833, 5514);
    for (let p = 0; p < 2; p++) {
      const [x, y] = direct.forward([input.xyz[p * 3]!, input.xyz[p * 3 + 1]!]);
      expect(Math.hypot(r.buffer.xyz[p * 3]! - x!, r.buffer.xyz[p * 3 + 1]! - y!)).toBeLessThan(0.001);
    }
  });

  it('same CRS copies x, y exactly', async () => {
    const xyz = new Float64Array([-868000.123, -1100000.456, 500]);
    const r = await reprojectBuffer(coordBuffer(5514, 'Bpv', xyz), 5514);
    expect(Array.from(r.buffer.xyz)).toEqual(Array.from(xyz));
  });
});

describe('reprojectBuffer: heights', () => {
  it('carries z by default and converts to ellipsoidal on request', async () => {
    const [, lon, lat] = TOWNS[0]!;
    const input = coordBuffer(4326, 'Bpv', new Float64Array([lon, lat, 350]));
    const carried = await reprojectBuffer(input, 4979);
    expect(carried.buffer.xyz[2]).toBe(350);
    expect(carried.buffer.verticalDatum).toBe('Bpv');
    const ell = await reprojectBuffer(input, 4979, { heights: 'ellipsoidal', geoid: GEOID });
    expect(ell.buffer.verticalDatum).toBe('ellipsoidal');
    expect(ell.buffer.xyz[2]).toBeCloseTo(toEllipsoidalHeightM('Bpv', 350, lon, lat, GEOID), 9);
    // about 47 m of undulation plus the ~0.1 m Bpv -> DHHN2016 offset
    expect(ell.buffer.xyz[2]! - 350).toBeGreaterThan(46.5);
    expect(ell.buffer.xyz[2]! - 350).toBeLessThan(47.5);
  });

  it('rejects when ellipsoidal heights are asked for without a geoid', async () => {
    await expect(reprojectBuffer(coordBuffer(4326, 'DHHN2016', new Float64Array([12, 49, 0])), 4326, { heights: 'ellipsoidal' })).rejects.toThrow(/geoid/);
  });

  it('counts a point outside the geoid grid as failed instead of throwing', async () => {
    const input = coordBuffer(4326, 'DHHN2016', new Float64Array([12, 49, 400, 20, 49, 400, 13, 50, 400]));
    const r = await reprojectBuffer(input, 4326, { heights: 'ellipsoidal', geoid: GEOID });
    expect(r.failed).toBe(1);
    expect(r.firstFailed).toBe(1);
    expect(Number.isNaN(r.buffer.xyz[3]!)).toBe(true);
    expect(r.buffer.xyz[8]).toBeCloseTo(400 + 46.5 + 0.3 + 0.15, 5); // the grid holds float32
  });
});

describe('reprojectBuffer: failures and area of use', () => {
  it('NaN inputs fail alone, as NaN, and are counted', async () => {
    const input = coordBuffer(25832, 'DHHN2016', new Float64Array([720000, 5432000, 1, NaN, 5432000, 2, 700000, 5430000, 3]));
    const r = await reprojectBuffer(input, 4326);
    expect(r.failed).toBe(1);
    expect(r.firstFailed).toBe(1);
    expect(r.buffer.xyz.slice(3, 6).every(Number.isNaN)).toBe(true);
    expect(r.buffer.xyz[0]).toBeCloseTo(12.008117, 6);
    expect(r.buffer.xyz[8]).toBe(3);
  });

  it("counts points outside the CRS's area of use; 'fail' turns them into failures", async () => {
    // Aachen (6.08 E) in UTM 33 lies 9° west of its central meridian: beyond the zone and its exact margin.
    const [x, y] = converter(4326, 25833).forward([6.08, 50.78]);
    const input = coordBuffer(25833, 'DHHN2016', new Float64Array([x!, y!, 520, 400000, 5500000, 500]));
    const kept = await reprojectBuffer(input, 4326);
    expect(kept.outsideArea).toBe(1);
    expect(kept.failed).toBe(0);
    expect(kept.buffer.xyz[0]).toBeCloseTo(6.08, 8);
    const failed = await reprojectBuffer(input, 4326, { outsideArea: 'fail' });
    expect(failed.outsideArea).toBe(1);
    expect(failed.failed).toBe(1);
    expect(failed.firstFailed).toBe(0);
    expect(Number.isNaN(failed.buffer.xyz[0]!)).toBe(true);
    expect(Number.isFinite(failed.buffer.xyz[3]!)).toBe(true);
  });

  it('checks the target area too', async () => {
    const r = await reprojectBuffer(coordBuffer(4326, 'ellipsoidal', new Float64Array([11.0, 49.0, 0])), 5514);
    expect(r.outsideArea).toBe(1);
  });

  it('rejects a buffer whose length is not a multiple of 3', async () => {
    await expect(reprojectBuffer({ epsg: 4326, verticalDatum: 'ellipsoidal', xyz: new Float64Array(4) }, 4326)).rejects.toThrow(/multiple of 3/);
  });
});

const grid = (n: number): Float64Array => {
  const xyz = new Float64Array(n * 3);
  for (let p = 0; p < n; p++) {
    xyz[p * 3] = 700000 + (p % 100) * 10;
    xyz[p * 3 + 1] = 5430000 + Math.floor(p / 100) * 10;
    xyz[p * 3 + 2] = p;
  }
  return xyz;
};

describe('chunking, progress, cancellation', () => {
  it('reports increasing progress per chunk, ending at 1, with the same result as one chunk', async () => {
    const input = coordBuffer(25832, 'DHHN2016', grid(10_500));
    const progress: number[] = [];
    let yields = 0;
    const chunked = await reprojectBuffer(input, 4326, {
      chunkPoints: 1000,
      onProgress: (f) => progress.push(f),
      yieldBetweenChunks: async () => {
        yields++;
      },
    });
    expect(progress).toHaveLength(11);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThan(progress[i - 1]!);
    expect(yields).toBe(10);
    const whole = await reprojectBuffer(input, 4326, { chunkPoints: 1_000_000 });
    expect(Array.from(chunked.buffer.xyz)).toEqual(Array.from(whole.buffer.xyz));
  });

  it('defaults to 65,536-point chunks', async () => {
    const progress: number[] = [];
    await reprojectBuffer(coordBuffer(25832, 'DHHN2016', grid(DEFAULT_CHUNK_POINTS + 1)), 25832, { onProgress: (f) => progress.push(f), ...noYield });
    expect(progress).toHaveLength(2);
  });

  it('stops between chunks once cancelled', async () => {
    const progress: number[] = [];
    const run = reprojectBuffer(coordBuffer(25832, 'DHHN2016', grid(10_000)), 4326, {
      chunkPoints: 1000,
      onProgress: (f) => progress.push(f),
      isCancelled: () => progress.length >= 3,
      ...noYield,
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    await expect(run).rejects.toMatchObject({ name: 'JobCancelled' });
    expect(progress).toEqual([0.1, 0.2, 0.3]);
  });

  it('reports 1 for an empty buffer', async () => {
    const progress: number[] = [];
    const r = await reprojectBuffer(coordBuffer(25832, 'DHHN2016', new Float64Array(0)), 4326, { onProgress: (f) => progress.push(f) });
    expect(progress).toEqual([1]);
    expect(r.buffer.xyz).toHaveLength(0);
  });

  it('writes in place when asked', async () => {
    const xyz = grid(10);
    const r = await reprojectBuffer(coordBuffer(25832, 'DHHN2016', xyz), 4326, { inPlace: true });
    expect(r.buffer.xyz).toBe(xyz);
    expect(xyz[0]).toBeLessThan(20);
  });
});

describe('toEcef', () => {
  const geocent = proj4('+proj=longlat +datum=WGS84 +no_defs', '+proj=geocent +datum=WGS84 +units=m +no_defs');

  it('puts the equator/prime meridian and the pole where they belong', async () => {
    const r = await toEcef(coordBuffer(4979, 'ellipsoidal', new Float64Array([0, 0, 0, 90, 0, 100, 0, 90, 0])), null);
    const b = WGS84_A * (1 - WGS84_F);
    const e = r.buffer.xyz;
    expect(r.buffer.epsg).toBe(4978);
    expect([e[0], e[1], e[2]]).toEqual([WGS84_A, 0, 0]);
    expect(e[3]).toBeCloseTo(0, 6);
    expect(e[4]).toBeCloseTo(WGS84_A + 100, 6);
    expect(e[8]).toBeCloseTo(b, 6);
    expect(b).toBeCloseTo(6356752.314245, 5);
  });

  it('agrees with proj4 geocent in the region to 1 mm', async () => {
    const lonLatH = TOWNS.flatMap(([, lon, lat], i) => [lon, lat, 200 + 300 * i]);
    const r = await toEcef(coordBuffer(4326, 'ellipsoidal', new Float64Array(lonLatH)), null);
    for (let p = 0; p < TOWNS.length; p++) {
      const ref = geocent.forward([lonLatH[p * 3]!, lonLatH[p * 3 + 1]!, lonLatH[p * 3 + 2]!]);
      const d = Math.hypot(r.buffer.xyz[p * 3]! - ref[0]!, r.buffer.xyz[p * 3 + 1]! - ref[1]!, r.buffer.xyz[p * 3 + 2]! - ref[2]!);
      expect(d).toBeLessThan(0.001);
    }
  });

  it('goes through the geoid for normal heights and needs it', async () => {
    const input = coordBuffer(4326, 'DHHN2016', new Float64Array([12.5, 49.5, 400]));
    await expect(toEcef(input, null)).rejects.toThrow(/geoid/);
    const r = await toEcef(input, GEOID);
    const ref = await toEcef(coordBuffer(4326, 'ellipsoidal', new Float64Array([12.5, 49.5, toEllipsoidalHeightM('DHHN2016', 400, 12.5, 49.5, GEOID)])), null);
    expect(Array.from(r.buffer.xyz)).toEqual(Array.from(ref.buffer.xyz));
  });

  it('from Krovak lands on the same ECEF point as from lon/lat, and flags failures as NaN', async () => {
    const [, lon, lat] = TOWNS[1]!;
    const [x, y] = converter(4326, 5514).forward([lon, lat]);
    const r = await toEcef(coordBuffer(5514, 'ellipsoidal', new Float64Array([x!, y!, 450, Infinity, 0, 0])), null, { chunkPoints: 1 });
    const ref = geocent.forward([lon, lat, 450]);
    expect(Math.hypot(r.buffer.xyz[0]! - ref[0]!, r.buffer.xyz[1]! - ref[1]!, r.buffer.xyz[2]! - ref[2]!)).toBeLessThan(0.003);
    expect(r.failed).toBe(1);
    expect(r.buffer.xyz.slice(3).every(Number.isNaN)).toBe(true);
  });
});

describe('DHDN (31468) with BETA2007', () => {
  it('rejects before the grid is registered, naming the grid', async () => {
    await expect(reprojectBuffer(coordBuffer(31468, 'DHHN2016', new Float64Array([4500000, 5500000, 0])), 4326)).rejects.toThrow(/BETA2007/);
  });

  it.skipIf(!gsbPath)(`round trips within 3 mm and agrees with the national 7-parameter shift to 3 m${gsbPath ? '' : ' (skipped: BETA2007.gsb is neither in ../shared/data/geodesy nor in tilesets/geodesy)'}`, async () => {
    const gsb = readFileSync(gsbPath!);
    registerBeta2007(gsb.buffer.slice(gsb.byteOffset, gsb.byteOffset + gsb.byteLength) as ArrayBuffer);
    // Waldsassen and Furth im Wald, both inside GK zone 4's area of use
    const lonLat = new Float64Array([12.31, 50.0, 480, 12.85, 49.31, 410]);
    const gk = await reprojectBuffer(coordBuffer(4326, 'DHHN2016', lonLat), 31468);
    expect(gk.failed).toBe(0);
    expect(gk.outsideArea).toBe(0);
    const back = await reprojectBuffer(gk.buffer, 4326);
    const sevenParam = proj4(
      '+proj=longlat +datum=WGS84 +no_defs',
      '+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=4500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs',
    );
    const noShift = proj4('+proj=longlat +datum=WGS84 +no_defs', '+proj=tmerc +lat_0=0 +lon_0=12 +k=1 +x_0=4500000 +y_0=0 +ellps=bessel +units=m +no_defs');
    for (let p = 0; p < 2; p++) {
      const lon = lonLat[p * 3]!;
      const lat = lonLat[p * 3 + 1]!;
      expect(metresBetween(lon, lat, back.buffer.xyz[p * 3]!, back.buffer.xyz[p * 3 + 1]!)).toBeLessThan(0.003);
      const gx = gk.buffer.xyz[p * 3]!;
      const gy = gk.buffer.xyz[p * 3 + 1]!;
      const [sx, sy] = sevenParam.forward([lon, lat]);
      expect(Math.hypot(gx - sx!, gy - sy!)).toBeLessThan(3);
      // the grid really was applied: without a datum shift the position is ~100 m off
      const [nx, ny] = noShift.forward([lon, lat]);
      expect(Math.hypot(gx - nx!, gy - ny!)).toBeGreaterThan(50);
    }
  });
});
