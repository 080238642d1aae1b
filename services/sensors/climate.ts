/**
 * The ČHMÚ climate record (tilesets/sensors/climate-record.json) as SensorThings entities: MEASURED values,
 * served unchanged, each with its month or day as an interval phenomenon time. A month the source lacks has no
 * Observation at all (never a zero or a null result).
 *
 * Id scheme (stable for a given record file):
 * - Thing n and Location n: the n-th station of the file (1-based; sorted by ČHMÚ station id).
 * - ObservedProperty: 1 air temperature, 2 precipitation.
 * - Sensor: 1 the monthly station values, 2 the daily values of Plzeň-Mikulka.
 * - Datastream: Thing id × 10 + 1 monthly temperature, + 2 monthly precipitation, + 3 daily temperature,
 *   + 4 daily precipitation.
 * - Observation: Datastream id × 2²⁰ + the step's index from the record's start (month or day): unique,
 *   ordered like time within a datastream, and positive for 1961 (epoch seconds are not).
 */
import { DAY_MS, monthNumber, monthStartMs, type ClimateRecordFile, type QuantityRecord, type StationSeries } from '../../core/climate/record';
import type { ObservationRecord } from './dataset';
import type { ObservationPage, ObservationQuery } from './observations';
import type { DatastreamEntity, LocationEntity, ObservedPropertyEntity, SensorEntity, StaCatalogue, StaObservations, ThingEntity } from './sensorthings-http';

const OM_MEASUREMENT = 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement';
const STEP_SPACE = 2 ** 20;
export const CLIMATE_ABOUT = Object.freeze({
  measured: true,
  note: 'Measured ČHMÚ station values (Zdroj: ČHMÚ). A climate record, not a warning service.',
});

type Resolution = 'P1M' | 'P1D';
interface StreamData {
  /** Start and end (exclusive) of each step's phenomenon time, and its value; steps without a value are left out. */
  startMs: Float64Array;
  endMs: Float64Array;
  value: Float64Array;
  index: Uint32Array;
}

const byId = <T extends { id: number }>(xs: readonly T[]): Map<number, T> => new Map(xs.map((x) => [x.id, x]));

function streamData(s: StationSeries, stepStart: (i: number) => number): StreamData {
  const n = s.values.filter((v) => v !== null).length;
  const d: StreamData = { startMs: new Float64Array(n), endMs: new Float64Array(n), value: new Float64Array(n), index: new Uint32Array(n) };
  let k = 0;
  s.values.forEach((v, j) => {
    if (v === null) return;
    const i = s.first + j;
    d.startMs[k] = stepStart(i);
    d.endMs[k] = stepStart(i + 1);
    d.value[k] = v;
    d.index[k] = i;
    k++;
  });
  return d;
}

const observation = (dsId: number, d: StreamData, k: number): ObservationRecord => ({
  id: dsId * STEP_SPACE + d.index[k]!,
  datastreamId: dsId,
  phenomenonTimeMs: d.startMs[k]!,
  phenomenonEndMs: d.endMs[k]!,
  // The value is known once its month or day is over.
  resultTimeMs: d.endMs[k]!,
  result: d.value[k]!,
  parameters: { measured: true },
});

/** The record's values as Observations, by id and by query (datastream id -> its steps). */
function climateObservations(data: ReadonlyMap<number, StreamData>): StaObservations {
  return {
    get(id) {
      const dsId = Math.floor(id / STEP_SPACE);
      const d = data.get(dsId);
      if (!d) return null;
      const index = id - dsId * STEP_SPACE;
      // Steps are ascending: a binary search finds the one with this index, if it has a value.
      let lo = 0, hi = d.index.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (d.index[mid]! < index) lo = mid + 1;
        else hi = mid;
      }
      return lo < d.index.length && d.index[lo] === index ? observation(dsId, d, lo) : null;
    },
    query(q: ObservationQuery): ObservationPage {
      // An interval is compared by its start, as instants are: "phenomenonTime ge 1976-07-01" includes July 1976.
      const after = (t: number): boolean => !q.from || (q.from.inclusive ? t >= q.from.tMs : t > q.from.tMs);
      const before = (t: number): boolean => !q.to || (q.to.inclusive ? t <= q.to.tMs : t < q.to.tMs);
      const keys: Array<{ ds: number; k: number; t: number; id: number }> = [];
      for (const dsId of q.datastreamIds) {
        const d = data.get(dsId);
        if (!d) continue;
        for (let k = 0; k < d.startMs.length; k++) {
          const t = d.startMs[k]!;
          if (after(t) && before(t)) keys.push({ ds: dsId, k, t, id: dsId * STEP_SPACE + d.index[k]! });
        }
      }
      const cmp = q.orderBy === 'id' ? (a: { id: number }, b: { id: number }) => a.id - b.id : (a: { t: number; id: number }, b: { t: number; id: number }) => a.t - b.t || a.id - b.id;
      keys.sort(q.desc ? (a, b) => cmp(b, a) : cmp);
      return { items: keys.slice(q.skip, q.skip + q.top).map((x) => observation(x.ds, data.get(x.ds)!, x.k)), total: keys.length };
    },
    earliestTimeMs: (dsId) => data.get(dsId)?.startMs[0] ?? null,
    latestTimeMs(dsId) {
      const d = data.get(dsId);
      return d && d.endMs.length > 0 ? d.endMs[d.endMs.length - 1]! : null;
    },
  };
}

export interface ClimateService {
  readonly catalogue: StaCatalogue;
  readonly observations: StaObservations;
}

export function buildClimateService(record: ClimateRecordFile): ClimateService {
  const start = monthNumber(record.startMonth);
  const monthStart = (i: number): number => monthStartMs(start + i);
  const dayZero = Date.parse(`${record.daily.startDay}T00:00:00Z`) / DAY_MS;
  const dayStart = (i: number): number => (dayZero + i) * DAY_MS;

  const observedProperties: ObservedPropertyEntity[] = [
    { id: 1, name: 'Air temperature', definition: record.monthly.temperature.definition, description: 'Air temperature at 2 m', datastreamIds: [] },
    { id: 2, name: 'Precipitation', definition: record.monthly.precipitation.definition, description: 'Liquid-equivalent precipitation', datastreamIds: [] },
  ];
  const sensors: SensorEntity[] = [
    { id: 1, name: 'ČHMÚ climate stations, monthly values', description: 'Monthly values derived from ČHMÚ daily station data (J. Hele, github.com/juhele/chmu-process)', encodingType: 'text/plain', metadata: record.source, properties: { network: 'CHMI', measured: true }, datastreamIds: [] },
    { id: 2, name: 'ČHMÚ Plzeň-Mikulka, daily values', description: 'ČHMÚ open data, daily station series (WMO 11450)', encodingType: 'text/plain', metadata: 'opendata.chmi.cz historical_csv daily', properties: { network: 'CHMI', measured: true }, datastreamIds: [] },
  ];
  const things: ThingEntity[] = [];
  const locations: LocationEntity[] = [];
  const datastreams: DatastreamEntity[] = [];
  const data = new Map<number, StreamData>();

  const addStream = (thing: ThingEntity, k: number, q: QuantityRecord, s: StationSeries, resolution: Resolution, opId: number, sensorId: number): void => {
    const id = thing.id * 10 + k;
    const d = streamData(s, resolution === 'P1M' ? monthStart : dayStart);
    datastreams.push({
      id,
      name: `${thing.name} ${q.name}`,
      description: `${q.description} at ČHMÚ station ${String(thing.properties['stationId'])} (measured)`,
      unitOfMeasurement: q.unit,
      observationType: OM_MEASUREMENT,
      properties: { measured: true, stationId: thing.properties['stationId'], timeResolution: resolution, ...(resolution === 'P1M' ? { aggregation: opId === 1 ? 'mean' : 'sum' } : {}) },
      thingId: thing.id,
      sensorId,
      observedPropertyId: opId,
    });
    (thing.datastreamIds as number[]).push(id);
    observedProperties[opId - 1]!.datastreamIds = [...observedProperties[opId - 1]!.datastreamIds, id];
    sensors[sensorId - 1]!.datastreamIds = [...sensors[sensorId - 1]!.datastreamIds, id];
    data.set(id, d);
  };

  record.stations.forEach((st, i) => {
    const id = i + 1;
    const thing: ThingEntity = {
      id,
      name: st.name,
      description: `ČHMÚ climate station ${st.id} (${st.type}), measured values`,
      properties: { network: 'CHMI', stationId: st.id, stationType: st.type, country: 'CZ', measured: true, elevationM: st.elevationM },
      locationIds: [id],
      datastreamIds: [],
    };
    things.push(thing);
    locations.push({
      id,
      name: st.name,
      description: `Position of ČHMÚ station ${st.id} (current position; stations moved over the decades)`,
      encodingType: 'application/geo+json',
      location: { type: 'Point', coordinates: st.elevationM === null ? [st.lonDeg, st.latDeg] : [st.lonDeg, st.latDeg, st.elevationM] },
      thingIds: [id],
    });
    const t = record.monthly.temperature.series[st.id];
    const p = record.monthly.precipitation.series[st.id];
    if (t) addStream(thing, 1, record.monthly.temperature, t, 'P1M', 1, 1);
    if (p) addStream(thing, 2, record.monthly.precipitation, p, 'P1M', 2, 1);
    if (st.id === record.daily.stationId) {
      const dt = record.daily.temperature.series[st.id];
      const dp = record.daily.precipitation.series[st.id];
      if (dt) addStream(thing, 3, record.daily.temperature, dt, 'P1D', 1, 2);
      if (dp) addStream(thing, 4, record.daily.precipitation, dp, 'P1D', 2, 2);
    }
  });

  const observations = climateObservations(data);

  return {
    catalogue: {
      things, locations, sensors, observedProperties, datastreams,
      thing: byId(things), location: byId(locations), sensor: byId(sensors), observedProperty: byId(observedProperties), datastream: byId(datastreams),
    },
    observations,
  };
}
