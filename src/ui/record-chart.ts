/**
 * A station's climate record as a chart: every month of 1961–2019 (gaps where the source has none, never
 * joined), its 1961–1990 normal, and the least-squares trend with its slope per decade, the method named. The
 * numbers are also a table (one row per year: screen readers and keyboard users get them without the canvas).
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { counted, formatNumber, t, type Lang } from '../i18n';
import type { ChartSeries } from '../layers/series-registry';
import type { ChartHandle } from './chart';
import { h } from './dom';
import { formatMonth } from './timeline';

const MONTHS_SHORT: Record<Lang, string> = { en: 'en-GB', cs: 'cs-CZ', de: 'de-DE' };

export function renderRecordChart(lang: Lang, series: ChartSeries, nowMs: number): ChartHandle {
  const rec = series.record!;
  const n = series.tMs.length;
  const xs = Array.from(series.tMs, (ms) => ms / 1000);
  const ys: Array<number | null> = Array.from(series.value, (v) => (Number.isFinite(v) ? v : null));
  const annual: Array<number | null> = Array.from(rec.annual, (v) => (Number.isFinite(v) ? v : null));
  const normal: Array<number | null> = Array.from(rec.normal, (v) => (Number.isFinite(v) ? v : null));
  const trend: Array<number | null> = Array.from(rec.trendLine, (v) => (Number.isFinite(v) && Number.isFinite(rec.perDecade) ? v : null));
  const gaps = ys.filter((v) => v === null).length;
  const el = h('figure', { class: 'chart record', 'data-testid': 'chart', 'data-months': String(n - gaps) });
  const plotEl = h('div', { class: 'plot', role: 'img', 'aria-label': `${series.label} (${series.unit})` });
  const plot = new uPlot(
    {
      width: 296,
      height: 170,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#aab4c0', grid: { stroke: '#2c3642' }, ticks: { stroke: '#46525f' }, values: (_u: uPlot, splits: number[]) => splits.map((ts) => String(new Date(ts * 1000).getUTCFullYear())) },
        { stroke: '#aab4c0', grid: { stroke: '#2c3642' }, ticks: { stroke: '#46525f' }, size: 44 },
      ],
      series: [
        {},
        { stroke: 'rgba(74, 163, 255, 0.45)', width: 1, spanGaps: false, points: { show: false } },
        // One point a year (at its July): joined from year to year, a missing year leaves a gap.
        { stroke: '#7cc4ff', width: 2, spanGaps: false, points: { show: false } },
        { stroke: '#c0c8d2', width: 1, dash: [4, 3], spanGaps: false, points: { show: false } },
        { stroke: '#f5b342', width: 2, points: { show: false } },
      ],
      hooks: {
        draw: [
          (u: uPlot) => {
            // The timeline's month, as a vertical line.
            const x = u.valToPos(nowMs / 1000, 'x', true);
            if (!Number.isFinite(x)) return;
            u.ctx.save();
            u.ctx.strokeStyle = '#e8eef5';
            u.ctx.beginPath();
            u.ctx.moveTo(x, u.bbox.top);
            u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
            u.ctx.stroke();
            u.ctx.restore();
          },
        ],
      },
    },
    [xs, ys, yearly(annual), normal, trend],
    plotEl,
  );
  const slope = Number.isFinite(rec.perDecade)
    ? t(lang, 'climate.chart.trend', { slope: `${rec.perDecade > 0 ? '+' : ''}${formatNumber(lang, rec.perDecade, 2)}`, unit: series.unit })
    : t(lang, 'climate.chart.noTrend');
  el.append(
    h('figcaption', {}, `${series.label} (${series.unit})`, h('span', { class: 'badge measured' }, t(lang, 'climate.measured'))),
    plotEl,
    h('ul', { class: 'chart-key' },
      h('li', { class: 'k-values' }, t(lang, 'climate.chart.monthly')),
      h('li', { class: 'k-annual' }, t(lang, 'climate.chart.annual')),
      h('li', { class: 'k-normal' }, t(lang, 'climate.chart.normal', { period: rec.normalPeriod })),
      h('li', { class: 'k-trend', 'data-testid': 'chart-trend' }, slope)),
    h('p', { class: 'gaps', 'data-testid': 'chart-gaps' }, t(lang, 'chart.gaps', { hours: counted(gaps, 'month') })),
    h('details', {}, h('summary', {}, t(lang, 'chart.table')), yearTable(lang, series)),
  );
  return { el, dispose: () => plot.destroy() };
}

/**
 * Annual means sit at each July; uPlot joins points across nulls only with spanGaps, which would also bridge a
 * missing year. So the months between two Julys are filled by linear interpolation between complete years only.
 */
function yearly(annual: Array<number | null>): Array<number | null> {
  const out: Array<number | null> = annual.slice();
  let prev = -1;
  annual.forEach((v, i) => {
    if (v === null) return;
    if (prev >= 0 && i - prev === 12) for (let k = 1; k < 12; k++) out[prev + k] = annual[prev]! + ((v - annual[prev]!) * k) / 12;
    prev = i;
  });
  return out;
}

/** One row per year, one column per month: 59 rows rather than 708. */
function yearTable(lang: Lang, series: ChartSeries): HTMLElement {
  const monthNames = Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat(MONTHS_SHORT[lang], { timeZone: 'UTC', month: 'short' }).format(Date.UTC(2000, m, 1)));
  const rows = new Map<number, HTMLElement[]>();
  series.tMs.forEach((ms, i) => {
    const d = new Date(ms);
    let cells = rows.get(d.getUTCFullYear());
    if (!cells) rows.set(d.getUTCFullYear(), (cells = Array.from({ length: 12 }, () => h('td', {}, '–'))));
    const v = series.value[i]!;
    if (Number.isFinite(v)) cells[d.getUTCMonth()]!.textContent = formatNumber(lang, v, 1);
    cells[d.getUTCMonth()]!.title = formatMonth(lang, ms);
  });
  return h('table', { class: 'record-table' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ...monthNames.map((m) => h('th', {}, m)))),
    h('tbody', {}, ...[...rows].map(([year, cells]) => h('tr', {}, h('th', {}, String(year)), ...cells))));
}
