/**
 * Reprojection of whole coordinate buffers: the pure work behind the reprojection worker. Runs the same in a
 * worker, in the page (inline mode) and in node (tests, tileset pipeline).
 *
 * Buffer layouts (all `Float64Array`, stride 3, point i at `[3i, 3i + 1, 3i + 2]`):
 * - `CoordBuffer<E>`: x, y in the units of EPSG:E (lon/lat degrees for geographic CRSs, easting/northing
 *   metres otherwise; 5513 keeps its south/west axes), z metres in `verticalDatum`.
 * - `EcefBuffer`: X, Y, Z metres in EPSG:4978 (WGS84 earth-centred), what Cesium's Cartesian3 holds.
 * Point order is preserved and a point that fails is written as NaN, NaN, NaN rather than dropped, so
 * per-point attributes kept elsewhere stay aligned by index.
 *
 * Every transform goes through WGS84 lon/lat: proj4 itself routes each datum change through WGS84, so this
 * costs nothing extra, and it yields the lon/lat the area-of-use test and the geoid lookup need anyway.
 * The exception is `toEcef` from a CRS on a Helmert datum (S-JTSK), which has a faster path of its own: see
 * `helmertToEcefRange`.
 */
import type { CoordBuffer, EcefBuffer } from '../geo/buffers';
import { type Converter, converter, accurateArea, crsInfo, type Epsg, helmertDatum, inverseToSourceGeodetic } from '../geo/crs';
import { geodeticToEcef, WGS84_A, WGS84_F } from '../geo/ellipsoid';
import type { GeoidGrid } from '../geo/geoid';
import { toEllipsoidalHeightM } from '../geo/heights';
import { krovakInverseRange, krovakParamsFromProj4, type KrovakPlan, krovakPlan } from '../geo/krovak';

/** 65,536 points: about 1.5 MB of coordinates and 30-80 ms of proj4 work, short enough for a cancel to land quickly. */
export const DEFAULT_CHUNK_POINTS = 65_536;

/** Thrown (rejected) when `isCancelled()` reported true between two chunks. */
export class JobCancelledError extends Error {
  override name = 'JobCancelled';
  constructor(message = 'job cancelled') {
    super(message);
  }
}

export interface ChunkHooks {
  /** Points per chunk; progress, cancellation and yielding happen between chunks. */
  chunkPoints?: number;
  /** Called after every chunk with the fraction done (0 < f <= 1); called once with 1 for an empty buffer. */
  onProgress?: (fraction: number) => void;
  /** Polled before each chunk; true rejects the call with `JobCancelledError`. */
  isCancelled?: () => boolean;
  /**
   * Awaited between chunks. The default gives the event loop a turn, so a worker can receive its `cancel`
   * message and an inline job does not freeze the page.
   */
  yieldBetweenChunks?: () => Promise<void>;
}

/**
 * Points outside the area of use of the source or target CRS. 'keep' (default) transforms them anyway and only
 * counts them: Bavaria publishes all of its data in UTM 32 although most of the border region lies east of
 * zone 32's nominal 12.01 degrees E, and proj4's extended transverse Mercator stays exact there. 'fail' writes
 * NaN for them and counts them as failed too.
 */
export type OutsideAreaPolicy = 'keep' | 'fail';

export interface PointStats {
  /** Points written as NaN: non-finite input, a transform proj4 could not do, or a height the geoid does not cover. */
  failed: number;
  /** Points outside the source or target CRS's area of use (their accuracy is not known); see `OutsideAreaPolicy`. */
  outsideArea: number;
  /** Index of the first failed point, -1 when none failed, so a message can name a real coordinate. */
  firstFailed: number;
}

export interface ReprojectOptions extends ChunkHooks {
  /** 'carry' (default) copies z and keeps the vertical datum; 'ellipsoidal' converts z to WGS84 ellipsoidal heights. */
  heights?: 'carry' | 'ellipsoidal';
  /** Needed when `heights` is 'ellipsoidal' and the input's vertical datum is not. */
  geoid?: GeoidGrid | null;
  outsideArea?: OutsideAreaPolicy;
  /** Write the result into `input.xyz` instead of a new array (the input is then consumed). */
  inPlace?: boolean;
}

export interface ReprojectResult<T extends Epsg = Epsg> extends PointStats {
  readonly buffer: CoordBuffer<T>;
}

export interface ToEcefOptions extends ChunkHooks {
  outsideArea?: OutsideAreaPolicy;
  /**
   * 'auto' (default) takes the Helmert fast path for a source on a Helmert datum (S-JTSK: 5514, 5513) and the
   * generic path otherwise; 'generic' always goes through proj4's WGS84 lon/lat (comparisons, benches).
   * Both give the same points within a few micrometres.
   */
  path?: 'auto' | 'generic';
  /** Write the result into `input.xyz` instead of a new array (the input is then consumed). */
  inPlace?: boolean;
}

export interface ToEcefResult extends PointStats {
  readonly buffer: EcefBuffer;
}

/** A macrotask turn: lets queued messages (a cancel) and, in the page, rendering run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const isWgs84Geographic = (e: Epsg): boolean => e === 4326 || e === 4979;

/** What the per-chunk kernel does for one job; built once per call so the hot loop only reads locals. */
interface Plan {
  /** Source CRS -> WGS84 lon/lat; null when the source already is WGS84 lon/lat. */
  toWgs: Converter | null;
  /** WGS84 lon/lat -> target; null when the output is WGS84 lon/lat. Ignored when `keepXy`. */
  fromWgs: Converter | null;
  /** Source and target are the same CRS: copy x, y unchanged (a round trip through WGS84 would add noise). */
  keepXy: boolean;
  /** Areas of use to test, flattened [w, s, e, n, w, s, e, n, ...]. */
  areas: Float64Array;
  failOutside: boolean;
  /** Converts z to ellipsoidal when set. */
  height: ((z: number, lon: number, lat: number) => number) | null;
}

function areasOf(codes: readonly Epsg[]): Float64Array {
  const unique = [...new Set(codes)];
  return Float64Array.from(unique.flatMap((e) => accurateArea(e)));
}

function heightFn(input: CoordBuffer, geoid: GeoidGrid | null | undefined): Plan['height'] {
  if (input.verticalDatum === 'ellipsoidal') return null;
  if (!geoid) {
    throw new Error(`converting ${input.verticalDatum} heights to ellipsoidal needs a geoid grid (init() not run?)`);
  }
  const datum = input.verticalDatum;
  return (z, lon, lat) => toEllipsoidalHeightM(datum, z, lon, lat, geoid);
}

/**
 * Transforms points [start, end) of `src` into `out` (which may be `src`): x, y per the plan, z carried or
 * converted. With `fromWgs` null and not `keepXy`, writes WGS84 lon/lat/h (the input of the ECEF step).
 */
function transformRange(src: Float64Array, out: Float64Array, start: number, end: number, plan: Plan, stats: PointStats): void {
  const { toWgs, fromWgs, keepXy, areas, failOutside, height } = plan;
  // proj4 copies its input array, so one scratch array serves every point.
  const scratch = [0, 0];
  for (let p = start; p < end; p++) {
    const i = p * 3;
    const x = src[i]!;
    const y = src[i + 1]!;
    const z = src[i + 2]!;
    let ok = Number.isFinite(x) && Number.isFinite(y);
    let lon = x;
    let lat = y;
    let ox = x;
    let oy = y;
    let oz = z;
    if (ok && toWgs) {
      scratch[0] = x;
      scratch[1] = y;
      try {
        const ll = toWgs.forward(scratch);
        lon = ll[0]!;
        lat = ll[1]!;
      } catch {
        lon = NaN;
      }
      ok = Number.isFinite(lon) && Number.isFinite(lat);
    }
    if (ok) {
      for (let a = 0; a < areas.length; a += 4) {
        if (!(lon >= areas[a]! && lat >= areas[a + 1]! && lon <= areas[a + 2]! && lat <= areas[a + 3]!)) {
          stats.outsideArea++;
          if (failOutside) ok = false;
          break;
        }
      }
    }
    if (ok && !keepXy) {
      if (fromWgs) {
        scratch[0] = lon;
        scratch[1] = lat;
        try {
          const xy = fromWgs.forward(scratch);
          ox = xy[0]!;
          oy = xy[1]!;
        } catch {
          ox = NaN;
        }
      } else {
        ox = lon;
        oy = lat;
      }
      ok = Number.isFinite(ox) && Number.isFinite(oy);
    }
    if (ok && height) {
      try {
        oz = height(z, lon, lat);
      } catch {
        // The only throw is geoidUndulationM's "grid does not cover": a point, not the job, has failed.
        oz = NaN;
      }
    }
    if (ok && !Number.isFinite(oz)) ok = false;
    if (ok) {
      out[i] = ox;
      out[i + 1] = oy;
      out[i + 2] = oz;
    } else {
      out[i] = out[i + 1] = out[i + 2] = NaN;
      if (stats.firstFailed < 0) stats.firstFailed = p;
      stats.failed++;
    }
  }
}

const DEG = Math.PI / 180;
const ARCSEC = DEG / 3600;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const WGS84_B = WGS84_A * (1 - WGS84_F);
const WGS84_EP2 = (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B);

/** The per-job constants of the Helmert fast path. */
interface HelmertPlan {
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
  height: Plan['height'];
}

function helmertPlan(epsg: Epsg, areas: Float64Array, failOutside: boolean, height: Plan['height']): HelmertPlan | null {
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
function helmertToEcefRange(src: Float64Array, out: Float64Array, start: number, end: number, plan: HelmertPlan, stats: PointStats): void {
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

/** Runs `body` over [0, n) in chunks, with progress, cancellation and a yield between chunks. */
async function inChunks(n: number, hooks: ChunkHooks, body: (start: number, end: number) => void): Promise<void> {
  const size = Math.max(1, Math.floor(hooks.chunkPoints ?? DEFAULT_CHUNK_POINTS));
  const pause = hooks.yieldBetweenChunks ?? yieldToEventLoop;
  if (n === 0) {
    if (hooks.isCancelled?.()) throw new JobCancelledError();
    hooks.onProgress?.(1);
    return;
  }
  for (let start = 0; start < n; start += size) {
    if (hooks.isCancelled?.()) throw new JobCancelledError();
    const end = Math.min(n, start + size);
    body(start, end);
    hooks.onProgress?.(end / n);
    if (end < n) await pause();
  }
}

function pointsOf(input: { xyz: Float64Array }): number {
  if (!(input.xyz instanceof Float64Array)) throw new TypeError('coordinate buffer: xyz must be a Float64Array');
  if (input.xyz.length % 3 !== 0) throw new RangeError(`coordinate buffer length ${input.xyz.length} is not a multiple of 3`);
  return input.xyz.length / 3;
}

/**
 * Reprojects `input` into EPSG:`to`. x, y go through the cached proj4 converters (source -> WGS84 -> target);
 * z is carried (the result keeps the input's vertical datum) or, with `heights: 'ellipsoidal'`, converted
 * with the geoid (the result's datum is then 'ellipsoidal'). Failed points become NaN and are counted; the
 * call itself only rejects for a configuration error (a missing geoid or BETA2007 grid) or a cancellation.
 */
export async function reprojectBuffer<T extends Epsg>(input: CoordBuffer, to: T, opts: ReprojectOptions = {}): Promise<ReprojectResult<T>> {
  const n = pointsOf(input);
  const from = input.epsg;
  const ellipsoidal = opts.heights === 'ellipsoidal';
  const sameCrs = from === to || (isWgs84Geographic(from) && isWgs84Geographic(to));
  const plan: Plan = {
    toWgs: isWgs84Geographic(from) ? null : converter(from, 4326),
    fromWgs: sameCrs || isWgs84Geographic(to) ? null : converter(4326, to),
    keepXy: sameCrs,
    areas: areasOf([from, to]),
    failOutside: opts.outsideArea === 'fail',
    height: ellipsoidal ? heightFn(input, opts.geoid) : null,
  };
  const out = opts.inPlace ? input.xyz : new Float64Array(input.xyz.length);
  const stats: PointStats = { failed: 0, outsideArea: 0, firstFailed: -1 };
  await inChunks(n, opts, (start, end) => transformRange(input.xyz, out, start, end, plan, stats));
  return { buffer: { epsg: to, verticalDatum: ellipsoidal ? 'ellipsoidal' : input.verticalDatum, xyz: out }, ...stats };
}

/**
 * `input` -> ECEF: x, y to WGS84 lon/lat, z to an ellipsoidal height (with the geoid unless the input already
 * is ellipsoidal; `geoid` may be null then), then `geodeticToEcef`. Failed points become NaN and are counted.
 * A source on a Helmert datum (S-JTSK) takes the fast path unless `path` is 'generic'.
 */
export async function toEcef(input: CoordBuffer, geoid: GeoidGrid | null, opts: ToEcefOptions = {}): Promise<ToEcefResult> {
  const n = pointsOf(input);
  const areas = areasOf([input.epsg]);
  const failOutside = opts.outsideArea === 'fail';
  const height = heightFn(input, geoid);
  const out = opts.inPlace ? input.xyz : new Float64Array(input.xyz.length);
  const stats: PointStats = { failed: 0, outsideArea: 0, firstFailed: -1 };
  const fast = opts.path === 'generic' ? null : helmertPlan(input.epsg, areas, failOutside, height);
  if (fast) {
    await inChunks(n, opts, (start, end) => helmertToEcefRange(input.xyz, out, start, end, fast, stats));
    return { buffer: { epsg: 4978, xyz: out }, ...stats };
  }
  const plan: Plan = {
    toWgs: isWgs84Geographic(input.epsg) ? null : converter(input.epsg, 4326),
    fromWgs: null,
    keepXy: false,
    areas,
    failOutside,
    height,
  };
  await inChunks(n, opts, (start, end) => {
    transformRange(input.xyz, out, start, end, plan, stats);
    const chunk = out.subarray(start * 3, end * 3);
    geodeticToEcef(chunk, chunk);
  });
  return { buffer: { epsg: 4978, xyz: out }, ...stats };
}
