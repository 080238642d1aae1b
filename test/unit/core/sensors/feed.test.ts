/**
 * The sensor feed against the real local service: SensorThings over HTTP and the aedes broker over WebSocket,
 * on 127.0.0.1. Live delivery is abused the way networks and brokers do: duplicates, out-of-order readings,
 * cut sockets, a broker restart that forgets every session, silence.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSensorService, type SensorService } from '../../../../services/sensors/service';
import { type Feed, type FeedEvent, openFeed } from '../../../../core/sensors/feed';

const H = 3600_000;
const NOW = Date.UTC(2025, 9, 27, 12, 0, 0); // history ends at 12:00 UTC, 27 Oct 2025

let services: SensorService[] = [];
let feeds: Feed[] = [];
afterEach(async () => {
  for (const f of feeds) await f.close();
  for (const s of services) await s.close();
  feeds = [];
  services = [];
});

async function service(port = 0): Promise<SensorService> {
  const s = await startSensorService({ port, now: () => NOW, liveIntervalMs: 0, seed: 7 });
  services.push(s);
  return s;
}

async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function feed(s: SensorService, events: FeedEvent[] = [], extra: { now?: () => number; historyHours?: number } = {}): Promise<Feed> {
  const f = await openFeed(
    { staUrl: s.httpUrl, mqttUrl: s.mqttUrl, historyHours: extra.historyHours ?? 24, backoffMs: [100, 400] },
    { fetch: (u, i) => fetch(u, i), now: extra.now ?? (() => NOW), dataEventMs: 10 },
    (e) => events.push(e),
  );
  feeds.push(f);
  return f;
}

describe('sensor feed (SensorThings + MQTT, real service on loopback)', () => {
  it('reads metadata and the history window over HTTP, every observation once', async () => {
    const s = await service();
    const events: FeedEvent[] = [];
    const f = await feed(s, events, { historyHours: 48 });
    await f.historyLoaded;
    expect(f.datastreams.length).toBe(s.dataset.datastreams.length);
    const d = f.datastreams.find((m) => m.property === 'PM10')!;
    expect(d.simulated).toBe(true);
    // The same datastream read directly: the store holds exactly what the server has in the window.
    const res = (await (await fetch(`${s.httpUrl}/Datastreams(${d.id})/Observations?$filter=phenomenonTime ge ${new Date(NOW - 47 * H).toISOString()}&$top=10000&$orderby=phenomenonTime asc`)).json()) as { value: Array<{ phenomenonTime: string; result: number }> };
    const series = f.series(d.id, NOW - 47 * H, NOW + H);
    expect(series.tMs.length).toBe(res.value.length);
    expect(Array.from(series.tMs)).toEqual(res.value.map((o) => Date.parse(o.phenomenonTime)));
    expect(Array.from(series.value)).toEqual(res.value.map((o) => Math.fround(o.result)));
    expect(events.some((e) => e.kind === 'progress' && e.fraction === 1)).toBe(true);
    // A window: one mean per PM10 stream, at the stations' EPSG:3035 positions (LAEA metres, central Europe).
    const w = f.window('PM10', NOW - 2 * H + 1, NOW + 1, 'mean');
    expect(w.value.length).toBeGreaterThan(10);
    for (let i = 0; i < w.value.length; i++) {
      expect(w.x3035[i]).toBeGreaterThan(4.3e6);
      expect(w.x3035[i]).toBeLessThan(4.8e6);
      expect(w.y3035[i]).toBeGreaterThan(2.7e6);
      expect(w.y3035[i]).toBeLessThan(3.2e6);
    }
  });

  it('a reading stamped 2099 or valued 1e300 is refused and counted; history and later readings stay', async () => {
    const s = await service();
    const f = await feed(s);
    await f.historyLoaded;
    await until(() => f.stats().connection === 'live', 'live connection');
    const [a, b] = f.datastreams.filter((d) => d.property === 'PM10').map((d) => Number(d.id));
    const held = f.series(String(a), NOW - 24 * H, NOW + H).tMs.length;
    await s.publish(a!, { phenomenonTime: '2099-01-01T00:00:00Z', result: 5 });
    await s.publish(b!, { phenomenonTime: new Date(NOW + 30_000).toISOString(), result: 1e300 });
    await s.publish(b!, { phenomenonTime: new Date(NOW + 60_000).toISOString(), result: 7 });
    await until(() => f.series(String(b), NOW + 1, NOW + H).tMs.length === 1, 'the later reading to arrive');
    await until(() => f.stats().rejected.future === 1 && f.stats().rejected.outOfRange === 1, 'both refusals counted');
    expect(f.series(String(a), NOW - 24 * H, NOW + H).tMs.length).toBe(held);
    expect(f.stats().total).toBeGreaterThan(held);
    expect(f.window('PM10', NOW - H, NOW + H, 'mean').value.every(Number.isFinite)).toBe(true);
  });

  it('live: 2,000 readings with 1 % duplicates and 2 % out of order end up exactly once, sorted', async () => {
    const s = await service();
    const f = await feed(s);
    await f.historyLoaded;
    await until(() => f.stats().connection === 'live', 'live connection');
    const ds = f.datastreams.filter((d) => d.property === 'PM10').slice(0, 4).map((d) => Number(d.id));
    const before = f.stats().total;
    const sent: Array<[number, number, number]> = [];
    for (let i = 0; i < 2000; i++) sent.push([ds[i % 4]!, NOW + 1000 * (i + 1), (i * 37) % 101]);
    // 2 % late: swap neighbours; 1 % duplicates: send again later.
    for (let i = 0; i + 1 < sent.length; i += 50) [sent[i], sent[i + 1]] = [sent[i + 1]!, sent[i]!];
    const wire = [...sent];
    for (let i = 0; i < sent.length; i += 100) wire.push(sent[i]!);
    await Promise.all(wire.map(([id, t, v]) => s.publish(id, { phenomenonTime: new Date(t).toISOString(), result: v })));
    await until(() => f.stats().live + f.stats().duplicates >= wire.length, 'every message');
    expect(f.stats().live).toBe(2000);
    expect(f.stats().duplicates).toBe(20);
    expect(f.stats().total - before).toBe(2000);
    for (const id of ds) {
      const t = f.series(String(id), NOW + 1, NOW + 3000 * 1000).tMs;
      expect(t.length).toBe(500);
      for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    }
  });

  it('after cut sockets it reconnects, resubscribes and backfills what it missed over HTTP', async () => {
    const s = await service();
    const events: FeedEvent[] = [];
    const f = await feed(s, events);
    await f.historyLoaded;
    await until(() => f.stats().connection === 'live', 'live connection');
    const id = Number(f.datastreams[0]!.id);
    expect(s.dropConnections()).toBe(1);
    await until(() => f.stats().connection === 'reconnecting', 'the loss to be noticed');
    // Published while the client is away: only the server's HTTP side has these.
    for (let i = 1; i <= 5; i++) await s.publish(id, { phenomenonTime: new Date(NOW + i * 60_000).toISOString(), result: i });
    await until(() => f.stats().reconnects === 1 && f.stats().backfilled >= 5, 'reconnect and backfill');
    expect(Array.from(f.series(String(id), NOW + 1, NOW + H).value)).toEqual([1, 2, 3, 4, 5]);
    // And live delivery works again on the new subscription.
    await s.publish(id, { phenomenonTime: new Date(NOW + 6 * 60_000).toISOString(), result: 6 });
    await until(() => f.series(String(id), NOW + 1, NOW + H).tMs.length === 6, 'a live reading after the reconnect');
    expect(events.some((e) => e.kind === 'connection' && e.connection === 'reconnecting')).toBe(true);
  });

  it('survives a broker restart that loses every session (same port, new broker)', async () => {
    const s1 = await service();
    const port = s1.port;
    const f = await feed(s1);
    await f.historyLoaded;
    await until(() => f.stats().connection === 'live', 'live connection');
    await s1.close();
    services = services.filter((x) => x !== s1);
    await until(() => f.stats().connection !== 'live', 'the loss to be noticed');
    const s2 = await service(port);
    const id = Number(f.datastreams[1]!.id);
    await s2.publish(id, { phenomenonTime: new Date(NOW + 90_000).toISOString(), result: 42 });
    await until(() => f.stats().connection === 'live' && f.stats().backfilled >= 1, 'reconnect to the new broker and backfill', 30_000);
    expect(Array.from(f.series(String(id), NOW + 1, NOW + H).value)).toEqual([42]);
    await s2.publish(id, { phenomenonTime: new Date(NOW + 120_000).toISOString(), result: 43 });
    await until(() => f.series(String(id), NOW + 1, NOW + H).tMs.length === 2, 'live delivery from the new broker (resubscribed)');
  });

  it('flags streams stale when silent past their expected interval, and clears one on its next reading', async () => {
    const s = await service();
    let clock = Date.now();
    const events: FeedEvent[] = [];
    const f = await feed(s, events, { now: () => clock });
    await f.historyLoaded;
    await until(() => f.stats().connection === 'live', 'live connection');
    expect(f.stats().stale).toEqual([]);
    const d = f.datastreams[0]!;
    clock += d.expectedIntervalMs * 2;
    await until(() => f.stats().stale.length === f.datastreams.length, 'every stream stale');
    await s.publish(Number(d.id), { phenomenonTime: new Date(NOW + 60_000).toISOString(), result: 1 });
    await until(() => f.stats().stale.length === f.datastreams.length - 1, 'the stream that spoke to clear');
    expect(f.stats().stale).not.toContain(d.id);
    expect(events.filter((e) => e.kind === 'stale').length).toBeGreaterThanOrEqual(2);
  });

  it('an unreachable server is a clear error, not a hang', async () => {
    const s = await service();
    const url = s.httpUrl;
    await s.close();
    services = [];
    await expect(openFeed({ staUrl: url, mqttUrl: null, historyHours: 1 }, { fetch: (u, i) => fetch(u, i) }, () => {})).rejects.toThrow(/unreachable/);
  });
});
