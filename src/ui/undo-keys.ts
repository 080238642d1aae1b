/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo scenario edits anywhere but in a text field, where they edit the text. */
import type { AppStore } from '../state/store';

const isTyping = (el: EventTarget | null): boolean => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;

export function mountUndoKeys(store: AppStore): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || isTyping(e.target)) return;
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) store.getState().undo();
    else if ((k === 'z' && e.shiftKey) || k === 'y') store.getState().redo();
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
