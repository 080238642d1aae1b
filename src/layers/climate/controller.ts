/**
 * The climate record layer's binding: opens the record in the sensors worker (through SensorThings, or the record
 * file on a static host), follows the store's time, quantity and mode, and shows each month (or decade) as a
 * heatmap frame plus coloured stations. While it is shown it owns the timeline: the record's 1961–2019 in months;
 * hidden, the timeline goes back to what it was.
 */
import { lutFromInterpolator } from '../../../core/aggregation/colour';
import type { ClimateFrame } from '../../../core/climate/frame';
import { monthNumber, monthStartMs } from '../../../core/climate/record';
import { converter } from '../../../core/geo/crs';
import type { ManifestEntry } from '../../../core/manifest';
import type { ClimateMeta, ClimateTerrain } from '../../../workers/sensors/climate-api';
import { formatNumber, t } from '../../i18n';
import { registerPickResolver } from '../../scene/picking';
import { watch } from '../../state/store';
import type { ClimateLayerInfo, ClimateQuantityId, Selection } from '../../state/types';
import { OVERLAY_OPACITY } from '../overlay';
import { frameLoop } from '../frame-loop';
import { registerSeriesSource } from '../series-registry';
import { createSensorScene } from '../sensors/cesium';
import type { BindingContext, LayerHandle } from '../types';
import { selectionAt, selectionLabel, styleOfClimate } from './description';

/** Where the record opens on first show: the last July of the record. */
const FIRST_MONTH = '2019-07';


/** The heights under the record, as the manifest entry names them (none: plain IDW). */
function terrainOf(ctx: BindingContext, entry: ManifestEntry): ClimateTerrain | null {
  const e = entry.extras?.['elevation'] as { url?: unknown; grid?: ClimateTerrain['grid'] } | undefined;
  if (!e || typeof e.url !== 'string' || !e.grid) return null;
  return { elevationUrl: new URL(e.url, ctx.tilesetsBase).href, grid: e.grid };
}

export async function mountClimate(ctx: BindingContext, entry: ManifestEntry): Promise<LayerHandle> {
  const { viewer, store } = ctx;
  const id = entry.id;
  if (!ctx.sensors) throw new Error('the climate record needs the sensors worker');
  const client = ctx.sensors();
  const view = createSensorScene(viewer, id);
  const source = { staUrl: ctx.climateService ?? null, recordUrl: new URL(entry.url, ctx.tilesetsBase).href };
  const terrain = terrainOf(ctx, entry);
  const patch = (p: Partial<ClimateLayerInfo>) => store.getState().patchClimate(id, p);
  const initial: ClimateLayerInfo = {
    quantity: 'temperature', anomaly: false, period: 'month', useElevation: true, progress: 0, unit: '°C', domain: styleOfClimate('temperature', false).domain,
    via: '', stations: 0, frameLabel: '', stationsWithValue: 0, method: 'idw-lapse', lapseCPerKm: NaN, rmse: NaN, rmsePlain: NaN, frames: 0,
  };
  store.getState().patchClimate(id, {}, store.getState().layers[id]?.climate ?? initial);

  let disposed = false;
  const metas = new Map<ClimateQuantityId, ClimateMeta>();
  const openQuantity = async (q: ClimateQuantityId): Promise<ClimateMeta> => {
    let m = metas.get(q);
    if (!m) {
      patch({ progress: 0 });
      m = await client.api.openClimate(source, q, terrain, (f) => !disposed && patch({ progress: f }));
      metas.set(q, m);
      if (m.fallback) {
        const s = store.getState();
        s.notify('warning', t(s.lang, 'climate.fallback', { message: m.fallback }));
      }
    }
    return m;
  };
  try {
    await openQuantity(store.getState().layers[id]!.climate!.quantity);
  } catch (err) {
    view.dispose();
    throw new Error(t(store.getState().lang, 'climate.unreachable', { url: source.staUrl ?? source.recordUrl, message: err instanceof Error ? err.message : String(err) }), { cause: err });
  }

  // ---- the timeline: the record's months while shown ----
  // The timeline held while the record is shown, and what it was before, are kept in the store: a scene rebuilt
  // (a lost GPU context) remounts the layer without taking or giving back anything.
  const takeTimeline = (shown: boolean): void => {
    const s = store.getState();
    const m = metas.values().next().value as ClimateMeta | undefined;
    const held = s.timelineHold?.layerId === id;
    if (shown && !held && m) {
      s.setTimelineHold({ layerId: id, before: { range: s.timeRange, timeIso: s.timeIso, live: s.live, calendarStep: s.calendarStep } });
      const start = monthNumber(m.startMonth);
      const startMs = monthStartMs(start);
      const endMs = monthStartMs(start + m.months - 1);
      s.setCalendarStep('month');
      s.setTimeRange({ startMs, endMs });
      const now = Date.parse(s.timeIso);
      // Following the present (nothing in the record): the record's last July. A time someone chose (a link, a
      // story, the scrub) stays; the map then shows the record's nearest month and its label says which.
      if (s.live && !(now >= startMs && now < monthStartMs(start + m.months))) s.setTime(new Date(monthStartMs(monthNumber(FIRST_MONTH))).toISOString());
    } else if (!shown && held) {
      const b = s.timelineHold!.before;
      s.setTimelineHold(null);
      s.setCalendarStep(b.calendarStep);
      s.setTimeRange(b.range);
      s.setTime(b.live ? new Date().toISOString() : b.timeIso, b.live);
    }
  };

  // ---- frames ----
  let last: { quantity: ClimateQuantityId; meta: ClimateMeta; frame: ClimateFrame } | null = null;
  const luts = new Map<string, Uint8Array>();
  const drawFrame = async (): Promise<void> => {
    const s = store.getState();
    const info = s.layers[id]?.climate;
    if (!info || !s.layers[id]?.visible) return;
    const meta = await openQuantity(info.quantity);
    if (disposed) return;
    const style = styleOfClimate(info.quantity, info.anomaly);
    const lutKey = `${info.quantity}:${info.anomaly}`;
    let lut = luts.get(lutKey);
    if (!lut) luts.set(lutKey, (lut = lutFromInterpolator(style.interpolate)));
    const sel = selectionAt(Date.parse(s.timeIso), meta.startMonth, meta.months, info.period);
    // Temperature values only: precipitation does not follow a linear lapse with height, and anomalies vary
    // little with it (the station's own normal already carries its elevation).
    const useElevation = info.useElevation && info.quantity === 'temperature' && !info.anomaly;
    const frame = await client.api.climateFrame(info.quantity, { selection: sel, anomaly: info.anomaly, useElevation, colour: { domain: style.domain, lut } });
    if (disposed) return;
    const [lo, hi] = style.domain;
    const n = meta.stationIds.length;
    const marks = { lonDeg: meta.lonDeg, latDeg: meta.latDeg, rgba: new Uint8Array(n * 4), feature: Uint32Array.from({ length: n }, (_, i) => i) };
    for (let i = 0; i < n; i++) {
      const v = frame.stationValues[i]!;
      if (Number.isNaN(v)) continue;
      const c = Math.round(Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 255) * 4;
      marks.rgba.set(lut.subarray(c, c + 3), i * 4);
      marks.rgba[i * 4 + 3] = 255;
    }
    view.showStations(marks);
    view.showHeatmap(frame.stationsWithValue > 0 ? { rgba: frame.image, ...frame.imageSpec } : null);
    last = { quantity: info.quantity, meta, frame };
    patch({
      unit: meta.unit, domain: style.domain, via: meta.via, stations: n, progress: 1,
      frameLabel: selectionLabel(s.lang, sel, meta.startMonth, meta.months),
      stationsWithValue: frame.stationsWithValue,
      method: frame.fit.stations > 0 ? 'idw-lapse' : 'idw',
      lapseCPerKm: frame.fit.stations > 0 ? frame.fit.perM * 1000 : NaN,
      rmse: frame.cv.rmse, rmsePlain: frame.cvPlain.rmse,
      frames: (store.getState().layers[id]?.climate?.frames ?? 0) + 1,
    });
  };
  const requestFrame = frameLoop(drawFrame, (err: unknown) => {
    const s = store.getState();
    s.notify('error', t(s.lang, 'climate.frameFailed', { message: err instanceof Error ? err.message : String(err) }));
  }, () => !disposed).request;

  // ---- picking and charts ----
  const toLaea = converter(4326, 3035);
  registerPickResolver(id, (feature, where): Selection | null => {
    if (!last) return null;
    const { meta, frame } = last;
    const info = store.getState().layers[id]?.climate;
    const fmt = (v: number): string => (Number.isNaN(v) ? '' : `${formatNumber(store.getState().lang, v, 1)} ${meta.unit}${info?.anomaly ? ' (anomaly)' : ''}`);
    if (feature >= 0) {
      if (feature >= meta.stationIds.length) return null;
      return {
        layerId: id,
        properties: [
          ['name', meta.stationNames[feature]!],
          ['station', meta.stationIds[feature]!],
          ['elevationM', Number.isNaN(meta.elevationM[feature]!) ? '' : String(meta.elevationM[feature])],
          ['climateValue', fmt(frame.stationValues[feature]!)],
          ['period', info?.frameLabel ?? ''],
          ['measured', 'true'],
          ['source', 'ČHMÚ'],
        ],
        chart: { kind: 'record', quantity: last.quantity, station: feature },
      };
    }
    if (!where) return null;
    const [x, y] = toLaea.forward([where.lonDeg, where.latDeg]) as [number, number];
    const g = meta.grid;
    const col = Math.floor((x - g.xMinM) / g.cellM);
    const row = Math.floor((g.yMaxM - y) / g.cellM);
    const v = col >= 0 && row >= 0 && col < g.width && row < g.height ? frame.values[row * g.width + col]! : NaN;
    return {
      layerId: id,
      properties: [
        ['climateValue', fmt(v)],
        ['period', info?.frameLabel ?? ''],
        ['method', info?.method === 'idw-lapse' ? 'IDW + lapse rate (estimated between stations)' : 'IDW (estimated between stations)'],
        ['cell', `${g.cellM} m · EPSG:3035`],
      ],
    };
  });

  registerSeriesSource(id, async (chart) => {
    if (chart.kind !== 'record') throw new Error('the climate record charts stations only');
    const meta = await openQuantity(chart.quantity);
    const s = await client.api.climateSeries(chart.quantity, chart.station);
    const start = monthNumber(meta.startMonth);
    const tMs = Float64Array.from({ length: meta.months }, (_, i) => monthStartMs(start + i));
    // Charted as levels of the year, so the seasonal cycle does not bury them: the mean of the twelve monthly
    // normals, the trend of the anomalies raised onto it, and each complete year's mean.
    const annualNormal = s.normal.reduce((a, v) => a + v, 0) / 12;
    const normal = new Float32Array(meta.months).fill(annualNormal);
    const trendLine = Float32Array.from({ length: meta.months }, (_, i) => annualNormal + s.trend.interceptAtStart + (s.trend.perDecade / 120) * i);
    const annual = new Float32Array(meta.months).fill(NaN);
    for (let y = 0; y + 12 <= meta.months; y += 12) {
      let sum = 0;
      for (let m = 0; m < 12; m++) sum += s.values[y + m]!;
      annual[y + 6] = sum / 12;
    }
    return {
      tMs, value: s.values, stepMs: 30 * 86_400_000, unit: meta.unit, simulated: false,
      label: `${meta.stationNames[chart.station]} · ${chart.quantity === 'temperature' ? 'monthly mean temperature' : 'monthly precipitation'} (ČHMÚ)`,
      record: { annual, normal, trendLine, perDecade: s.trend.perDecade, normalPeriod: '1961–1990' },
    };
  });

  const unwatch = [
    watch(store, (s) => [s.timeIso, s.layers[id]?.climate?.quantity, s.layers[id]?.climate?.anomaly, s.layers[id]?.climate?.period, s.layers[id]?.climate?.useElevation, s.layers[id]?.visible, s.lang] as const, requestFrame),
    watch(store, (s) => s.layers[id]?.visible ?? false, takeTimeline),
  ];
  takeTimeline(store.getState().layers[id]?.visible ?? false);
  requestFrame();

  return {
    defaultOpacity: OVERLAY_OPACITY,
    setOpacity: (a) => view.setOpacity(a),
    setVisible(v) {
      view.setVisible(v);
      if (v) requestFrame();
    },
    dispose() {
      disposed = true;
      for (const u of unwatch) u();
      registerPickResolver(id, null);
      registerSeriesSource(id, null);
      view.dispose();
    },
  };
}
