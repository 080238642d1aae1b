import { createStore, type StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import type { Lang } from '../i18n';
import {
  type AppState,
  createJobsSlice,
  createLayersSlice,
  createScenarioSlice,
  createStorySlice,
  createTimeSlice,
  createUiSlice,
  createViewSlice,
} from './slices';
import { createWorkspaceSlice, type WorkspaceId } from './workspace';

export type AppStore = StoreApi<AppState>;
export type { AppState };

/** A fresh store: the app makes one, every test makes its own. */
export function createAppStore(initial: { lang?: Lang; lite?: boolean; workspace?: WorkspaceId; hintsDismissed?: readonly WorkspaceId[] } = {}): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createViewSlice(...a),
    ...createLayersSlice(...a),
    ...createTimeSlice(...a),
    ...createScenarioSlice(...a),
    ...createJobsSlice(...a),
    ...createUiSlice({ lang: initial.lang ?? 'en', lite: initial.lite ?? false })(...a),
    ...createStorySlice(...a),
    ...createWorkspaceSlice<AppState>(initial.workspace, initial.hintsDismissed)(...a),
  }));
}

/**
 * Subscribe to one derived value; the listener runs only when it changes. Selectors that build a tuple
 * compare element-wise (zustand's `shallow`), so `(s) => [s.lang, s.layers]` does not fire on every change.
 */
export function watch<T>(store: AppStore, select: (s: AppState) => T, listener: (value: T, previous: T) => void): () => void {
  let previous = select(store.getState());
  return store.subscribe((state) => {
    const value = select(state);
    if (shallow(value, previous)) return;
    const old = previous;
    previous = value;
    listener(value, old);
  });
}
