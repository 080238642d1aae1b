/**
 * The dock: one column at the left edge that holds the workspace's panels, stacked, scrolling inside itself, so
 * that no panel covers another or the timeline and the scene keeps the rest of the screen. Folded, it leaves a
 * single button. Panels mount into their slot; a slot is shown when the workspace lists it (the story panel's
 * and the coverage slots always: those panels hide themselves unless opened or their layer is on).
 */
import { t } from '../i18n';
import { watch, type AppStore } from '../state/store';
import { WORKSPACE_SPECS, type DockPanel } from '../state/workspace';
import { h, rerender } from './dom';

export interface Dock {
  slot(panel: DockPanel): HTMLElement;
  dispose(): void;
}

const ORDER: readonly DockPanel[] = ['stories', 'scenario', 'coverage', 'tools', 'layers'];
/** Panels that hide themselves unless wanted: stories until opened, coverage while its layer is off. */
const ALWAYS: ReadonlySet<DockPanel> = new Set(['stories', 'coverage']);

export function mountDock(root: HTMLElement, store: AppStore): Dock {
  const slots = new Map(ORDER.map((p) => [p, h('div', { class: `dock-slot slot-${p}`, 'data-slot': p })]));
  const hint = h('p', { class: 'ws-hint', 'data-testid': 'ws-hint' });
  const closeHint = h('button', { type: 'button', class: 'close hint-close', 'data-focus-key': 'hint-close', 'data-testid': 'hint-close', onclick: () => store.getState().dismissHint(store.getState().workspace) }, '×');
  const fold = h('button', { type: 'button', class: 'dock-fold', 'aria-controls': 'dock', 'data-focus-key': 'dock-fold', onclick: () => store.getState().setDockOpen(false) }, '«');
  const head = h('div', { class: 'dock-head' }, hint, closeHint, fold);
  const el = h('aside', { id: 'dock', class: 'dock', 'data-testid': 'dock' }, head, h('div', { class: 'dock-body' }, ...slots.values()));
  const unfold = h('button', { type: 'button', class: 'dock-unfold', 'aria-controls': 'dock', 'aria-expanded': 'false', 'data-focus-key': 'dock-unfold', 'data-testid': 'dock-unfold', onclick: () => store.getState().setDockOpen(true) });
  root.append(el, unfold);

  const render = (): void => {
    const { lang, workspace, dockOpen } = store.getState();
    const spec = WORKSPACE_SPECS[workspace];
    el.hidden = !dockOpen;
    unfold.hidden = dockOpen;
    root.classList.toggle('dock-folded', !dockOpen);
    el.setAttribute('aria-label', `${t(lang, 'ws.label')}: ${t(lang, `ws.${workspace}`)}`);
    // The first-run hint of each workspace, until closed; the workspace's name stays in the head.
    const closed = store.getState().hintsDismissed.includes(workspace);
    hint.textContent = closed ? t(lang, `ws.${workspace}`) : t(lang, `ws.${workspace}.hint`);
    hint.classList.toggle('closed', closed);
    closeHint.hidden = closed;
    closeHint.setAttribute('aria-label', t(lang, 'ws.hintClose'));
    closeHint.title = t(lang, 'ws.hintClose');
    fold.setAttribute('aria-label', t(lang, 'dock.fold'));
    fold.title = t(lang, 'dock.fold');
    fold.setAttribute('aria-expanded', 'true');
    rerender(unfold, `» ${t(lang, `ws.${workspace}`)}`);
    unfold.setAttribute('aria-label', t(lang, 'dock.unfold'));
    for (const [p, slot] of slots) slot.hidden = !ALWAYS.has(p) && !spec.panels.includes(p);
  };
  render();
  const unwatch = watch(store, (s) => [s.lang, s.workspace, s.dockOpen, s.hintsDismissed] as const, render);
  return {
    slot: (p) => slots.get(p)!,
    dispose() {
      unwatch();
      el.remove();
      unfold.remove();
    },
  };
}
