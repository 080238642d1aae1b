/**
 * A read-only OGC SensorThings API v1.1 endpoint over the simulated dataset, as a plain node request handler
 * (usable on its own or as connect middleware in Vite's dev and preview servers).
 *
 * Served: the service root; Things, Locations, Sensors, ObservedProperties, Datastreams, Observations, each by id,
 * and their navigation (e.g. Datastreams(13)/Observations, Things(1)/Locations). Query options: $top (default 100,
 * at most 10000), $skip, $count, $orderby (phenomenonTime or id, asc|desc), $select, $expand (with nested options),
 * and on Observations a $filter of `phenomenonTime ge|gt|le|lt|eq <instant>` clauses joined by `and`, or
 * `overlaps(phenomenonTime, <start>/<end>)`. Anything else is answered 400 with a FROST-style JSON error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ObservationRecord } from './dataset';
import type { ObservationPage, ObservationQuery, TimeBound } from './observations';

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

type EntityType = 'Thing' | 'Location' | 'Sensor' | 'ObservedProperty' | 'Datastream' | 'Observation';
type Entity = ThingEntity | LocationEntity | SensorEntity | ObservedPropertyEntity | DatastreamEntity | ObservationRecord;

const SETS: Readonly<Record<string, EntityType>> = {
  Things: 'Thing',
  Locations: 'Location',
  Sensors: 'Sensor',
  ObservedProperties: 'ObservedProperty',
  Datastreams: 'Datastream',
  Observations: 'Observation',
};
const SET_OF: Readonly<Record<EntityType, string>> = {
  Thing: 'Things', Location: 'Locations', Sensor: 'Sensors', ObservedProperty: 'ObservedProperties', Datastream: 'Datastreams', Observation: 'Observations',
};

interface NavDef { target: EntityType; many: boolean }
const NAV: Readonly<Record<EntityType, Readonly<Record<string, NavDef>>>> = {
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

const CONFORMANCE = [
  'http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/request-data',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates',
];
const MQTT_CONFORMANCE = 'http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates';

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
const bad = (message: string): HttpError => new HttpError(400, message);

// ---------------------------------------------------------------------------------------------- query options

interface TimeFilter { from?: TimeBound; to?: TimeBound }

interface QueryOptions {
  top?: number;
  skip: number;
  count: boolean;
  orderBy?: { field: 'phenomenonTime' | 'id' | 'name'; desc: boolean };
  filter?: TimeFilter;
  select?: Set<string>;
  expand: Map<string, QueryOptions>;
  /** The options as given, to rebuild paging links. */
  raw: Array<[string, string]>;
}

const emptyOptions = (): QueryOptions => ({ skip: 0, count: false, expand: new Map(), raw: [] });

const KNOWN_OPTIONS = new Set(['$top', '$skip', '$count', '$orderby', '$select', '$expand', '$filter', '$resultFormat']);

/** `depth`: how many $expand levels these options sit below the request (0: the request's own). */
function parseOptions(pairs: Array<[string, string]>, depth = 0): QueryOptions {
  const o = emptyOptions();
  for (const [key, value] of pairs) {
    if (!key.startsWith('$')) continue;
    if (!KNOWN_OPTIONS.has(key)) throw bad(`Unsupported query option ${key}`);
    o.raw.push([key, value]);
    switch (key) {
      case '$top': o.top = Math.min(MAX_TOP, nonNegativeInt(key, value)); break;
      case '$skip': o.skip = nonNegativeInt(key, value); break;
      case '$count':
        if (value !== 'true' && value !== 'false') throw bad(`$count must be true or false, not "${value}"`);
        o.count = value === 'true';
        break;
      case '$orderby': o.orderBy = parseOrderBy(value); break;
      case '$select': o.select = new Set(value.split(',').map((s) => s.trim()).filter((s) => s.length > 0)); break;
      case '$expand': parseExpand(value, o.expand, depth + 1); break;
      case '$filter': o.filter = parseFilter(value); break;
      case '$resultFormat': if (value !== 'default') throw bad(`Unsupported $resultFormat ${value}`); break;
    }
  }
  return o;
}

function nonNegativeInt(key: string, value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw bad(`${key} must be a non-negative integer, not "${value}"`);
  return Number(value.trim());
}

function parseOrderBy(value: string): QueryOptions['orderBy'] {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const parsed = parts.map((p) => {
    const m = /^(phenomenonTime|id|@iot\.id|name)(?:\s+(asc|desc))?$/i.exec(p);
    if (!m) throw bad(`Unsupported $orderby "${p}": phenomenonTime, id or name, asc or desc`);
    const f = m[1]!.toLowerCase();
    return { field: f === 'phenomenontime' ? 'phenomenonTime' as const : f === 'name' ? 'name' as const : 'id' as const, desc: m[2]?.toLowerCase() === 'desc' };
  });
  const first = parsed[0];
  if (!first) throw bad('Empty $orderby');
  // A second key is accepted only as the id tie-break every ordering already has.
  for (const extra of parsed.slice(1)) if (extra.field !== 'id' || extra.desc !== first.desc) throw bad(`Unsupported $orderby "${value}": one key (id as a second key in the same direction)`);
  return first;
}

/** Split at the separator outside parentheses and quotes. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') {
      depth--;
      if (depth < 0) throw bad(`Unbalanced parentheses in "${s}"`);
    } else if (!quoted && depth === 0 && c === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) throw bad(`Unbalanced parentheses or quotes in "${s}"`);
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

function parseExpand(value: string, into: Map<string, QueryOptions>, depth = 1): void {
  for (const item of splitTop(value, ',')) {
    const m = /^([A-Za-z]+(?:\/[A-Za-z]+)*)(?:\((.*)\))?$/s.exec(item);
    if (!m) throw bad(`Cannot parse $expand item "${item}"`);
    const path = m[1]!.split('/');
    if (depth + path.length - 1 > MAX_EXPAND_DEPTH) throw bad(`$expand is answered ${MAX_EXPAND_DEPTH} levels deep at most ("${item}" goes deeper)`);
    let level = into;
    path.forEach((nav, i) => {
      let node = level.get(nav);
      if (!node) level.set(nav, (node = emptyOptions()));
      if (i === path.length - 1 && m[2] !== undefined) {
        const nested = parseOptions(splitTop(m[2], ';').map((kv) => {
          const eq = kv.indexOf('=');
          if (eq < 0) throw bad(`Cannot parse nested option "${kv}" in $expand`);
          return [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()] as [string, string];
        }), depth + i);
        for (const [k, v] of node.expand) if (!nested.expand.has(k)) nested.expand.set(k, v);
        level.set(nav, nested);
        node = nested;
      }
      level = node.expand;
    });
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/;

function parseInstant(text: string): number {
  // A '+' in an unencoded query string arrives as a space.
  const s = text.trim().replace(/^'(.*)'$/, '$1').replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = INSTANT.exec(s);
  const t = m ? Date.parse(s) : NaN;
  if (!Number.isFinite(t)) throw bad(`"${text}" is not an ISO 8601 instant with a time zone (e.g. 2025-01-31T12:00:00Z)`);
  return t;
}

function parseFilter(value: string): TimeFilter {
  const f: TimeFilter = {};
  const lower = (b: TimeBound): void => {
    if (!f.from || b.tMs > f.from.tMs || (b.tMs === f.from.tMs && !b.inclusive)) f.from = b;
  };
  const upper = (b: TimeBound): void => {
    if (!f.to || b.tMs < f.to.tMs || (b.tMs === f.to.tMs && !b.inclusive)) f.to = b;
  };
  const clauses = value.trim().split(/\s+and\s+/i);
  for (const raw of clauses) {
    const clause = raw.trim().replace(/^\((.*)\)$/s, '$1').trim();
    const cmp = /^phenomenonTime\s+(ge|gt|le|lt|eq)\s+(.+)$/.exec(clause);
    if (cmp) {
      const t = parseInstant(cmp[2]!);
      switch (cmp[1]) {
        case 'ge': lower({ tMs: t, inclusive: true }); break;
        case 'gt': lower({ tMs: t, inclusive: false }); break;
        case 'le': upper({ tMs: t, inclusive: true }); break;
        case 'lt': upper({ tMs: t, inclusive: false }); break;
        case 'eq': lower({ tMs: t, inclusive: true }); upper({ tMs: t, inclusive: true }); break;
      }
      continue;
    }
    const ov = /^overlaps\(\s*phenomenonTime\s*,\s*'?([^/']+)\/([^/']+)'?\s*\)$/.exec(clause);
    if (ov) {
      lower({ tMs: parseInstant(ov[1]!), inclusive: true });
      upper({ tMs: parseInstant(ov[2]!), inclusive: false });
      continue;
    }
    throw bad(`Unsupported $filter "${raw.trim()}": only phenomenonTime ge|gt|le|lt|eq <instant> joined by and, or overlaps(phenomenonTime, <start>/<end>)`);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------- rendering

interface Ctx {
  origin: string;
  base: string;
  dataset: StaCatalogue;
  store: StaObservations;
  /** Entities rendered so far in this response (see MAX_ENTITIES). */
  rendered: number;
}

const iso = (t: number): string => new Date(t).toISOString();

function selfLink(ctx: Ctx, type: EntityType, id: number): string {
  return `${ctx.origin}${ctx.base}/${SET_OF[type]}(${id})`;
}

function properties(ctx: Ctx, type: EntityType, e: Entity): Record<string, unknown> {
  switch (type) {
    case 'Thing': {
      const t = e as ThingEntity;
      return { name: t.name, description: t.description, properties: t.properties };
    }
    case 'Location': {
      const l = e as LocationEntity;
      return { name: l.name, description: l.description, encodingType: l.encodingType, location: l.location };
    }
    case 'Sensor': {
      const s = e as SensorEntity;
      return { name: s.name, description: s.description, encodingType: s.encodingType, metadata: s.metadata, properties: s.properties };
    }
    case 'ObservedProperty': {
      const o = e as ObservedPropertyEntity;
      return { name: o.name, definition: o.definition, description: o.description };
    }
    case 'Datastream': {
      const d = e as DatastreamEntity;
      const first = ctx.store.earliestTimeMs(d.id);
      const last = ctx.store.latestTimeMs(d.id);
      return {
        name: d.name, description: d.description, unitOfMeasurement: d.unitOfMeasurement, observationType: d.observationType,
        ...(first !== null && last !== null ? { phenomenonTime: `${iso(first)}/${iso(last)}` } : {}),
        properties: d.properties,
      };
    }
    case 'Observation': {
      const o = e as ObservationRecord;
      const phenomenonTime = o.phenomenonEndMs === undefined ? iso(o.phenomenonTimeMs) : `${iso(o.phenomenonTimeMs)}/${iso(o.phenomenonEndMs)}`;
      return { phenomenonTime, resultTime: iso(o.resultTimeMs), result: o.result, parameters: o.parameters };
    }
  }
}

const idOf = (e: Entity): number => e.id;

function navigateOne(ctx: Ctx, type: EntityType, e: Entity, nav: string): Entity | null {
  const d = ctx.dataset;
  if (type === 'Datastream') {
    const ds = e as DatastreamEntity;
    if (nav === 'Thing') return d.thing.get(ds.thingId) ?? null;
    if (nav === 'Sensor') return d.sensor.get(ds.sensorId) ?? null;
    if (nav === 'ObservedProperty') return d.observedProperty.get(ds.observedPropertyId) ?? null;
  }
  if (type === 'Observation' && nav === 'Datastream') return d.datastream.get((e as ObservationRecord).datastreamId) ?? null;
  return null;
}

/** A collection: entities in memory, or observations of some datastreams (queried from the store). */
type Collection = { type: Exclude<EntityType, 'Observation'>; items: Entity[] } | { type: 'Observation'; datastreamIds: number[] };

const pick = <T>(ids: readonly number[], map: ReadonlyMap<number, T>): T[] => ids.map((id) => map.get(id)).filter((x): x is T => x !== undefined);

function navigateMany(ctx: Ctx, type: EntityType, e: Entity, nav: string): Collection {
  const d = ctx.dataset;
  switch (`${type}/${nav}`) {
    case 'Thing/Locations': return { type: 'Location', items: pick((e as ThingEntity).locationIds, d.location) };
    case 'Thing/Datastreams': return { type: 'Datastream', items: pick((e as ThingEntity).datastreamIds, d.datastream) };
    case 'Location/Things': return { type: 'Thing', items: pick((e as LocationEntity).thingIds, d.thing) };
    case 'Sensor/Datastreams': return { type: 'Datastream', items: pick((e as SensorEntity).datastreamIds, d.datastream) };
    case 'ObservedProperty/Datastreams': return { type: 'Datastream', items: pick((e as ObservedPropertyEntity).datastreamIds, d.datastream) };
    case 'Datastream/Observations': return { type: 'Observation', datastreamIds: [(e as DatastreamEntity).id] };
    default: throw new HttpError(404, `${type} has no navigation property ${nav}`);
  }
}

function entitySet(ctx: Ctx, type: EntityType): Collection {
  const d = ctx.dataset;
  switch (type) {
    case 'Thing': return { type, items: [...d.things] };
    case 'Location': return { type, items: [...d.locations] };
    case 'Sensor': return { type, items: [...d.sensors] };
    case 'ObservedProperty': return { type, items: [...d.observedProperties] };
    case 'Datastream': return { type, items: [...d.datastreams] };
    case 'Observation': return { type, datastreamIds: d.datastreams.map((x) => x.id) };
  }
}

function findById(ctx: Ctx, type: EntityType, id: number): Entity | null {
  const d = ctx.dataset;
  switch (type) {
    case 'Thing': return d.thing.get(id) ?? null;
    case 'Location': return d.location.get(id) ?? null;
    case 'Sensor': return d.sensor.get(id) ?? null;
    case 'ObservedProperty': return d.observedProperty.get(id) ?? null;
    case 'Datastream': return d.datastream.get(id) ?? null;
    case 'Observation': return ctx.store.get(id);
  }
}

interface Page { items: Entity[]; total: number; top: number; skip: number }

function page(ctx: Ctx, c: Collection, o: QueryOptions): Page {
  const top = o.top ?? DEFAULT_TOP;
  if (c.type === 'Observation') {
    if (o.orderBy?.field === 'name') throw bad('Observations have no name to order by');
    const r = ctx.store.query({
      datastreamIds: c.datastreamIds,
      ...(o.filter?.from ? { from: o.filter.from } : {}),
      ...(o.filter?.to ? { to: o.filter.to } : {}),
      orderBy: o.orderBy?.field === 'phenomenonTime' ? 'phenomenonTime' : 'id',
      desc: o.orderBy?.desc ?? false,
      skip: o.skip,
      top,
    });
    return { items: r.items, total: r.total, top, skip: o.skip };
  }
  if (o.filter) throw bad(`$filter is supported on Observations only, not on ${SET_OF[c.type]}`);
  if (o.orderBy?.field === 'phenomenonTime') throw bad(`${SET_OF[c.type]} cannot be ordered by phenomenonTime`);
  const items = [...c.items];
  if (o.orderBy?.field === 'name') {
    items.sort((a, b) => {
      const an = (a as { name: string }).name, bn = (b as { name: string }).name;
      return an < bn ? -1 : an > bn ? 1 : a.id - b.id;
    });
  } else items.sort((a, b) => a.id - b.id);
  if (o.orderBy?.desc) items.reverse();
  return { items: items.slice(o.skip, o.skip + top), total: items.length, top, skip: o.skip };
}

/** Percent-encoding that keeps the characters of OData options readable. */
const enc = (v: string): string => encodeURIComponent(v).replace(/%2C/g, ',').replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%24/g, '$').replace(/%40/g, '@')
  .replace(/%3D/g, '=').replace(/%3B/g, ';');

/** Query string with $skip replaced, keys kept readable. */
function pagingQuery(raw: ReadonlyArray<[string, string]>, skip: number, sep: string): string {
  const kept = raw.filter(([k]) => k !== '$skip').map(([k, v]) => `${k}=${enc(v)}`);
  kept.push(`$skip=${skip}`);
  return kept.join(sep);
}

function render(ctx: Ctx, type: EntityType, e: Entity, o: QueryOptions): Record<string, unknown> {
  // Counted as it is built: a request for too much ends at the limit, not after the server has built it all.
  if (++ctx.rendered > MAX_ENTITIES) throw bad(`The response would hold more than ${MAX_ENTITIES} entities: ask for fewer ($top, $filter, $select) or follow the nextLinks`);
  const link = selfLink(ctx, type, idOf(e));
  const sel = o.select;
  const want = (name: string): boolean => !sel || sel.has(name);
  const out: Record<string, unknown> = {};
  if (!sel || sel.has('id') || sel.has('@iot.id')) out['@iot.id'] = idOf(e);
  if (!sel || sel.has('selfLink') || sel.has('@iot.selfLink')) out['@iot.selfLink'] = link;
  for (const [k, v] of Object.entries(properties(ctx, type, e))) if (want(k)) out[k] = v;
  const navs = NAV[type];
  for (const nav of Object.keys(navs)) if (want(nav) && !o.expand.has(nav)) out[`${nav}@iot.navigationLink`] = `${link}/${nav}`;
  for (const [nav, nested] of o.expand) {
    const def = ownValue(navs, nav);
    if (!def) throw bad(`Cannot expand ${nav}: ${type} has no such navigation property (it has ${Object.keys(navs).join(', ')})`);
    if (!def.many) {
      const target = navigateOne(ctx, type, e, nav);
      out[nav] = target ? render(ctx, def.target, target, nested) : null;
      continue;
    }
    const p = page(ctx, navigateMany(ctx, type, e, nav), nested);
    if (nested.count) out[`${nav}@iot.count`] = p.total;
    out[nav] = p.items.map((x) => render(ctx, def.target, x, nested));
    if (p.skip + p.items.length < p.total && p.items.length > 0) out[`${nav}@iot.nextLink`] = `${link}/${nav}?${pagingQuery(nested.raw, p.skip + p.top, '&')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- routing

/** A table's own entry only: "constructor" or "__proto__" in a path are names like any other, not found. */
const ownValue = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

const SEGMENT = /^([A-Za-z]+)(?:\((\d{1,16})\))?$/;

type Resolved = { collection: Collection } | { type: EntityType; entity: Entity };

function resolve(ctx: Ctx, segments: string[]): Resolved {
  let current: Resolved | null = null;
  for (const seg of segments) {
    const m = SEGMENT.exec(seg);
    if (!m) throw new HttpError(404, `No such resource: ${seg}`);
    const name = m[1]!;
    const id = m[2] === undefined ? null : Number(m[2]);
    let collection: Collection;
    if (current === null) {
      const type = ownValue(SETS, name);
      if (!type) throw new HttpError(404, `No such entity set: ${name}`);
      collection = entitySet(ctx, type);
    } else if ('entity' in current) {
      const from: { type: EntityType; entity: Entity } = current;
      const def: NavDef | undefined = ownValue(NAV[from.type], name);
      if (!def) throw new HttpError(404, `${from.type} has no navigation property ${name}`);
      if (!def.many) {
        if (id !== null) throw new HttpError(404, `${name} is a single entity`);
        const target = navigateOne(ctx, from.type, from.entity, name);
        if (!target) throw new HttpError(404, `${name} not found`);
        current = { type: def.target, entity: target };
        continue;
      }
      collection = navigateMany(ctx, from.type, from.entity, name);
    } else {
      throw new HttpError(404, `A collection has no navigation property ${name}; address one entity by its id first`);
    }
    if (id === null) {
      current = { collection };
      continue;
    }
    const entity = findById(ctx, collection.type, id);
    const member = entity !== null && (collection.type === 'Observation'
      ? collection.datastreamIds.includes((entity as ObservationRecord).datastreamId)
      : collection.items.includes(entity));
    if (!entity || !member) throw new HttpError(404, `${SET_OF[collection.type]}(${id}) not found`);
    current = { type: collection.type, entity };
  }
  if (!current) throw new HttpError(404, 'Not found');
  return current;
}

function originOf(req: IncomingMessage): { http: string; ws: string } {
  const secure = (req.socket as Partial<TLSSocket>).encrypted === true;
  const host = req.headers.host ?? 'localhost';
  return { http: `${secure ? 'https' : 'http'}://${host}`, ws: `${secure ? 'wss' : 'ws'}://${host}` };
}

/** CORS for a page of another origin that the deployment allows; same-origin pages need none. */
export function corsHeaders(req: IncomingMessage, allowOrigins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  return origin && allowOrigins.includes(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
}

function send(res: ServerResponse, status: number, body: unknown, head: boolean, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(head ? undefined : text);
}

export function createSensorThingsHandler(opts: SensorThingsHttpOptions): NodeHandler {
  const base = (opts.basePath ?? '/sta/v1.1').replace(/\/+$/, '');
  const mqttPath = opts.mqttPath;
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    if (pathname !== base && !pathname.startsWith(`${base}/`)) {
      if (next) next();
      else send(res, 404, { code: 404, type: 'error', message: `Not found: ${pathname}` }, req.method === 'HEAD');
      return;
    }
    const head = req.method === 'HEAD';
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req, opts.allowOrigins ?? []),
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': '*',
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && !head) {
      send(res, 405, { code: 405, type: 'error', message: 'This SensorThings service is read-only: GET only' }, false, { Allow: 'GET, HEAD, OPTIONS' });
      return;
    }
    const origin = originOf(req);
    const ctx: Ctx = { origin: origin.http, base, dataset: opts.dataset, store: opts.store, rendered: 0 };
    const cors = corsHeaders(req, opts.allowOrigins ?? []);
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}): void => send(res, status, body, head, { ...cors, ...extra });
    try {
      let rest: string;
      try {
        rest = decodeURIComponent(pathname.slice(base.length));
      } catch {
        throw bad('Malformed percent-encoding in the path');
      }
      const segments = rest.split('/').filter((s) => s.length > 0);
      const pairs: Array<[string, string]> = [...url.searchParams.entries()];
      const options = parseOptions(pairs);
      if (segments.length === 0) {
        reply(200, {
          value: Object.keys(SETS).toSorted().map((name) => ({ name, url: `${ctx.origin}${base}/${name}` })),
          serverSettings: {
            conformance: CONFORMANCE,
            ...(mqttPath ? { [MQTT_CONFORMANCE]: { endpoints: [`${origin.ws}${mqttPath}`] } } : {}),
          },
          ...(opts.about ?? { simulated: true, note: 'Station positions are real; every observation served here is simulated.' }),
        });
        return;
      }
      const target = resolve(ctx, segments);
      if ('entity' in target) {
        if (options.filter) throw bad('$filter applies to collections only');
        reply(200, render(ctx, target.type, target.entity, options));
        return;
      }
      const p = page(ctx, target.collection, options);
      const body: Record<string, unknown> = {};
      if (options.count) body['@iot.count'] = p.total;
      body['value'] = p.items.map((e) => render(ctx, target.collection.type, e, options));
      if (p.items.length > 0 && p.skip + p.items.length < p.total) {
        body['@iot.nextLink'] = `${ctx.origin}${pathname}?${pagingQuery(options.raw, p.skip + p.top, '&')}`;
      }
      reply(200, body);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      reply(status, { code: status, type: 'error', message });
    }
  };
}
