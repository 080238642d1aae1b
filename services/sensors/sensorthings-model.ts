/**
 * The SensorThings entities the endpoint serves, their sets and navigation properties, limits, and its errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObservationRecord } from './dataset';
import type { ObservationPage, ObservationQuery } from './observations';

export const DEFAULT_TOP = 100;
export const MAX_TOP = 10_000;
/** Nested $expand levels answered (FROST's default depth is unbounded; one request must not be able to ask for 10⁸ entities). */
export const MAX_EXPAND_DEPTH = 2;
/** Entities in one response, expanded ones included (≈ 15 MB of JSON at most): beyond, 400 and a message. */
export const MAX_ENTITIES = 50_000;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** The entities an endpoint serves: the simulated dataset and the measured climate record both have this shape. */
interface StaEntity { id: number; name: string; description: string }
export interface ThingEntity extends StaEntity { properties: Readonly<Record<string, unknown>>; locationIds: readonly number[]; datastreamIds: readonly number[] }
export interface LocationEntity extends StaEntity { encodingType: string; location: { type: 'Point'; coordinates: number[] }; thingIds: readonly number[] }
export interface SensorEntity extends StaEntity { encodingType: string; metadata: string; properties: Readonly<Record<string, unknown>>; datastreamIds: readonly number[] }
export interface ObservedPropertyEntity extends StaEntity { definition: string; datastreamIds: readonly number[] }
export interface DatastreamEntity extends StaEntity {
  unitOfMeasurement: { name: string; symbol: string; definition: string };
  observationType: string;
  properties: Readonly<Record<string, unknown>>;
  thingId: number;
  sensorId: number;
  observedPropertyId: number;
}
export interface StaCatalogue {
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
}
/** Observations by id and by query; an observation with `phenomenonEndMs` has an interval as its phenomenon time. */
export interface StaObservations {
  get(id: number): ObservationRecord | null;
  query(q: ObservationQuery): ObservationPage;
  earliestTimeMs(datastreamId: number): number | null;
  /** The end of the latest phenomenon time (its instant, or its interval's end). */
  latestTimeMs(datastreamId: number): number | null;
}

export interface SensorThingsHttpOptions {
  dataset: StaCatalogue;
  store: StaObservations;
  /** What the service root says of its values (simulated or measured), for a reader who opens it. */
  about?: Readonly<Record<string, unknown>>;
  /**
   * Origins of pages elsewhere allowed to read the service (CORS): echoed in Access-Control-Allow-Origin when a
   * request comes from one of them. None by default: the twin's page is on the service's own origin.
   */
  allowOrigins?: readonly string[];
  /** Path prefix of the API, default '/sta/v1.1'. */
  basePath?: string;
  /** Path of the MQTT-over-WebSocket endpoint on the same host, announced in the service root. */
  mqttPath?: string;
}

export type EntityType = 'Thing' | 'Location' | 'Sensor' | 'ObservedProperty' | 'Datastream' | 'Observation';
export type Entity = ThingEntity | LocationEntity | SensorEntity | ObservedPropertyEntity | DatastreamEntity | ObservationRecord;

export const SETS: Readonly<Record<string, EntityType>> = {
  Things: 'Thing',
  Locations: 'Location',
  Sensors: 'Sensor',
  ObservedProperties: 'ObservedProperty',
  Datastreams: 'Datastream',
  Observations: 'Observation',
};
export const SET_OF: Readonly<Record<EntityType, string>> = {
  Thing: 'Things', Location: 'Locations', Sensor: 'Sensors', ObservedProperty: 'ObservedProperties', Datastream: 'Datastreams', Observation: 'Observations',
};

export interface NavDef { target: EntityType; many: boolean }
export const NAV: Readonly<Record<EntityType, Readonly<Record<string, NavDef>>>> = {
  Thing: { Locations: { target: 'Location', many: true }, Datastreams: { target: 'Datastream', many: true } },
  Location: { Things: { target: 'Thing', many: true } },
  Sensor: { Datastreams: { target: 'Datastream', many: true } },
  ObservedProperty: { Datastreams: { target: 'Datastream', many: true } },
  Datastream: {
    Thing: { target: 'Thing', many: false },
    Sensor: { target: 'Sensor', many: false },
    ObservedProperty: { target: 'ObservedProperty', many: false },
    Observations: { target: 'Observation', many: true },
  },
  Observation: { Datastream: { target: 'Datastream', many: false } },
};

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
export const bad = (message: string): HttpError => new HttpError(400, message);

/** A table's own entry only: "constructor" or "__proto__" in a path are names like any other, not found. */
export const ownValue = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);
