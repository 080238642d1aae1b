/**
 * Climate statistics on a station × month matrix: the 1961–1990 normal, anomalies, a decade's mean of one
 * calendar month, and a station's trend.
 *
 * Layout (kdbush style, flat): `ClimateMatrix.values` is Float32Array(stations · months), index
 * station · months + month, NaN where the source has no value. Month 0 is the record's first month
 * (`startMonth`, a January), so month m is calendar month m % 12.
 *
 * Choices, named where they are shown:
 * - Normal: the WMO reference period 1961–1990, per station and calendar month, from at least 24 of its 30 years
 *   (WMO-No. 1203's 80 %); otherwise no normal and so no anomaly for that station and month.
 * - Decade mean: of one calendar month over the ten years, from at least 7 of them.
 * - Trend: ordinary least squares of the monthly anomalies against time, in units per decade, from at least
 *   10 years of anomalies.
 */
import { lineAccumulator } from './least-squares';
export interface ClimateMatrix {
  readonly stations: number;
  readonly months: number;
  /** The calendar year of month 0. */
  readonly startYear: number;
  readonly values: Float32Array;
}

export const NORMAL_FROM_YEAR = 1961;
export const NORMAL_TO_YEAR = 1990;
export const NORMAL_MIN_YEARS = 24;
export const DECADE_MIN_YEARS = 7;
export const TREND_MIN_MONTHS = 120;

/** Per station and calendar month: the mean over the normal period, NaN when too few years have a value. */
export function normals(m: ClimateMatrix, fromYear = NORMAL_FROM_YEAR, toYear = NORMAL_TO_YEAR, minYears = NORMAL_MIN_YEARS): Float32Array {
  const out = new Float32Array(m.stations * 12).fill(NaN);
  for (let s = 0; s < m.stations; s++) {
    for (let cm = 0; cm < 12; cm++) {
      let sum = 0;
      let n = 0;
      for (let y = fromYear; y <= toYear; y++) {
        const i = (y - m.startYear) * 12 + cm;
        if (i < 0 || i >= m.months) continue;
        const v = m.values[s * m.months + i]!;
        if (Number.isNaN(v)) continue;
        sum += v;
        n++;
      }
      if (n >= minYears) out[s * 12 + cm] = sum / n;
    }
  }
  return out;
}

/** One value per station for month `month`: the value itself, or its anomaly against `normal`. */
export function monthValues(m: ClimateMatrix, month: number, normal: Float32Array | null): Float32Array {
  const out = new Float32Array(m.stations).fill(NaN);
  if (month < 0 || month >= m.months) return out;
  for (let s = 0; s < m.stations; s++) {
    const v = m.values[s * m.months + month]!;
    out[s] = normal ? v - normal[s * 12 + (month % 12)]! : v;
  }
  return out;
}

/** Per station: the mean of calendar month `calendarMonth` (0 = January) over the ten years from `decadeStartYear`. */
export function decadeValues(m: ClimateMatrix, decadeStartYear: number, calendarMonth: number, normal: Float32Array | null, minYears = DECADE_MIN_YEARS): Float32Array {
  const out = new Float32Array(m.stations).fill(NaN);
  for (let s = 0; s < m.stations; s++) {
    let sum = 0;
    let n = 0;
    for (let y = decadeStartYear; y < decadeStartYear + 10; y++) {
      const i = (y - m.startYear) * 12 + calendarMonth;
      if (i < 0 || i >= m.months) continue;
      const v = m.values[s * m.months + i]!;
      if (Number.isNaN(v)) continue;
      sum += v;
      n++;
    }
    if (n >= minYears) out[s] = normal ? sum / n - normal[s * 12 + calendarMonth]! : sum / n;
  }
  return out;
}

export interface Trend {
  /** Change per decade in the quantity's unit; NaN when there are too few anomalies. */
  readonly perDecade: number;
  /** The fitted line's anomaly at month 0 (intercept), so the line is intercept + slope · month. */
  readonly interceptAtStart: number;
  /** Anomalies the fit used. */
  readonly count: number;
}

/** OLS of a station's monthly anomalies against the month index; the slope given per decade (120 months). */
export function stationTrend(m: ClimateMatrix, station: number, normal: Float32Array, minMonths = TREND_MIN_MONTHS): Trend {
  const line = lineAccumulator();
  for (let i = 0; i < m.months; i++) {
    const a = m.values[station * m.months + i]! - normal[station * 12 + (i % 12)]!;
    if (!Number.isNaN(a)) line.add(i, a);
  }
  const fit = line.n < minMonths ? null : line.fit();
  return fit ? { perDecade: fit.slope * 120, interceptAtStart: fit.intercept, count: line.n } : { perDecade: NaN, interceptAtStart: NaN, count: line.n };
}
