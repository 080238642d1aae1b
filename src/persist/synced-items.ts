/**
 * Saved work as one record per item (a scenario, a story), each with a revision, shared by every tab of the
 * browser. Two tabs never overwrite each other silently:
 * - a save is a compare-and-set on the item's revision: it lands only when storage still holds the revision this
 *   tab last saw, otherwise the item is in conflict and the user chooses (keep mine / take theirs);
 * - every save is announced on a channel (BroadcastChannel in the page); another tab reads the item and shows it
 *   at once, unless it has unsaved edits of the same item, which is again a conflict.
 * The engine knows neither the store nor the storage: both come in as small interfaces, so it is tested in node.
 *
 * Invariant: `known` is what this tab and storage agree on. An item whose current object differs from its known
 * one has unsaved edits ("dirty"); applying a record from storage updates `known` first, so it never echoes back.
 */

export interface StoredRecord<T> {
  readonly rev: number;
  readonly item: T;
}

export type PutResult<T> = { readonly ok: true; readonly rev: number } | { readonly ok: false; readonly theirs: StoredRecord<T> | null };

export interface ItemBackend<T> {
  /** One record, or null when absent (or unusable). */
  get(id: string): Promise<StoredRecord<T> | null>;
  /** Writes `item` (null: deletes it) when the stored revision is still `expected` (0: absent). */
  put(id: string, item: T | null, expected: number): Promise<PutResult<T>>;
  /** Writes without comparing, in one request: for the last moment before the page goes. */
  putNow(id: string, item: T | null, rev: number): void;
}

/** What a tab tells the others after a save: which item, at which revision. */
export interface SavedMessage {
  readonly id: string;
  readonly rev: number;
}

export interface Channel {
  post(message: SavedMessage): void;
  listen(onMessage: (message: SavedMessage) => void): () => void;
}

export interface Conflict<T> {
  readonly id: string;
  /** This tab's version; null: deleted here. */
  readonly mine: T | null;
  /** The stored version; null: deleted there. */
  readonly theirs: T | null;
}

export interface SyncOptions<T extends { readonly id: string }> {
  readonly backend: ItemBackend<T>;
  readonly channel: Channel;
  /** The items as the page has them now. */
  read(): readonly T[];
  /** Shows a stored item in the page (null: removes it); must put this very object into the page's state. */
  apply(id: string, item: T | null): void;
  onConflict(conflict: Conflict<T>): void;
  onError(err: unknown): void;
  /** Edits come in bursts (a drag, undo pressed repeatedly): one write per pause. */
  readonly delayMs: number;
}

export interface SyncedItems<T> {
  /** Call after every change of the page's items: schedules a save of what differs from storage. */
  changed(): void;
  /** Saves now; `leaving`: the page is going, write in one request each without comparing. */
  flush(leaving?: boolean): Promise<void>;
  resolve(id: string, choice: 'mine' | 'theirs'): Promise<void>;
  /** The items in conflict, waiting for the user. */
  conflicts(): ReadonlyMap<string, Conflict<T>>;
  dispose(): void;
}

/** Starts syncing from `initial`, the records already read from storage and shown in the page. */
export function syncItems<T extends { readonly id: string }>(opts: SyncOptions<T>, initial: ReadonlyMap<string, StoredRecord<T>>): SyncedItems<T> {
  const known = new Map(initial);
  const conflicts = new Map<string, Conflict<T> & { readonly theirsRev: number }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> = Promise.resolve();

  const current = (): Map<string, T> => new Map(opts.read().map((x) => [x.id, x]));
  /** Ids whose page item differs from the stored one (added, edited or deleted here). */
  const dirty = (items: ReadonlyMap<string, T>): string[] => {
    const ids = [...items.keys()].filter((id) => known.get(id)?.item !== items.get(id));
    for (const id of known.keys()) if (!items.has(id)) ids.push(id);
    return ids;
  };

  const conflict = (id: string, mine: T | null, theirs: StoredRecord<T> | null): void => {
    const c = { id, mine, theirs: theirs?.item ?? null, theirsRev: theirs?.rev ?? 0 };
    conflicts.set(id, c);
    opts.onConflict(c);
  };

  const take = (id: string, theirs: StoredRecord<T> | null): void => {
    if (theirs) known.set(id, theirs);
    else known.delete(id);
    opts.apply(id, theirs?.item ?? null);
  };

  const saveOne = async (id: string, item: T | null): Promise<void> => {
    const r = await opts.backend.put(id, item, known.get(id)?.rev ?? 0);
    // Deleted here and there: nothing to choose.
    if (!r.ok && item === null && r.theirs === null) known.delete(id);
    else if (!r.ok) return conflict(id, item, r.theirs);
    if (!r.ok) return;
    if (item) known.set(id, { rev: r.rev, item });
    else known.delete(id);
    opts.channel.post({ id, rev: r.rev });
  };

  const save = async (): Promise<void> => {
    const items = current();
    for (const id of dirty(items)) {
      if (conflicts.has(id)) continue;
      try {
        await saveOne(id, items.get(id) ?? null);
      } catch (err) {
        opts.onError(err);
      }
    }
  };

  const flush = (leaving = false): Promise<void> => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (leaving) {
      const items = current();
      for (const id of dirty(items)) {
        if (conflicts.has(id)) continue;
        const rev = (known.get(id)?.rev ?? 0) + 1;
        opts.backend.putNow(id, items.get(id) ?? null, rev);
        opts.channel.post({ id, rev });
      }
      return saving;
    }
    // Saves run one after another: two overlapping compare-and-sets of one tab would conflict with each other.
    saving = saving.then(save);
    return saving;
  };

  const onSaved = async (message: SavedMessage): Promise<void> => {
    if ((known.get(message.id)?.rev ?? 0) >= message.rev) return;
    const theirs = await opts.backend.get(message.id);
    const mine = current().get(message.id) ?? null;
    const pending = conflicts.get(message.id);
    if (pending) return conflict(message.id, pending.mine, theirs);
    if (mine !== (known.get(message.id)?.item ?? null)) return conflict(message.id, mine, theirs);
    take(message.id, theirs);
  };

  const unlisten = opts.channel.listen((m) => {
    saving = saving.then(() => onSaved(m)).catch(opts.onError);
  });

  return {
    changed: () => {
      if (timer === null) timer = setTimeout(() => void flush(), opts.delayMs);
    },
    flush,
    conflicts: () => conflicts,
    resolve: async (id, choice) => {
      const c = conflicts.get(id);
      if (!c) return;
      conflicts.delete(id);
      if (choice === 'theirs') {
        take(id, c.theirs === null ? null : { rev: c.theirsRev, item: c.theirs });
        return;
      }
      // Mine: written over their revision, which is now the one this tab has seen.
      if (c.theirs) known.set(id, { rev: c.theirsRev, item: c.theirs });
      else known.delete(id);
      saving = saving.then(async () => {
        const latest = current().get(id) ?? null;
        await saveOne(id, latest);
      }).catch(opts.onError);
      await saving;
    },
    dispose: () => {
      if (timer !== null) clearTimeout(timer);
      unlisten();
    },
  };
}

/** The page's channel between tabs; a browser without BroadcastChannel gets a silent one (one tab only). */
export function broadcastChannel(name: string): Channel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => {}, listen: () => () => {} };
  const bc = new BroadcastChannel(name);
  return {
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a BroadcastChannel has no target origin: it reaches this origin's tabs only.
    post: (m) => bc.postMessage(m),
    listen: (onMessage) => {
      const handler = (e: MessageEvent): void => {
        const d: unknown = e.data;
        if (typeof d === 'object' && d !== null && typeof (d as SavedMessage).id === 'string' && Number.isInteger((d as SavedMessage).rev)) {
          onMessage({ id: (d as SavedMessage).id, rev: (d as SavedMessage).rev });
        }
      };
      bc.addEventListener('message', handler);
      return () => {
        bc.removeEventListener('message', handler);
        bc.close();
      };
    },
  };
}

/**
 * A channel that hears from the moment it is made and hands what it heard to its first listener. A tab opens
 * its channel before it reads storage: a save announced by another tab while the read is under way (the read
 * may have missed it) is then still heard, instead of being lost until that item changes again.
 */
export function heardFromNow(channel: Channel): Channel {
  const heard: SavedMessage[] = [];
  let deliver: ((m: SavedMessage) => void) | null = null;
  const stop = channel.listen((m) => (deliver ? deliver(m) : heard.push(m)));
  return {
    post: (m) => channel.post(m),
    listen: (onMessage) => {
      deliver = onMessage;
      for (const m of heard.splice(0)) onMessage(m);
      return () => {
        deliver = null;
        stop();
      };
    },
  };
}

/** Runs `leave` when the page is closed, reloaded or navigated away (a no-op outside a page). */
export function onPageHide(leave: () => void): () => void {
  if (typeof addEventListener !== 'function') return () => {};
  addEventListener('pagehide', leave);
  return () => removeEventListener('pagehide', leave);
}

/** localStorage, or null where the browser refuses it (storage disabled, some private modes, outside a page). */
export function safeLocalStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}
