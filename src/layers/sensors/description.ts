/**
 * The sensor layer, renderer-neutral: how each observed property is shown (value domain, colour scheme, unit,
 * aggregation), where the SensorThings server is, and which time bucket a scene time falls in.
 *
 * The value domain is fixed per property, not per frame: a colour means the same value at every time step, so
 * scrubbing through a day compares like with like.
 */
import { interpolatePuRd, interpolateRdYlBu, interpolateViridis, interpolateYlOrRd } from 'd3-scale-chromatic';
import type { HeatmapOp } from '../../state/types';

export interface PropertyStyle {
  /** Stable key, also the i18n key suffix (`sensors.property.<key>`). */
  readonly key: string;
  readonly domain: readonly [number, number];
  readonly interpolate: (t: number) => string;
  /** Name of the colour scheme, for the legend's description. */
  readonly scheme: string;
  readonly op: HeatmapOp;
}

/** Matched by the ObservedProperty's definition URI first (it is what servers agree on), then by name. */
const STYLES: ReadonlyArray<{ match: RegExp; style: PropertyStyle }> = [
  { match: /pollutant\/5$|^pm10$/i, style: { key: 'PM10', domain: [0, 100], interpolate: interpolateYlOrRd, scheme: 'YlOrRd', op: 'idw' } },
  { match: /pollutant\/8$|^no2$/i, style: { key: 'NO2', domain: [0, 80], interpolate: interpolatePuRd, scheme: 'PuRd', op: 'idw' } },
  // Reversed so that warm is red, as weather maps show it.
  { match: /air_temperature\/?$|temperature/i, style: { key: 'temperature', domain: [-15, 35], interpolate: (t) => interpolateRdYlBu(1 - t), scheme: 'RdYlBu (reversed)', op: 'idw' } },
];

/** For a property this table does not know: its domain is taken from the data once, then kept. */
export function fallbackStyle(key: string, domain: readonly [number, number]): PropertyStyle {
  return { key, domain, interpolate: interpolateViridis, scheme: 'viridis', op: 'idw' };
}

export function styleOf(name: string, definition: string): PropertyStyle | null {
  for (const { match, style } of STYLES) if (match.test(definition) || match.test(name)) return style;
  return null;
}

/**
 * The readings a scene time shows: those of the step that ends at it, (t − step, t], as a half-open [t0, t1).
 * Hourly air-quality and weather values are stamped with the end of their hour (CHMI, DWD and the EEA do so),
 * so at 14:00 the map shows the 13:00–14:00 mean; in live mode (t = now) it shows the last hour's readings.
 */
export function windowEndingAt(timeMs: number, stepMs: number): { t0Ms: number; t1Ms: number } {
  return { t0Ms: timeMs - stepMs + 1, t1Ms: timeMs + 1 };
}

/** The SensorThings service: the local one beside the page unless the build names another (see README). */
export type { SensorServiceConfig as SensorSourceConfig } from '../../config/runtime-config';
/** One resolution of the build's sensor URLs for the whole app: the deploy-time config starts from the same. */
export { buildDefaults as sensorSource } from '../../config/runtime-config';

/** One mean per time step, NaN for the gaps (computed where the readings live: see the sensors worker). */
export { meanPerStep as hourly } from '../../../core/sensors/timeseries';
