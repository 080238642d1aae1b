/**
 * One quantity of the climate record in memory, as the worker keeps it: stations (struct of arrays) and the
 * station × month matrix, read either through SensorThings (the service's monthly datastreams, the same client as
 * the live sensors) or, on a static host without a service, from the record file itself. Both give the same
 * numbers: the service serves the file's values unchanged.
 */
import { converter } from '../geo/crs';
import { readDatastreams, readObservations, type ClientOptions, type DatastreamMeta } from '../sensors/sensorthings';
import { normals, type ClimateMatrix } from './analysis';
import { monthNumber, monthOfMs, monthStartMs, type ClimateQuantity, type ClimateRecordFile } from './record';

export interface ClimateStations {
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly lonDeg: Float64Array;
  readonly latDeg: Float64Array;
  readonly x3035: Float64Array;
  readonly y3035: Float64Array;
  /** Station elevation, m (NaN: unknown). */
  readonly elevationM: Float64Array;
}

export interface ClimateDataset {
  readonly quantity: ClimateQuantity;
  readonly unit: string;
  /** "1961-01": month 0 of the matrix. */
  readonly startMonth: string;
  readonly stations: ClimateStations;
  readonly matrix: ClimateMatrix;
  /** Per station and calendar month, 1961–1990 (see analysis.ts). */
  readonly normal: Float32Array;
}

/** The ObservedProperty names the service gives the two quantities. */
export const PROPERTY_OF: Readonly<Record<ClimateQuantity, string>> = { temperature: 'Air temperature', precipitation: 'Precipitation' };

function stationsOf(rows: ReadonlyArray<{ id: string; name: string; lonDeg: number; latDeg: number; elevationM: number | null }>): ClimateStations {
  const toLaea = converter(4326, 3035);
  const n = rows.length;
  const s = { ids: rows.map((r) => r.id), names: rows.map((r) => r.name), lonDeg: new Float64Array(n), latDeg: new Float64Array(n), x3035: new Float64Array(n), y3035: new Float64Array(n), elevationM: new Float64Array(n) };
  rows.forEach((r, i) => {
    const [x, y] = toLaea.forward([r.lonDeg, r.latDeg]) as [number, number];
    s.lonDeg[i] = r.lonDeg;
    s.latDeg[i] = r.latDeg;
    s.x3035[i] = x;
    s.y3035[i] = y;
    s.elevationM[i] = r.elevationM ?? NaN;
  });
  return s;
}

function dataset(quantity: ClimateQuantity, unit: string, startMonth: string, months: number, stations: ClimateStations, values: Float32Array): ClimateDataset {
  const matrix: ClimateMatrix = { stations: stations.ids.length, months, startYear: Number(startMonth.slice(0, 4)), values };
  return { quantity, unit, startMonth, stations, matrix, normal: normals(matrix) };
}

/** From the record file (static hosting): the stations that have this quantity, in the file's order. */
export function datasetFromRecord(record: ClimateRecordFile, quantity: ClimateQuantity): ClimateDataset {
  const q = record.monthly[quantity];
  const rows = record.stations.filter((s) => q.series[s.id]);
  const values = new Float32Array(rows.length * record.months).fill(NaN);
  rows.forEach((st, i) => {
    const s = q.series[st.id]!;
    s.values.forEach((v, j) => {
      if (v !== null && s.first + j < record.months) values[i * record.months + s.first + j] = v;
    });
  });
  return dataset(quantity, q.unit.symbol, record.startMonth, record.months, stationsOf(rows), values);
}

/** The monthly datastreams of a quantity on a SensorThings service (a measured record, `timeResolution` P1M). */
export function monthlyStreams(metas: readonly DatastreamMeta[], quantity: ClimateQuantity): DatastreamMeta[] {
  return metas.filter((d) => d.property === PROPERTY_OF[quantity] && d.timeResolution === 'P1M');
}

/**
 * Through SensorThings: the datastreams, then each one's observations in [start, end), a few requests at a time.
 * `onProgress` gets the fraction of datastreams read.
 */
export async function datasetFromSensorThings(
  staUrl: string, quantity: ClimateQuantity, startMonth: string, months: number, o: ClientOptions, onProgress: (fraction: number) => void = () => {},
): Promise<ClimateDataset> {
  const streams = monthlyStreams(await readDatastreams(staUrl, o), quantity);
  if (streams.length === 0) throw new Error(`the SensorThings service at ${staUrl} has no monthly “${PROPERTY_OF[quantity]}” datastreams`);
  const start = monthNumber(startMonth);
  const values = new Float32Array(streams.length * months).fill(NaN);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < streams.length; i = next++) {
      await readObservations(staUrl, streams[i]!.id, monthStartMs(start), monthStartMs(start + months), { ...o, top: 1000 }, (page) => {
        for (let k = 0; k < page.tMs.length; k++) {
          const m = monthOfMs(page.tMs[k]!) - start;
          if (m >= 0 && m < months) values[i * months + m] = page.value[k]!;
        }
      });
      onProgress(++done / streams.length);
    }
  };
  // Six at a time: what a browser opens to one host anyway, and the service answers each in milliseconds.
  await Promise.all(Array.from({ length: Math.min(6, streams.length) }, worker));
  const rows = streams.map((d) => ({ id: d.stationCode ?? d.thingId, name: d.thingName, lonDeg: d.lonDeg, latDeg: d.latDeg, elevationM: d.elevationM ?? null }));
  return dataset(quantity, streams[0]!.unitSymbol, startMonth, months, stationsOf(rows), values);
}
