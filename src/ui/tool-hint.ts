/**
 * What the active tool's next click does, over the scene, with a button to leave it; Escape leaves it too (one
 * handler for every tool: state/tool-mode.ts). Without a tool there is nothing here.
 */
import { t, type Lang } from '../i18n';
import { watch, type AppStore } from '../state/store';
import { activeTool, endTools, type ToolMode } from '../state/tool-mode';
import { h, rerender } from './dom';

function hint(lang: Lang, tool: ToolMode): string {
  if (tool.kind === 'measure') return t(lang, `tools.hint.${tool.mode}`);
  if (tool.kind === 'draw-building') return t(lang, 'toolhint.draw');
  return t(lang, tool.moving ? 'toolhint.moveMast' : 'toolhint.placeMast', { operator: tool.operator });
}

export function mountToolHint(root: HTMLElement, store: AppStore): () => void {
  const el = h('div', { class: 'tool-hint', role: 'status', 'aria-live': 'polite', 'data-testid': 'tool-hint', hidden: true });
  root.append(el);
  const render = (): void => {
    const s = store.getState();
    const tool = activeTool(s);
    el.hidden = tool === null;
    if (!tool) return void el.replaceChildren();
    // The operator id of a mast is shown by its label in the coverage panel; here the id is plain text anyway.
    rerender(el,
      h('span', { class: 'mode' }, hint(s.lang, tool)),
      h('button', { type: 'button', 'data-focus-key': 'tool-end', 'data-testid': 'tool-end', onclick: () => endTools(store.getState()) }, t(s.lang, 'toolhint.end')),
    );
  };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    if (endTools(store.getState())) e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  render();
  const unwatch = watch(store, (s) => [s.lang, activeTool(s)?.kind, s.measure?.mode, s.mastPlacement] as const, render);
  return () => {
    unwatch();
    document.removeEventListener('keydown', onKey);
    el.remove();
  };
}
