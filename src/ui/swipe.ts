/**
 * The swipe divider: a vertical bar over the scene, dragged with the pointer or moved with the arrow keys (it is
 * an ARIA slider). While dragging, the scene follows directly through the layer's `previewSplit`; the store gets
 * the position once, on release (settled values only).
 */
import { t } from '../i18n';
import { coverageActions } from '../layers/coverage/actions';
import { watch, type AppStore } from '../state/store';
import { h } from './dom';

const KEY_STEP = 0.02;

export function mountSwipe(root: HTMLElement, store: AppStore, layerId: string): () => void {
  const handle = h('div', { class: 'swipe-handle', 'aria-hidden': 'true' });
  const labelA = h('span', { class: 'swipe-label a' });
  const labelB = h('span', { class: 'swipe-label b' });
  const bar = h('div', { class: 'swipe', role: 'slider', tabindex: 0, 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-testid': 'swipe' }, handle, labelA, labelB);
  root.append(bar);
  let dragging: number | null = null;
  let fraction = 0.5;

  const place = (f: number): void => {
    fraction = Math.min(0.98, Math.max(0.02, f));
    bar.style.left = `${(fraction * 100).toFixed(3)}%`;
    bar.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  };
  const settle = (): void => store.getState().patchCoverage(layerId, { split: fraction });
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
    coverageActions(layerId)?.previewSplit(fraction);
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
    const s = store.getState();
    const layer = s.layers[layerId];
    const info = layer?.coverage;
    bar.hidden = !info || !layer.visible || info.mode !== 'swipe';
    if (!info) return;
    if (dragging === null) place(info.split);
    const label = (id: string) => info.sources.find((x) => x.id === id)?.label ?? id;
    labelA.textContent = `A: ${label(info.a)}`;
    labelB.textContent = `B: ${label(info.b)}`;
    bar.setAttribute('aria-label', t(s.lang, 'coverage.swipe'));
  };
  render();
  return watch(store, (s) => [s.lang, s.layers[layerId]] as const, render);
}
