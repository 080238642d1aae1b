import { describe, expect, it } from 'vitest';
import { journal, withJournal } from '../../../../src/persist/unsaved-journal';

interface Item {
  readonly id: string;
  readonly name: string;
}

function memory() {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

const decode = (x: unknown): Item | string => (typeof x === 'object' && x !== null && typeof (x as Item).id === 'string' ? (x as Item) : 'not an item');

describe('edits noted by a closing page', () => {
  it('are read back, decoded, and cleared', () => {
    const storage = memory();
    const notes = journal<Item>(storage, 'u.');
    notes.note('a', { id: 'a', name: 'edited' }, 3);
    notes.note('b', null, 1);
    storage.setItem('u.c', '{"base":1,"item":"garbage"}');
    storage.setItem('other', 'x');
    expect(notes.read(decode)).toEqual([
      { id: 'a', base: 3, item: { id: 'a', name: 'edited' } },
      { id: 'b', base: 1, item: null },
    ]);
    notes.clear(['a', 'b']);
    expect(notes.read(decode)).toEqual([]);
  });

  it('are shown as edits, known at the revision they were based on', () => {
    const stored = { id: 'a', name: 'stored' };
    const records = new Map([['a', { rev: 3, item: stored }], ['b', { rev: 1, item: { id: 'b', name: 'gone' } }]]);
    const r = withJournal([stored, { id: 'b', name: 'gone' }], records, [
      { id: 'a', base: 3, item: { id: 'a', name: 'edited' } },
      { id: 'b', base: 1, item: null },
      { id: 'n', base: 0, item: { id: 'n', name: 'new' } },
    ]);
    expect(r.items.map((x) => x.name)).toEqual(['edited', 'new']);
    expect(r.known.get('a')).toEqual({ rev: 3, item: stored });
    expect(r.known.has('n')).toBe(false);
  });

  it('made on a revision another tab has since replaced stay edits at the old revision, so their save conflicts', () => {
    const records = new Map([['a', { rev: 5, item: { id: 'a', name: 'newer elsewhere' } }]]);
    const r = withJournal([...records.values()].map((x) => x.item), records, [{ id: 'a', base: 3, item: { id: 'a', name: 'edited' } }]);
    expect(r.known.get('a')?.rev).toBe(3);
    expect(r.items[0]?.name).toBe('edited');
  });

  it('that did reach storage after all are not redone', () => {
    const records = new Map([['a', { rev: 4, item: { id: 'a', name: 'edited' } }]]);
    const r = withJournal([...records.values()].map((x) => x.item), records, [{ id: 'a', base: 3, item: { id: 'a', name: 'edited' } }]);
    expect(r.known.get('a')?.rev).toBe(4);
  });
});
