/**
 * The workspace last used in this browser: a returning planner starts where they left off, a first visit in
 * Explore. Storage that is full, disabled or holds something else is ignored (the default applies).
 */
import { watch, type AppStore } from '../state/store';
import { DEFAULT_WORKSPACE, isWorkspace, type WorkspaceId } from '../state/workspace';

const KEY = 'sddi-twin.workspace';

export function storedWorkspace(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): WorkspaceId {
  try {
    const v = storage?.getItem(KEY);
    return isWorkspace(v) ? v : DEFAULT_WORKSPACE;
  } catch {
    return DEFAULT_WORKSPACE;
  }
}

export function persistWorkspace(store: AppStore, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): () => void {
  return watch(store, (s) => s.workspace, (ws) => {
    try {
      storage?.setItem(KEY, ws);
    } catch {
      // private mode or a full quota: the next visit starts in the default workspace
    }
  });
}
