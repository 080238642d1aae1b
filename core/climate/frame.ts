/**
 * Frames and charts of the climate record: what the worker computes for the page.
 *
 * The grid is fixed for the record (the stations' extent plus the interpolation's reach, at most 512 cells
 * across), so the terrain heights under it are resampled once, and frames of any month are comparable cell by
 * cell. Heights: above sea level like the stations' (SRTM on EGM96 against Bpv: under a metre apart here, under
 * 0.01 °C of lapse rate), bilinear from the 1 km grid the pipeline writes (core/climate/elevation.ts).
 */
import { DEFAULT_IDW_RADIUS_M, gridForExtent } from '../aggregation/aggregate';
import { colourize } from '../aggregation/colour';
import type { ColourSpec, GridSpec3035, LonLatImageSpec } from '../aggregation/types';
import { imageSpecForGrid, warpToLonLat } from '../aggregation/warp';
import { demHeightAt } from '../coverage/profile';
import type { Dem3035 } from '../coverage/types';
import { decadeValues, monthValues, stationTrend, type Trend } from './analysis';
import type { ClimateDataset } from './dataset';
import { crossValidate, interpolateStations, type CrossValidation, type ElevationFit } from './interpolate';

export const CLIMATE_GRID_CELLS = 512;
export const CLIMATE_RADIUS_M = DEFAULT_IDW_RADIUS_M;

export interface ClimateGrid {
  readonly grid: GridSpec3035;
  /** Height above sea level per cell, m; NaN where the terrain model has none. */
  readonly elevationM: Float32Array | null;
}

/** The record's grid over the stations, and the heights above sea level on it. */
export function climateGrid(ds: ClimateDataset, dem: Dem3035 | null, cells = CLIMATE_GRID_CELLS): ClimateGrid {
  const { x3035, y3035 } = ds.stations;
  let xMin = Infinity, yMin = Infinity, xMax = -Infinity, yMax = -Infinity;
  for (let i = 0; i < x3035.length; i++) {
    xMin = Math.min(xMin, x3035[i]!);
    xMax = Math.max(xMax, x3035[i]!);
    yMin = Math.min(yMin, y3035[i]!);
    yMax = Math.max(yMax, y3035[i]!);
  }
  // As far as the interpolation reaches, so its edge is not cut by the grid.
  const pad = CLIMATE_RADIUS_M;
  const span = Math.max(xMax - xMin, yMax - yMin) + 2 * pad;
  const cellM = Math.ceil(span / cells / 100) * 100;
  const grid = gridForExtent({ xMinM: xMin - pad, yMinM: yMin - pad, xMaxM: xMax + pad, yMaxM: yMax + pad }, cellM, cells);
  if (!dem) return { grid, elevationM: null };
  const elevationM = new Float32Array(grid.width * grid.height);
  for (let row = 0; row < grid.height; row++) {
    const y = grid.yMaxM - (row + 0.5) * grid.cellM;
    for (let col = 0; col < grid.width; col++) elevationM[row * grid.width + col] = demHeightAt(dem, grid.xMinM + (col + 0.5) * grid.cellM, y);
  }
  return { grid, elevationM };
}

export type ClimateSelection =
  | { readonly kind: 'month'; readonly month: number }
  | { readonly kind: 'decade'; readonly decadeStartYear: number; readonly calendarMonth: number };

export interface ClimateFrameJob {
  readonly selection: ClimateSelection;
  readonly anomaly: boolean;
  readonly useElevation: boolean;
  readonly colour: ColourSpec;
}

export interface ClimateFrame {
  /** One value per station (NaN: none for this selection). */
  readonly stationValues: Float32Array;
  readonly values: Float32Array;
  readonly image: Uint8ClampedArray;
  readonly imageSpec: LonLatImageSpec;
  readonly fit: ElevationFit;
  /** Leave-one-station-out error of the method used, and of plain IDW for comparison. */
  readonly cv: CrossValidation;
  readonly cvPlain: CrossValidation;
  readonly stationsWithValue: number;
}

export function selectionValues(ds: ClimateDataset, sel: ClimateSelection, anomaly: boolean): Float32Array {
  const normal = anomaly ? ds.normal : null;
  return sel.kind === 'month' ? monthValues(ds.matrix, sel.month, normal) : decadeValues(ds.matrix, sel.decadeStartYear, sel.calendarMonth, normal);
}

export function climateFrame(ds: ClimateDataset, g: ClimateGrid, job: ClimateFrameJob): ClimateFrame {
  const stationValues = selectionValues(ds, job.selection, job.anomaly);
  const useElevation = job.useElevation && g.elevationM !== null;
  const points = ds.stations;
  const { values, fit } = interpolateStations(points, stationValues, g.grid, g.elevationM, { useElevation, radiusM: CLIMATE_RADIUS_M });
  const imageSpec = imageSpecForGrid(g.grid);
  const image = warpToLonLat(colourize(values, job.colour), g.grid, imageSpec);
  let withValue = 0;
  for (const v of stationValues) if (!Number.isNaN(v)) withValue++;
  return {
    stationValues,
    values,
    image,
    imageSpec,
    fit,
    cv: crossValidate(points, stationValues, { useElevation, radiusM: CLIMATE_RADIUS_M }),
    cvPlain: crossValidate(points, stationValues, { useElevation: false, radiusM: CLIMATE_RADIUS_M }),
    stationsWithValue: withValue,
  };
}

export interface ClimateSeries {
  /** The station's value per month of the record (NaN: none). */
  readonly values: Float32Array;
  /** Its 1961–1990 normal per calendar month (NaN: too few years). */
  readonly normal: Float32Array;
  readonly trend: Trend;
}

export function climateSeries(ds: ClimateDataset, station: number): ClimateSeries {
  const m = ds.matrix;
  return {
    values: m.values.slice(station * m.months, (station + 1) * m.months),
    normal: ds.normal.slice(station * 12, station * 12 + 12),
    trend: stationTrend(m, station, ds.normal),
  };
}
