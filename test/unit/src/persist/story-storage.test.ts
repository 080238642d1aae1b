import { describe, expect, it } from 'vitest';
import { ASIDE_PREFIX, loadStories, persistStories, STORIES_KEY, STORY_PREFIX } from '../../../../src/persist/story-storage';
import { envelope } from '../../../../src/persist/records';
import { createAppStore } from '../../../../src/state/store';
import { keepBoth, serializeStories, type Story } from '../../../../src/state/story';

/** localStorage as a Map, with its key enumeration. */
function memory(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return {
    map: m,
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

const story = (id: string, title = `Story ${id}`): Story => ({ id, title, slides: [] });
const asideKeys = (m: Map<string, string>) => [...m.keys()].filter((k) => k.startsWith(ASIDE_PREFIX));

describe('stories saved one record each', () => {
  it("splits an earlier release's single document into records, in its order", () => {
    const storage = memory({ [STORIES_KEY]: serializeStories([story('story-b'), story('story-a')]) });
    const loaded = loadStories(storage);
    expect(loaded.stories.map((s) => s.id)).toEqual(['story-b', 'story-a']);
    expect(storage.getItem(STORIES_KEY)).toBeNull();
    expect(JSON.parse(storage.getItem(`${STORY_PREFIX}story-a`) ?? '')).toMatchObject({ rev: 1, item: { id: 'story-a' } });
  });

  it('keeps every damaged record aside under its own key, never over an earlier damaged copy', () => {
    const storage = memory({ [`${STORY_PREFIX}story-x`]: '{"format":"sddi-twin-record","version":1,"rev":1,"item":{"id":"story-x"}}' });
    const first = loadStories(storage);
    expect(first.stories).toEqual([]);
    expect(first.problems).toHaveLength(1);
    storage.setItem(`${STORY_PREFIX}story-x`, 'not json at all');
    const second = loadStories(storage);
    expect(second.aside.size).toBe(1);
    const kept = asideKeys(storage.map);
    expect(kept).toHaveLength(2);
    expect(kept.map((k) => storage.getItem(k))).toContain('not json at all');
    expect(storage.getItem(`${STORY_PREFIX}story-x`)).toBeNull();
  });

  it('leaves a record of a newer release exactly as it is, even when this tab saves stories', async () => {
    const newer = JSON.stringify({ ...envelope(story('story-n'), 3, 0), version: 2 });
    const storage = memory({ [`${STORY_PREFIX}story-n`]: newer });
    const store = createAppStore();
    persistStories(store, storage);
    expect(store.getState().notices.map((n) => n.text).join()).toMatch(/newer version/);
    store.getState().createStory('Mine');
    await new Promise((r) => setTimeout(r, 5));
    expect(storage.getItem(`${STORY_PREFIX}story-n`)).toBe(newer);
    expect([...storage.map.keys()].filter((k) => k.startsWith(STORY_PREFIX))).toHaveLength(2);
  });

  it('offers the damaged copies for download in its notice', () => {
    const storage = memory({ [STORIES_KEY]: '{"format":"sddi-twin-stories","version":1,"stories":[{"id":"BAD ID"}]}' });
    const store = createAppStore();
    persistStories(store, storage);
    const aside = store.getState().notices.find((n) => n.actions);
    expect(aside?.actions?.map((a) => a.label)).toEqual(['Download them']);
    expect(asideKeys(storage.map)).toHaveLength(1);
  });
});

describe('importing stories beside local ones', () => {
  it('keeps a different local story with the same id and adds the import as a copy; an identical one is not doubled', () => {
    const local = [story('story-a', 'Local A'), story('story-b')];
    const incoming = [story('story-a', 'Imported A'), story('story-b'), story('story-c')];
    const r = keepBoth(local, incoming, (title) => `${title} (imported)`);
    expect(r.copies).toBe(1);
    expect(r.stories.map((s) => s.title)).toEqual(['Imported A (imported)', 'Story story-c']);
    expect(r.stories[0]?.id).not.toBe('story-a');
    expect(new Set([...local, ...r.stories].map((s) => s.id)).size).toBe(4);
  });
});
