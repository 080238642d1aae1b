/** A crosshair over the scene while a tool owns the pointer (state/tool-mode.ts), on every rebuilt scene too. */
import type { TwinViewer } from './create-viewer';
import { watch, type AppStore } from '../state/store';
import { activeTool } from '../state/tool-mode';

export function bindToolCursor(viewer: TwinViewer, store: AppStore): () => void {
  const apply = (on: boolean): void => void viewer.widget.container.classList.toggle('tool-active', on);
  apply(activeTool(store.getState()) !== null);
  return watch(store, (s) => activeTool(s) !== null, apply);
}
