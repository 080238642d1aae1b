/**
 * Stories are kept in the browser (localStorage: a few kilobytes of JSON per story), so a link with a story id
 * opens it again on the same machine. What is read back goes through the same validation as an imported file:
 * a damaged copy is reported and left alone (not overwritten), never half-loaded.
 */
import { t } from '../i18n';
import { parseStoriesText, serializeStories } from '../state/story';
import { watch, type AppStore } from '../state/store';

export const STORIES_KEY = 'sddi-twin.stories';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

/** Load the saved stories into the store, then save every change; returns the unsubscribe. */
export function persistStories(store: AppStore, storage: Storage | null = safeLocalStorage()): () => void {
  if (!storage) return () => {};
  let writable = true;
  const saved = readSaved(storage);
  if (saved !== null) {
    const r = parseStoriesText(saved);
    if (r.ok) store.getState().importStories(r.stories);
    else {
      // Keep the damaged copy for whoever can repair it; do not save over it in this session.
      writable = false;
      store.getState().notify('warning', t(store.getState().lang, 'story.storageDamaged', { message: r.problem }));
    }
  }
  return watch(store, (s) => s.stories, (stories) => {
    if (!writable) return;
    try {
      storage.setItem(STORIES_KEY, serializeStories(stories));
    } catch (err) {
      writable = false;
      store.getState().notify('error', t(store.getState().lang, 'story.storageFailed', { message: err instanceof Error ? err.message : String(err) }));
    }
  });
}

function readSaved(storage: Storage): string | null {
  try {
    return storage.getItem(STORIES_KEY);
  } catch {
    return null;
  }
}

/** localStorage, or null where the browser refuses it (storage disabled, some private modes). */
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
