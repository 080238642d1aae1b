/** The Helmert fast path of `toEcef` for a source on a Helmert datum (S-JTSK), see `helmertToEcefRange`. */
import { type Converter, crsInfo, type Epsg, helmertDatum, inverseToSourceGeodetic } from '../geo/crs';
import { WGS84_A, WGS84_F } from '../geo/ellipsoid';
import { krovakInverseRange, krovakParamsFromProj4, type KrovakPlan, krovakPlan } from '../geo/krovak';
import type { HeightFn, PointStats } from './options';

const DEG = Math.PI / 180;
const ARCSEC = DEG / 3600;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const WGS84_B = WGS84_A * (1 - WGS84_F);
const WGS84_EP2 = (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B);

/** The per-job constants of the Helmert fast path. */
export interface HelmertPlan {
  /** Projected source -> lon/lat degrees on the source ellipsoid. */
  toSourceGeodetic: Converter;
  /** The same inverse as a typed-array loop, for a Křovák source (S-JTSK); null for any other projection. */
  krovak: KrovakPlan | null;
  srcA: number;
  srcE2: number;
  /** Position-vector Helmert: translations m, rotations rad, scale factor (1 + ppm * 1e-6). */
  tx: number;
  ty: number;
  tz: number;
  rx: number;
  ry: number;
  rz: number;
  m: number;
  areas: Float64Array;
  failOutside: boolean;
  height: HeightFn;
}

export function helmertPlan(epsg: Epsg, areas: Float64Array, failOutside: boolean, height: HeightFn): HelmertPlan | null {
  const datum = helmertDatum(epsg);
  if (!datum) return null;
  const f = 1 / datum.ellipsoid.invF;
  const h = datum.toWgs84;
  const krovak = krovakParamsFromProj4(crsInfo(epsg).proj4, datum.ellipsoid);
  return {
    toSourceGeodetic: inverseToSourceGeodetic(epsg),
    krovak: krovak && krovakPlan(krovak),
    srcA: datum.ellipsoid.a,
    srcE2: f * (2 - f),
    tx: h.txM,
    ty: h.tyM,
    tz: h.tzM,
    rx: h.rxArcsec * ARCSEC,
    ry: h.ryArcsec * ARCSEC,
    rz: h.rzArcsec * ARCSEC,
    m: 1 + h.scalePpm * 1e-6,
    areas,
    failOutside,
    height,
  };
}

/**
 * The Helmert fast path of `toEcef`, points [start, end) of `src` into `out` (which may be `src`):
 * projection inverse to lon/lat on the source ellipsoid, to ECEF on that ellipsoid, the 7-parameter Helmert
 * in ECEF, then one closed-form (Bowring) step to WGS84 lon/lat, which the area test and the geoid need, and
 * the height applied along the WGS84 normal. This replaces proj4's iterative ECEF -> geodetic and the second
 * geodetic -> ECEF with a closed form on locals. For a Křovák source (5514, 5513) the projection inverse is
 * core/geo/krovak.ts's typed-array loop instead of proj4's per-point one, which was 70 % of the time of this
 * path (`npm run bench -- reproject`); both agree within a few micrometres.
 *
 * Same geometry as the generic path, on purpose: the Helmert acts on the point at Bessel height 0, as proj4
 * does for the generic path's 2D call, and the height is then taken along the WGS84 normal. (PROJ's 3D
 * convention would push the point's own height through the Helmert instead; that moves it 14 mm per km of
 * height, inside the S-JTSK accuracy bar but a change of results, not of speed.)
 */
// Long because it is one hot per-point loop on locals: per-point calls would cost the fast path its speed.
export function helmertToEcefRange(src: Float64Array, out: Float64Array, start: number, end: number, plan: HelmertPlan, stats: PointStats): void {
  const { toSourceGeodetic, krovak, srcA, srcE2, tx, ty, tz, rx, ry, rz, m, areas, failOutside, height } = plan;
  // Křovák: the whole range's Bessel lon/lat (radians) go into out's x, y slots first (z is left alone there);
  // a non-finite x or y comes out as NaN, so the check below fails the same points as the per-point branch.
  if (krovak) krovakInverseRange(krovak, src, 3, start, end, out, 3);
  const scratch = [0, 0];
  for (let p = start; p < end; p++) {
    const i = p * 3;
    const z = src[i + 2]!;
    let ok: boolean;
    let lonB = NaN;
    let latB = NaN;
    if (krovak) {
      lonB = out[i]!;
      latB = out[i + 1]!;
      ok = Number.isFinite(lonB) && Number.isFinite(latB);
    } else {
      const x = src[i]!;
      const y = src[i + 1]!;
      ok = Number.isFinite(x) && Number.isFinite(y);
      if (ok) {
        scratch[0] = x;
        scratch[1] = y;
        try {
          const ll = toSourceGeodetic.forward(scratch);
          lonB = ll[0]! * DEG;
          latB = ll[1]! * DEG;
        } catch {
          lonB = NaN;
        }
        ok = Number.isFinite(lonB) && Number.isFinite(latB);
      }
    }
    let ex = NaN;
    let ey = NaN;
    let ez = NaN;
    if (ok) {
      // Source ECEF at height 0, then the Helmert (proj4's linearised rotation, as EPSG and PROJ define it).
      const sinB = Math.sin(latB);
      const cosB = Math.cos(latB);
      const nB = srcA / Math.sqrt(1 - srcE2 * sinB * sinB);
      const bx = nB * cosB * Math.cos(lonB);
      const by = nB * cosB * Math.sin(lonB);
      const bz = nB * (1 - srcE2) * sinB;
      const wx = m * (bx - rz * by + ry * bz) + tx;
      const wy = m * (rz * bx + by - rx * bz) + ty;
      const wz = m * (-ry * bx + rx * by + bz) + tz;
      // WGS84 lon/lat and height of that point (Bowring; its error at tens of metres of height is far below 1 um).
      const pr = Math.hypot(wx, wy);
      const th = Math.atan2(wz * WGS84_A, pr * WGS84_B);
      const sinTh = Math.sin(th);
      const cosTh = Math.cos(th);
      const lat = Math.atan2(wz + WGS84_EP2 * WGS84_B * sinTh * sinTh * sinTh, pr - WGS84_E2 * WGS84_A * cosTh * cosTh * cosTh);
      const sinLat = Math.sin(lat);
      const cosLat = Math.cos(lat);
      const h0 = pr * cosLat + wz * sinLat - WGS84_A * Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
      const cosLon = wx / pr;
      const sinLon = wy / pr;
      const lonDeg = Math.atan2(wy, wx) / DEG;
      const latDeg = lat / DEG;
      for (let a = 0; a < areas.length; a += 4) {
        if (!(lonDeg >= areas[a]! && latDeg >= areas[a + 1]! && lonDeg <= areas[a + 2]! && latDeg <= areas[a + 3]!)) {
          stats.outsideArea++;
          if (failOutside) ok = false;
          break;
        }
      }
      let hgt = z;
      if (ok && height) {
        try {
          hgt = height(z, lonDeg, latDeg);
        } catch {
          hgt = NaN;
        }
      }
      if (ok && Number.isFinite(hgt)) {
        const dh = hgt - h0;
        ex = wx + dh * cosLat * cosLon;
        ey = wy + dh * cosLat * sinLon;
        ez = wz + dh * sinLat;
      } else {
        ok = false;
      }
    }
    if (ok) {
      out[i] = ex;
      out[i + 1] = ey;
      out[i + 2] = ez;
    } else {
      out[i] = out[i + 1] = out[i + 2] = NaN;
      if (stats.firstFailed < 0) stats.firstFailed = p;
      stats.failed++;
    }
  }
}
