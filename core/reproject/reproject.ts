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
 * `helmertToEcefRange` in helmert.ts.
 */
import type { CoordBuffer } from '../geo/buffers';
import { type Converter, converter, accurateArea, type Epsg } from '../geo/crs';
import { geodeticToEcef } from '../geo/ellipsoid';
import type { GeoidGrid } from '../geo/geoid';
import { toEllipsoidalHeightM } from '../geo/heights';
import { inChunks } from './chunks';
import { helmertPlan, helmertToEcefRange } from './helmert';
import type { HeightFn, PointStats, ReprojectOptions, ReprojectResult, ToEcefOptions, ToEcefResult } from './options';

export { DEFAULT_CHUNK_POINTS, JobCancelledError, yieldToEventLoop } from './chunks';
export type { ChunkHooks, OutsideAreaPolicy, PointStats, ReprojectOptions, ReprojectResult, ToEcefOptions, ToEcefResult } from './options';

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
  height: HeightFn;
}

function areasOf(codes: readonly Epsg[]): Float64Array {
  const unique = [...new Set(codes)];
  return Float64Array.from(unique.flatMap((e) => accurateArea(e)));
}

function heightFn(input: CoordBuffer, geoid: GeoidGrid | null | undefined): HeightFn {
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
