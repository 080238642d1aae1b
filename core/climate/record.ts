/**
 * The ČHMÚ climate record as the pipeline writes it (tilesets/sensors/climate-record.json) and the sample
 * SensorThings service serves it: MEASURED monthly station values 1961–2019 (mean air temperature, precipitation
 * sum) and the daily series of Plzeň-Mikulka 2004–2025.
 *
 * Invariants:
 * - Values are the source's numbers, unchanged (JSON keeps the shortest decimal that round-trips, so "-2.33"
 *   stays -2.33). A month the source lacks is `null` inside a station's span and is never served: absent, not 0.
 * - Months are counted from `startMonth` ("1961-01" = index 0) in UTC; a month's phenomenon time is the interval
 *   [first day 00:00 UTC, first day of the next month 00:00 UTC).
 */
import { z } from '../zod';

export const CLIMATE_QUANTITIES = ['temperature', 'precipitation'] as const;
export type ClimateQuantity = (typeof CLIMATE_QUANTITIES)[number];

export const unitSchema = z.object({ name: z.string(), symbol: z.string(), definition: z.string() });

const seriesSchema = z.object({
  /** Index of the first value's month (or day) from the record's start. */
  first: z.number().int().nonnegative(),
  values: z.array(z.number().nullable()),
});
export type StationSeries = z.infer<typeof seriesSchema>;

const quantitySchema = z.object({
  name: z.string(),
  description: z.string(),
  definition: z.string(),
  unit: unitSchema,
  /** Station id → its series. */
  series: z.record(z.string(), seriesSchema),
});
export type QuantityRecord = z.infer<typeof quantitySchema>;

export const climateRecordSchema = z.object({
  version: z.literal(1),
  attribution: z.string(),
  licence: z.string(),
  source: z.string(),
  startMonth: z.string().regex(/^\d{4}-\d{2}$/),
  months: z.number().int().positive(),
  stations: z.array(z.object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    lonDeg: z.number(),
    latDeg: z.number(),
    elevationM: z.number().nullable(),
  })),
  monthly: z.object({ temperature: quantitySchema, precipitation: quantitySchema }),
  daily: z.object({
    stationId: z.string(),
    /** First day, "YYYY-MM-DD" (UTC). */
    startDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    temperature: quantitySchema,
    precipitation: quantitySchema,
  }),
});
export type ClimateRecordFile = z.infer<typeof climateRecordSchema>;

export function parseClimateRecord(json: unknown, name = 'climate-record.json'): ClimateRecordFile {
  const r = climateRecordSchema.safeParse(json);
  if (!r.success) throw new Error(`${name} is not a version 1 climate record: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** "1961-01" → months since year 0 (so differences are month counts). */
export function monthNumber(ym: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m) throw new RangeError(`not a month: "${ym}"`);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new RangeError(`not a month: "${ym}"`);
  return Number(m[1]) * 12 + month - 1;
}

/** Months since year 0 → "YYYY-MM". */
export function monthLabel(n: number): string {
  return `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/** The UTC start of a month given as months since year 0. */
export function monthStartMs(n: number): number {
  return Date.UTC(Math.floor(n / 12), n % 12, 1);
}

/** The month (months since year 0) an instant falls in, in UTC. */
export function monthOfMs(tMs: number): number {
  const d = new Date(tMs);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export const DAY_MS = 86_400_000;
