/**
 * `toEcef`'s Helmert fast path (S-JTSK) against the generic path through proj4's WGS84 lon/lat: same points,
 * same failures, same counts. Heights are random because they decide where the point ends up along the normal.
 */
import { describe, expect, it } from 'vitest';
import { coordBuffer } from '../../../../core/geo/buffers';
import { converter, type Epsg, helmertDatum, inverseToSourceGeodetic } from '../../../../core/geo/crs';
import { toEcef, type ToEcefResult } from '../../../../core/reproject/reproject';
import { GEOID, metresBetween } from './fixtures';
import { prng } from '../../../../core/prng';


const N = 10_000;
/** Random points over western Czechia and the Bavarian side (inside the geoid fixture), heights -100..1,600 m. */
function randomPoints(epsg: Epsg, seed: number): Float64Array {
  const rand = prng(seed);
  const c = converter(4326, epsg);
  const xyz = new Float64Array(N * 3);
  for (let p = 0; p < N; p++) {
    const [x, y] = c.forward([11.8 + 3 * rand(), 48.3 + 2.6 * rand()]);
    xyz[p * 3] = x!;
    xyz[p * 3 + 1] = y!;
    xyz[p * 3 + 2] = -100 + 1700 * rand();
  }
  return xyz;
}

const noYield = { yieldBetweenChunks: () => Promise.resolve(), chunkPoints: 4096 };

function maxDistanceM(a: ToEcefResult, b: ToEcefResult): number {
  let max = 0;
  for (let i = 0; i < a.buffer.xyz.length; i += 3) {
    const d = Math.hypot(a.buffer.xyz[i]! - b.buffer.xyz[i]!, a.buffer.xyz[i + 1]! - b.buffer.xyz[i + 1]!, a.buffer.xyz[i + 2]! - b.buffer.xyz[i + 2]!);
    if (Number.isNaN(d)) {
      // a failed point must have failed on both paths
      expect([a.buffer.xyz[i], b.buffer.xyz[i]]).toEqual([NaN, NaN]);
      continue;
    }
    max = Math.max(max, d);
  }
  return max;
}

describe('toEcef: Helmert fast path = generic path', () => {
  it('knows which CRSs are on a Helmert datum', () => {
    expect(helmertDatum(5514)?.name).toBe('S-JTSK');
    expect(helmertDatum(5513)?.name).toBe('S-JTSK');
    expect(helmertDatum(25833)).toBeNull();
    expect(helmertDatum(31468)).toBeNull(); // a grid, not a Helmert
    expect(() => inverseToSourceGeodetic(25833)).toThrow(/Helmert/);
  });

  it('the first step lands on Bessel lon/lat, not WGS84 lon/lat (the datum shift is 60–120 m here)', () => {
    const [x, y] = converter(4326, 5514).forward([13.3775, 49.7477]);
    const [lonB, latB] = inverseToSourceGeodetic(5514).forward([x!, y!]);
    const shift = metresBetween(13.3775, 49.7477, lonB!, latB!);
    expect(shift).toBeGreaterThan(60);
    expect(shift).toBeLessThan(120);
    // and its inverse projects back
    const [x2, y2] = inverseToSourceGeodetic(5514).inverse([lonB!, latB!]);
    expect(Math.hypot(x2! - x!, y2! - y!)).toBeLessThan(1e-6);
  });

  for (const [epsg, datum] of [[5514, 'ellipsoidal'], [5514, 'Bpv'], [5513, 'Bpv']] as const) {
    it(`EPSG:${epsg} with ${datum} heights: ${N} random points within 1 mm, same failures and counts`, async () => {
      const xyz = randomPoints(epsg, epsg * 7 + datum.length);
      // Points that must fail the same way on both paths: a non-finite coordinate, a non-finite height.
      xyz.set([NaN, 0, 300], 0);
      xyz.set([-800_000, -1_100_000, Infinity], 3);
      const generic = await toEcef(coordBuffer(epsg, datum, xyz.slice()), GEOID, { ...noYield, path: 'generic' });
      const fast = await toEcef(coordBuffer(epsg, datum, xyz.slice()), GEOID, noYield);
      expect(fast.failed).toBe(generic.failed);
      expect(fast.firstFailed).toBe(generic.firstFailed);
      expect(fast.outsideArea).toBe(generic.outsideArea);
      expect(generic.failed).toBeGreaterThanOrEqual(2);
      expect(generic.outsideArea).toBeGreaterThan(0); // the sample reaches past S-JTSK's area of use
      expect(maxDistanceM(fast, generic)).toBeLessThan(0.001);
    });
  }

  it("fails points outside the area of use exactly where the generic path does with outsideArea: 'fail'", async () => {
    const xyz = randomPoints(5514, 99);
    const generic = await toEcef(coordBuffer(5514, 'ellipsoidal', xyz.slice()), null, { ...noYield, path: 'generic', outsideArea: 'fail' });
    const fast = await toEcef(coordBuffer(5514, 'ellipsoidal', xyz.slice()), null, { ...noYield, outsideArea: 'fail' });
    expect(fast.failed).toBe(generic.failed);
    expect(fast.failed).toBe(fast.outsideArea);
    expect(fast.failed).toBeGreaterThan(0);
    expect(maxDistanceM(fast, generic)).toBeLessThan(0.001);
  });

  it('writes in place when asked, like the generic path', async () => {
    const xyz = randomPoints(5514, 7).subarray(0, 300);
    const expected = await toEcef(coordBuffer(5514, 'ellipsoidal', xyz.slice()), null, noYield);
    const r = await toEcef(coordBuffer(5514, 'ellipsoidal', xyz), null, { ...noYield, inPlace: true });
    expect(r.buffer.xyz).toBe(xyz);
    expect(Array.from(xyz)).toEqual(Array.from(expected.buffer.xyz));
  });
});
