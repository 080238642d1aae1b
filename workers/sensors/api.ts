/**
 * The sensors worker's API: one feed at a time (a new `connect` closes the previous one), queried by the page for
 * small, derived arrays only. Exposed by `sensors.worker.ts` with comlink, or called directly in the page when
 * workers are unavailable. Every typed array it returns goes back in the transfer list.
 *
 *   connect(config, onEvent)  -> the datastreams (metadata); history and live readings follow as events
 *   openFile(name, bytes, onEvent) -> the same from a recorded CSV / NDJSON file, replacing the live feed
 *   window(property, t0, t1)  -> StationValues (layout in feed.ts) for the heatmap and station colours
 *   series(id, t0, t1, step)  -> one datastream's mean per step (Series: tMs Float64Array, value Float32Array)
 *   seriesAt(property, lon, lat, …) -> the interpolated series at a point, one value per time step
 */
import * as Comlink from 'comlink';
import { converter } from '../../core/geo/crs';
import type { DatastreamMeta } from '../../core/sensors/sensorthings';
import { type Feed, type FeedConfig, type FeedEvent, type FeedStats, type StationValues, openFeed } from '../../core/sensors/feed';
import { openRecordedFeed } from '../../core/sensors/recorded-feed';
import { type Series, meanPerStep } from '../../core/sensors/timeseries';
import { createClimateApi, type ClimateApi } from './climate-api';

export interface SensorsApi extends ClimateApi {
  connect(config: FeedConfig, onEvent: (e: FeedEvent) => void): Promise<readonly DatastreamMeta[]>;
  /** Replays a recorded CSV / NDJSON file (layout in recorded.ts) instead of the live feed; the bytes are transferred. */
  openFile(fileName: string, bytes: ArrayBuffer, onEvent: (e: FeedEvent) => void): Promise<{ datastreams: readonly DatastreamMeta[]; extent: readonly [number, number] | null; skipped: number; problems: ReadonlyArray<{ line: number; message: string }> }>;
  window(property: string, t0Ms: number, t1Ms: number, how: 'mean' | 'latest'): Promise<StationValues>;
  /** One datastream's readings in [t0, t1) as one mean per step (NaN where a step has none): a chart's series. */
  series(datastreamId: string, t0Ms: number, t1Ms: number, stepMs: number): Promise<Series>;
  /** See `Feed.seriesAt`: the interpolated series at a point, lon/lat in degrees. */
  seriesAt(property: string, lonDeg: number, latDeg: number, t0Ms: number, t1Ms: number, stepMs: number, radiusM: number): Promise<Series>;
  stats(): Promise<FeedStats | null>;
  disconnect(): Promise<void>;
}

const EMPTY: StationValues = {
  x3035: new Float64Array(0),
  y3035: new Float64Array(0),
  lonDeg: new Float64Array(0),
  latDeg: new Float64Array(0),
  value: new Float32Array(0),
  stream: new Uint32Array(0),
};

/** A result with its typed arrays in the transfer list (empty ones have nothing to move). */
function moved<T>(result: T, arrays: ReadonlyArray<Float64Array | Float32Array | Uint32Array>): T {
  return Comlink.transfer(result, arrays.map((a) => a.buffer as ArrayBuffer).filter((b) => b.byteLength > 0));
}

/** Over comlink the listener is a proxy: its promise is dropped, and a failing listener must not fail the feed. */
function guarded(onEvent: (e: FeedEvent) => void): (e: FeedEvent) => void {
  return (e) => {
    try {
      const r: unknown = onEvent(e);
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      /* the page's listener failing is not the feed's concern */
    }
  };
}

export function createSensorsApi(fetchFn: typeof fetch = (...a) => fetch(...a)): SensorsApi {
  let feed: Feed | null = null;
  // Opening and closing feeds one after the other: a disconnect still closing must not clear the feed a
  // following connect opened (the page disposes and remounts the layer when the scene is rebuilt).
  let lifecycle: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(op: () => Promise<T>): Promise<T> => {
    const next = lifecycle.then(op, op);
    lifecycle = next.catch(() => {});
    return next;
  };
  return {
    ...createClimateApi(fetchFn),
    connect: (config, onEvent) => inTurn(async () => {
      await feed?.close();
      feed = null;
      feed = await openFeed(config, { fetch: fetchFn }, guarded(onEvent));
      return feed.datastreams;
    }),
    openFile: (fileName, bytes, onEvent) => inTurn(async () => {
      // Parsed first: a bad file throws here and the feed that was open stays open.
      const f = openRecordedFeed(fileName, bytes, guarded(onEvent));
      await feed?.close();
      feed = f;
      return { datastreams: f.datastreams, extent: f.extent, skipped: f.skipped, problems: f.problems };
    }),
    async window(property, t0Ms, t1Ms, how) {
      const w = feed ? feed.window(property, t0Ms, t1Ms, how) : EMPTY;
      return moved(w, [w.x3035, w.y3035, w.lonDeg, w.latDeg, w.value, w.stream]);
    },
    async series(datastreamId, t0Ms, t1Ms, stepMs) {
      const raw = feed ? feed.series(datastreamId, t0Ms, t1Ms) : { tMs: new Float64Array(0), value: new Float32Array(0) };
      const s = meanPerStep(raw.tMs, raw.value, t0Ms, t1Ms, stepMs);
      return moved(s, [s.tMs, s.value]);
    },
    async seriesAt(property, lonDeg, latDeg, t0Ms, t1Ms, stepMs, radiusM) {
      const [x, y] = converter(4326, 3035).forward([lonDeg, latDeg]);
      const s = feed ? feed.seriesAt(property, x!, y!, t0Ms, t1Ms, stepMs, radiusM) : { tMs: new Float64Array(0), value: new Float32Array(0) };
      return moved(s, [s.tMs, s.value]);
    },
    async stats() {
      return feed?.stats() ?? null;
    },
    disconnect: () => inTurn(async () => {
      await feed?.close();
      feed = null;
    }),
  };
}
