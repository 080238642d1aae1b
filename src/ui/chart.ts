/**
 * A selection's time series as a chart (uPlot: canvas, small, fast) with the same numbers as a table for screen
 * readers and keyboard users. Steps without a reading are gaps in the line, never joined across, and counted
 * under the chart. Times on the axis and in the table are Europe/Prague local time.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { counted, formatNumber, t, type Lang } from '../i18n';
import type { ChartSeries } from '../layers/series-registry';
import { chartData } from './chart-data';
import { h } from './dom';
import { DISPLAY_TIME_ZONE, formatPragueTime } from './timeline';

/** uPlot's axis labels in Prague time, whatever the browser's own zone. */
const pragueDate = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), DISPLAY_TIME_ZONE);

const DAY_LOCALES: Record<Lang, string> = { en: 'en-GB', cs: 'cs-CZ', de: 'de-DE' };
/** Axis ticks in the UI language and Prague's calendar: "21 Nov", "21. 11.", "21.11.". */
function dayLabel(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(DAY_LOCALES[lang], { timeZone: DISPLAY_TIME_ZONE, day: 'numeric', month: lang === 'en' ? 'short' : 'numeric' }).format(ms);
}

export interface ChartHandle {
  readonly el: HTMLElement;
  dispose(): void;
}

/**
 * Renders `series` into a new element; `nowMs` is marked on the chart (the timeline's current step). Steps that
 * begin after `clockMs` (the wall clock) are not gaps: they have not happened yet.
 */
export function renderChart(lang: Lang, series: ChartSeries, nowMs: number, clockMs = Date.now()): ChartHandle {
  const n = series.tMs.length;
  const { xs, ys, gaps } = chartData(series, clockMs);
  const el = h('figure', { class: 'chart', 'data-testid': 'chart' });
  const plotEl = h('div', { class: 'plot', role: 'img', 'aria-label': `${series.label} (${series.unit})` });
  const plot = new uPlot(
    {
      width: 296,
      height: 170,
      tzDate: pragueDate,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#aab4c0', grid: { stroke: '#2c3642' }, ticks: { stroke: '#46525f' }, values: (_u: uPlot, splits: number[]) => splits.map((ts) => dayLabel(lang, ts * 1000)) },
        { stroke: '#aab4c0', grid: { stroke: '#2c3642' }, ticks: { stroke: '#46525f' }, size: 44 },
      ],
      series: [{}, { stroke: '#4aa3ff', width: 1.5, spanGaps: false, points: { show: false } }],
      hooks: {
        draw: [
          (u: uPlot) => {
            // The timeline's current step, as a vertical line.
            const x = u.valToPos(nowMs / 1000, 'x', true);
            if (!Number.isFinite(x)) return;
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#f5b342';
            ctx.lineWidth = 1;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    },
    [xs, ys],
    plotEl,
  );
  const rows: HTMLElement[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(h('tr', {}, h('td', {}, formatPragueTime(lang, series.tMs[i]!)), h('td', {}, ys[i] === null ? '–' : formatNumber(lang, ys[i]!, 1))));
  }
  el.append(
    h('figcaption', {}, `${series.label} (${series.unit})`, series.simulated ? h('span', { class: 'badge simulated' }, t(lang, 'sensors.simulated')) : null),
    plotEl,
    h('p', { class: 'gaps', 'data-testid': 'chart-gaps' }, t(lang, 'chart.gaps', { hours: counted(gaps, 'hour') })),
    h(
      'details',
      {},
      h('summary', {}, t(lang, 'chart.table')),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t(lang, 'chart.time')), h('th', {}, `${t(lang, 'chart.value')} (${series.unit})`))), h('tbody', {}, ...rows)),
    ),
  );
  return { el, dispose: () => plot.destroy() };
}
