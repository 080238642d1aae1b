/**
 * The workspace last used in this browser, and the workspace hints already closed: a returning planner starts
 * where they left off, a first visit in Explore with its hint. Storage that is full, disabled or holds something
 * else is ignored (the defaults apply).
 */
import { watch, type AppStore } from '../state/store';
import { DEFAULT_WORKSPACE, isWorkspace, type WorkspaceId } from '../state/workspace';

const KEY = 'sddi-twin.workspace';
const HINTS_KEY = 'sddi-twin.hints-closed';

/** The workspace last used here, else `fallback` (the deployment's default, else Explore). */
export function storedWorkspace(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage, fallback: WorkspaceId = DEFAULT_WORKSPACE): WorkspaceId {
  try {
    const v = storage?.getItem(KEY);
    return isWorkspace(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

export function storedHintsDismissed(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): WorkspaceId[] {
  try {
    return (storage?.getItem(HINTS_KEY) ?? '').split(',').filter(isWorkspace);
  } catch {
    return [];
  }
}

export function persistWorkspace(store: AppStore, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): () => void {
  const save = (key: string, value: string): void => {
    try {
      storage?.setItem(key, value);
    } catch {
      // private mode or a full quota: the next visit starts with the defaults
    }
  };
  const stops = [
    watch(store, (s) => s.workspace, (ws) => save(KEY, ws)),
    watch(store, (s) => s.hintsDismissed, (h) => save(HINTS_KEY, h.join(','))),
  ];
  return () => stops.forEach((s) => s());
}
