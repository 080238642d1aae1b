/**
 * Station values on a grid, with the elevation taken into account: a Šumava summit and a valley station a few km
 * apart differ by 6 °C in temperature, which plain inverse-distance weighting smears across the valley.
 *
 * Method ("IDW with lapse rate", residual interpolation): fit value = a + b·z by least squares over the stations
 * of the frame (z: station elevation, m), interpolate the residuals vᵢ − (a + b·zᵢ) by IDW (Shepard, power 2,
 * within `radiusM`), and add a + b·z(cell) with z(cell) from the terrain model. The lapse rate b comes from the
 * stations themselves, month by month (≈ −6 °C/km in summer, weaker in winter inversions). With fewer than
 * `MIN_FIT_STATIONS` stations with an elevation, or `useElevation` off, it is plain IDW of the values.
 *
 * The quality measure is leave-one-station-out cross-validation: each station is predicted from all the others
 * (the fit too is redone without it) and the RMSE of those predictions is given in the value's unit.
 */
import { lineAccumulator } from './least-squares';
import { DEFAULT_IDW_POWER, DEFAULT_IDW_RADIUS_M, idwGrid } from '../aggregation/aggregate';
import type { GridSpec3035 } from '../aggregation/types';

export const MIN_FIT_STATIONS = 5;

export interface StationPoints {
  readonly x3035: Float64Array;
  readonly y3035: Float64Array;
  /** Station elevation in metres (Bpv), NaN when unknown. */
  readonly elevationM: Float64Array;
}

export interface ElevationFit {
  readonly intercept: number;
  /** Change of the value per metre of elevation (0 when not fitted). */
  readonly perM: number;
  readonly stations: number;
}

export interface InterpolationOptions {
  readonly useElevation: boolean;
  readonly radiusM?: number;
  readonly power?: number;
}

const NO_FIT: ElevationFit = { intercept: 0, perM: 0, stations: 0 };

/** OLS of value on elevation over the stations with both (station `skip` left out); no fit with too few. */
export function fitElevation(p: StationPoints, value: Float32Array, skip = -1): ElevationFit {
  const line = lineAccumulator();
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    const z = p.elevationM[i]!;
    if (i !== skip && !Number.isNaN(v) && !Number.isNaN(z)) line.add(z, v);
  }
  const fit = line.n < MIN_FIT_STATIONS ? null : line.fit();
  return fit ? { intercept: fit.intercept, perM: fit.slope, stations: fit.n } : NO_FIT;
}

/** What IDW interpolates: the residuals from the fit (stations without an elevation drop out when fitted). */
function residuals(p: StationPoints, value: Float32Array, fit: ElevationFit): Float32Array {
  const r = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const z = p.elevationM[i]!;
    r[i] = fit.stations === 0 ? value[i]! : Number.isNaN(z) ? NaN : value[i]! - (fit.intercept + fit.perM * z);
  }
  return r;
}

/** The grid of interpolated values (NaN beyond every station's reach or where the terrain model has no height). */
export function interpolateStations(p: StationPoints, value: Float32Array, grid: GridSpec3035, cellElevationM: Float32Array | null, o: InterpolationOptions): { values: Float32Array; fit: ElevationFit } {
  const fit = o.useElevation && cellElevationM ? fitElevation(p, value) : NO_FIT;
  const r = residuals(p, value, fit);
  const { values } = idwGrid(grid, { x: p.x3035, y: p.y3035, value: r }, undefined, o.power ?? DEFAULT_IDW_POWER, o.radiusM ?? DEFAULT_IDW_RADIUS_M);
  if (fit.stations > 0 && cellElevationM) {
    for (let c = 0; c < values.length; c++) values[c] = values[c]! + fit.intercept + fit.perM * cellElevationM[c]!;
  }
  return { values, fit };
}

/** IDW of `value` at one point from the stations other than `skip`; NaN when none is within reach. */
function idwAt(p: StationPoints, value: Float32Array, x: number, y: number, skip: number, power: number, radiusM: number): number {
  let num = 0;
  let den = 0;
  const r2 = radiusM * radiusM;
  for (let j = 0; j < value.length; j++) {
    const v = value[j]!;
    if (j === skip || Number.isNaN(v)) continue;
    const dx = p.x3035[j]! - x;
    const dy = p.y3035[j]! - y;
    const d2 = dx * dx + dy * dy;
    if (d2 > r2) continue;
    if (d2 === 0) return v;
    const w = Math.pow(d2, -power / 2);
    num += w * v;
    den += w;
  }
  return den > 0 ? num / den : NaN;
}

export interface CrossValidation {
  /** Root-mean-square error of the left-out predictions, in the value's unit. */
  readonly rmse: number;
  /** Stations predicted (those with a value, an elevation when fitted, and another station within reach). */
  readonly stations: number;
}

/** Leave-one-station-out: each station predicted by the method from the others, the fit redone without it. */
export function crossValidate(p: StationPoints, value: Float32Array, o: InterpolationOptions): CrossValidation {
  const power = o.power ?? DEFAULT_IDW_POWER;
  const radiusM = o.radiusM ?? DEFAULT_IDW_RADIUS_M;
  let se = 0;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const v = value[i]!;
    if (Number.isNaN(v)) continue;
    const fit = o.useElevation ? fitElevation(p, value, i) : NO_FIT;
    const zi = p.elevationM[i]!;
    if (fit.stations > 0 && Number.isNaN(zi)) continue;
    const r = residuals(p, value, fit);
    const predicted = idwAt(p, r, p.x3035[i]!, p.y3035[i]!, i, power, radiusM) + (fit.stations > 0 ? fit.intercept + fit.perM * zi : 0);
    if (Number.isNaN(predicted)) continue;
    se += (predicted - v) ** 2;
    n++;
  }
  return { rmse: n > 0 ? Math.sqrt(se / n) : NaN, stations: n };
}
