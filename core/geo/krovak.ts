/**
 * The Křovák projection (EPSG methods 9819 "Krovak" and 1041 "Krovak (North Orientated)") as plain loops over
 * interleaved Float64Array buffers. Pure and DOM-free: the reprojection
 * worker uses the inverse for S-JTSK (EPSG:5514, 5513) instead of calling proj4 point by point, which was most
 * of the time of a 5514 -> ECEF job.
 *
 * Same maths and constants as proj4's and PROJ's `krovak`: the ellipsoid is mapped conformally onto the
 * Gaussian sphere, that onto an oblique cone touching the pseudo standard parallel (78.5°) of a sphere whose
 * pole sits at co-latitude alpha on the meridian lon_0. In the projection's own plane Xp points south and Yp
 * west (the Czech convention, proj4's `+czech`). Without `+czech` proj4 and PROJ negate both, giving
 * easting = -Yp, northing = -Xp, and `+axis` then orders and signs those as usual:
 * - EPSG:5514 (`+axis=enu`, the default): x = easting = -Yp, y = northing = -Xp;
 * - EPSG:5513 (`+axis=swu`): x = southing = Xp, y = westing = Yp.
 *
 * Evaluation avoids what can be done algebraically: the cone angle T and the sphere latitude U are carried as
 * sine and cosine, and the ellipsoidal latitude is found from the isometric latitude by Newton's method on
 * sin(lat), started from the series for the conformal-to-geodetic latitude (one step usually converges).
 * Per point the inverse calls atan2, pow, sin, cos, tanh, asin twice and atanh once plus once per Newton step
 * (about 10 such functions); proj4's calls about 40, most in its fixed-point latitude iteration (three pows,
 * a tan, two sines and an atan per step, 3-4 steps) and some on constants.
 */

const DEG = Math.PI / 180;

/** The parameters of one Křovák CRS, in the units proj4 definitions use. */
export interface KrovakParams {
  /** Latitude of the projection centre (`+lat_0`), degrees. */
  readonly latCentreDeg: number;
  /** Longitude of origin (`+lon_0`), degrees east of Greenwich (S-JTSK: 42°30' east of Ferro = 24°50'). */
  readonly lonOriginDeg: number;
  /** Co-latitude of the cone axis (`+alpha`), degrees. */
  readonly alphaDeg: number;
  /** Scale factor on the pseudo standard parallel (`+k`). */
  readonly k: number;
  /** Latitude of the pseudo standard parallel, degrees: 78.5 in every Křovák CRS (proj4 and PROJ fix it). */
  readonly pseudoParallelDeg: number;
  /** False easting and northing (`+x_0`, `+y_0`), metres, added to easting = -Yp and northing = -Xp as PROJ does. */
  readonly x0: number;
  readonly y0: number;
  /** Ellipsoid semi-major axis, metres, and inverse flattening. */
  readonly a: number;
  readonly invF: number;
  /** proj4's `+axis` (first two letters used): 'enu' for 5514, 'swu' for 5513. */
  readonly axis: string;
  /** proj4's `+czech`: the plane's own south/west signs instead of their negation. */
  readonly czech: boolean;
}

/** PROJ's defaults for a bare `+proj=krovak` (proj4 has the same ones, alpha implied by its hard-wired cone). */
const DEFAULTS = { lat_0: 49.5, lon_0: 24.8333333333333, alpha: 30.2881397527778, k: 0.9999, x_0: 0, y_0: 0 } as const;

const eastWest = (c: string | undefined): boolean => c === 'e' || c === 'w';
const northSouth = (c: string | undefined): boolean => c === 'n' || c === 's';

/**
 * The parameters of a proj4 `+proj=krovak` definition, on `ellipsoid` (proj4's `krovak` always uses Bessel 1841,
 * whatever `+ellps` says, so the caller names the datum's ellipsoid). Null for any other projection.
 */
export function krovakParamsFromProj4(def: string, ellipsoid: { readonly a: number; readonly invF: number }): KrovakParams | null {
  const tokens = def.trim().split(/\s+/);
  const value = new Map<string, string>();
  for (const t of tokens) {
    const m = /^\+([A-Za-z_0-9]+)(?:=(.*))?$/.exec(t);
    if (m) value.set(m[1]!, m[2] ?? '');
  }
  if (value.get('proj') !== 'krovak') return null;
  const num = (key: keyof typeof DEFAULTS): number => {
    const v = value.get(key);
    if (v === undefined) return DEFAULTS[key];
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`krovak definition: +${key}=${v} is not a number`);
    return n;
  };
  const axis = value.get('axis') ?? 'enu';
  if (!((eastWest(axis[0]) && northSouth(axis[1])) || (northSouth(axis[0]) && eastWest(axis[1])))) {
    throw new Error(`krovak definition: +axis=${axis} does not name one east-west and one north-south axis`);
  }
  return {
    latCentreDeg: num('lat_0'),
    lonOriginDeg: num('lon_0'),
    alphaDeg: num('alpha'),
    k: num('k'),
    pseudoParallelDeg: 78.5,
    x0: num('x_0'),
    y0: num('y_0'),
    a: ellipsoid.a,
    invF: ellipsoid.invF,
    axis,
    czech: value.has('czech'),
  };
}

/** The per-CRS constants of both directions, computed once; the loops read nothing else. */
export interface KrovakPlan {
  readonly e2: number;
  readonly e: number;
  /** 1 - e². */
  readonly oneMinusE2: number;
  /** Longitude of origin, radians. */
  readonly lonOrigin: number;
  /** B: exponent of the conformal mapping onto the Gaussian sphere, and 1/B. */
  readonly b: number;
  readonly invB: number;
  /** ln t0: the constant of that mapping. */
  readonly lnT0: number;
  /** sin and cos of the cone axis co-latitude alpha. */
  readonly sinAlpha: number;
  readonly cosAlpha: number;
  /** n = sin(pseudo standard parallel), the cone constant, and 1/n. */
  readonly n: number;
  readonly invN: number;
  /** r = rScale * (cos T / (1 + sin T))^n; its inverse: cos T / (1 + sin T) = (r * pScale)^(1/n). */
  readonly rScale: number;
  readonly pScale: number;
  /** Input slot (0 or 1) and sign of Xp and Yp, and their offsets (false northing/easting in the plane). */
  readonly xpSlot: number;
  readonly xpSign: number;
  readonly xpOffset: number;
  readonly ypSlot: number;
  readonly ypSign: number;
  readonly ypOffset: number;
  /** Series coefficients of geodetic - conformal latitude, sin 2χ .. sin 8χ (start of the latitude iteration). */
  readonly c2: number;
  readonly c4: number;
  readonly c6: number;
  readonly c8: number;
}

export function krovakPlan(p: KrovakParams): KrovakPlan {
  const f = 1 / p.invF;
  const e2 = f * (2 - f);
  const e = Math.sqrt(e2);
  const latC = p.latCentreDeg * DEG;
  const sinC = Math.sin(latC);
  const cosC = Math.cos(latC);
  // EPSG Guidance Note 7-2, method 9819.
  const aSphere = (p.a * Math.sqrt(1 - e2)) / (1 - e2 * sinC * sinC);
  const b = Math.sqrt(1 + (e2 * cosC ** 4) / (1 - e2));
  const gamma0 = Math.asin(sinC / b);
  const t0 = (Math.tan(Math.PI / 4 + gamma0 / 2) * ((1 + e * sinC) / (1 - e * sinC)) ** ((e * b) / 2)) / Math.tan(Math.PI / 4 + latC / 2) ** b;
  const latP = p.pseudoParallelDeg * DEG;
  const n = Math.sin(latP);
  const r0 = (p.k * aSphere) / Math.tan(latP);
  const tanP = Math.tan(Math.PI / 4 + latP / 2);
  const alpha = p.alphaDeg * DEG;
  // Input slots: which of (x, y) holds easting/northing, and with which sign (proj4's +axis).
  let eastSlot = 0, eastSign = 1, northSlot = 1, northSign = 1;
  for (let i = 0; i < 2; i++) {
    const c = p.axis[i];
    if (c === 'e' || c === 'w') [eastSlot, eastSign] = [i, c === 'e' ? 1 : -1];
    else [northSlot, northSign] = [i, c === 'n' ? 1 : -1];
  }
  // easting = s * Yp + x0, northing = s * Xp + y0 with s = -1, or +1 under +czech.
  const s = p.czech ? 1 : -1;
  const e4 = e2 * e2, e6 = e4 * e2, e8 = e6 * e2;
  return {
    e2,
    e,
    oneMinusE2: 1 - e2,
    lonOrigin: p.lonOriginDeg * DEG,
    b,
    invB: 1 / b,
    lnT0: Math.log(t0),
    sinAlpha: Math.sin(alpha),
    cosAlpha: Math.cos(alpha),
    n,
    invN: 1 / n,
    rScale: r0 * tanP ** n,
    pScale: 1 / (r0 * tanP ** n),
    xpSlot: northSlot,
    xpSign: s * northSign,
    xpOffset: -s * p.y0,
    ypSlot: eastSlot,
    ypSign: s * eastSign,
    ypOffset: -s * p.x0,
    // Snyder, Map Projections - A Working Manual (1987), eq. 3-5.
    c2: e2 / 2 + (5 * e4) / 24 + e6 / 12 + (13 * e8) / 360,
    c4: (7 * e4) / 48 + (29 * e6) / 240 + (811 * e8) / 11520,
    c6: (7 * e6) / 120 + (81 * e8) / 1120,
    c8: (4279 * e8) / 161280,
  };
}

/** e * atanh(e * s) for |e * s| < 0.1 (every terrestrial ellipsoid), by its series: exact to 1e-17, no log. */
function eAtanhEs(e2: number, s: number): number {
  const x2 = e2 * s * s;
  return e2 * s * (1 + x2 * (1 / 3 + x2 * (1 / 5 + x2 * (1 / 7 + x2 * (1 / 9 + x2 * (1 / 11 + x2 * (1 / 13)))))));
}

/** Newton steps on sin(lat) at most; two are the most any terrestrial point has needed. */
const MAX_LAT_ITERATIONS = 8;
/** Stop when a step moves the latitude less than this, radians (6 µm). */
const LAT_TOLERANCE = 1e-12;

/**
 * Inverse: projected points [start, end) of `src` (x at `p * srcStride`, y at `+ 1`, in the CRS's axis order)
 * -> longitude, latitude in radians on the CRS's ellipsoid at `p * outStride` and `+ 1` of `out`. `out` may be
 * `src` (each point is read before it is written). Other slots are left alone. A non-finite input, or a
 * latitude that does not converge, gives NaN, NaN.
 */
export function krovakInverseRange(plan: KrovakPlan, src: Float64Array, srcStride: number, start: number, end: number, out: Float64Array, outStride: number): void {
  const { e2, oneMinusE2, lonOrigin, invB, lnT0, sinAlpha, cosAlpha, invN, pScale, xpSlot, xpSign, xpOffset, ypSlot, ypSign, ypOffset, c2, c4, c6, c8 } = plan;
  for (let p = start; p < end; p++) {
    const i = p * srcStride;
    const xp = xpSign * src[i + xpSlot]! + xpOffset;
    const yp = ypSign * src[i + ypSlot]! + ypOffset;
    // Cone: polar radius and angle -> T (latitude on the oblique sphere) and D (longitude on it).
    const r = Math.sqrt(xp * xp + yp * yp);
    const d = Math.atan2(yp, xp) * invN;
    // tan(T/2 + pi/4) = 1/q, so sin T = (1 - q²) / (1 + q²) and cos T = 2q / (1 + q²).
    const q = Math.pow(r * pScale, invN);
    const q2 = q * q;
    const sinT = (1 - q2) / (1 + q2);
    const cosT = (2 * q) / (1 + q2);
    const cosD = Math.cos(d);
    const sinD = Math.sin(d);
    // Oblique sphere -> Gaussian sphere: latitude U, longitude difference V from lon_0.
    const sinU = cosAlpha * sinT - sinAlpha * cosT * cosD;
    const cosU = Math.sqrt(1 - sinU * sinU);
    const v = Math.asin((cosT * sinD) / cosU);
    out[p * outStride] = lonOrigin - v * invB;
    // Gaussian sphere -> ellipsoid: the isometric latitude psi, solved for sin(lat) = s:
    //   atanh(s) - e atanh(e s) = psi.
    const psi = (Math.atanh(sinU) - lnT0) * invB;
    // Start: the conformal latitude chi (sin chi = tanh psi) plus its series to the geodetic one.
    const sinChi = Math.tanh(psi);
    const cosChi = Math.sqrt(1 - sinChi * sinChi);
    const cos2 = 1 - 2 * sinChi * sinChi;
    const x = 2 * cos2;
    // Clenshaw: delta = sum c_k sin(2k chi).
    const b4 = c8;
    const b3 = c6 + x * b4;
    const b2 = c4 + x * b3 - b4;
    const b1 = c2 + x * b2 - b3;
    const delta = b1 * 2 * sinChi * cosChi;
    const dd = delta * delta;
    let s = sinChi * (1 - (dd / 2) * (1 - (dd / 12) * (1 - dd / 30))) + cosChi * delta * (1 - (dd / 6) * (1 - dd / 20));
    let converged = false;
    for (let k = 0; k < MAX_LAT_ITERATIONS; k++) {
      const c2s = 1 - s * s;
      // f(s) / f'(s), f'(s) = (1 - e²) / ((1 - s²)(1 - e² s²)).
      const step = ((Math.atanh(s) - eAtanhEs(e2, s) - psi) * c2s * (1 - e2 * s * s)) / oneMinusE2;
      s -= step;
      // |d lat| = |d s| / cos(lat)
      if (step * step < LAT_TOLERANCE * LAT_TOLERANCE * c2s) {
        converged = true;
        break;
      }
    }
    out[p * outStride + 1] = converged ? Math.asin(s) : NaN;
    if (!converged) out[p * outStride] = NaN;
  }
}

/**
 * Forward: longitude, latitude in radians on the CRS's ellipsoid, points [start, end) of `src` (at
 * `p * srcStride` and `+ 1`) -> x, y in the CRS's axis order at `p * outStride` and `+ 1` of `out`. `out` may be
 * `src`. Other slots are left alone; a non-finite input gives NaN, NaN.
 */
export function krovakForwardRange(plan: KrovakPlan, src: Float64Array, srcStride: number, start: number, end: number, out: Float64Array, outStride: number): void {
  const { e2, lonOrigin, b, lnT0, sinAlpha, cosAlpha, n, rScale, xpSlot, xpSign, xpOffset, ypSlot, ypSign, ypOffset } = plan;
  for (let p = start; p < end; p++) {
    const i = p * srcStride;
    const lon = src[i]!;
    const s = Math.sin(src[i + 1]!);
    // Ellipsoid -> Gaussian sphere: ln tan(U/2 + pi/4) = ln t0 + B * (isometric latitude).
    const sinU = Math.tanh(lnT0 + b * (Math.atanh(s) - eAtanhEs(e2, s)));
    const cosU = Math.sqrt(1 - sinU * sinU);
    const v = b * (lonOrigin - lon);
    const cosV = Math.cos(v);
    const sinV = Math.sin(v);
    // Gaussian sphere -> oblique sphere: latitude T, longitude D.
    const sinT = cosAlpha * sinU + sinAlpha * cosU * cosV;
    const cosT = Math.sqrt(1 - sinT * sinT);
    const theta = n * Math.asin((cosU * sinV) / cosT);
    const r = rScale * Math.pow(cosT / (1 + sinT), n);
    const xp = r * Math.cos(theta);
    const yp = r * Math.sin(theta);
    const o = p * outStride;
    // Xp = xpSign * x[xpSlot] + xpOffset, solved for x[xpSlot] (the signs are ±1).
    out[o + xpSlot] = xpSign * (xp - xpOffset);
    out[o + ypSlot] = ypSign * (yp - ypOffset);
  }
}
