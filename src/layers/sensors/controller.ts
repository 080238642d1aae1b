/**
 * The sensor layer's binding: connects the sensors worker to the SensorThings service, follows the store's time,
 * property and camera, and shows each time bucket as a heatmap frame plus coloured stations.
 *
 * Per frame the page holds only small, derived arrays: one mean value per station for the bucket (from the
 * sensors worker), then the frame image (from the aggregation worker). Frames are coalesced: while one is being
 * computed, further changes only mark the layer dirty, and the newest state is drawn next.
 */
import { DEFAULT_IDW_RADIUS_M } from '../../../core/aggregation/aggregate';
import { converter } from '../../../core/geo/crs';
import { counted, t } from '../../i18n';
import { OVERLAY_OPACITY } from '../overlay';
import { frameLoop } from '../frame-loop';
import { watch } from '../../state/store';
import type { Selection, SensorLayerInfo } from '../../state/types';
import { registerPickResolver } from '../../scene/picking';
import { cellSizeForView, gridForExtent } from '../../../core/aggregation/aggregate';
import { lutFromInterpolator } from '../../../core/aggregation/colour';
import type { FrameResult, GridSpec3035 } from '../../../core/aggregation/types';
import type { FeedEvent } from '../../../core/sensors/feed';
import type { DatastreamMeta } from '../../../core/sensors/sensorthings';
import type { ManifestEntry } from '../../../core/manifest';
import { registerSeriesSource } from '../series-registry';
import type { BindingContext, LayerHandle } from '../types';
import { registerSensorActions } from './actions';
import { sensorOutage } from './outage';
import { createSensorScene } from './cesium';
import { type PropertyStyle, fallbackStyle, sensorSource, styleOf, windowEndingAt } from './description';

/** How often live mode moves the scene time on (and so redraws), at most. */
const LIVE_TICK_MS = 10_000;
/** Recorded files are read whole in the worker: beyond this, the page would hold too much at once. */
const MAX_REPLAY_BYTES = 100 * 1024 * 1024;
/** History read at start: the sample service keeps 14 days. */
const HISTORY_HOURS = 14 * 24;
/** IDW reaches this far from a station: beyond it the map says "no data" rather than guess. */
const IDW_RADIUS_M = DEFAULT_IDW_RADIUS_M;
/** Around the stations, as far as the interpolation reaches, so its edge is not cut by the grid. */
const PAD_M = IDW_RADIUS_M;

export async function mountSensors(ctx: BindingContext, entry: ManifestEntry): Promise<LayerHandle> {
  const { viewer, store } = ctx;
  const id = entry.id;
  if (!ctx.sensors || !ctx.aggregateFrame) throw new Error('sensor layers need the sensors and aggregation workers');
  const client = ctx.sensors();
  const aggregateFrame = ctx.aggregateFrame;
  const view = createSensorScene(viewer, id);
  // The deployment's service (config.json), none on a plain static host (then: recorded files only), else the build's.
  const source = ctx.sensorService !== undefined ? ctx.sensorService : sensorSource(document.baseURI, { staUrl: import.meta.env['VITE_STA_URL'] as string | undefined, mqttUrl: import.meta.env['VITE_STA_MQTT_URL'] as string | undefined });

  let disposed = false;
  let metas: readonly DatastreamMeta[] = [];
  const patch = (p: Partial<SensorLayerInfo>) => store.getState().patchSensors(id, p);
  const lang = () => store.getState().lang;

  const onEvent = (e: FeedEvent): void => {
    if (disposed) return;
    const s = store.getState();
    switch (e.kind) {
      case 'progress':
        patch({ progress: e.fraction });
        if (e.fraction >= 1) requestFrame();
        break;
      case 'connection':
        patch({ connection: e.connection });
        outage.announce(e.connection, e.message);
        break;
      case 'data': {
        patch({ readings: e.total, rejectedFuture: e.rejected.future, rejectedOutOfRange: e.rejected.outOfRange });
        const replaying = s.layers[id]?.sensors?.replayFile;
        // Not while a record of months holds the timeline (the climate layer gives it back when hidden).
        if (e.extent && s.calendarStep === null) s.setTimeRange({ startMs: e.extent[0], endMs: replaying ? e.extent[1] : Math.max(e.extent[1], Date.now()) });
        // Live: the clock moves on in whole 10 s steps (the timeline shows minutes), not with every message.
        if (s.live && Date.now() - Date.parse(s.timeIso) >= LIVE_TICK_MS) s.setTime(new Date().toISOString(), true);
        // Only readings inside the window on screen change the picture (a backfill of last week does not).
        const shown = windowEndingAt(Date.parse(store.getState().timeIso), s.stepMs);
        if (e.changedMs && e.changedMs[1] >= shown.t0Ms && e.changedMs[0] < shown.t1Ms) requestFrame();
        break;
      }
      case 'stale':
        patch({ stale: e.stale.length });
        break;
      case 'error':
        s.setLayerStatus(id, 'error', e.message);
        break;
    }
  };

  const connectLive = async (): Promise<readonly DatastreamMeta[]> => {
    if (!source) return [];
    const next = await client.api.connect({ staUrl: source.staUrl, mqttUrl: source.mqttUrl, historyHours: HISTORY_HOURS }, onEvent);
    if (next.length === 0) throw new Error(t(lang(), 'sensors.empty', { url: source.staUrl }));
    return next;
  };
  const unreachableText = (err: unknown): string =>
    err instanceof Error && err.message === t(lang(), 'sensors.empty', { url: source?.staUrl ?? '' }) ? err.message : t(lang(), 'sensors.unreachable', { url: source?.staUrl ?? '', message: err instanceof Error ? err.message : String(err) });
  const liveConnection = (): SensorLayerInfo['connection'] => (!source ? 'offline' : source.mqttUrl ? 'connecting' : 'history-only');
  /** Back to the live service: its datastreams replace what is shown, the layer is ready, a frame is drawn. */
  const goLive = async (): Promise<void> => {
    const next = await connectLive();
    if (disposed) return;
    useDatastreams(next, liveConnection(), null);
    outage.announce(liveConnection());
    store.getState().setLayerStatus(id, 'ready');
    requestFrame();
  };
  const outage = sensorOutage(store, id, goLive, unreachableText);

  // A service down when the page loads leaves the layer waiting for it (retried), not failed for good.
  let unreachable: string | null = null;
  if (source) {
    try {
      metas = await connectLive();
    } catch (err) {
      unreachable = unreachableText(err);
    }
  }

  // The datastreams shown (live service or a recorded file), grouped by quantity.
  let byProperty = new Map<string, { style: PropertyStyle; unit: string; streams: number[] }>();
  let xy3035: Array<[number, number]> = [];
  const luts = new Map<string, Uint8Array>();
  const lutOf = (property: string): Uint8Array => {
    let l = luts.get(property);
    if (!l) luts.set(property, (l = lutFromInterpolator(byProperty.get(property)!.style.interpolate)));
    return l;
  };
  const toLaea = converter(4326, 3035);

  /** Bumped when the datastreams change: a frame begun on the old ones is dropped, not drawn with the new. */
  let generation = 0;
  const useDatastreams = (next: readonly DatastreamMeta[], connection: SensorLayerInfo['connection'], replayFile: string | null): void => {
    generation++;
    metas = next;
    byProperty = new Map();
    luts.clear();
    metas.forEach((d, i) => {
      let p = byProperty.get(d.property);
      if (!p) {
        p = { style: styleOf(d.property, d.propertyDefinition) ?? fallbackStyle(d.property, [0, 100]), unit: d.unitSymbol, streams: [] };
        byProperty.set(d.property, p);
      }
      p.streams.push(i);
    });
    xy3035 = metas.map((d) => toLaea.forward([d.lonDeg, d.latDeg]) as [number, number]);
    const properties = [...byProperty.keys()];
    const previous = store.getState().layers[id]?.sensors?.property;
    const property = previous && byProperty.has(previous) ? previous : (properties[0] ?? '');
    // No datastreams (no service in this deployment, nothing replayed yet): an empty layer that draws nothing.
    const first = byProperty.get(property) ?? { style: fallbackStyle('', [0, 1]), unit: '' };
    const info: SensorLayerInfo = {
      property,
      properties,
      op: first.style.op,
      connection,
      progress: 0,
      stations: new Set(metas.map((d) => d.thingId)).size,
      datastreams: metas.length,
      stale: 0,
      readings: 0,
      rejectedFuture: 0,
      rejectedOutOfRange: 0,
      simulated: metas.some((d) => d.simulated),
      service: source !== null,
      replayFile,
      cellM: 0,
      unit: first.unit,
      domain: first.style.domain,
      scheme: first.style.scheme,
      frameTimeIso: store.getState().layers[id]?.sensors?.frameTimeIso ?? '',
      frames: store.getState().layers[id]?.sensors?.frames ?? 0,
    };
    store.getState().patchSensors(id, info, info);
    // Another operator's server: its values are not the twin's simulation, so the layer is named after the server
    // (its host, plain text) rather than "simulated values"; its badge shows only if the server marks them so.
    store.getState().setLayerTitle(id, source && !replayFile && metas.length > 0 && !info.simulated ? `${new URL(source.staUrl).host} · SensorThings` : undefined);
    store.getState().select(null);
  };
  useDatastreams(metas, unreachable === null ? liveConnection() : 'offline', null);

  // ---- frames ----
  let last: { property: string; grid: GridSpec3035; frame: FrameResult; values: Map<number, number> } | null = null;

  const gridFor = (property: string): GridSpec3035 => {
    const streams = byProperty.get(property)!.streams;
    let xMin = Infinity;
    let yMin = Infinity;
    let xMax = -Infinity;
    let yMax = -Infinity;
    for (const i of streams) {
      const [x, y] = xy3035[i]!;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
    }
    const cameraHeightM = store.getState().camera?.heightM ?? 300_000;
    const cellM = cellSizeForView(cameraHeightM * 1.5);
    return gridForExtent({ xMinM: xMin - PAD_M, yMinM: yMin - PAD_M, xMaxM: xMax + PAD_M, yMaxM: yMax + PAD_M }, cellM);
  };

  const drawFrame = async (): Promise<void> => {
    const s = store.getState();
    const info = s.layers[id]?.sensors;
    if (!info || !s.layers[id]?.visible) return;
    const gen = generation;
    const group = byProperty.get(info.property);
    if (!group) return;
    const { style, unit } = group;
    patch({ unit, domain: style.domain, scheme: style.scheme });
    const { t0Ms, t1Ms } = windowEndingAt(Date.parse(s.timeIso), s.stepMs);
    const w = await client.api.window(info.property, t0Ms, t1Ms, 'mean');
    if (disposed) return;
    if (gen !== generation) {
      loop.again();
      return;
    }
    const lut = lutOf(info.property);
    const [lo, hi] = style.domain;

    // Stations: every datastream of the property, coloured by its bucket mean, grey when it has none.
    const streams = group.streams;
    const values = new Map<number, number>();
    for (let k = 0; k < w.stream.length; k++) values.set(w.stream[k]!, w.value[k]!);
    const n = streams.length;
    const marks = { lonDeg: new Float64Array(n), latDeg: new Float64Array(n), rgba: new Uint8Array(n * 4), feature: new Uint32Array(n) };
    streams.forEach((i, k) => {
      marks.lonDeg[k] = metas[i]!.lonDeg;
      marks.latDeg[k] = metas[i]!.latDeg;
      marks.feature[k] = i;
      const v = values.get(i);
      if (v !== undefined) {
        const c = Math.round(Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 255) * 4;
        marks.rgba.set(lut.subarray(c, c + 3), k * 4);
        marks.rgba[k * 4 + 3] = 255;
      }
    });
    view.showStations(marks);

    const grid = gridFor(info.property);
    // Read before the call: the station arrays move to the worker (transferred, detached here).
    const hasValues = w.value.length > 0;
    const frame = await aggregateFrame(`heatmap:${id}`, {
      grid,
      readings: { x: w.x3035, y: w.y3035, value: w.value },
      params: { op: info.op, radiusM: IDW_RADIUS_M, sigmaM: Math.max(grid.cellM * 2, 8000) },
      colour: { domain: style.domain, lut },
    });
    if (disposed) return;
    if (gen !== generation) {
      loop.again();
      return;
    }
    view.showHeatmap(hasValues ? { rgba: frame.image, ...frame.imageSpec } : null);
    last = { property: info.property, grid, frame, values };
    patch({ cellM: grid.cellM, frameTimeIso: s.timeIso, frames: (store.getState().layers[id]?.sensors?.frames ?? 0) + 1 });
  };

  const loop = frameLoop(drawFrame, (err: unknown) => {
    // A superseded frame is not an error: a newer one is on its way.
    if (err instanceof Error && /supersed/i.test(`${err.name} ${err.message}`)) return;
    const s = store.getState();
    s.notify('error', t(s.lang, 'sensors.frameFailed', { message: err instanceof Error ? err.message : String(err) }));
  }, () => !disposed);
  const requestFrame = loop.request;

  // ---- picking and charts ----
  registerPickResolver(id, (feature, where): Selection | null => {
    const info = store.getState().layers[id]?.sensors;
    if (!info) return null;
    if (feature >= 0) {
      const d = metas[feature];
      if (!d) return null;
      const v = last?.values.get(feature);
      return {
        layerId: id,
        properties: [
          ['name', d.thingName],
          ['property', d.property],
          ['value', v === undefined ? '' : `${v.toFixed(1)} ${d.unitSymbol}`],
          ['simulated', d.simulated ? 'true' : 'false'],
          ['datastream', d.name],
        ],
        chart: { kind: 'datastream', datastreamId: d.id, property: d.property },
      };
    }
    if (!where || !last) return null;
    const [x, y] = toLaea.forward([where.lonDeg, where.latDeg]) as [number, number];
    const g = last.grid;
    const col = Math.floor((x - g.xMinM) / g.cellM);
    const row = Math.floor((g.yMaxM - y) / g.cellM);
    const v = col >= 0 && row >= 0 && col < g.width && row < g.height ? last.frame.values[row * g.width + col]! : NaN;
    const unit = byProperty.get(last.property)!.unit;
    return {
      layerId: id,
      properties: [
        ['property', last.property],
        ['value', Number.isFinite(v) ? `${v.toFixed(1)} ${unit}` : ''],
        ['cell', `${g.cellM} m · EPSG:3035 ${Math.round(g.xMinM + col * g.cellM)} E ${Math.round(g.yMaxM - (row + 1) * g.cellM)} N`],
        ['method', info.op],
        ['simulated', metas.some((d) => d.simulated) ? 'true' : 'false'],
      ],
      chart: { kind: 'point', property: last.property, lonDeg: where.lonDeg, latDeg: where.latDeg },
    };
  });

  registerSeriesSource(id, async (chart, t0Ms, t1Ms) => {
    if (chart.kind === 'record') throw new Error('a sensor layer has no climate record');
    const stepMs = store.getState().stepMs;
    const unit = byProperty.get(chart.property)?.unit ?? '';
    const simulated = metas.some((d) => d.simulated);
    if (chart.kind === 'point') {
      const s = await client.api.seriesAt(chart.property, chart.lonDeg, chart.latDeg, t0Ms, t1Ms, stepMs, IDW_RADIUS_M);
      return { ...s, stepMs, unit, simulated, label: `${chart.property} · ${chart.latDeg.toFixed(3)}° N ${chart.lonDeg.toFixed(3)}° E (IDW)` };
    }
    const d = metas.find((m) => m.id === chart.datastreamId);
    const s = await client.api.series(chart.datastreamId, t0Ms, t1Ms, stepMs);
    return { ...s, stepMs, unit, simulated, label: d ? `${d.thingName} · ${d.property}` : chart.datastreamId };
  });

  registerSensorActions(id, {
    async replay(file) {
      const s = store.getState();
      try {
        if (file.size > MAX_REPLAY_BYTES) throw new Error(`${(file.size / 1048576).toFixed(0)} MB > ${MAX_REPLAY_BYTES / 1048576} MB`);
        const r = await client.api.openFile(file.name, await file.arrayBuffer(), onEvent);
        outage.stop();
        useDatastreams(r.datastreams, 'replay', file.name);
        outage.announce('replay');
        const first = r.problems[0];
        if (r.skipped > 0 && first) s.notify('warning', t(s.lang, 'sensors.replayProblems', { file: file.name, readings: counted(r.skipped, 'reading'), line: first.line, message: first.message }));
        // The timeline spans the recording; it opens on the recording's last hour.
        if (r.extent) {
          store.getState().setTimeRange({ startMs: r.extent[0], endMs: r.extent[1] });
          store.getState().setTime(new Date(Math.ceil(r.extent[1] / s.stepMs) * s.stepMs).toISOString());
        }
        store.getState().setLayerStatus(id, 'ready');
        requestFrame();
      } catch (err) {
        // The live feed (or the previous recording) stays as it was: openFile failed before replacing it.
        s.notify('error', t(s.lang, 'sensors.replayFailed', { file: file.name, message: err instanceof Error ? err.message : String(err) }));
      }
    },
    async backToLive() {
      try {
        await goLive();
        store.getState().setTime(new Date().toISOString(), true);
      } catch (err) {
        outage.unreachable(unreachableText(err));
      }
    },
    retry: () => outage.retryNow(),
  });

  const unwatch = [
    watch(store, (s) => [s.timeIso, s.stepMs, s.layers[id]?.sensors?.property, s.layers[id]?.sensors?.op, s.layers[id]?.visible] as const, requestFrame),
    // The cell size follows the zoom; only a change of cell size needs a new frame.
    watch(store, (s) => cellSizeForView((s.camera?.heightM ?? 300_000) * 1.5), requestFrame),
  ];
  requestFrame();
  if (unreachable === null) store.getState().setLayerStatus(id, 'ready');
  else outage.unreachable(unreachable);

  return {
    defaultOpacity: OVERLAY_OPACITY,
    setOpacity: (a) => view.setOpacity(a),
    setVisible(v) {
      view.setVisible(v);
      if (v) requestFrame();
    },
    dispose() {
      disposed = true;
      outage.dispose();
      for (const u of unwatch) u();
      registerPickResolver(id, null);
      registerSeriesSource(id, null);
      registerSensorActions(id, null);
      view.dispose();
      void client.api.disconnect().catch(() => {});
    },
  };
}
