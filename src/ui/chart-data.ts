/**
 * A chart's numbers, DOM-free: the points uPlot draws and the gaps counted under the chart.
 *
 * A step is a gap only when it has begun and has no reading. The series is asked up to a step past the
 * timeline's end (so the hour in progress is drawn), which puts steps that begin after now at its end: they have
 * no readings because they have not happened, and counting them would report missing data that is not missing.
 */
import type { ChartSeries } from '../layers/series-registry';

export interface ChartData {
  /** Seconds since the epoch (uPlot's x). */
  readonly xs: number[];
  readonly ys: Array<number | null>;
  /** Steps that have begun (start ≤ nowMs) and have no reading. */
  readonly gaps: number;
}

export function chartData(series: Pick<ChartSeries, 'tMs' | 'value'>, nowMs: number): ChartData {
  const n = series.tMs.length;
  const xs: number[] = Array.from({ length: n }, () => 0);
  const ys: Array<number | null> = Array.from({ length: n }, () => null);
  let gaps = 0;
  for (let i = 0; i < n; i++) {
    const tMs = series.tMs[i]!;
    xs[i] = tMs / 1000;
    const v = series.value[i]!;
    ys[i] = Number.isFinite(v) ? v : null;
    if (ys[i] === null && tMs <= nowMs) gaps++;
  }
  return { xs, ys, gaps };
}
