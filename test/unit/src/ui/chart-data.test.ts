import { describe, expect, it } from 'vitest';
import { chartData } from '../../../../src/ui/chart-data';

const HOUR = 3600_000;
const T0 = Date.UTC(2026, 11, 7, 0);

describe('the chart counts a step as a gap only when it has begun', () => {
  it('the hour that has not started yet is not "1 hour without data"', () => {
    // As the info panel asks it: up to a step past now (10:30), so the hour from 11:00 is in the series, empty.
    const now = T0 + 10.5 * HOUR;
    const tMs = Float64Array.from({ length: 12 }, (_, k) => T0 + k * HOUR);
    const value = Float32Array.from({ length: 12 }, (_, k) => (k < 11 ? 20 + k : NaN));
    const d = chartData({ tMs, value }, now);
    expect(d.gaps).toBe(0);
    expect(d.ys[11]).toBeNull(); // still drawn as no value
    expect(d.xs[11]).toBe((T0 + 11 * HOUR) / 1000);
  });

  it('a past step without a reading, and the hour in progress without one, are gaps', () => {
    const now = T0 + 2.5 * HOUR;
    const tMs = Float64Array.from([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR, T0 + 4 * HOUR]);
    const value = Float32Array.from([1, NaN, NaN, NaN, NaN]);
    expect(chartData({ tMs, value }, now).gaps).toBe(2);
  });
});
