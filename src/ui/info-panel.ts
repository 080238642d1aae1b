/** The picked building's properties, as text, with its source and licence and a visible "estimated" flag. */
import { formatNumber, isMessageKey, t, type Lang } from '../i18n';
import { layerName } from '../layers/titles';
import type { Manifest } from '../../core/manifest';
import { watch, type AppStore } from '../state/store';
import type { Selection } from '../state/types';
import { seriesSource } from '../layers/series-registry';
import type { ChartHandle } from './chart';
import { h, rerender } from './dom';
import { downloadText } from '../persist/download';
import { clipText, valueFileName } from './clip-text';

/** Shown in this order first; the rest follow as the data gave them. Source and licence close the list. */
const FIRST = ['name', 'address', 'heightM', 'roofType', 'function', 'groundHeightM', 'groundHeightDatum', 'id'];
const LAST = ['source', 'licence'];
/** Plain decimal numbers are shown in the UI language's format; codes such as "31001_2000" stay as they are. */
const NUMBER = /^-?\d+(\.\d+)?$/;

export function mountInfoPanel(root: HTMLElement, store: AppStore, manifest: Manifest): () => void {
  const el = h('aside', { class: 'panel info', 'aria-live': 'polite', 'aria-labelledby': 'info-title' });
  root.append(el);
  const titles = new Map(manifest.layers.map((e) => [e.id, e.title]));
  let chart: ChartHandle | null = null;
  let chartSeq = 0;
  const render = () => {
    const { lang, selection } = store.getState();
    el.hidden = selection === null;
    // Never over what it describes: a selection picked on the right half of the scene gets the panel on the left.
    el.classList.toggle('left', (selection?.pickedAtX ?? 0) > 0.55);
    chart?.dispose();
    chart = null;
    const seq = ++chartSeq;
    if (!selection) return el.replaceChildren();
    const chartBox = selection.chart ? h('div', { class: 'chart-box', 'aria-busy': 'true' }, t(lang, 'chart.loading')) : null;
    const source = seriesSource(selection.layerId);
    if (chartBox && selection.chart && source) {
      const { timeRange, timeIso, stepMs } = store.getState();
      const t1 = timeRange?.endMs ?? Date.now();
      const t0 = timeRange?.startMs ?? t1 - 14 * 24 * 3600_000;
      // The charts' code (uPlot) is fetched beside the first series.
      Promise.all([source(selection.chart, t0, t1 + stepMs), import('./chart'), import('./record-chart')])
        .then(([series, { renderChart }, { renderRecordChart }]) => {
          if (seq !== chartSeq) return;
          chart = (series.record ? renderRecordChart : renderChart)(lang, series, Date.parse(timeIso));
          chartBox.replaceChildren(chart.el);
          chartBox.removeAttribute('aria-busy');
        })
        .catch((err: unknown) => {
          if (seq === chartSeq) chartBox.textContent = t(lang, 'chart.failed', { message: err instanceof Error ? err.message : String(err) });
        });
    }
    rerender(
      el,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'info-title' }, t(lang, infoTitle(store.getState().layers[selection.layerId]?.kind, selection.chart !== undefined))),
        h('button', { type: 'button', class: 'close', 'aria-label': t(lang, 'info.close'), onclick: () => store.getState().select(null) }, '×'),
      ),
      h('p', { class: 'layer-name' }, layerName(lang, selection.layerId, store.getState().layers[selection.layerId]?.title, titles.get(selection.layerId))),
      h('dl', {}, ...rows(lang, selection)),
      chartBox,
    );
  };
  render();
  return watch(store, (s) => [s.lang, s.selection] as const, render);
}

/** Buildings, sensor stations and map cells, imported features: the panel says which it shows. */
function infoTitle(kind: string | undefined, charted: boolean): 'info.title' | 'info.titleSensor' | 'info.titleFeature' {
  if (charted) return 'info.titleSensor';
  return kind === 'buildings' ? 'info.title' : 'info.titleFeature';
}

function rows(lang: Lang, selection: Selection): HTMLElement[] {
  const props = new Map(selection.properties);
  const estimated = props.get('heightEstimated') === 'true';
  const keys = [...FIRST.filter((k) => props.has(k)), ...[...props.keys()].filter((k) => !FIRST.includes(k) && !LAST.includes(k) && k !== 'heightEstimated'), ...LAST.filter((k) => props.has(k))];
  const out: HTMLElement[] = [];
  for (const k of keys) {
    const raw = props.get(k) ?? '';
    if (raw === '') continue;
    const labelKey = `prop.${k}`;
    const label = isMessageKey(labelKey) ? t(lang, labelKey) : clipText(k).shown;
    const clipped = clipText(raw);
    const value = raw === 'true' ? t(lang, 'yes') : raw === 'false' ? t(lang, 'no') : !clipped.clipped && NUMBER.test(raw) ? formatNumber(lang, Number(raw), 2) : clipped.shown;
    out.push(h('dt', {}, label));
    out.push(
      h('dd', { 'data-prop': k },
        value,
        clipped.clipped ? fullValue(lang, k, raw, clipped.length) : null,
        k === 'heightM' && estimated ? h('span', { class: 'badge estimated' }, t(lang, 'info.estimated')) : null),
    );
  }
  return out;
}

/** After a shortened value: its full length, and the whole value to copy or download (never laid out). */
function fullValue(lang: Lang, key: string, raw: string, length: number): HTMLElement {
  const status = h('span', { class: 'clip-status', role: 'status' });
  const copy = async () => {
    try {
      // Absent outside secure contexts, and refused without permission: say so instead of failing silently.
      if (!navigator.clipboard?.writeText) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(raw);
      status.textContent = t(lang, 'info.copied');
    } catch {
      status.textContent = t(lang, 'info.copyFailed');
    }
  };
  const download = () => {
    downloadText(valueFileName(key), 'text/plain;charset=utf-8', raw);
  };
  return h('span', { class: 'clipped' },
    '… ',
    h('span', { class: 'clip-length' }, t(lang, 'info.clippedLength', { count: formatNumber(lang, length, 0) })),
    ' ',
    h('button', { type: 'button', class: 'clip-action', onclick: () => void copy() }, t(lang, 'info.copy')),
    ' ',
    h('button', { type: 'button', class: 'clip-action', onclick: download }, t(lang, 'info.download')),
    ' ',
    status,
  );
}
