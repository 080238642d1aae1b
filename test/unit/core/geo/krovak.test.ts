/**
 * The typed-array Křovák against proj4's own `krovak` (the converter the reprojection worker used before), both
 * directions, on seeded random points over Czechia, the Bavarian side and beyond (lon 11.8–18.9°, lat
 * 48.5–51.1°, Bessel lon/lat): within 0.1 mm, and round trips within 0.1 mm.
 */
import { describe, expect, it } from 'vitest';
import { BESSEL_1841, crsInfo, type Epsg, inverseToSourceGeodetic } from '../../../../core/geo/crs';
import { krovakForwardRange, krovakInverseRange, krovakParamsFromProj4, krovakPlan, type KrovakPlan } from '../../../../core/geo/krovak';
import { prng } from '../../../../core/prng';

const N = 12_000;
const DEG = Math.PI / 180;
const TOLERANCE_M = 1e-4;

const planFor = (epsg: Epsg): KrovakPlan => krovakPlan(krovakParamsFromProj4(crsInfo(epsg).proj4, BESSEL_1841)!);

/** Seeded Bessel lon/lat, radians, stride 2. */
function randomLonLat(seed: number, n = N, lon: [number, number] = [11.8, 18.9], lat: [number, number] = [48.5, 51.1]): Float64Array {
  const rand = prng(seed);
  const ll = new Float64Array(n * 2);
  for (let p = 0; p < n; p++) {
    ll[p * 2] = (lon[0] + (lon[1] - lon[0]) * rand()) * DEG;
    ll[p * 2 + 1] = (lat[0] + (lat[1] - lat[0]) * rand()) * DEG;
  }
  return ll;
}

/** Ground distance between two nearby Bessel lon/lat points (radians), metres. */
function groundM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const f = 1 / BESSEL_1841.invF;
  const e2 = f * (2 - f);
  const w = 1 - e2 * Math.sin(lat1) ** 2;
  const meridian = (BESSEL_1841.a * (1 - e2)) / w ** 1.5;
  const normal = BESSEL_1841.a / Math.sqrt(w);
  return Math.hypot((lat2 - lat1) * meridian, (lon2 - lon1) * normal * Math.cos(lat1));
}

describe('krovakParamsFromProj4', () => {
  it('reads the registry definition of EPSG:5514 and 5513 (S-JTSK, Bessel 1841)', () => {
    const p = krovakParamsFromProj4(crsInfo(5514).proj4, BESSEL_1841)!;
    expect(p).toMatchObject({ latCentreDeg: 49.5, k: 0.9999, pseudoParallelDeg: 78.5, x0: 0, y0: 0, a: 6377397.155, invF: 299.1528128, axis: 'enu', czech: false });
    // 42°30' east of Ferro, Ferro 17°40' west of Greenwich
    expect(p.lonOriginDeg).toBeCloseTo(42.5 - (17 + 40 / 60), 12);
    expect(p.alphaDeg).toBeCloseTo(30 + 17 / 60 + 17.30311 / 3600, 9);
    expect(krovakParamsFromProj4(crsInfo(5513).proj4, BESSEL_1841)).toEqual({ ...p, axis: 'swu' });
  });

  it('is null for another projection and refuses an axis order it cannot place', () => {
    expect(krovakParamsFromProj4(crsInfo(25833).proj4, BESSEL_1841)).toBeNull();
    expect(() => krovakParamsFromProj4('+proj=krovak +axis=neu', BESSEL_1841)).not.toThrow();
    expect(() => krovakParamsFromProj4('+proj=krovak +axis=nsu', BESSEL_1841)).toThrow(/axis/);
    expect(() => krovakParamsFromProj4('+proj=krovak +k=x', BESSEL_1841)).toThrow(/\+k/);
  });
});

describe('Křovák typed-array loops = proj4 krovak', () => {
  for (const epsg of [5514, 5513] as const) {
    const proj = inverseToSourceGeodetic(epsg);
    const plan = planFor(epsg);

    it(`EPSG:${epsg} forward: ${N} points within 0.1 mm of proj4`, () => {
      const ll = randomLonLat(epsg);
      const xy = new Float64Array(N * 2);
      krovakForwardRange(plan, ll, 2, 0, N, xy, 2);
      let max = 0;
      for (let p = 0; p < N; p++) {
        const [x, y] = proj.inverse([ll[p * 2]! / DEG, ll[p * 2 + 1]! / DEG]);
        max = Math.max(max, Math.hypot(xy[p * 2]! - x!, xy[p * 2 + 1]! - y!));
      }
      expect(max).toBeLessThan(TOLERANCE_M);
    });

    it(`EPSG:${epsg} inverse: ${N} points within 0.1 mm of proj4`, () => {
      const ll = randomLonLat(epsg + 1);
      const xy = new Float64Array(N * 2);
      for (let p = 0; p < N; p++) xy.set(proj.inverse([ll[p * 2]! / DEG, ll[p * 2 + 1]! / DEG]), p * 2);
      const back = new Float64Array(N * 2);
      krovakInverseRange(plan, xy, 2, 0, N, back, 2);
      let max = 0;
      for (let p = 0; p < N; p++) {
        const [lon, lat] = proj.forward([xy[p * 2]!, xy[p * 2 + 1]!]);
        max = Math.max(max, groundM(lon! * DEG, lat! * DEG, back[p * 2]!, back[p * 2 + 1]!));
      }
      expect(max).toBeLessThan(TOLERANCE_M);
    });

    it(`EPSG:${epsg} round trips within 0.1 mm both ways`, () => {
      const ll = randomLonLat(epsg + 2);
      const xy = new Float64Array(N * 2);
      const ll2 = new Float64Array(N * 2);
      const xy2 = new Float64Array(N * 2);
      krovakForwardRange(plan, ll, 2, 0, N, xy, 2);
      krovakInverseRange(plan, xy, 2, 0, N, ll2, 2);
      krovakForwardRange(plan, ll2, 2, 0, N, xy2, 2);
      let ground = 0;
      let plane = 0;
      for (let p = 0; p < N; p++) {
        ground = Math.max(ground, groundM(ll[p * 2]!, ll[p * 2 + 1]!, ll2[p * 2]!, ll2[p * 2 + 1]!));
        plane = Math.max(plane, Math.hypot(xy2[p * 2]! - xy[p * 2]!, xy2[p * 2 + 1]! - xy[p * 2 + 1]!));
      }
      expect(ground).toBeLessThan(TOLERANCE_M);
      expect(plane).toBeLessThan(TOLERANCE_M);
    });
  }

  it('5513 is 5514 with both axes swapped and negated', () => {
    const ll = randomLonLat(7, 1000);
    const a = new Float64Array(2000);
    const b = new Float64Array(2000);
    krovakForwardRange(planFor(5514), ll, 2, 0, 1000, a, 2);
    krovakForwardRange(planFor(5513), ll, 2, 0, 1000, b, 2);
    for (let p = 0; p < 1000; p++) expect([b[p * 2], b[p * 2 + 1]]).toEqual([-a[p * 2 + 1]!, -a[p * 2]!]);
    expect(a[0]).toBeLessThan(0); // S-JTSK East North: both coordinates negative over Czechia
    expect(a[1]).toBeLessThan(0);
  });

  it('converges and agrees with proj4 far outside Czechia too (Europe, lat 35–70°)', () => {
    const proj = inverseToSourceGeodetic(5514);
    const plan = planFor(5514);
    const n = 2000;
    const ll = randomLonLat(11, n, [-10, 40], [35, 70]);
    const xy = new Float64Array(n * 2);
    krovakForwardRange(plan, ll, 2, 0, n, xy, 2);
    const back = new Float64Array(n * 2);
    krovakInverseRange(plan, xy, 2, 0, n, back, 2);
    let max = 0;
    for (let p = 0; p < n; p++) {
      const [lon, lat] = proj.forward([xy[p * 2]!, xy[p * 2 + 1]!]);
      max = Math.max(max, groundM(lon! * DEG, lat! * DEG, back[p * 2]!, back[p * 2 + 1]!));
    }
    expect(max).toBeLessThan(TOLERANCE_M);
  });

  it('works on a stride-3 range in place, leaves other slots alone and writes NaN for a non-finite input', () => {
    const plan = planFor(5514);
    const ll = randomLonLat(5, 4);
    const xyz = new Float64Array(4 * 3);
    for (let p = 0; p < 4; p++) xyz.set([ll[p * 2]!, ll[p * 2 + 1]!, 100 + p], p * 3);
    krovakForwardRange(plan, xyz, 3, 0, 4, xyz, 3);
    const projected = xyz.slice();
    xyz[3] = NaN;
    xyz[7] = Infinity;
    krovakInverseRange(plan, xyz, 3, 0, 3, xyz, 3); // the fourth point is outside the range
    expect(groundM(xyz[0]!, xyz[1]!, ll[0]!, ll[1]!)).toBeLessThan(TOLERANCE_M);
    expect([xyz[3], xyz[4], xyz[6], xyz[7]]).toEqual([NaN, NaN, NaN, NaN]);
    expect([xyz[2], xyz[5], xyz[8], xyz[11]]).toEqual([100, 101, 102, 103]);
    expect([xyz[9], xyz[10]]).toEqual([projected[9], projected[10]]);
  });
});
