/**
 * Stories are kept in the browser's localStorage, one record per story (a few kilobytes of JSON each; read
 * synchronously at start, so a link with a story id opens it at once), and shared live by every tab like the
 * scenarios (`synced-items.ts`). What is read back goes through the same validation as an imported file; a
 * damaged record is kept aside under its own key with a notice and a download, never overwritten.
 */
import { t } from '../i18n';
import { parseStories, parseStoriesText, STORY_FORMAT, STORY_FORMAT_VERSION, type Story } from '../state/story';
import { watch, type AppStore } from '../state/store';
import { downloadText } from './download';
import { envelope, readRecord, storedCreated, storedRev, asideKey } from './records';
import { conflictNotice } from './conflict-notice';
import { onPageHide, safeLocalStorage, syncItems, type Channel, type ItemBackend, type StoredRecord } from './synced-items';

/** The single document of every story, as earlier releases kept them: split into records once. */
export const STORIES_KEY = 'sddi-twin.stories';
export const STORY_PREFIX = 'sddi-twin.story.';
export const ASIDE_PREFIX = 'sddi-twin.aside.';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** One story, checked exactly as a file's story is. */
export function decodeStory(item: unknown): Story | string {
  const r = parseStories({ format: STORY_FORMAT, version: STORY_FORMAT_VERSION, stories: [item] });
  return r.ok ? (r.stories[0] as Story) : r.problem;
}

const parse = (text: string | null): unknown => {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export interface LoadedStories {
  readonly records: Map<string, StoredRecord<Story>>;
  readonly stories: Story[];
  readonly problems: string[];
  readonly aside: Map<string, unknown>;
  readonly newer: number;
}

/** Reads every story record; splits an earlier release's document and moves damaged records aside. */
export function loadStories(storage: Storage): LoadedStories {
  const problems: string[] = [];
  const aside = new Map<string, unknown>();
  const keepAside = (id: string, raw: unknown, text: string): void => {
    const key = ASIDE_PREFIX + asideKey('story', id);
    storage.setItem(key, text);
    aside.set(key, raw);
  };
  const old = storage.getItem(STORIES_KEY);
  if (old !== null) {
    const r = parseStoriesText(old);
    if (r.ok) {
      for (const [i, s] of r.stories.entries()) {
        if (storage.getItem(STORY_PREFIX + s.id) === null) storage.setItem(STORY_PREFIX + s.id, JSON.stringify(envelope(s, 1, i)));
      }
    } else {
      problems.push(r.problem);
      keepAside('document', parse(old), old);
    }
    storage.removeItem(STORIES_KEY);
  }
  const found: { story: Story; rev: number; created: number }[] = [];
  let newer = 0;
  const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((k): k is string => k?.startsWith(STORY_PREFIX) ?? false);
  for (const key of keys) {
    const id = key.slice(STORY_PREFIX.length);
    const text = storage.getItem(key) ?? '';
    const r = readRecord(parse(text), decodeStory);
    if (r.kind === 'ok' && r.record.item.id === id) found.push({ story: r.record.item, rev: r.record.rev, created: r.created });
    else if (r.kind === 'newer') newer++;
    else {
      problems.push(r.kind === 'damaged' ? r.problem : `story “${id}” is stored under another id`);
      keepAside(id, parse(text), text);
      storage.removeItem(key);
    }
  }
  found.sort((a, b) => a.created - b.created || (a.story.id < b.story.id ? -1 : 1));
  const records = new Map(found.map((f) => [f.story.id, { rev: f.rev, item: f.story }]));
  return { records, stories: found.map((f) => f.story), problems, aside, newer };
}

export function storyBackend(storage: Storage): ItemBackend<Story> {
  const read = (id: string): StoredRecord<Story> | null => {
    const r = readRecord(parse(storage.getItem(STORY_PREFIX + id)), decodeStory);
    return r.kind === 'ok' ? r.record : null;
  };
  const write = (id: string, item: Story | null, rev: number): void => {
    const raw = parse(storage.getItem(STORY_PREFIX + id));
    if (item) storage.setItem(STORY_PREFIX + id, JSON.stringify(envelope(item, rev, storedCreated(raw, Date.now()))));
    else storage.removeItem(STORY_PREFIX + id);
  };
  return {
    get: (id) => Promise.resolve(read(id)),
    // localStorage is synchronous: the read and the write cannot be separated by another tab's write in between.
    put: (id, item, expected) => {
      const rev = storedRev(parse(storage.getItem(STORY_PREFIX + id)));
      if (rev !== expected) return Promise.resolve({ ok: false, theirs: read(id) });
      write(id, item, rev + 1);
      return Promise.resolve({ ok: true, rev: rev + 1 });
    },
    putNow: (id, item, rev) => {
      try {
        write(id, item, rev);
      } catch {
        // Full or refused while the page goes: nothing left to tell.
      }
    },
  };
}

/**
 * localStorage tells other tabs of each write itself (a `storage` event), and only once the new value can be read
 * there: a message of our own could arrive before the value, and the other tab would read the old one.
 */
function storageChannel(prefix: string): Channel {
  return {
    post: () => {},
    listen: (onMessage) => {
      if (typeof addEventListener !== 'function') return () => {};
      const handler = (e: StorageEvent): void => {
        if (!e.key?.startsWith(prefix)) return;
        const rev = e.newValue === null ? Number.MAX_SAFE_INTEGER : storedRev(parse(e.newValue));
        onMessage({ id: e.key.slice(prefix.length), rev });
      };
      addEventListener('storage', handler);
      return () => removeEventListener('storage', handler);
    },
  };
}

/** Load the saved stories into the store, then save every change; returns the unsubscribe. */
export function persistStories(store: AppStore, storage: Storage | null = safeLocalStorage()): () => void {
  if (!storage) return () => {};
  const notify = store.getState().notify;
  const lang = () => store.getState().lang;
  let loaded: LoadedStories;
  try {
    loaded = loadStories(storage);
  } catch (err) {
    notify('error', t(lang(), 'story.storageFailed', { message: err instanceof Error ? err.message : String(err) }));
    return () => {};
  }
  for (const p of loaded.problems.slice(0, 3)) notify('warning', t(lang(), 'story.storageDamaged', { message: p }));
  if (loaded.aside.size > 0) {
    const copies = JSON.stringify(Object.fromEntries(loaded.aside), null, 2);
    notify('warning', t(lang(), 'save.storiesKeptAside', { n: loaded.aside.size }), [
      { label: t(lang(), 'save.downloadAside'), run: () => downloadText('sddi-twin-stories-kept-aside.json', 'application/json', copies) },
    ]);
  }
  if (loaded.newer > 0) notify('warning', t(lang(), 'save.newerStories', { n: loaded.newer }));
  if (loaded.stories.length > 0) store.getState().importStories(loaded.stories);

  let failed = false;
  const sync = syncItems<Story>(
    {
      backend: storyBackend(storage),
      channel: storageChannel(STORY_PREFIX),
      read: () => store.getState().stories,
      apply: (id, item) => store.getState().applyStoredStory(id, item),
      onConflict: (c) => conflictNotice(store, c, (choice) => void sync.resolve(c.id, choice)),
      onError: (err) => {
        if (!failed) notify('error', t(lang(), 'story.storageFailed', { message: err instanceof Error ? err.message : String(err) }));
        failed = true;
      },
      // localStorage writes are cheap and synchronous: save at the next pause of the event loop.
      delayMs: 0,
    },
    loaded.records,
  );
  const unwatch = watch(store, (s) => s.stories, () => sync.changed());
  const stopLeaving = onPageHide(() => void sync.flush(true));
  return () => {
    void sync.flush();
    stopLeaving();
    unwatch();
    sync.dispose();
  };
}
