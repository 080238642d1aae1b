import { describe, expect, it } from 'vitest';
import { decadeValues, monthValues, normals, stationTrend, type ClimateMatrix } from '../../../../core/climate/analysis';
import { monthLabel, monthNumber, monthOfMs, monthStartMs } from '../../../../core/climate/record';

/** Two stations, 1961–2019: station 0 has seasonal values plus 0.03 per year; station 1 lacks 1961–1967. */
function matrix(): ClimateMatrix {
  const months = 59 * 12;
  const values = new Float32Array(2 * months);
  for (let i = 0; i < months; i++) {
    const seasonal = 10 * Math.sin(((i % 12) / 12) * 2 * Math.PI);
    values[i] = seasonal + 0.03 * (i / 12);
    values[months + i] = i < 7 * 12 ? NaN : seasonal;
  }
  return { stations: 2, months, startYear: 1961, values };
}

describe('climate statistics', () => {
  it('computes the 1961–1990 normal per calendar month, and none from fewer than 24 of 30 years', () => {
    const m = matrix();
    const n = normals(m);
    // Station 0, January: mean of 0.03·(y − 1961) over 30 years = 0.03 · 14.5.
    expect(n[0]).toBeCloseTo(0.435, 5);
    expect(n[3]).toBeCloseTo(10 + 0.435 + 0.03 * 3 / 12, 4);
    // Station 1 has 23 of the 30 years: no normal, so no anomaly.
    expect(Number.isNaN(n[12])).toBe(true);
    expect(Number.isNaN(monthValues(m, 100, n)[1]!)).toBe(true);
  });

  it('gives anomalies and a decade mean of one calendar month', () => {
    const m = matrix();
    const n = normals(m);
    const july2015 = (2015 - 1961) * 12 + 6;
    expect(monthValues(m, july2015, null)[0]).toBeCloseTo(m.values[july2015]!, 6);
    expect(monthValues(m, july2015, n)[0]).toBeCloseTo(m.values[july2015]! - n[6]!, 5);
    // July over 2010–2019 against the normal: 0.03 · (mean year offset 53.5 − 14.5).
    expect(decadeValues(m, 2010, 6, n)[0]).toBeCloseTo(0.03 * 39, 4);
    // A decade with 3 of 10 years is too thin.
    expect(Number.isNaN(decadeValues(m, 1961, 6, null, 8)[1]!)).toBe(true);
  });

  it('finds the trend per decade by least squares on the anomalies', () => {
    const m = matrix();
    const t = stationTrend(m, 0, normals(m));
    expect(t.perDecade).toBeCloseTo(0.3, 3);
    expect(t.count).toBe(m.months);
    expect(Number.isNaN(stationTrend(m, 1, normals(m)).perDecade)).toBe(true);
  });

  it('counts months in UTC', () => {
    expect(monthNumber('1961-01')).toBe(1961 * 12);
    expect(monthLabel(monthNumber('1976-07'))).toBe('1976-07');
    expect(monthStartMs(monthNumber('1976-07'))).toBe(Date.parse('1976-07-01T00:00:00Z'));
    expect(monthOfMs(Date.parse('1976-07-31T23:59:59Z'))).toBe(monthNumber('1976-07'));
    expect(() => monthNumber('1976-13')).toThrow(/not a month/);
  });
});
