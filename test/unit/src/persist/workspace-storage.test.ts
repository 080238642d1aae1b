import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../src/state/store';
import { persistWorkspace, storedHintsDismissed, storedWorkspace } from '../../../../src/persist/workspace-storage';

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

describe('closed workspace hints', () => {
  it('stay closed on the next visit; anything else in storage is ignored', () => {
    const m = new Map<string, string>();
    const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    const store = createAppStore();
    persistWorkspace(store, storage);
    store.getState().dismissHint('explore');
    store.getState().dismissHint('explore');
    store.getState().dismissHint('coverage');
    expect(storedHintsDismissed(storage)).toEqual(['explore', 'coverage']);
    m.set('sddi-twin.hints-closed', 'explore,<img>,plan');
    expect(storedHintsDismissed(storage)).toEqual(['explore', 'plan']);
    expect(createAppStore({ hintsDismissed: ['plan'] }).getState().hintsDismissed).toEqual(['plan']);
  });
});
