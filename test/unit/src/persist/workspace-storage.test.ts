import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../src/state/store';
import { persistWorkspace, storedWorkspace } from '../../../../src/persist/workspace-storage';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};

describe('the workspace last used', () => {
  it('is Explore on a first visit and whatever was used last afterwards', () => {
    const storage = memory();
    expect(storedWorkspace(storage)).toBe('explore');
    const store = createAppStore();
    persistWorkspace(store, storage);
    store.getState().setWorkspace('coverage');
    expect(storedWorkspace(storage)).toBe('coverage');
  });

  it('ignores storage that holds something else or throws', () => {
    expect(storedWorkspace({ getItem: () => 'root' })).toBe('explore');
    expect(storedWorkspace({ getItem: () => { throw new Error('SecurityError'); } })).toBe('explore');
    const store = createAppStore();
    persistWorkspace(store, { setItem: () => { throw new Error('QuotaExceededError'); } });
    expect(() => store.getState().setWorkspace('plan')).not.toThrow();
  });
});
