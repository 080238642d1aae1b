/**
 * The MQTT side of the local sensor service with a real mqtt.js client over WebSocket: QoS 1 delivery on the
 * SensorThings topic, the same observations afterwards over HTTP, duplicates and out-of-order readings, the live
 * publisher, mounting into another server, and closing.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObservationMessage } from '../../../../services/sensors/broker';
import { attachSensorService, startSensorService, type SensorService } from '../../../../services/sensors/service';
import { sensorService } from '../../../../services/sensors/vite-plugin';

const NOW = Date.parse('2025-02-03T08:42:00Z');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).toReversed()) await c();
});

async function service(liveIntervalMs = 0, now: () => number = () => NOW): Promise<SensorService> {
  const svc = await startSensorService({ port: 0, seed: 3, now, liveIntervalMs });
  cleanups.push(() => svc.close());
  return svc;
}
async function client(url: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, clean: true });
  cleanups.push(() => c.endAsync(true));
  return c;
}
/** Resolve with the next `n` messages on a topic. */
function messages(c: MqttClient, topic: string, n: number): Promise<ObservationMessage[]> {
  return new Promise((resolve) => {
    const got: ObservationMessage[] = [];
    const on = (t: string, payload: Buffer): void => {
      if (t !== topic) return;
      got.push(JSON.parse(payload.toString('utf8')) as ObservationMessage);
      if (got.length === n) {
        c.off('message', on);
        resolve(got);
      }
    };
    c.on('message', on);
  });
}
async function getJson(url: string): Promise<Record<string, unknown> & { value: Array<Record<string, unknown>> }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown> & { value: Array<Record<string, unknown>> };
}

describe('sensor service MQTT', () => {
  it('delivers published observations with QoS 1 on v1.1/Datastreams(id)/Observations, then serves them over HTTP', async () => {
    const svc = await service();
    expect(svc.mqttUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/sta\/mqtt$/);
    const ds = svc.dataset.datastreams[2]!.id;
    const topic = `v1.1/Datastreams(${ds})/Observations`;
    const c = await client(svc.mqttUrl);
    const granted = await c.subscribeAsync(topic, { qos: 1 });
    expect(granted[0]?.qos).toBe(1);
    const next = messages(c, topic, 1);
    const sent = await svc.publish(ds, { phenomenonTime: '2025-02-03T08:42:00Z', result: 4.2 });
    const [got] = await next;
    expect(got).toEqual({ '@iot.id': sent['@iot.id'], phenomenonTime: '2025-02-03T08:42:00.000Z', resultTime: '2025-02-03T08:42:00.000Z', result: 4.2, parameters: { simulated: true } });

    const latest = await getJson(`${svc.httpUrl}/Datastreams(${ds})/Observations?$orderby=phenomenonTime%20desc&$top=1`);
    expect(latest.value[0]).toMatchObject({ '@iot.id': got!['@iot.id'], result: 4.2, phenomenonTime: got!.phenomenonTime });
    const one = await getJson(`${svc.httpUrl}/Observations(${got!['@iot.id']})`);
    expect(one['result']).toBe(4.2);
  });

  it('simulates the result when none is given, and keeps a duplicate once over HTTP while MQTT delivers both', async () => {
    const svc = await service();
    const ds = svc.dataset.datastreams[0]!.id;
    const topic = `v1.1/Datastreams(${ds})/Observations`;
    const c = await client(svc.mqttUrl);
    await c.subscribeAsync(topic, { qos: 1 });
    const next = messages(c, topic, 3);
    const a = await svc.publish(ds);
    const dup = await svc.publish(ds, { '@iot.id': a['@iot.id'], phenomenonTime: a.phenomenonTime, result: a.result });
    const earlier = await svc.publish(ds, { phenomenonTime: NOW - 30 * 60_000, result: 1 });
    const got = await next;
    expect(got.map((m) => m['@iot.id'])).toEqual([a['@iot.id'], dup['@iot.id'], earlier['@iot.id']]);
    expect(a.result).toBe(svc.dataset.simulatedValue(ds, Date.parse(a.phenomenonTime)));
    expect(a.parameters).toEqual({ simulated: true });

    const page = await getJson(`${svc.httpUrl}/Datastreams(${ds})/Observations?$filter=phenomenonTime%20ge%20${new Date(svc.dataset.historyEndMs).toISOString()}&$orderby=phenomenonTime%20asc`);
    // The late-arriving earlier reading sits in time order; the duplicate is there once.
    expect(page.value.map((o) => o['@iot.id'])).toEqual([earlier['@iot.id'], a['@iot.id']]);
  });

  it('gives two readings in the same second distinct ids', async () => {
    const svc = await service();
    const ds = svc.dataset.datastreams[1]!.id;
    const x = await svc.publish(ds, { phenomenonTime: NOW, result: 1 });
    const y = await svc.publish(ds, { phenomenonTime: NOW, result: 2 });
    expect(y['@iot.id']).not.toBe(x['@iot.id']);
    const page = await getJson(`${svc.httpUrl}/Datastreams(${ds})/Observations?$orderby=phenomenonTime%20desc&$top=2`);
    expect(page.value.map((o) => o['result']).toSorted()).toEqual([1, 2]);
  });

  it('publishes live observations for every datastream on its own', async () => {
    let tick = 0;
    const svc = await service(50, () => NOW + 60_000 * tick++);
    const ds = svc.dataset.datastreams.at(-1)!.id;
    const c = await client(svc.mqttUrl);
    await c.subscribeAsync('v1.1/+/Observations', { qos: 1 });
    const [m] = await messages(c, `v1.1/Datastreams(${ds})/Observations`, 1);
    expect(m!.parameters).toEqual({ simulated: true });
    expect(typeof m!.result).toBe('number');
    const one = await getJson(`${svc.httpUrl}/Observations(${m!['@iot.id']})`);
    expect(one['result']).toBe(m!.result);
  });

  it('refuses client publishes: the service is read-only', async () => {
    const svc = await service();
    const ds = svc.dataset.datastreams[0]!.id;
    const c = await client(svc.mqttUrl);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish(`v1.1/Datastreams(${ds})/Observations`, JSON.stringify({ result: 999 }), { qos: 1 });
    await closed;
    const page = await getJson(`${svc.httpUrl}/Datastreams(${ds})/Observations?$orderby=phenomenonTime%20desc&$top=1`);
    expect(page.value[0]!['result']).not.toBe(999);
  });

  it('keeps $SYS (where every client id is listed) unreadable, and takes clean sessions only', async () => {
    const svc = await service();
    const c = await client(svc.mqttUrl);
    // Refused in the SUBACK (0x80), the connection kept.
    await expect(c.subscribeAsync('$SYS/#', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    expect(c.connected).toBe(true);
    // A persistent session would queue messages without bound for a client that never comes back.
    await expect(mqtt.connectAsync(svc.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0, clean: false, clientId: 'keeper', connectTimeout: 5000 })).rejects.toThrow();
  });

  it('refuses a WebSocket from a page of another origin, and an oversized packet', async () => {
    const svc = await service();
    /** The HTTP status of the upgrade, or 101 when the WebSocket opened. */
    const upgrade = (origin: string) => new Promise<number>((resolve) => {
      const ws = new WebSocket(svc.mqttUrl, 'mqtt', { headers: { Origin: origin } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
    expect(await upgrade('https://evil.example.com')).toBe(403);
    expect(await upgrade(`http://${new URL(svc.mqttUrl).host}`)).toBe(101);
    const big = await client(svc.mqttUrl);
    const closed = new Promise<void>((resolve) => big.once('close', () => resolve()));
    big.subscribe(`v1.1/${'x'.repeat(60_000)}`);
    await closed;
  });

  it('frees its port on close, even with a client connected', async () => {
    const svc = await startSensorService({ port: 0, seed: 3, now: () => NOW, liveIntervalMs: 0 });
    const c = await mqtt.connectAsync(svc.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0 });
    const keepAlive = await fetch(`${svc.httpUrl}/Things?$top=1`);
    await keepAlive.json();
    const port = Number(new URL(svc.httpUrl).port);
    await svc.close();
    await svc.close();
    await c.endAsync(true);
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await expect(svc.publish(1)).rejects.toThrow(/closed/);
  });

  it('refuses to bind anything but the loopback interface', async () => {
    await expect(startSensorService({ host: '0.0.0.0', port: 0 })).rejects.toThrow(/loopback/);
  });
});

/** A minimal connect-like middleware stack on a plain HTTP server, as Vite's servers have. */
async function host(): Promise<{ server: http.Server; base: string; middlewares: { use(h: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void): void } }> {
  const stack: Array<(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void> = [];
  const server = http.createServer((req, res) => {
    let i = 0;
    const next = (): void => {
      const h = stack[i++];
      if (h) h(req, res, next);
      else {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('app');
      }
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return { server, base: `127.0.0.1:${(server.address() as AddressInfo).port}`, middlewares: { use: (h) => void stack.push(h) } };
}

describe('mounting into another server', () => {
  it('serves SensorThings and MQTT on the host server, leaving other paths to the app', async () => {
    const { server, base, middlewares } = await host();
    const svc = await attachSensorService(server, middlewares, { seed: 3, now: () => NOW, liveIntervalMs: 0 });
    cleanups.push(() => svc.close());
    const root = await getJson(`http://${base}${svc.httpPath}`);
    expect(root.value.length).toBe(6);
    expect(await (await fetch(`http://${base}/index.html`)).text()).toBe('app');
    const c = await client(`ws://${base}${svc.mqttPath}`);
    const ds = svc.dataset.datastreams[0]!.id;
    await c.subscribeAsync(`v1.1/Datastreams(${ds})/Observations`, { qos: 1 });
    const next = messages(c, `v1.1/Datastreams(${ds})/Observations`, 1);
    await svc.publish(ds, { result: 7 });
    expect((await next)[0]!.result).toBe(7);
  });

  it('is mounted by the Vite plugin into a preview server', async () => {
    const { server, base, middlewares } = await host();
    const plugin = sensorService({ seed: 3, now: () => NOW, liveIntervalMs: 0 });
    const hook = plugin.configurePreviewServer;
    const fn = typeof hook === 'function' ? hook : hook?.handler;
    const logged: string[] = [];
    await fn?.call({} as never, { httpServer: server, middlewares, config: { logger: { info: (m: string) => logged.push(m) } } } as never);
    expect(logged.join('\n')).toMatch(/simulated/);
    const res = await getJson(`http://${base}/sta/v1.1/Datastreams?$top=1&$expand=Thing/Locations`);
    expect(res.value).toHaveLength(1);
  });
});
