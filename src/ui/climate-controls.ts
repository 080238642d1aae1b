/**
 * The climate record's entry in the layer list: "measured" and its source, which quantity, values or anomalies
 * against 1961–1990, one month or a decade's mean, the lapse-rate switch, the legend on a fixed scale, and the
 * interpolation method with its leave-one-station-out error, so the map's estimates are never taken for
 * measurements.
 */
import { counted, formatNumber, t, type Lang } from '../i18n';
import { styleOfClimate } from '../layers/climate/description';
import type { AppState } from '../state/store';
import type { ClimateLayerInfo, ClimatePeriod, ClimateQuantityId, LayerState } from '../state/types';
import { h } from './dom';

const QUANTITIES: readonly ClimateQuantityId[] = ['temperature', 'precipitation'];
const PERIODS: readonly ClimatePeriod[] = ['month', 'decade'];

export function climateControls(s: AppState, layer: LayerState): HTMLElement {
  const { lang } = s;
  const info = layer.climate!;
  const patch = (p: Partial<ClimateLayerInfo>) => s.patchClimate(layer.id, p);
  const select = <T extends string>(key: string, testId: string, values: readonly T[], current: T, label: (v: T) => string, on: (v: T) => void) =>
    h('select', { 'data-focus-key': `${key}-${layer.id}`, 'data-testid': testId, onchange: (e) => on((e.target as HTMLSelectElement).value as T) },
      ...values.map((v) => h('option', { value: v, selected: v === current }, label(v))));
  return h(
    'div',
    { class: 'sensors climate', 'data-testid': 'climate-controls' },
    h('p', { class: 'note measured', 'data-testid': 'measured-note' }, h('span', { class: 'badge measured' }, t(lang, 'climate.measured')), ' ', t(lang, 'climate.measuredNote')),
    h('div', { class: 'row' }, h('label', {}, t(lang, 'climate.quantity'), ' ',
      select('climate-q', 'climate-quantity', QUANTITIES, info.quantity, (q) => t(lang, `climate.q.${q}`), (quantity) => patch({ quantity })))),
    h('div', { class: 'row' }, h('label', {}, t(lang, 'climate.show'), ' ',
      select('climate-mode', 'climate-mode', ['value', 'anomaly'] as const, info.anomaly ? 'anomaly' : 'value', (m) => t(lang, `climate.mode.${m}`), (m) => patch({ anomaly: m === 'anomaly' })))),
    h('div', { class: 'row' }, h('label', {}, t(lang, 'climate.period'), ' ',
      select('climate-period', 'climate-period', PERIODS, info.period, (p) => t(lang, `climate.period.${p}`), (period) => patch({ period })))),
    info.quantity === 'temperature' && !info.anomaly
      ? h('div', { class: 'row' }, h('label', {},
        h('input', { type: 'checkbox', checked: info.useElevation, 'data-focus-key': `climate-z-${layer.id}`, 'data-testid': 'climate-elevation', onchange: (e) => patch({ useElevation: (e.target as HTMLInputElement).checked }) }),
        ' ', t(lang, 'climate.useElevation')))
      : null,
    climateLegend(lang, info),
    info.progress < 1 ? h('progress', { max: 1, value: info.progress, 'aria-label': t(lang, 'climate.loading') }) : null,
    h('p', { class: 'datum', 'data-testid': 'climate-via' }, t(lang, info.via === 'file' ? 'climate.viaFile' : 'climate.viaSta', { stations: counted(info.stations, 'station') })),
  );
}

/** The legend with the frame's month, the method and its cross-validated error: also the presenter's. */
export function climateLegend(lang: Lang, info: ClimateLayerInfo): HTMLElement {
  const style = styleOfClimate(info.quantity, info.anomaly);
  const bar = h('div', { class: 'bar', role: 'presentation' });
  bar.style.background = `linear-gradient(to right, ${Array.from({ length: 11 }, (_, i) => `${style.interpolate(i / 10)} ${i * 10}%`).join(', ')})`;
  const [lo, hi] = info.domain;
  const sign = (v: number): string => (info.anomaly && v > 0 ? '+' : '') + formatNumber(lang, v, 0);
  const rmse = (v: number): string => (Number.isFinite(v) ? `${formatNumber(lang, v, 2)} ${info.unit}` : '–');
  const method = info.method === 'idw-lapse'
    ? t(lang, 'climate.method.lapse', { rate: formatNumber(lang, info.lapseCPerKm, 1).replace(/^-0$/, '0') })
    : t(lang, 'climate.method.idw');
  return h(
    'figure',
    { class: 'legend', 'data-testid': 'climate-legend' },
    h('figcaption', {}, t(lang, info.anomaly ? 'climate.legend.anomaly' : 'climate.legend.value', { quantity: t(lang, `climate.q.${info.quantity}`), unit: info.unit }),
      info.frameLabel ? h('strong', { class: 'frame-label', 'data-testid': 'climate-frame' }, ` · ${info.frameLabel}`) : null),
    bar,
    h('div', { class: 'ticks' }, h('span', {}, `≤ ${sign(lo)}`), h('span', {}, sign((lo + hi) / 2)), h('span', {}, `≥ ${sign(hi)}`)),
    h('small', {}, t(lang, 'legend.scheme', { scheme: style.scheme })),
    h('p', { class: 'datum', 'data-testid': 'climate-method' }, method, ' ',
      t(lang, 'climate.rmse', { rmse: rmse(info.rmse), plain: rmse(info.rmsePlain), stations: counted(info.stationsWithValue, 'station') })),
  );
}
