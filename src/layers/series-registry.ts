/**
 * Where a chart gets its numbers: a layer that offers time series (sensors) registers a source for its layer id;
 * the info panel asks it for the selection's `ChartRef`. Keeps the UI free of any layer's internals.
 */
import type { ChartRef } from '../state/types';
import { layerRegistry } from './registry';

export interface ChartSeries {
  /** One entry per time step (ms since the epoch, UTC), ascending. */
  readonly tMs: Float64Array;
  /** NaN where there is no reading in that step: drawn as a gap. */
  readonly value: Float32Array;
  readonly stepMs: number;
  readonly unit: string;
  /** Plain text, from the data: never HTML. */
  readonly label: string;
  readonly simulated: boolean;
  /** A measured climate record: its normal per step, and the trend line with its slope and method. */
  readonly record?: {
    /** Each year's mean of its twelve months, at its July (NaN: a year with a month missing, and every other month). */
    readonly annual: Float32Array;
    /** The normal's mean over the twelve months, per step (a level, not the seasonal cycle). */
    readonly normal: Float32Array;
    readonly trendLine: Float32Array;
    readonly perDecade: number;
    /** e.g. "1961–1990" */
    readonly normalPeriod: string;
  };
}

export type SeriesSource = (chart: ChartRef, t0Ms: number, t1Ms: number) => Promise<ChartSeries>;

const sources = layerRegistry<SeriesSource>();
export const registerSeriesSource = sources.register;
export const seriesSource = sources.get;
