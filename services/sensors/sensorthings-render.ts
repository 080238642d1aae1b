/**
 * SensorThings responses: entity sets and navigation over the catalogue and the observation store, paging, and
 * each entity rendered with its links, selected properties and expansions.
 */
import type { ObservationRecord } from './dataset';
import {
  DEFAULT_TOP,
  HttpError,
  MAX_ENTITIES,
  NAV,
  SET_OF,
  bad,
  ownValue,
  type DatastreamEntity,
  type Entity,
  type EntityType,
  type LocationEntity,
  type ObservedPropertyEntity,
  type SensorEntity,
  type StaCatalogue,
  type StaObservations,
  type ThingEntity,
} from './sensorthings-model';
import type { QueryOptions } from './sensorthings-query';

export interface Ctx {
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

export function navigateOne(ctx: Ctx, type: EntityType, e: Entity, nav: string): Entity | null {
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
export type Collection = { type: Exclude<EntityType, 'Observation'>; items: Entity[] } | { type: 'Observation'; datastreamIds: number[] };

const pick = <T>(ids: readonly number[], map: ReadonlyMap<number, T>): T[] => ids.map((id) => map.get(id)).filter((x): x is T => x !== undefined);

export function navigateMany(ctx: Ctx, type: EntityType, e: Entity, nav: string): Collection {
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

export function entitySet(ctx: Ctx, type: EntityType): Collection {
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

export function findById(ctx: Ctx, type: EntityType, id: number): Entity | null {
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

export function page(ctx: Ctx, c: Collection, o: QueryOptions): Page {
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
export function pagingQuery(raw: ReadonlyArray<[string, string]>, skip: number, sep: string): string {
  const kept = raw.filter(([k]) => k !== '$skip').map(([k, v]) => `${k}=${enc(v)}`);
  kept.push(`$skip=${skip}`);
  return kept.join(sep);
}

export function render(ctx: Ctx, type: EntityType, e: Entity, o: QueryOptions): Record<string, unknown> {
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
