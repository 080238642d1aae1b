/**
 * OGC SensorThings API v1.1 over HTTP: datastream metadata and observation history, validated (zod) before use.
 *
 * The requests are the ones FROST-Server and most European city platforms answer:
 *   Datastreams?$expand=Thing/Locations,ObservedProperty&$top=…             (metadata, paged)
 *   Datastreams(id)/Observations?$filter=phenomenonTime ge T0 and phenomenonTime lt T1
 *                               &$orderby=phenomenonTime asc&$select=phenomenonTime,result&$top=…   (history)
 * Every response may carry `@iot.nextLink`; it is followed only while it stays on the server's own origin (a
 * server cannot send the client elsewhere) and for at most `maxPages` pages.
 */
import { z } from 'zod';

z.config({ jitless: true });

export type FetchFn = (url: string, init?: { signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; statusText: string; json(): Promise<unknown> }>;

export class SensorThingsError extends Error {
  override readonly name = 'SensorThingsError';
}

const iotId = z.union([z.number(), z.string()]).transform(String);

const locationSchema = z.object({
  location: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()).min(2) }).or(
    z.object({ type: z.literal('Feature'), geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()).min(2) }) }),
  ),
});

const datastreamSchema = z.object({
  '@iot.id': iotId,
  name: z.string().max(500).default(''),
  unitOfMeasurement: z.object({ name: z.string().nullish(), symbol: z.string().nullish(), definition: z.string().nullish() }).partial().nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
  ObservedProperty: z.object({ name: z.string().max(200), definition: z.string().max(500).nullish() }),
  Thing: z.object({
    '@iot.id': iotId,
    name: z.string().max(500),
    properties: z.record(z.string(), z.unknown()).nullish(),
    Locations: z.array(locationSchema).min(1),
  }),
});

const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ value: z.array(item), '@iot.nextLink': z.string().max(4000).optional() });

const observationSchema = z.object({
  phenomenonTime: z.string().max(100),
  result: z.union([z.number(), z.string().max(100), z.null()]),
});

/** One datastream, flattened: what the twin needs to place, label and query it. */
export interface DatastreamMeta {
  readonly id: string;
  readonly name: string;
  readonly property: string;
  readonly propertyDefinition: string;
  readonly unitSymbol: string;
  readonly thingId: string;
  readonly thingName: string;
  readonly lonDeg: number;
  readonly latDeg: number;
  /** Marked simulated by the server (Thing or Datastream property `simulated: true`). */
  readonly simulated: boolean;
  /** How often a live reading is expected (Datastream property `liveIntervalS`), for the stale flag. */
  readonly expectedIntervalMs: number;
  /** Marked measured by the server (property `measured: true`); neither flag: the server does not say. */
  readonly measured?: boolean;
  /** The Location's third coordinate, metres, when it has one. */
  readonly elevationM?: number;
  /** The station's own code (Thing property `stationId`, e.g. ČHMÚ "C1CHUR01"), when the server gives one. */
  readonly stationCode?: string;
  /** The step of a record's phenomenon times (Datastream property `timeResolution`, ISO 8601, e.g. "P1M"). */
  readonly timeResolution?: string;
}

export interface ObservationPage {
  readonly tMs: Float64Array;
  readonly value: Float32Array;
  /** Entries without a usable time or numeric result, skipped. */
  readonly skipped: number;
}

/** Parses an ISO 8601 instant or the start of an interval ("start/end") to ms; NaN when it is neither. */
export function phenomenonTimeMs(s: string): number {
  const start = s.includes('/') ? s.slice(0, s.indexOf('/')) : s;
  // Only full instants with a zone: a local time without offset would be read in the worker's own zone.
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(start)) return NaN;
  return Date.parse(start);
}

export function resultNumber(r: number | string | null): number {
  if (typeof r === 'number') return r;
  if (typeof r === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(r)) return Number(r);
  return NaN;
}

function entityUrl(base: string, path: string, query: Record<string, string>): string {
  const u = new URL(path, base.endsWith('/') ? base : `${base}/`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.toString();
}

export interface ClientOptions {
  readonly fetch: FetchFn;
  /** Page size asked for. */
  readonly top?: number;
  readonly maxPages?: number;
  readonly signal?: AbortSignal;
}

async function getJson(url: string, o: ClientOptions): Promise<unknown> {
  let res;
  try {
    res = await o.fetch(url, { signal: o.signal });
  } catch (e) {
    throw new SensorThingsError(`SensorThings server unreachable (${new URL(url).origin}): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) throw new SensorThingsError(`SensorThings request failed: HTTP ${res.status} ${res.statusText} for ${new URL(url).pathname}`);
  try {
    return await res.json();
  } catch {
    throw new SensorThingsError(`SensorThings answer is not JSON (${new URL(url).pathname})`);
  }
}

/** Follows `@iot.nextLink` from `first`, handing each page's items to `onPage`. */
async function paged<T>(first: string, item: z.ZodType<T>, o: ClientOptions, onPage: (items: T[]) => void): Promise<void> {
  const origin = new URL(first).origin;
  const schema = pageSchema(item);
  let url: string | undefined = first;
  for (let page = 0; url; page++) {
    if (page >= (o.maxPages ?? 1000)) throw new SensorThingsError(`SensorThings paging stopped after ${page} pages`);
    const parsed = schema.safeParse(await getJson(url, o));
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new SensorThingsError(`SensorThings answer not understood at ${i ? i.path.join('.') : '?'}: ${i?.message ?? ''}`);
    }
    onPage(parsed.data.value as T[]);
    const next: string | undefined = parsed.data['@iot.nextLink'];
    if (next !== undefined) {
      const n = new URL(next, url);
      if (n.origin !== origin) throw new SensorThingsError(`SensorThings nextLink leaves the server (${n.origin}); not followed`);
      url = n.toString();
    } else url = undefined;
  }
}

/** Every datastream of the server with its Thing, Location and ObservedProperty. */
export async function readDatastreams(base: string, o: ClientOptions): Promise<DatastreamMeta[]> {
  const out: DatastreamMeta[] = [];
  const url = entityUrl(base, 'Datastreams', { $expand: 'Thing/Locations,ObservedProperty', $top: String(o.top ?? 200) });
  await paged(url, datastreamSchema, o, (items) => {
    for (const d of items) {
      const loc = d.Thing.Locations[0]!.location;
      const c = 'coordinates' in loc ? loc.coordinates : loc.geometry.coordinates;
      const lon = c[0]!;
      const lat = c[1]!;
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) continue;
      const interval = Number(d.properties?.['liveIntervalS']);
      out.push({
        id: d['@iot.id'],
        name: d.name,
        property: d.ObservedProperty.name,
        propertyDefinition: d.ObservedProperty.definition ?? '',
        unitSymbol: d.unitOfMeasurement?.symbol ?? '',
        thingId: d.Thing['@iot.id'],
        thingName: d.Thing.name,
        lonDeg: lon,
        latDeg: lat,
        simulated: d.properties?.['simulated'] === true || d.Thing.properties?.['simulated'] === true,
        expectedIntervalMs: Number.isFinite(interval) && interval > 0 ? interval * 1000 : 3600_000,
        ...(d.properties?.['measured'] === true || d.Thing.properties?.['measured'] === true ? { measured: true } : {}),
        ...(c.length > 2 && Number.isFinite(c[2]) ? { elevationM: c[2]! } : {}),
        ...(typeof d.properties?.['timeResolution'] === 'string' ? { timeResolution: d.properties['timeResolution'] } : {}),
        ...(typeof d.Thing.properties?.['stationId'] === 'string' ? { stationCode: d.Thing.properties['stationId'].slice(0, 64) } : {}),
      });
    }
  });
  return out;
}

/** One datastream's observations with t0 ≤ phenomenonTime < t1, oldest first, page by page. */
export async function readObservations(base: string, datastreamId: string, t0Ms: number, t1Ms: number, o: ClientOptions, onPage: (page: ObservationPage) => void): Promise<void> {
  const filter = `phenomenonTime ge ${new Date(t0Ms).toISOString()} and phenomenonTime lt ${new Date(t1Ms).toISOString()}`;
  const id = /^\d+$/.test(datastreamId) ? datastreamId : `'${datastreamId.replaceAll("'", "''")}'`;
  const url = entityUrl(base, `Datastreams(${id})/Observations`, {
    $filter: filter,
    $orderby: 'phenomenonTime asc',
    $select: 'phenomenonTime,result',
    $top: String(o.top ?? 1000),
  });
  await paged(url, observationSchema, o, (items) => {
    const t = new Float64Array(items.length);
    const v = new Float32Array(items.length);
    let k = 0;
    for (const it of items) {
      const tm = phenomenonTimeMs(it.phenomenonTime);
      const r = resultNumber(it.result);
      if (!Number.isFinite(tm) || !Number.isFinite(r)) continue;
      t[k] = tm;
      v[k] = r;
      k++;
    }
    onPage({ tMs: t.subarray(0, k), value: v.subarray(0, k), skipped: items.length - k });
  });
}

/** The SensorThings MQTT topic of a datastream's new observations. */
export function observationsTopic(datastreamId: string): string {
  const id = /^\d+$/.test(datastreamId) ? datastreamId : `'${datastreamId}'`;
  return `v1.1/Datastreams(${id})/Observations`;
}

/** The datastream id of an observations topic, or null for any other topic. */
export function datastreamOfTopic(topic: string): string | null {
  const m = /^v1\.[01]\/Datastreams\((?:(\d+)|'([^']*)')\)\/Observations$/.exec(topic);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** A live MQTT payload: one Observation as JSON. Null when it is not one. */
export function parseObservationMessage(payload: Uint8Array | string): { tMs: number; value: number } | null {
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch {
    return null;
  }
  const p = observationSchema.safeParse(json);
  if (!p.success) return null;
  const tMs = phenomenonTimeMs(p.data.phenomenonTime);
  const value = resultNumber(p.data.result);
  return Number.isFinite(tMs) && Number.isFinite(value) ? { tMs, value } : null;
}
