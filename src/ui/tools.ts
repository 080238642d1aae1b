/**
 * Scene tools: the sun and shadow study (the sun at the timeline's time) and the measurement tools (distance,
 * area, height difference, on the terrain and on buildings), with the result in the UI language's number format.
 * Escape ends a measurement (ui/tool-hint.ts).
 */
import { formatNumber, t, type Lang } from '../i18n';
import { measureArea, measurePath } from '../../core/geo/measure';
import { watch, type AppStore } from '../state/store';
import type { MeasureMode, MeasureState } from '../state/types';
import { h, rerender } from './dom';

const MODES: readonly MeasureMode[] = ['distance', 'area', 'height'];

/** Metres as m below 10 km, else km; square metres as m², ha or km² by size. */
function length(lang: Lang, m: number): string {
  return Math.abs(m) < 10_000 ? `${formatNumber(lang, m, 2)} m` : `${formatNumber(lang, m / 1000, 3)} km`;
}
function area(lang: Lang, m2: number): string {
  if (m2 < 10_000) return `${formatNumber(lang, m2, 1)} m²`;
  if (m2 < 1e6) return `${formatNumber(lang, m2 / 10_000, 2)} ha`;
  return `${formatNumber(lang, m2 / 1e6, 3)} km²`;
}

export function measureReadout(lang: Lang, m: MeasureState): string {
  if (m.points.length < (m.mode === 'area' ? 3 : 2)) return t(lang, `tools.hint.${m.mode}`);
  if (m.mode === 'area') {
    const a = measureArea(m.points);
    return t(lang, 'tools.result.area', { area: area(lang, a.areaM2), perimeter: length(lang, a.perimeterM) });
  }
  const p = measurePath(m.points);
  const dh = `${p.heightDifferenceM >= 0 ? '+' : ''}${length(lang, p.heightDifferenceM)}`;
  return t(lang, `tools.result.${m.mode}`, { horizontal: length(lang, p.horizontalM), slope: length(lang, p.slopeM), dh });
}

export function mountTools(root: HTMLElement, store: AppStore): () => void {
  const el = h('section', { class: 'panel tools', 'aria-label': t(store.getState().lang, 'tools.title') });
  root.append(el);
  const render = (): void => {
    const { lang, sunStudy, measure } = store.getState();
    el.setAttribute('aria-label', t(lang, 'tools.title'));
    rerender(
      el,
      h('div', { class: 'row' },
        h('button', { type: 'button', 'aria-pressed': String(sunStudy), 'data-focus-key': 'tool-sun', 'data-testid': 'tool-sun', onclick: () => store.getState().setSunStudy(!sunStudy) }, t(lang, 'tools.sun')),
        ...MODES.map((mode) =>
          h('button', {
            type: 'button', 'aria-pressed': String(measure?.mode === mode), 'data-focus-key': `tool-${mode}`, 'data-testid': `tool-measure-${mode}`,
            onclick: () => store.getState().setMeasureMode(measure?.mode === mode ? null : mode),
          }, t(lang, `tools.measure.${mode}`)),
        ),
      ),
      sunStudy ? h('p', { class: 'datum' }, t(lang, 'tools.sunNote')) : null,
      measure ? h('p', { class: 'readout', role: 'status', 'aria-live': 'polite', 'data-testid': 'measure-readout' }, measureReadout(lang, measure)) : null,
    );
  };
  render();
  // Escape ends a measurement through the tool hint (ui/tool-hint.ts), like every other tool.
  return watch(store, (s) => [s.lang, s.sunStudy, s.measure] as const, render);
}
