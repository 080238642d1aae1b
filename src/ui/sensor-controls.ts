/**
 * A sensor layer's entry in the layer list: which quantity and method, the feed's state (live, reconnecting,
 * stale streams), history progress, the legend in the measured unit, and a visible "simulated" label.
 */
import { DEFAULT_IDW_RADIUS_M } from '../../core/aggregation/aggregate';
import { counted, formatNumber, isMessageKey, t, type Lang } from '../i18n';
import { sensorActions } from '../layers/sensors/actions';
import { fallbackStyle, styleOf } from '../layers/sensors/description';
import type { AppState } from '../state/store';
import type { HeatmapOp, LayerState } from '../state/types';
import { h } from './dom';

const OPS: readonly HeatmapOp[] = ['idw', 'kde', 'mean'];

export function propertyLabel(lang: Lang, property: string): string {
  const key = `sensors.property.${styleOf(property, '')?.key ?? property}`;
  return isMessageKey(key) ? t(lang, key) : property;
}

export function sensorControls(s: AppState, layer: LayerState): HTMLElement {
  const { lang } = s;
  const info = layer.sensors!;
  const id = layer.id;
  const patch = (p: Parameters<AppState['patchSensors']>[1]) => s.patchSensors(id, p);
  // The service did not answer: the layer retries on its own (see layers/sensors/outage.ts); the user may now.
  if (info.service !== false && info.connection === 'offline')
    return h('div', { class: 'sensors', 'data-testid': 'sensor-controls' },
      h('p', { class: 'feed offline', 'data-testid': 'sensor-connection', 'data-connection': info.connection }, t(lang, 'sensors.connection.offline')),
      h('div', { class: 'row' },
        h('button', { type: 'button', 'data-focus-key': `sensor-retry-${id}`, 'data-testid': 'sensor-retry', onclick: () => void sensorActions(id)?.retry() }, t(lang, 'sensors.retry')),
      ),
      replayRow(lang, id, info.replayFile, true),
    );
  // A deployment without a sensor service (plain static hosting): nothing to show until a file is replayed.
  if (info.properties.length === 0)
    return h('div', { class: 'sensors', 'data-testid': 'sensor-controls' },
      h('p', { class: 'note', 'data-testid': 'sensor-no-service' }, t(lang, 'sensors.noService')),
      replayRow(lang, id, info.replayFile, info.service !== false),
    );
  return h(
    'div',
    { class: 'sensors', 'data-testid': 'sensor-controls' },
    info.simulated ? h('p', { class: 'note simulated', 'data-testid': 'simulated-note' }, h('span', { class: 'badge simulated' }, t(lang, 'sensors.simulated')), ' ', t(lang, 'sensors.simulatedNote')) : null,
    h(
      'div',
      { class: 'row' },
      h('label', {}, t(lang, 'sensors.show'), ' ',
        h('select', { 'data-focus-key': `sensor-prop-${id}`, 'data-testid': 'sensor-property', onchange: (e) => patch({ property: (e.target as HTMLSelectElement).value }) },
          ...info.properties.map((p) => h('option', { value: p, selected: p === info.property }, propertyLabel(lang, p))),
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h('label', {}, t(lang, 'sensors.method'), ' ',
        h('select', { 'data-focus-key': `sensor-op-${id}`, 'data-testid': 'sensor-op', onchange: (e) => patch({ op: (e.target as HTMLSelectElement).value as HeatmapOp }) },
          ...OPS.map((op) => h('option', { value: op, selected: op === info.op }, t(lang, `sensors.op.${op}`))),
        ),
      ),
    ),
    legend(lang, info.property, info.unit, info.domain, info.scheme),
    // Where the map means something: interpolation stops at the radius, the map is blank beyond it.
    info.op === 'idw' ? h('p', { class: 'datum', 'data-testid': 'sensor-range' }, t(lang, 'sensors.idwRange', { km: formatNumber(lang, DEFAULT_IDW_RADIUS_M / 1000, 0) })) : null,
    h('p', { class: `feed ${info.connection}`, 'data-testid': 'sensor-connection', 'data-connection': info.connection }, t(lang, `sensors.connection.${info.connection}`)),
    info.stale > 0 ? h('p', { class: 'warning', role: 'status', 'data-testid': 'sensor-stale' }, t(lang, 'sensors.stale', { stale: info.stale, total: info.datastreams })) : null,
    info.progress < 1 ? h('progress', { max: 1, value: info.progress, 'aria-label': t(lang, 'sensors.loadingHistory') }) : null,
    info.rejectedFuture > 0 ? h('p', { class: 'warning', role: 'status', 'data-testid': 'sensor-rejected-future' }, t(lang, 'sensors.rejectedFuture', { readings: counted(info.rejectedFuture, 'reading') })) : null,
    info.rejectedOutOfRange > 0 ? h('p', { class: 'warning', role: 'status', 'data-testid': 'sensor-rejected-range' }, t(lang, 'sensors.rejectedOutOfRange', { readings: counted(info.rejectedOutOfRange, 'reading') })) : null,
    h('p', { class: 'datum' }, t(lang, 'sensors.detail', { stations: counted(info.stations, 'station'), streams: counted(info.datastreams, 'stream'), readings: counted(info.readings, 'reading') })),
    info.cellM > 0 ? h('p', { class: 'datum' }, t(lang, 'sensors.cell', { cell: formatNumber(lang, info.cellM, 0) })) : null,
    replayRow(lang, id, info.replayFile, info.service !== false),
  );
}

/** Replay a recorded CSV / NDJSON file instead of the live service, and back. */
function replayRow(lang: Lang, id: string, replayFile: string | null, service: boolean): HTMLElement {
  const actions = sensorActions(id);
  const input = h('input', {
    type: 'file',
    accept: '.csv,.ndjson,.jsonl,text/csv,application/x-ndjson',
    hidden: true,
    'data-testid': 'sensor-replay-input',
    onchange: (e) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (file && actions) void actions.replay(file);
    },
  });
  return h(
    'div',
    { class: 'row' },
    input,
    replayFile ? h('span', { class: 'file', 'data-testid': 'sensor-replay-file' }, replayFile) : null,
    replayFile
      ? h('button', { type: 'button', 'data-focus-key': `sensor-live-${id}`, onclick: () => void actions?.backToLive() }, t(lang, service ? 'sensors.backToLive' : 'sensors.closeReplay'))
      : h('button', { type: 'button', 'data-focus-key': `sensor-replay-${id}`, 'data-testid': 'sensor-replay', onclick: () => input.click() }, t(lang, 'sensors.replay')),
  );
}

export function legend(lang: Lang, property: string, unit: string, domain: readonly [number, number], scheme: string): HTMLElement {
  const style = styleOf(property, '') ?? fallbackStyle(property, domain);
  const bar = h('div', { class: 'bar', role: 'presentation' });
  const stops = Array.from({ length: 11 }, (_, i) => `${style.interpolate(i / 10)} ${i * 10}%`);
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  const mid = (domain[0] + domain[1]) / 2;
  return h(
    'figure',
    { class: 'legend', 'data-testid': 'legend' },
    h('figcaption', {}, t(lang, 'legend.title', { property: propertyLabel(lang, property), unit })),
    bar,
    h('div', { class: 'ticks' }, h('span', {}, `≤ ${formatNumber(lang, domain[0], 0)}`), h('span', {}, formatNumber(lang, mid, 0)), h('span', {}, `≥ ${formatNumber(lang, domain[1], 0)}`)),
    h('small', {}, t(lang, 'legend.scheme', { scheme })),
  );
}
