import { describe, expect, it } from 'vitest';
import { syncItems, type Channel, type Conflict, type ItemBackend, type SavedMessage, type StoredRecord } from '../../../../src/persist/synced-items';

interface Item {
  readonly id: string;
  readonly name: string;
}

/** Storage shared by the "tabs": a map of records with the same compare-and-set rule as IndexedDB's. */
function sharedBackend() {
  const records = new Map<string, StoredRecord<Item>>();
  let writes = 0;
  const backend: ItemBackend<Item> = {
    get: async (id) => records.get(id) ?? null,
    put: async (id, item, expected) => {
      const rev = records.get(id)?.rev ?? 0;
      if (rev !== expected) return { ok: false, theirs: records.get(id) ?? null };
      writes++;
      if (item) records.set(id, { rev: rev + 1, item });
      else records.delete(id);
      return { ok: true, rev: rev + 1 };
    },
    putNow: (id, item, rev) => {
      writes++;
      if (item) records.set(id, { rev, item });
      else records.delete(id);
    },
  };
  return { backend, records, writes: () => writes };
}

/** A BroadcastChannel between tabs: delivered to every other tab, never to the sender. */
function bus() {
  const listeners = new Set<{ tab: number; on: (m: SavedMessage) => void }>();
  return (sender: number): Channel => ({
    post: (m) => queueMicrotask(() => listeners.forEach((l) => l.tab !== sender && l.on(m))),
    listen: (on) => {
      const l = { tab: sender, on };
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
}

/** One tab: its page items (a plain array standing in for the store) and its sync. */
function tab(n: number, backend: ItemBackend<Item>, channel: (tab: number) => Channel, initial: ReadonlyMap<string, StoredRecord<Item>> = new Map()) {
  let items: Item[] = [...initial.values()].map((r) => r.item);
  const conflicts: Conflict<Item>[] = [];
  const sync = syncItems<Item>(
    {
      backend,
      channel: channel(n),
      read: () => items,
      apply: (id, item) => {
        items = item === null ? items.filter((x) => x.id !== id) : items.some((x) => x.id === id) ? items.map((x) => (x.id === id ? item : x)) : [...items, item];
        sync.changed();
      },
      onConflict: (c) => conflicts.push(c),
      onError: (err) => {
        throw err;
      },
      delayMs: 0,
    },
    initial,
  );
  return {
    sync,
    conflicts,
    items: () => items,
    edit: (next: Item[]) => {
      items = next;
      sync.changed();
    },
  };
}

/** Lets every queued save and message run. */
const settle = async (...tabs: { sync: { flush(): Promise<void> } }[]) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(tabs.map((t) => t.sync.flush()));
  }
};

describe('items saved by several tabs', () => {
  it('a scenario made in one tab appears in the other, and nothing is written back', async () => {
    const { backend, records, writes } = sharedBackend();
    const channel = bus();
    const a = tab(1, backend, channel);
    const b = tab(2, backend, channel);
    a.edit([{ id: 'x', name: 'Made in A' }]);
    b.edit([{ id: 'y', name: 'Made in B' }]);
    await settle(a, b);
    expect(records.size).toBe(2);
    expect(a.items().map((i) => i.id).toSorted()).toEqual(['x', 'y']);
    expect(b.items().map((i) => i.id).toSorted()).toEqual(['x', 'y']);
    // One write per item: showing the other tab's item did not save it again.
    expect(writes()).toBe(2);
    expect(a.conflicts).toEqual([]);
  });

  it('an edit of an item the other tab also changed is a conflict, not an overwrite; keep mine wins everywhere', async () => {
    const { backend, records } = sharedBackend();
    const channel = bus();
    const a = tab(1, backend, channel);
    a.edit([{ id: 'x', name: 'v1' }]);
    await settle(a);
    const b = tab(2, backend, channel, new Map(records));
    // Both edit before either hears of the other; A's save lands first.
    b.edit([{ id: 'x', name: 'B' }]);
    a.edit([{ id: 'x', name: 'A' }]);
    await a.sync.flush();
    await settle(a, b);
    expect(records.get('x')?.item.name).toBe('A');
    expect(b.conflicts).toHaveLength(1);
    expect(b.conflicts[0]).toMatchObject({ id: 'x', mine: { name: 'B' }, theirs: { name: 'A' } });
    expect(b.items()[0]?.name).toBe('B');
    await b.sync.resolve('x', 'mine');
    await settle(a, b);
    expect(records.get('x')?.item.name).toBe('B');
    expect(a.items()[0]?.name).toBe('B');
    expect(a.conflicts).toEqual([]);
  });

  it('a save over a revision this tab never saw fails the compare-and-set and becomes a conflict', async () => {
    const { backend, records } = sharedBackend();
    const a = tab(1, backend, bus());
    a.edit([{ id: 'x', name: 'v1' }]);
    await settle(a);
    // B hears nothing (its message was lost, or arrives late): storage itself refuses the overwrite.
    const b = tab(2, backend, bus(), new Map(records));
    a.edit([{ id: 'x', name: 'A' }]);
    await settle(a);
    b.edit([{ id: 'x', name: 'B' }]);
    await settle(b);
    expect(records.get('x')).toMatchObject({ rev: 2, item: { name: 'A' } });
    expect(b.conflicts[0]).toMatchObject({ id: 'x', mine: { name: 'B' }, theirs: { name: 'A' } });
  });

  it('take theirs shows the stored version and saves nothing', async () => {
    const { backend, records, writes } = sharedBackend();
    const channel = bus();
    const a = tab(1, backend, channel);
    a.edit([{ id: 'x', name: 'v1' }]);
    await settle(a);
    const b = tab(2, backend, channel, new Map(records));
    b.edit([{ id: 'x', name: 'B' }]);
    a.edit([{ id: 'x', name: 'A' }]);
    await a.sync.flush();
    await settle(a, b);
    const before = writes();
    await b.sync.resolve('x', 'theirs');
    await settle(a, b);
    expect(b.items()[0]?.name).toBe('A');
    expect(writes()).toBe(before);
  });

  it('an item deleted in one tab while the other edits it is a conflict naming the deletion', async () => {
    const { backend, records } = sharedBackend();
    const channel = bus();
    const a = tab(1, backend, channel);
    a.edit([{ id: 'x', name: 'v1' }]);
    await settle(a);
    const b = tab(2, backend, channel, new Map(records));
    b.edit([{ id: 'x', name: 'B' }]);
    a.edit([]);
    await a.sync.flush();
    await settle(a, b);
    expect(records.has('x')).toBe(false);
    expect(b.conflicts[0]).toMatchObject({ id: 'x', mine: { name: 'B' }, theirs: null });
  });

  it('a page that is going writes its unsaved edit at once, in one request', async () => {
    const { backend, records } = sharedBackend();
    const channel = bus();
    const a = tab(1, backend, channel);
    const slow = syncItems<Item>(
      { backend, channel: channel(3), read: () => [{ id: 'z', name: 'last edit' }], apply: () => {}, onConflict: () => {}, onError: () => {}, delayMs: 60_000 },
      new Map(),
    );
    slow.changed();
    void slow.flush(true);
    // Written synchronously, before any await.
    expect(records.get('z')).toEqual({ rev: 1, item: { id: 'z', name: 'last edit' } });
    await settle(a);
    expect(a.items()).toEqual([{ id: 'z', name: 'last edit' }]);
    slow.dispose();
  });
});

describe('a channel opened before the read', () => {
  it('hands what it heard before anyone listened to its first listener, then passes messages on', async () => {
    const { heardFromNow } = await import('../../../../src/persist/synced-items');
    let send: ((m: { id: string; rev: number }) => void) | null = null;
    let closed = false;
    const raw = { post: () => {}, listen: (h: (m: { id: string; rev: number }) => void) => ((send = h), () => (closed = true)) };
    const ch = heardFromNow(raw);
    send!({ id: 'a', rev: 2 });
    const got: string[] = [];
    const stop = ch.listen((m) => got.push(`${m.id}@${m.rev}`));
    send!({ id: 'b', rev: 1 });
    expect(got).toEqual(['a@2', 'b@1']);
    stop();
    expect(closed).toBe(true);
  });
});
