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
import { HttpError, NAV, SETS, SET_OF, bad, ownValue, type Entity, type EntityType, type NavDef, type NodeHandler, type SensorThingsHttpOptions } from './sensorthings-model';
import { parseOptions } from './sensorthings-query';
import { entitySet, findById, navigateMany, navigateOne, page, pagingQuery, render, type Collection, type Ctx } from './sensorthings-render';

export {
  DEFAULT_TOP,
  MAX_ENTITIES,
  MAX_EXPAND_DEPTH,
  MAX_TOP,
  type DatastreamEntity,
  type LocationEntity,
  type NodeHandler,
  type ObservedPropertyEntity,
  type SensorEntity,
  type SensorThingsHttpOptions,
  type StaCatalogue,
  type StaObservations,
  type ThingEntity,
} from './sensorthings-model';

const CONFORMANCE = [
  'http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/request-data',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates',
];
const MQTT_CONFORMANCE = 'http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates';

// ---------------------------------------------------------------------------------------------- routing

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
