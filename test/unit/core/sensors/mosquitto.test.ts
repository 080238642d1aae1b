/**
 * The feed against Debian's mosquitto (a production broker many cities run), on loopback only, bounded in time
 * and count: a 10,000-message burst with 1 % duplicates and 2 % out of order, then a broker restart that loses
 * every session while readings keep coming (they reach the SensorThings side only), then recovery. End state:
 * nothing lost, nothing duplicated, stale raised while silent and cleared after. `.ci/run` installs mosquitto;
 * without it this file says so and skips.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSensorService, type SensorService } from '../../../../services/sensors/service';
import { type Feed, openFeed } from '../../../../core/sensors/feed';

const MOSQUITTO = '/usr/sbin/mosquitto';
const HAVE = existsSync(MOSQUITTO);
const NOW = Date.UTC(2025, 9, 27, 12);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** mosquitto 2 on 127.0.0.1 only: a TCP listener (it will not start with WebSockets alone) and a WebSocket one. */
async function startMosquitto(dir: string, tcp: number, ws: number): Promise<ChildProcess> {
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      'persistence false',
      'allow_anonymous true',
      // The default (1000) silently drops QoS 1 messages queued for a slow subscriber.
      'max_queued_messages 0',
      `listener ${tcp} 127.0.0.1`,
      'socket_domain ipv4',
      'protocol mqtt',
      `listener ${ws} 127.0.0.1`,
      'socket_domain ipv4',
      'protocol websockets',
      '',
    ].join('\n'),
  );
  const p = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  const t0 = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(ws, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) return p;
    if (Date.now() - t0 > 10_000) throw new Error('mosquitto did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const describeMq = HAVE ? describe : describe.skip;
describeMq(HAVE ? 'feed against Debian mosquitto (loopback)' : 'feed against mosquitto: SKIPPED, /usr/sbin/mosquitto is not installed (apt-get install mosquitto)', () => {
  let dir = '';
  let tcp = 0;
  let ws = 0;
  let broker: ChildProcess | null = null;
  let service: SensorService;
  let feed: Feed;
  let clock = Date.now();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sddi-mosquitto-'));
    [tcp, ws] = [await freePort(), await freePort()];
    broker = await startMosquitto(dir, tcp, ws);
    service = await startSensorService({ port: 0, now: () => NOW, liveIntervalMs: 0, seed: 11 });
    feed = await openFeed({ staUrl: service.httpUrl, mqttUrl: `ws://127.0.0.1:${ws}`, historyHours: 6, backoffMs: [100, 500] }, { fetch: (u, i) => fetch(u, i), now: () => clock, dataEventMs: 20 }, () => {});
    await feed.historyLoaded;
    await until(() => feed.stats().connection === 'live', 'a live connection to mosquitto');
  });

  afterAll(async () => {
    await feed?.close();
    await service?.close();
    broker?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('burst, duplicates, late readings, a restart that loses sessions, silence: nothing lost, nothing doubled', async () => {
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcp}`, { protocolVersion: 4 });
    const streams = feed.datastreams.filter((d) => d.property === 'PM10').slice(0, 4);
    /** What the feed must end with, per stream: every distinct (time, value) sent, once. */
    const expected = new Map<string, Map<number, number>>(streams.map((d) => [d.id, new Map()]));
    const send = async (d: (typeof streams)[number], tMs: number, value: number, viaBroker: boolean): Promise<void> => {
      expected.get(d.id)!.set(tMs, value);
      // The SensorThings side keeps every observation (what a FROST server would hold) ...
      await service.publish(Number(d.id), { phenomenonTime: new Date(tMs).toISOString(), result: value });
      // ... and the broker carries it live, unless it is down.
      if (viaBroker) await pub.publishAsync(`v1.1/Datastreams(${d.id})/Observations`, JSON.stringify({ phenomenonTime: new Date(tMs).toISOString(), result: value }), { qos: 1 });
    };

    // 1. A burst of 10,000: 2 % swapped with their neighbour, 1 % sent twice.
    const burst: Array<[number, number, number]> = Array.from({ length: 10_000 }, (_, i) => [i % 4, NOW + 1000 * (i + 1), (i * 7) % 97]);
    for (let i = 0; i + 1 < burst.length; i += 50) [burst[i], burst[i + 1]] = [burst[i + 1]!, burst[i]!];
    for (let i = 0; i < burst.length; i += 1000) await Promise.all(burst.slice(i, i + 1000).map(([s, t, v]) => send(streams[s]!, t, v, true)));
    await Promise.all(burst.filter((_, i) => i % 100 === 0).map(([s, t, v]) => pub.publishAsync(`v1.1/Datastreams(${streams[s]!.id})/Observations`, JSON.stringify({ phenomenonTime: new Date(t).toISOString(), result: v }), { qos: 1 })));
    await until(() => feed.stats().live >= 10_000 && feed.stats().duplicates >= 100, 'the burst and its duplicates', 60_000);

    // 2. The broker restarts and forgets every session; readings keep arriving at the SensorThings side only.
    broker!.kill('SIGKILL');
    await until(() => feed.stats().connection !== 'live', 'the loss to be noticed');
    for (let i = 0; i < 40; i++) await send(streams[i % 4]!, NOW + 20_000_000 + i * 1000, i, false);
    broker = await startMosquitto(dir, tcp, ws);
    await until(() => feed.stats().connection === 'live' && feed.stats().reconnects >= 1 && feed.stats().backfilled >= 40, 'reconnect, resubscribe and backfill', 30_000);
    pub.end(true);
    const pub2 = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcp}`, { protocolVersion: 4 });
    await pub2.publishAsync(`v1.1/Datastreams(${streams[0]!.id})/Observations`, JSON.stringify({ phenomenonTime: new Date(NOW + 30_000_000).toISOString(), result: 1 }), { qos: 1 });
    expected.get(streams[0]!.id)!.set(NOW + 30_000_000, 1);
    await until(() => feed.series(streams[0]!.id, NOW + 29_000_000, NOW + 31_000_000).tMs.length === 1, 'live delivery after the restart (resubscribed)');

    // 3. Silence past every stream's expected interval: stale raised; a reading clears its stream.
    clock += Math.max(...feed.datastreams.map((d) => d.expectedIntervalMs)) * 2;
    await until(() => feed.stats().stale.length === feed.datastreams.length, 'every stream flagged stale', 5000);
    await pub2.publishAsync(`v1.1/Datastreams(${streams[1]!.id})/Observations`, JSON.stringify({ phenomenonTime: new Date(NOW + 30_001_000).toISOString(), result: 2 }), { qos: 1 });
    expected.get(streams[1]!.id)!.set(NOW + 30_001_000, 2);
    await until(() => !feed.stats().stale.includes(streams[1]!.id), 'the stream that spoke to be cleared', 5000);
    pub2.end(true);

    // End state: per stream, exactly the distinct readings sent after NOW, in time order.
    for (const d of streams) {
      const got = feed.series(d.id, NOW + 1, NOW + 40_000_000);
      const want = [...expected.get(d.id)!.entries()].toSorted((a, b) => a[0] - b[0]);
      expect(Array.from(got.tMs)).toEqual(want.map((w) => w[0]));
      expect(Array.from(got.value)).toEqual(want.map((w) => Math.fround(w[1])));
    }
  }, 180_000);
});
