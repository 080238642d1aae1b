/**
 * A sensor feed: SensorThings metadata and history over HTTP, live Observations over MQTT, all into one columnar
 * store (`timeseries.ts`). Runs inside the sensors worker (or, as the fallback, in the page), so the page never
 * holds raw observations: it asks for a time window's values per station, or one station's series.
 *
 * Live delivery is not trusted to be complete or ordered. MQTT QoS 1 redelivers (duplicates), a broker may lose
 * its sessions on restart, and MQTT.js does not resubscribe after a broker forgot the session. So:
 *   - every (re)connect subscribes again, explicitly;
 *   - after a reconnect, the gap since the newest reading of each stream is read back over HTTP (backfill);
 *   - the store drops exact duplicates and inserts late readings in place;
 *   - reconnects back off with jitter, a fresh client id each, backfills coalesced (reconnect.ts);
 *   - a stream silent for longer than its expected interval is flagged stale, and cleared by its next reading.
 */
import mqtt from 'mqtt';
import { converter } from '../geo/crs';
import { BACKFILL_GAP_MS, STABLE_AFTER_MS, backoff, coalescingGate, newClientId } from './reconnect';
import { type DatastreamMeta, type FetchFn, datastreamOfTopic, observationsTopic, parseObservationMessage, readDatastreams, readObservations } from './sensorthings';
import { type RejectedCounts, type RetentionPolicy, type Series, type TimeSeriesStore, createTimeSeriesStore } from './timeseries';

export interface FeedConfig {
  /** SensorThings service root, e.g. http://127.0.0.1:4173/sta/v1.1 (absolute). */
  readonly staUrl: string;
  /** MQTT over WebSocket, e.g. ws://127.0.0.1:4173/sta/mqtt; null for history only. */
  readonly mqttUrl: string | null;
  /** How much history to read at start. */
  readonly historyHours: number;
  readonly retention?: RetentionPolicy;
  /** Reconnect backoff: first delay and cap, ms. */
  readonly backoffMs?: readonly [number, number];
  /** A stream is stale after expectedInterval × this (default 1.5: one missed reading plus slack). */
  readonly staleFactor?: number;
  /** HTTP requests in flight at once while reading history. */
  readonly concurrency?: number;
  /** Reconnect policy (see reconnect.ts): least ms between backfills, ms a connection holds before backoff resets. */
  readonly backfillGapMs?: number;
  readonly stableAfterMs?: number;
}


export type Connection = 'connecting' | 'live' | 'reconnecting' | 'history-only' | 'replay' | 'offline';

export type FeedEvent =
  | { readonly kind: 'progress'; readonly fraction: number }
  | { readonly kind: 'connection'; readonly connection: Connection; readonly message?: string }
  | {
      readonly kind: 'data';
      readonly total: number;
      readonly extent: readonly [number, number] | null;
      readonly live: number;
      readonly duplicates: number;
      /** Readings not taken because their time is too far ahead of ours or their value out of range. */
      readonly rejected: RejectedCounts;
      /** The span of phenomenon times added since the last 'data' event: a view showing another time need not redraw. */
      readonly changedMs: readonly [number, number] | null;
    }
  | { readonly kind: 'stale'; readonly stale: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** Station values for one property in one time window. Layout: parallel arrays, one entry per datastream. */
export interface StationValues {
  /** EPSG:3035 easting / northing, metres. */
  readonly x3035: Float64Array;
  readonly y3035: Float64Array;
  readonly lonDeg: Float64Array;
  readonly latDeg: Float64Array;
  readonly value: Float32Array;
  /** Index into the datastream list `connect` returned. */
  readonly stream: Uint32Array;
}

export interface FeedStats {
  readonly total: number;
  readonly live: number;
  readonly duplicates: number;
  readonly backfilled: number;
  readonly rejected: RejectedCounts;
  readonly reconnects: number;
  /** Backfills run after reconnects (coalesced: fewer than reconnects in a storm). */
  readonly backfills: number;
  readonly stale: readonly string[];
  readonly connection: Connection;
}

export interface Feed {
  readonly datastreams: readonly DatastreamMeta[];
  /** Resolves when the history has been read (live readings keep arriving). */
  readonly historyLoaded: Promise<void>;
  window(property: string, t0Ms: number, t1Ms: number, how: 'mean' | 'latest'): StationValues;
  series(datastreamId: string, t0Ms: number, t1Ms: number): Series;
  /**
   * The interpolated value at one EPSG:3035 point, per time step in [t0, t1): each step's station means
   * (mean over the step per stream), inverse-distance weighted (power 2) within `radiusM`; NaN where no station
   * within the radius has a reading in that step. The same interpolation the heatmap's 'idw' shows.
   */
  seriesAt(property: string, x3035: number, y3035: number, t0Ms: number, t1Ms: number, stepMs: number, radiusM: number): Series;
  stats(): FeedStats;
  close(): Promise<void>;
}

export interface FeedDeps {
  readonly fetch: FetchFn;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Events are coalesced: 'data' at most every this many ms. */
  readonly dataEventMs?: number;
}

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

// Long because history, live MQTT, backfill, staleness and close share one closure's counters and timers.
export async function openFeed(config: FeedConfig, deps: FeedDeps, emit: (e: FeedEvent) => void): Promise<Feed> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  // With our clock: a reading stamped far ahead of it is refused, and retention is measured back from it.
  const store: TimeSeriesStore = createTimeSeriesStore(config.retention, { now });
  const controller = new AbortController();
  const http = { fetch: deps.fetch, signal: controller.signal };

  const datastreams = await readDatastreams(config.staUrl, http);
  const { indexOf, ...queries } = feedQueries(datastreams, store);

  let closed = false;
  let live = 0;
  let duplicates = 0;
  let backfilled = 0;
  let reconnects = 0;
  let connection: Connection = config.mqttUrl ? 'connecting' : 'history-only';
  const heardAt = new Float64Array(datastreams.length).fill(now());
  let stale: string[] = [];

  let dataTimer: ReturnType<typeof setTimeout> | null = null;
  let changedLo = Infinity;
  let changedHi = -Infinity;
  const changed = (tMs: number): void => {
    if (tMs < changedLo) changedLo = tMs;
    if (tMs > changedHi) changedHi = tMs;
  };
  const emitData = (): void => {
    if (dataTimer !== null || closed) return;
    dataTimer = setTimeout(() => {
      dataTimer = null;
      const span: [number, number] | null = changedLo <= changedHi ? [changedLo, changedHi] : null;
      changedLo = Infinity;
      changedHi = -Infinity;
      if (!closed) emit({ kind: 'data', total: store.total(), extent: store.extent(), live, duplicates, rejected: store.rejected(), changedMs: span });
    }, deps.dataEventMs ?? 250);
  };
  const setConnection = (c: Connection, message?: string): void => {
    connection = c;
    emit({ kind: 'connection', connection: c, message });
  };

  const readRange = async (d: DatastreamMeta, t0: number, t1: number, counted: boolean): Promise<void> => {
    const s = indexOf.get(d.id)!;
    await readObservations(config.staUrl, d.id, t0, t1, http, (page) => {
      for (let i = 0; i < page.tMs.length; i++) {
        const r = store.insert(s, page.tMs[i]!, page.value[i]!);
        if (r === 'appended' || r === 'inserted') {
          changed(page.tMs[i]!);
          if (counted) backfilled++;
        }
      }
    });
  };

  // History: every stream's last `historyHours`, a few requests at a time, with progress per stream.
  const historyLoaded = (async () => {
    const t1 = now() + 60_000;
    const t0 = t1 - config.historyHours * 3600_000;
    let done = 0;
    emit({ kind: 'progress', fraction: 0 });
    await inParallel(datastreams, config.concurrency ?? 4, async (d) => {
      await readRange(d, t0, t1, false);
      emit({ kind: 'progress', fraction: ++done / datastreams.length });
      emitData();
    });
  })();
  historyLoaded.catch((e: unknown) => {
    if (!closed) emit({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  });

  // Live: MQTT over WebSocket, reconnected by hand so the backoff can be jittered.
  let client: mqtt.MqttClient | null = null;
  let everConnected = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  const [backoffMin, backoffMax] = config.backoffMs ?? [500, 30_000];
  const delays = backoff(backoffMin, backoffMax, config.stableAfterMs ?? STABLE_AFTER_MS, random);
  const backfills = coalescingGate(() => backfill(), config.backfillGapMs ?? BACKFILL_GAP_MS, (e: unknown) => emit({ kind: 'error', message: `backfill failed: ${e instanceof Error ? e.message : String(e)}` }));
  const backfill = async (): Promise<void> => {
    await historyLoaded.catch(() => {});
    // No upper bound that matters: the server's clock may run ahead of ours, and a gap is a gap.
    const t1 = now() + 24 * 3600_000;
    await inParallel(datastreams, config.concurrency ?? 4, async (d) => {
      const newest = store.newestMs(indexOf.get(d.id)!);
      // From the stream's newest reading (a reading delivered late but older than that is redelivered by
      // nobody; the margin picks those up), or the whole history window if the stream has none.
      const from = Number.isFinite(newest) ? newest - 5 * 60_000 : t1 - config.historyHours * 3600_000;
      await readRange(d, from, t1, true);
    });
    emitData();
  };

  if (config.mqttUrl) {
    const topics = datastreams.map((d) => observationsTopic(d.id));
    client = mqtt.connect(config.mqttUrl, {
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      clientId: newClientId(),
    });
    const c = client;
    c.on('connect', () => {
      delays.connected();
      const again = everConnected;
      everConnected = true;
      // Always subscribe: a broker that restarted has forgotten every subscription.
      c.subscribe(topics, { qos: 1 }, (err) => {
        if (err) {
          setConnection('reconnecting', `subscribe failed: ${err.message}`);
          return;
        }
        setConnection('live');
        if (again) {
          reconnects++;
          backfills.request();
        }
      });
    });
    c.on('message', (topic, payload) => {
      const id = datastreamOfTopic(topic);
      const s = id === null ? undefined : indexOf.get(id);
      if (s === undefined) return;
      const o = parseObservationMessage(payload);
      if (!o) return;
      heardAt[s] = now();
      const r = store.insert(s, o.tMs, o.value);
      if (r === 'duplicate') duplicates++;
      else if (r === 'appended' || r === 'inserted') {
        live++;
        changed(o.tMs);
      }
      emitData();
    });
    c.on('error', (err) => {
      if (!closed) emit({ kind: 'connection', connection, message: err.message });
    });
    c.on('close', () => {
      if (closed) return;
      setConnection(everConnected ? 'reconnecting' : 'connecting');
      if (reconnectTimer !== null) return;
      const delay = delays.dropped();
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        c.options.clientId = newClientId();
        if (!closed) c.reconnect();
      }, delay);
    });
  }

  // The stale flag: a stream is stale when no live reading came within its expected interval (× factor).
  const staleFactor = config.staleFactor ?? 1.5;
  const staleTimer = config.mqttUrl
    ? setInterval(() => {
        const t = now();
        const next: string[] = [];
        datastreams.forEach((d, i) => {
          if (t - heardAt[i]! > d.expectedIntervalMs * staleFactor) next.push(d.id);
        });
        if (next.length !== stale.length || next.some((id, i) => id !== stale[i])) {
          stale = next;
          emit({ kind: 'stale', stale });
        }
      }, 1000)
    : null;

  return {
    datastreams,
    historyLoaded,
    ...queries,
    stats: () => ({ total: store.total(), live, duplicates, backfilled, rejected: store.rejected(), reconnects, backfills: backfills.runs(), stale, connection }),
    async close() {
      closed = true;
      controller.abort();
      if (dataTimer !== null) clearTimeout(dataTimer);
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      delays.dispose();
      backfills.dispose();
      if (staleTimer !== null) clearInterval(staleTimer);
      if (client) await client.endAsync(true);
      connection = 'offline';
    },
  };
}

/** The questions every feed answers the same way, live or recorded: windows, series, series at a point. */
export function feedQueries(datastreams: readonly DatastreamMeta[], store: TimeSeriesStore): Pick<Feed, 'window' | 'series' | 'seriesAt'> & { indexOf: Map<string, number> } {
  const indexOf = new Map<string, number>();
  const toLaea = converter(4326, 3035);
  const x3035 = new Float64Array(datastreams.length);
  const y3035 = new Float64Array(datastreams.length);
  datastreams.forEach((d, i) => {
    indexOf.set(d.id, store.addStream());
    const [x, y] = toLaea.forward([d.lonDeg, d.latDeg]);
    x3035[i] = x!;
    y3035[i] = y!;
  });
  return {
    indexOf,
    window(property, t0Ms, t1Ms, how) {
      const streams: number[] = [];
      datastreams.forEach((d, i) => {
        if (d.property === property) streams.push(i);
      });
      const w = store.window(t0Ms, t1Ms, how, streams);
      const n = w.stream.length;
      const out = { x3035: new Float64Array(n), y3035: new Float64Array(n), lonDeg: new Float64Array(n), latDeg: new Float64Array(n), value: w.value, stream: w.stream };
      for (let k = 0; k < n; k++) {
        const i = w.stream[k]!;
        out.x3035[k] = x3035[i]!;
        out.y3035[k] = y3035[i]!;
        out.lonDeg[k] = datastreams[i]!.lonDeg;
        out.latDeg[k] = datastreams[i]!.latDeg;
      }
      return out;
    },
    series(datastreamId, t0Ms, t1Ms) {
      const s = indexOf.get(datastreamId);
      return s === undefined ? { tMs: new Float64Array(0), value: new Float32Array(0) } : store.series(s, t0Ms, t1Ms);
    },
    seriesAt(property, x, y, t0Ms, t1Ms, stepMs, radiusM) {
      const streams: number[] = [];
      datastreams.forEach((d, i) => {
        const dx = x3035[i]! - x;
        const dy = y3035[i]! - y;
        if (d.property === property && dx * dx + dy * dy <= radiusM * radiusM) streams.push(i);
      });
      const steps = Math.max(0, Math.min(100_000, Math.ceil((t1Ms - t0Ms) / stepMs)));
      const tMs = new Float64Array(steps);
      const value = new Float32Array(steps);
      for (let k = 0; k < steps; k++) {
        const t = t0Ms + k * stepMs;
        tMs[k] = t;
        const w = store.window(t, t + stepMs, 'mean', streams);
        let num = 0;
        let den = 0;
        let exact = NaN;
        for (let j = 0; j < w.stream.length; j++) {
          const i = w.stream[j]!;
          const d2 = (x3035[i]! - x) ** 2 + (y3035[i]! - y) ** 2;
          if (d2 < 1) exact = w.value[j]!;
          num += w.value[j]! / d2;
          den += 1 / d2;
        }
        value[k] = Number.isFinite(exact) ? exact : den > 0 ? num / den : NaN;
      }
      return { tMs, value };
    },
  };
}
