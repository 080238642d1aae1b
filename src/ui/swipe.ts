/**
 * The swipe divider: a vertical bar over the scene, dragged with the pointer or moved with the arrow keys (it is
 * an ARIA slider). While dragging, the scene follows directly through the target's `preview`; the store gets
 * the position once, on release (settled values only).
 *
 * One divider component, two uses: coverage sources A | B (`coverageSwipe`) and scenario variants A | B
 * (`scenarioSwipe`). Both move `scene.splitPosition`; the scenario panel stops the one when the other starts.
 */
import { t } from '../i18n';
import { coverageActions } from '../layers/coverage/actions';
import { scenarioActions } from '../layers/scenario/actions';
import { watch, type AppState, type AppStore } from '../state/store';
import { h } from './dom';

const KEY_STEP = 0.02;

/** What a divider shows and moves; `view` is null while the divider is not wanted. */
export interface SwipeTarget {
  readonly testId: string;
  view(s: AppState): { readonly split: number; readonly labelA: string; readonly labelB: string; readonly ariaLabel: string } | null;
  preview(fraction: number): void;
  settle(store: AppStore, fraction: number): void;
}

export function coverageSwipe(layerId: string): SwipeTarget {
  return {
    testId: 'swipe',
    view(s) {
      const layer = s.layers[layerId];
      const info = layer?.coverage;
      if (!info || !layer.visible || info.mode !== 'swipe') return null;
      const label = (id: string) => info.sources.find((x) => x.id === id)?.label ?? id;
      return { split: info.split, labelA: `A: ${label(info.a)}`, labelB: `B: ${label(info.b)}`, ariaLabel: t(s.lang, 'coverage.swipe') };
    },
    preview: (f) => coverageActions(layerId)?.previewSplit(f),
    settle: (store, f) => store.getState().patchCoverage(layerId, { split: f }),
  };
}

export function scenarioSwipe(): SwipeTarget {
  return {
    testId: 'scenario-swipe',
    view(s) {
      const c = s.scenarioCompare;
      if (!c) return null;
      const name = (id: string) => s.scenarios.find((x) => x.id === id)?.name ?? id;
      return { split: s.scenarioSplit, labelA: `A: ${name(c.a)}`, labelB: `B: ${name(c.b)}`, ariaLabel: t(s.lang, 'scenario.swipe') };
    },
    preview: (f) => scenarioActions()?.previewSplit(f),
    settle: (store, f) => store.getState().setScenarioSplit(f),
  };
}

export function mountSwipe(root: HTMLElement, store: AppStore, target: SwipeTarget): () => void {
  const handle = h('div', { class: 'swipe-handle', 'aria-hidden': 'true' });
  const labelA = h('span', { class: 'swipe-label a' });
  const labelB = h('span', { class: 'swipe-label b' });
  const bar = h('div', { class: 'swipe', role: 'slider', tabindex: 0, 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-testid': target.testId }, handle, labelA, labelB);
  root.append(bar);
  let dragging: number | null = null;
  let fraction = 0.5;

  const place = (f: number): void => {
    fraction = Math.min(0.98, Math.max(0.02, f));
    bar.style.left = `${(fraction * 100).toFixed(3)}%`;
    bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  };
  const settle = (): void => target.settle(store, fraction);
  const fromPointer = (e: PointerEvent): number => {
    const rect = (root.parentElement ?? root).getBoundingClientRect();
    return (e.clientX - rect.left) / rect.width;
  };

  bar.addEventListener('pointerdown', (e) => {
    dragging = e.pointerId;
    bar.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  bar.addEventListener('pointermove', (e) => {
    if (dragging !== e.pointerId) return;
    place(fromPointer(e));
    target.preview(fraction);
  });
  const release = (e: PointerEvent): void => {
    if (dragging !== e.pointerId) return;
    dragging = null;
    settle();
  };
  bar.addEventListener('pointerup', release);
  bar.addEventListener('pointercancel', release);
  bar.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowLeft' ? -KEY_STEP : e.key === 'ArrowRight' ? KEY_STEP : 0;
    if (step === 0) return;
    e.preventDefault();
    place(fraction + step);
    settle();
  });

  const render = (): void => {
    const v = target.view(store.getState());
    bar.hidden = v === null;
    if (!v) return;
    if (dragging === null) place(v.split);
    labelA.textContent = v.labelA;
    labelB.textContent = v.labelB;
    bar.setAttribute('aria-label', v.ariaLabel);
  };
  render();
  return watch(store, (s) => {
    const v = target.view(s);
    return v ? ([v.split, v.labelA, v.labelB, v.ariaLabel] as const) : null;
  }, render);
}
