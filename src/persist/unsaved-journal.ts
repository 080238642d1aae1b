/**
 * Edits a closing page could not finish saving. IndexedDB needs round trips a page being closed or reloaded may
 * not live for (a reload within the save delay lost the last edit); localStorage is written synchronously, so the
 * going page notes each unsaved item there with the revision it was based on. The next load saves them properly:
 * over that revision only, so another tab's later change becomes a conflict, never a silent loss.
 */
import type { StoredRecord } from './synced-items';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export interface JournalEntry<T> {
  readonly id: string;
  /** The stored revision the edit was made on (0: a new item). */
  readonly base: number;
  /** null: deleted. */
  readonly item: T | null;
}

export function journal<T>(storage: Storage | null, prefix: string) {
  return {
    note(id: string, item: T | null, base: number): void {
      try {
        storage?.setItem(prefix + id, JSON.stringify({ base, item }));
      } catch {
        // Full or refused while the page goes: nothing left to tell.
      }
    },
    /** The noted edits, decoded by the item's own decoder; unreadable notes are dropped. */
    read(decode: (item: unknown) => T | string): JournalEntry<T>[] {
      if (!storage) return [];
      const entries: JournalEntry<T>[] = [];
      for (const key of Array.from({ length: storage.length }, (_, i) => storage.key(i))) {
        if (!key?.startsWith(prefix)) continue;
        try {
          const raw = JSON.parse(storage.getItem(key) ?? '') as { base?: unknown; item?: unknown };
          const item = raw.item === null ? null : decode(raw.item);
          if (typeof item !== 'string' && Number.isSafeInteger(raw.base)) entries.push({ id: key.slice(prefix.length), base: raw.base as number, item });
        } catch {
          // Not a note this release wrote.
        }
      }
      return entries;
    },
    clear(ids: readonly string[]): void {
      for (const id of ids) storage?.removeItem(prefix + id);
    },
  };
}

/**
 * The page's items and the engine's starting point with the noted edits applied: a noted item is shown as
 * edited, and "known" at its base revision, so its save is a compare-and-set against that revision.
 */
export function withJournal<T extends { readonly id: string }>(
  items: readonly T[],
  records: ReadonlyMap<string, StoredRecord<T>>,
  entries: readonly JournalEntry<T>[],
): { items: T[]; known: Map<string, StoredRecord<T>> } {
  const known = new Map(records);
  let shown = [...items];
  for (const e of entries) {
    const stored = records.get(e.id);
    // Already saved after all (the closing page's write landed): nothing to redo.
    if (JSON.stringify(stored?.item ?? null) === JSON.stringify(e.item)) continue;
    if (e.base === 0) known.delete(e.id);
    // The stored item stands for "what the edit was based on" only at that revision; otherwise a conflict follows.
    else known.set(e.id, { rev: e.base, item: stored?.item ?? ({ ...e.item } as T) });
    shown = e.item === null ? shown.filter((x) => x.id !== e.id) : shown.some((x) => x.id === e.id) ? shown.map((x) => (x.id === e.id ? (e.item as T) : x)) : [...shown, e.item];
  }
  return { items: shown, known };
}
