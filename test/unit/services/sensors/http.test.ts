/**
 * The SensorThings HTTP API of the local sensor service, over a real socket on 127.0.0.1: paging, time filters,
 * $expand shapes, errors and CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSensorService, type SensorService } from '../../../../services/sensors/service';
import { HOUR_MS } from '../../../../services/sensors/simulation';

const NOW = Date.parse('2025-02-03T08:42:00Z');
let svc: SensorService;

beforeAll(async () => {
  svc = await startSensorService({ port: 0, seed: 11, now: () => NOW, liveIntervalMs: 0 });
});
afterAll(async () => {
  await svc.close();
});

type Json = Record<string, unknown> & { value?: Array<Record<string, unknown>> };
async function get(pathOrUrl: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${svc.httpUrl}${pathOrUrl}`);
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}
const q = (s: string): string => s.replaceAll(' ', '%20');
const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/** A datastream with no gap anywhere in its history. */
function gaplessDatastream(): number {
  const d = svc.dataset;
  const ds = d.datastreams.find((x) => d.simulation.gaps(x.stationIndex, x.key).length === 0);
  if (!ds) throw new Error('every datastream has a gap');
  return ds.id;
}
function gappyDatastream(): number {
  const d = svc.dataset;
  const ds = d.datastreams.find((x) => d.simulation.gaps(x.stationIndex, x.key).length > 0);
  if (!ds) throw new Error('no datastream has a gap');
  return ds.id;
}

describe('SensorThings service root and entities', () => {
  it('lists the entity sets and announces the MQTT endpoint', async () => {
    const { status, body, headers } = await get('');
    expect(status).toBe(200);
    // Same origin as the page: no CORS grant to anyone else.
    expect(headers.get('access-control-allow-origin')).toBeNull();
    expect(headers.get('content-type')).toMatch(/application\/json/);
    expect(body.value!.map((v) => v['name'])).toEqual(['Datastreams', 'Locations', 'Observations', 'ObservedProperties', 'Sensors', 'Things']);
    expect(body.value![0]!['url']).toBe(`${svc.httpUrl}/Datastreams`);
    const settings = body['serverSettings'] as Record<string, { endpoints?: string[] }>;
    expect(settings['http://www.opengis.net/spec/iot_sensing/1.1/req/receive-updates-via-mqtt/receive-updates']?.endpoints).toEqual([svc.mqttUrl]);
  });

  it('serves Things with selfLinks, navigation links and $count', async () => {
    const { body } = await get('/Things?$count=true&$top=5');
    expect(body['@iot.count']).toBe(svc.dataset.things.length);
    expect(body.value).toHaveLength(5);
    const t = body.value![0]!;
    expect(t['@iot.id']).toBe(1);
    expect(t['@iot.selfLink']).toBe(`${svc.httpUrl}/Things(1)`);
    expect(t['Datastreams@iot.navigationLink']).toBe(`${svc.httpUrl}/Things(1)/Datastreams`);
    expect((t['properties'] as Record<string, unknown>)['simulated']).toBe(true);
    expect(body['@iot.nextLink']).toBe(`${svc.httpUrl}/Things?$count=true&$top=5&$skip=5`);
    const one = await get('/Things(1)');
    expect(one.body['name']).toBe(t['name']);
  });

  it('serves Locations as GeoJSON points, Sensors, ObservedProperties and Datastreams', async () => {
    const loc = (await get('/Locations(1)')).body;
    expect(loc['encodingType']).toBe('application/geo+json');
    expect((loc['location'] as { type: string }).type).toBe('Point');
    const ops = (await get('/ObservedProperties')).body.value!;
    expect(ops.map((o) => o['name'])).toEqual(['PM10', 'NO2', 'Air temperature']);
    expect((await get('/Sensors')).body.value!.length).toBe(svc.dataset.sensors.length);
    const ds = (await get(`/Datastreams(${gaplessDatastream()})`)).body;
    expect(ds['unitOfMeasurement']).toHaveProperty('symbol');
    expect(ds['properties']).toMatchObject({ simulated: true, liveIntervalS: 0 });
    expect(ds['phenomenonTime']).toBe(`${new Date(svc.dataset.historyStartMs).toISOString()}/${new Date(svc.dataset.historyEndMs - HOUR_MS).toISOString()}`);
  });

  it('navigates from one entity to related ones', async () => {
    const ds = svc.dataset.datastreams[4]!;
    expect((await get(`/Datastreams(${ds.id})/Thing`)).body['@iot.id']).toBe(ds.thingId);
    expect((await get(`/Datastreams(${ds.id})/ObservedProperty`)).body['@iot.id']).toBe(ds.observedPropertyId);
    expect((await get(`/Things(${ds.thingId})/Datastreams`)).body.value!.map((x) => x['@iot.id'])).toContain(ds.id);
    expect((await get(`/Things(${ds.thingId})/Locations`)).body.value!.map((x) => x['@iot.id'])).toEqual([ds.thingId]);
    expect((await get(`/Locations(${ds.thingId})/Things`)).body.value!.map((x) => x['@iot.id'])).toEqual([ds.thingId]);
    expect((await get(`/Sensors(${ds.sensorId})/Datastreams`)).body.value!.map((x) => x['@iot.id'])).toContain(ds.id);
  });
});

describe('$expand', () => {
  it('expands Thing/Locations and ObservedProperty on a Datastream', async () => {
    const ds = svc.dataset.datastreams[0]!;
    const { body } = await get(`/Datastreams(${ds.id})?$expand=Thing/Locations,ObservedProperty`);
    const thing = body['Thing'] as Json & { Locations: Json[] };
    expect(thing['@iot.id']).toBe(ds.thingId);
    expect(thing.Locations).toHaveLength(1);
    expect((thing.Locations[0]!['location'] as { coordinates: number[] }).coordinates.length).toBeGreaterThanOrEqual(2);
    expect((body['ObservedProperty'] as Json)['@iot.id']).toBe(ds.observedPropertyId);
    expect(body).not.toHaveProperty('ObservedProperty@iot.navigationLink');
    expect(body).toHaveProperty('Sensor@iot.navigationLink');
  });

  it('expands Locations and Datastreams/ObservedProperty on Things', async () => {
    const { body } = await get('/Things?$top=3&$expand=Locations,Datastreams/ObservedProperty');
    for (const t of body.value!) {
      expect(Array.isArray(t['Locations'])).toBe(true);
      const dss = t['Datastreams'] as Json[];
      expect(dss.length).toBeGreaterThan(0);
      for (const d of dss) expect((d['ObservedProperty'] as Json)['name']).toMatch(/PM10|NO2|temperature/);
    }
  });

  it('expands the latest Observation with nested options', async () => {
    const id = gaplessDatastream();
    const { body } = await get(q(`/Datastreams(${id})?$expand=Observations($top=1;$orderby=phenomenonTime desc)`));
    const obs = body['Observations'] as Json[];
    expect(obs).toHaveLength(1);
    expect(obs[0]!['phenomenonTime']).toBe(new Date(svc.dataset.historyEndMs - HOUR_MS).toISOString());
    expect(body['Observations@iot.nextLink']).toMatch(/\$skip=1$/);
  });
});

describe('Observations', () => {
  it('pages with @iot.nextLink through every observation exactly once, in order', async () => {
    const id = gappyDatastream();
    const seen: Array<{ id: number; t: string }> = [];
    let url: string | undefined = `${svc.httpUrl}/Datastreams(${id})/Observations?$top=50&$count=true&$orderby=phenomenonTime%20asc`;
    let count: unknown;
    let pages = 0;
    while (url) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      count ??= body['@iot.count'];
      for (const o of body.value!) {
        seen.push({ id: o['@iot.id'] as number, t: o['phenomenonTime'] as string });
        expect(o['parameters']).toEqual({ simulated: true });
      }
      url = body['@iot.nextLink'] as string | undefined;
      if (url) expect(url.startsWith('http://127.0.0.1:')).toBe(true);
      pages++;
      expect(pages).toBeLessThan(20);
    }
    const expected = 336 - svc.dataset.simulation.gaps(svc.dataset.datastream.get(id)!.stationIndex, svc.dataset.datastream.get(id)!.key)
      .reduce((n, g) => n + (g.toMs - g.fromMs) / HOUR_MS, 0);
    expect(seen).toHaveLength(expected);
    expect(count).toBe(expected);
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i++) expect(Date.parse(seen[i]!.t)).toBeGreaterThan(Date.parse(seen[i - 1]!.t));
    const all = (await get(`/Datastreams(${id})/Observations?$top=1000`)).body.value!;
    expect(all.map((o) => o['@iot.id'])).toEqual(seen.map((s) => s.id));
  });

  it('pages descending across all datastreams without repeats', async () => {
    const from = svc.dataset.historyEndMs - 3 * HOUR_MS;
    const seen = new Set<number>();
    let last = Infinity;
    let url: string | undefined = `${svc.httpUrl}${q(`/Observations?$filter=phenomenonTime ge ${iso(from)}&$orderby=phenomenonTime desc&$top=40`)}`;
    while (url) {
      const { body } = await get(url);
      for (const o of body.value!) {
        const t = Date.parse(o['phenomenonTime'] as string);
        expect(t).toBeLessThanOrEqual(last);
        last = t;
        expect(seen.has(o['@iot.id'] as number)).toBe(false);
        seen.add(o['@iot.id'] as number);
      }
      url = body['@iot.nextLink'] as string | undefined;
    }
    const total = (await get(q(`/Observations?$filter=phenomenonTime ge ${iso(from)}&$count=true&$top=0`))).body;
    expect(total.value).toEqual([]);
    expect(seen.size).toBe(total['@iot.count']);
    expect(seen.size).toBeGreaterThan(2 * svc.dataset.datastreams.length);
  });

  it('honours ge/gt/le/lt window boundaries at whole hours', async () => {
    const id = gaplessDatastream();
    const t0 = svc.dataset.historyStartMs + 24 * HOUR_MS;
    const t1 = t0 + 5 * HOUR_MS;
    const times = async (filter: string): Promise<number[]> =>
      (await get(q(`/Datastreams(${id})/Observations?$orderby=phenomenonTime asc&$filter=${filter}`))).body.value!.map((o) => Date.parse(o['phenomenonTime'] as string));
    const hours = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => t0 + (a + i) * HOUR_MS);
    expect(await times(`phenomenonTime ge ${iso(t0)} and phenomenonTime lt ${iso(t1)}`)).toEqual(hours(0, 4));
    expect(await times(`phenomenonTime gt ${iso(t0)} and phenomenonTime le ${iso(t1)}`)).toEqual(hours(1, 5));
    expect(await times(`phenomenonTime ge ${new Date(t0 - 1).toISOString()} and phenomenonTime lt ${new Date(t1 + 1).toISOString()}`)).toEqual(hours(0, 5));
    expect(await times(`(phenomenonTime ge ${iso(t0)}) and (phenomenonTime lt ${iso(t0)})`)).toEqual([]);
    expect(await times(`overlaps(phenomenonTime, ${iso(t0)}/${iso(t1)})`)).toEqual(hours(0, 4));
    // Offsets other than Z name the same instants.
    expect(await times(`phenomenonTime ge ${new Date(t0).toISOString().slice(0, 11)}${String(new Date(t0).getUTCHours() + 1).padStart(2, '0')}:00:00%2B01:00 and phenomenonTime lt ${iso(t1)}`)).toEqual(hours(0, 4));
  });

  it('finds one observation by id, and its Datastream', async () => {
    const id = gaplessDatastream();
    const o = (await get(`/Datastreams(${id})/Observations?$top=1`)).body.value![0]!;
    const one = (await get(`/Observations(${o['@iot.id'] as number})?$expand=Datastream`)).body;
    expect(one['result']).toBe(o['result']);
    expect((one['Datastream'] as Json)['@iot.id']).toBe(id);
    expect((await get(`/Observations(${(o['@iot.id'] as number) + 1})`)).status).toBe(404);
  });

  it('honours $select', async () => {
    const { body } = await get(`/Datastreams(${gaplessDatastream()})/Observations?$top=2&$select=result,phenomenonTime`);
    expect(Object.keys(body.value![0]!).toSorted()).toEqual(['phenomenonTime', 'result']);
    const ids = (await get('/Things?$top=2&$select=id,name,nonsense')).body.value!;
    expect(Object.keys(ids[0]!).toSorted()).toEqual(['@iot.id', 'name']);
  });
});

describe('errors', () => {
  it.each([
    '/Observations?$top=-1',
    '/Observations?$top=ten',
    '/Observations?$skip=1.5',
    '/Observations?$count=yes',
    '/Observations?$filter=result gt 3',
    '/Observations?$filter=phenomenonTime ge yesterday',
    '/Observations?$filter=phenomenonTime ge 2025-01-01T00:00:00',
    '/Observations?$orderby=result desc',
    '/Observations?$expand=FeatureOfInterest',
    '/Datastreams?$expand=Thing/Nonsense',
    '/Things?$filter=name eq \'Cheb\'',
    '/Things?$format=xml',
    '/Datastreams?$expand=Observations($top=x)',
    '/Things?$expand=Locations(',
  ])('%s → 400 with a JSON error', async (path) => {
    const res = await fetch(`${svc.httpUrl}${q(path)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 400, type: 'error' });
    expect(typeof body['message']).toBe('string');
  });

  it('answers unknown resources 404 and writes 405', async () => {
    expect((await get('/Things(99999)')).status).toBe(404);
    expect((await get('/Thingz')).status).toBe(404);
    expect((await get(`/Datastreams(${svc.dataset.datastreams[0]!.id})/Nope`)).status).toBe(404);
    const post = await fetch(`${svc.httpUrl}/Observations`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    await post.body?.cancel();
    const outside = await fetch(svc.httpUrl.replace('/sta/v1.1', '/elsewhere'));
    expect(outside.status).toBe(404);
    await outside.body?.cancel();
  });

  it('answers an expansion bomb 400 at once, and bounds any response to 50,000 entities', async () => {
    // The attack's request: 10,000 × 10,000 observations asked for; it ends at the limit, not after building them.
    const bomb = await get(q('/Observations?$top=10000&$expand=Datastream($expand=Observations($top=10000))'));
    expect(bomb.status).toBe(400);
    expect(String(bomb.body['message'])).toMatch(/more than 50000 entities/);
    const deep = await get(q('/Observations?$expand=Datastream($expand=Thing($expand=Locations))'));
    expect(deep.status).toBe(400);
    expect(String(deep.body['message'])).toMatch(/2 levels deep at most/);
    expect((await get(q('/Observations?$expand=Datastream/Thing/Locations'))).status).toBe(400);
    // What the page asks for still works.
    expect((await get(q('/Datastreams?$expand=Thing/Locations,ObservedProperty&$top=5'))).status).toBe(200);
  });

  it('treats "constructor" and "__proto__" as names like any other: 404, never 500', async () => {
    for (const p of ['/constructor', '/__proto__', '/Things(1)/constructor', '/toString']) expect((await get(p)).status, p).toBe(404);
    expect((await get(q('/Things?$expand=constructor'))).status).toBe(400);
  });

  it('grants CORS only to the origins the deployment names', async () => {
    const other = await fetch(`${svc.httpUrl}/Things?$top=1`, { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await other.body?.cancel();
    const open = await startSensorService({ port: 0, seed: 11, now: () => NOW, liveIntervalMs: 0, allowOrigins: ['http://127.0.0.1:5173'] });
    try {
      const ok = await fetch(`${open.httpUrl}/Things?$top=1`, { headers: { Origin: 'http://127.0.0.1:5173' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
      expect(ok.headers.get('vary')).toBe('Origin');
      await ok.body?.cancel();
    } finally {
      await open.close();
    }
  });

  it('caps $top at 10000', async () => {
    const { status, body } = await get('/Observations?$top=50000');
    expect(status).toBe(200);
    expect(body.value!.length).toBe(10_000);
  });
});
