/**
 * The SensorThings entities for the stations of tilesets/sensors/stations.json, and their SIMULATED hourly history.
 *
 * Id scheme (stable for a given stations.json):
 * - Thing n and Location n: the n-th station of the file (1-based; the file is sorted by station id).
 * - ObservedProperty: 1 PM10, 2 NO2, 3 temperature.
 * - Sensor: one per network and property, numbered in order of first use (CHMI PM10 = 1 …).
 * - Datastream: Thing id × 10 + ObservedProperty id (Plzeň-Slovany NO2 = 10×n + 2).
 * - Observation: Datastream id × 2³² + the phenomenon time in whole seconds since 1970 (unique per datastream and
 *   second, ordered like time within a datastream).
 */
import { readFile } from 'node:fs/promises';
import type { ObservedPropertyDef, ObservedPropertyKey, SensorStation, StationsFile, UnitOfMeasurement } from '../../pipeline/sensors/stations';
import { HOUR_MS, Simulation } from './simulation';

export const OBSERVED_PROPERTY_IDS: Readonly<Record<ObservedPropertyKey, number>> = { PM10: 1, NO2: 2, temperature: 3 };
export const HISTORY_DAYS = 14;
const OM_MEASUREMENT = 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement';

export interface ThingEntity {
  id: number;
  name: string;
  description: string;
  properties: { network: string; code: string; country: string; region: string; stationId: string; simulated: true };
  locationIds: number[];
  datastreamIds: number[];
}
export interface LocationEntity {
  id: number;
  name: string;
  description: string;
  encodingType: 'application/geo+json';
  location: { type: 'Point'; coordinates: number[] };
  thingIds: number[];
}
export interface SensorEntity {
  id: number;
  name: string;
  description: string;
  encodingType: string;
  metadata: string;
  properties: { network: string; simulated: true };
  datastreamIds: number[];
}
export interface ObservedPropertyEntity {
  id: number;
  key: ObservedPropertyKey;
  name: string;
  definition: string;
  description: string;
  datastreamIds: number[];
}
export interface DatastreamEntity {
  id: number;
  name: string;
  description: string;
  unitOfMeasurement: UnitOfMeasurement;
  observationType: string;
  properties: { simulated: true; liveIntervalS: number; stationId: string };
  thingId: number;
  sensorId: number;
  observedPropertyId: number;
  /** Index of the station in the stations file (and the simulation). */
  stationIndex: number;
  key: ObservedPropertyKey;
}

/** One observation as stored or generated; the HTTP layer adds links, MQTT sends it as it is. */
export interface ObservationRecord {
  id: number;
  datastreamId: number;
  phenomenonTimeMs: number;
  resultTimeMs: number;
  result: number;
  parameters: Record<string, unknown>;
  /** Set when the phenomenon time is an interval (a month's mean, a day's sum): its end, exclusive. */
  phenomenonEndMs?: number;
}

export interface SensorDataset {
  readonly seed: number;
  /** History: one value per whole hour in [historyStartMs, historyEndMs), minus gaps. */
  readonly historyStartMs: number;
  readonly historyEndMs: number;
  readonly liveIntervalS: number;
  readonly stations: readonly SensorStation[];
  readonly things: readonly ThingEntity[];
  readonly locations: readonly LocationEntity[];
  readonly sensors: readonly SensorEntity[];
  readonly observedProperties: readonly ObservedPropertyEntity[];
  readonly datastreams: readonly DatastreamEntity[];
  readonly thing: ReadonlyMap<number, ThingEntity>;
  readonly location: ReadonlyMap<number, LocationEntity>;
  readonly sensor: ReadonlyMap<number, SensorEntity>;
  readonly observedProperty: ReadonlyMap<number, ObservedPropertyEntity>;
  readonly datastream: ReadonlyMap<number, DatastreamEntity>;
  readonly simulation: Simulation;
  /** The simulated value of a datastream at any instant (history or live). */
  simulatedValue(datastreamId: number, tMs: number): number;
  /** The history observation of a datastream at a whole hour, or null (outside the history or in a gap). */
  historyObservation(datastreamId: number, hourMs: number): ObservationRecord | null;
}

export interface DatasetOptions {
  seed: number;
  /** The service's "now": the history ends at the start of its hour. */
  nowMs: number;
  /** Interval of the live publisher, announced in each datastream's properties (0 = no live values). */
  liveIntervalMs: number;
}

export const SIMULATED_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({ simulated: true });

const ID_SPACE = 2 ** 32;
export function observationId(datastreamId: number, phenomenonTimeMs: number): number {
  return datastreamId * ID_SPACE + Math.floor(phenomenonTimeMs / 1000);
}
export function datastreamOfObservationId(id: number): number {
  return Math.floor(id / ID_SPACE);
}

const byId = <T extends { id: number }>(xs: readonly T[]): Map<number, T> => new Map(xs.map((x) => [x.id, x]));

export async function loadStationsFile(file: string): Promise<StationsFile> {
  const json = JSON.parse(await readFile(file, 'utf8')) as Partial<StationsFile>;
  if (json.version !== 1 || !Array.isArray(json.stations) || typeof json.observedProperties !== 'object') {
    throw new Error(`${file} is not a version 1 sensor station list (rebuild it with npm run tilesets)`);
  }
  return json as StationsFile;
}

/**
 * Per station its Thing and Location, and per reported property a Datastream and (one per network and property) a
 * Sensor; the observed properties get their datastream ids added.
 */
function stationEntities(file: StationsFile, observedProperties: ObservedPropertyEntity[], liveIntervalS: number): {
  things: ThingEntity[];
  locations: LocationEntity[];
  sensors: SensorEntity[];
  datastreams: DatastreamEntity[];
} {
  const stations = file.stations;
  const opByKey = new Map(observedProperties.map((o) => [o.key, o]));
  const things: ThingEntity[] = [];
  const locations: LocationEntity[] = [];
  const sensors: SensorEntity[] = [];
  const sensorByKey = new Map<string, SensorEntity>();
  const datastreams: DatastreamEntity[] = [];
  stations.forEach((st, index) => {
    const id = index + 1;
    things.push({
      id,
      name: st.name,
      description: `${st.network} station ${st.code} (${st.name}); observations are simulated`,
      properties: { network: st.network, code: st.code, country: st.country, region: st.region, stationId: st.id, simulated: true },
      locationIds: [id],
      datastreamIds: [],
    });
    locations.push({
      id,
      name: st.name,
      description: `Position of ${st.network} station ${st.code}`,
      encodingType: 'application/geo+json',
      location: { type: 'Point', coordinates: st.heightM === null ? [st.lonDeg, st.latDeg] : [st.lonDeg, st.latDeg, st.heightM] },
      thingIds: [id],
    });
    for (const key of st.properties) {
      const op = opByKey.get(key);
      const def = file.observedProperties[key];
      if (!op || !def) throw new Error(`station ${st.id} reports the unknown property ${key}`);
      const sensorKey = `${st.network}:${key}`;
      let sensor = sensorByKey.get(sensorKey);
      if (!sensor) {
        sensor = {
          id: sensors.length + 1,
          name: `${st.network} ${def.name} sensor (simulated)`,
          description: `Stands for the ${def.name} instruments of the ${st.network} network; its values are simulated`,
          encodingType: 'text/plain',
          metadata: `Simulated ${def.name} in ${def.unit.symbol}`,
          properties: { network: st.network, simulated: true },
          datastreamIds: [],
        };
        sensors.push(sensor);
        sensorByKey.set(sensorKey, sensor);
      }
      const ds: DatastreamEntity = {
        id: id * 10 + op.id,
        name: `${st.name} ${def.name}`,
        description: `${def.description} at ${st.network} station ${st.code} (SIMULATED values)`,
        unitOfMeasurement: def.unit,
        observationType: OM_MEASUREMENT,
        properties: { simulated: true, liveIntervalS, stationId: st.id },
        thingId: id,
        sensorId: sensor.id,
        observedPropertyId: op.id,
        stationIndex: index,
        key,
      };
      datastreams.push(ds);
      things[index]!.datastreamIds.push(ds.id);
      sensor.datastreamIds.push(ds.id);
      op.datastreamIds.push(ds.id);
    }
  });
  return { things, locations, sensors, datastreams };
}

export function buildDataset(file: StationsFile, opts: DatasetOptions): SensorDataset {
  const historyEndMs = Math.floor(opts.nowMs / HOUR_MS) * HOUR_MS;
  const historyStartMs = historyEndMs - HISTORY_DAYS * 24 * HOUR_MS;
  const liveIntervalS = Math.round(opts.liveIntervalMs / 1000);
  const stations = file.stations;
  const simulation = new Simulation(stations, { seed: opts.seed, historyStartMs, historyEndMs });

  const observedProperties: ObservedPropertyEntity[] = (Object.keys(OBSERVED_PROPERTY_IDS) as ObservedPropertyKey[]).map((key) => {
    const def: ObservedPropertyDef | undefined = file.observedProperties[key];
    if (!def) throw new Error(`stations file lacks the observed property ${key}`);
    return { id: OBSERVED_PROPERTY_IDS[key], key, name: def.name, definition: def.definition, description: def.description, datastreamIds: [] };
  });
  const { things, locations, sensors, datastreams } = stationEntities(file, observedProperties, liveIntervalS);

  const datastream = byId(datastreams);
  const simulatedValue = (datastreamId: number, tMs: number): number => {
    const ds = datastream.get(datastreamId);
    if (!ds) throw new Error(`no datastream ${datastreamId}`);
    return simulation.value(ds.stationIndex, ds.key, tMs);
  };
  return {
    seed: opts.seed,
    historyStartMs,
    historyEndMs,
    liveIntervalS,
    stations,
    things,
    locations,
    sensors,
    observedProperties,
    datastreams,
    thing: byId(things),
    location: byId(locations),
    sensor: byId(sensors),
    observedProperty: byId(observedProperties),
    datastream,
    simulation,
    simulatedValue,
    historyObservation(datastreamId, hourMs) {
      const ds = datastream.get(datastreamId);
      if (!ds || hourMs < historyStartMs || hourMs >= historyEndMs || hourMs % HOUR_MS !== 0) return null;
      if (!simulation.hasValue(ds.stationIndex, ds.key, hourMs)) return null;
      return {
        id: observationId(datastreamId, hourMs),
        datastreamId,
        phenomenonTimeMs: hourMs,
        resultTimeMs: hourMs,
        result: simulation.value(ds.stationIndex, ds.key, hourMs),
        parameters: SIMULATED_PARAMETERS,
      };
    },
  };
}
