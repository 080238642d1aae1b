/**
 * Stories: capturing a view as a slide, reordering and deleting slides, restoring a slide into the store, the JSON
 * file's validation (all or nothing, captions only ever text), and the link's story fields.
 */
import { describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../../../src/state/store';
import {
  captionIn,
  indexAfterRemoval,
  moveItem,
  parseStories,
  parseStoriesText,
  serializeStories,
  STORY_FORMAT,
  type Story,
} from '../../../../src/state/story';
import { decodeUrlState, encodeUrlState } from '../../../../src/state/url';
import { routeOf } from '../../../../src/offline/sw';

const CAM_A = { lonDeg: 13.37, latDeg: 49.74, heightM: 12_000, headingDeg: 10, pitchDeg: -45, rollDeg: 0 };
const CAM_B = { lonDeg: 12.1, latDeg: 49.0, heightM: 30_000, headingDeg: 0, pitchDeg: -60, rollDeg: 0 };

function storeWithLayers(): AppStore {
  const store = createAppStore();
  const s = store.getState();
  s.addLayer('terrain', 'terrain');
  s.addLayer('buildings-zatec', 'buildings');
  s.addLayer('sensors-pm10', 'sensors');
  s.addImportedLayer('file-1', 'my.csv', { fileName: 'my.csv', format: 'csv', epsg: 4326, featureCount: 1, problemCount: 0, columns: [], styleBy: null, progress: 1, outsideAreaOfUse: 0 });
  s.setCamera(CAM_A);
  return store;
}

/** A two-slide story built through the store as the panel does: A (all layers, a fixed time), then B. */
function twoSlides(store: AppStore): { storyId: string; a: string; b: string } {
  const s = store.getState();
  const storyId = s.createStory('Forum Cham')!;
  s.setTime('2025-10-26T09:00:00.000Z');
  const a = store.getState().addSlide()!;
  s.setCamera(CAM_B);
  s.setLayerVisible('sensors-pm10', false);
  s.setLayerVisible('file-1', false);
  s.setTime('2025-10-27T18:30:12.345Z');
  const b = store.getState().addSlide()!;
  return { storyId, a, b };
}

describe('story slice', () => {
  it('captures camera, hidden layers (not the user’s own files), time in whole seconds and scenario', () => {
    const store = storeWithLayers();
    const { b } = twoSlides(store);
    const story = store.getState().stories[0]!;
    expect(story.slides.map((x) => x.id)).toEqual([story.slides[0]!.id, b]);
    const slide = story.slides[1]!;
    expect(slide.camera).toEqual(CAM_B);
    expect(slide.hiddenLayers).toEqual(['sensors-pm10']);
    expect(slide.timeIso).toBe('2025-10-27T18:30:12.000Z');
    expect(slide.live).toBe(false);
    expect(slide.scenarioId).toBeNull();
    expect(slide.caption).toEqual({ cs: '', de: '', en: '' });
    expect(store.getState().slideIndex).toBe(1);
  });

  it('captures the angles Cesium reports for a level camera (360°) in range, so the slide reads back from storage', () => {
    const store = storeWithLayers();
    store.getState().setCamera({ ...CAM_A, headingDeg: 360, rollDeg: 359.99999999999994, pitchDeg: -90.0000000001 });
    store.getState().createStory('x');
    store.getState().addSlide();
    const cam = store.getState().stories[0]!.slides[0]!.camera;
    expect(cam.headingDeg).toBe(0);
    expect(cam.rollDeg).toBeCloseTo(0, 9);
    expect(cam.pitchDeg).toBe(-90);
    expect(parseStoriesText(serializeStories(store.getState().stories)).ok).toBe(true);
  });

  it('adds a slide after the current one and refuses without a settled camera', () => {
    const store = createAppStore();
    store.getState().createStory('x');
    expect(store.getState().addSlide()).toBeNull();
    expect(store.getState().stories[0]!.slides).toHaveLength(0);
    const full = storeWithLayers();
    const { a, b } = twoSlides(full);
    full.getState().goToSlide(0);
    const c = full.getState().addSlide()!;
    expect(full.getState().stories[0]!.slides.map((x) => x.id)).toEqual([a, c, b]);
    expect(full.getState().slideIndex).toBe(1);
  });

  it('restores a slide: layer visibility, time, scenario and a camera flight', () => {
    const store = storeWithLayers();
    const scenarioId = store.getState().createScenario('Mast Furth im Wald');
    const { a } = twoSlides(store);
    // Both slides were captured with the new scenario shown; B is captured again showing today's state.
    store.getState().setActiveScenario(null);
    store.getState().recaptureSlide(store.getState().stories[0]!.slides[1]!.id);
    expect(store.getState().stories[0]!.slides[1]!.scenarioId).toBeNull();
    store.getState().goToSlide(0, 2.5);
    let s = store.getState();
    expect(s.slideIndex).toBe(0);
    expect(s.stories[0]!.slides[0]!.id).toBe(a);
    expect(s.layers['sensors-pm10']!.visible).toBe(true);
    expect(s.timeIso).toBe('2025-10-26T09:00:00.000Z');
    expect(s.live).toBe(false);
    expect(s.flyRequest).toMatchObject({ target: CAM_A, durationS: 2.5 });
    expect(s.activeScenarioId).toBe(scenarioId);
    s.goToSlide(1);
    s = store.getState();
    expect(s.layers['sensors-pm10']!.visible).toBe(false);
    expect(s.activeScenarioId).toBeNull();
    expect(s.flyRequest?.target).toEqual(CAM_B);
    // The user's own file is left as it is.
    expect(s.layers['file-1']!.visible).toBe(false);
    s.setLayerVisible('file-1', true);
    s.goToSlide(0);
    expect(store.getState().layers['file-1']!.visible).toBe(true);
  });

  it('reorders (clamped at the ends) and keeps the moved slide current', () => {
    const store = storeWithLayers();
    const { a, b } = twoSlides(store);
    const ids = () => store.getState().stories[0]!.slides.map((x) => x.id);
    store.getState().moveSlide(b, -1);
    expect(ids()).toEqual([b, a]);
    expect(store.getState().slideIndex).toBe(0);
    store.getState().moveSlide(b, -1);
    expect(ids()).toEqual([b, a]);
    store.getState().moveSlide(b, 5);
    expect(ids()).toEqual([a, b]);
    expect(moveItem([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    const same = [1, 2];
    expect(moveItem(same, 3, 1)).toBe(same);
  });

  it('deletes slides and stories, keeping the slide index inside the story', () => {
    const store = storeWithLayers();
    const { storyId, a, b } = twoSlides(store);
    expect(store.getState().slideIndex).toBe(1);
    store.getState().deleteSlide(b);
    expect(store.getState().stories[0]!.slides.map((x) => x.id)).toEqual([a]);
    expect(store.getState().slideIndex).toBe(0);
    expect(indexAfterRemoval(3, 1, 4)).toBe(2);
    expect(indexAfterRemoval(0, 0, 0)).toBe(0);
    store.getState().setPresenting(true);
    store.getState().deleteStory(storyId);
    expect(store.getState().stories).toEqual([]);
    expect(store.getState().storyId).toBeNull();
    expect(store.getState().presenting).toBe(false);
  });

  it('edits captions and durations; a caption falls back to another language when one is empty', () => {
    const store = storeWithLayers();
    const { a } = twoSlides(store);
    store.getState().updateSlide(a, { caption: { cs: 'Nový stožár', de: '', en: 'A new mast' }, durationS: 12 });
    const slide = store.getState().stories[0]!.slides[0]!;
    expect(slide.durationS).toBe(12);
    expect(captionIn(slide, 'cs')).toBe('Nový stožár');
    expect(captionIn(slide, 'de')).toBe('A new mast');
  });
});

function valid(): Story[] {
  const store = storeWithLayers();
  twoSlides(store);
  return [...store.getState().stories];
}

describe('stories file', () => {
  it('round-trips through JSON', () => {
    const stories = valid();
    const r = parseStoriesText(serializeStories(stories));
    expect(r).toEqual({ ok: true, stories });
  });

  it('keeps markup-like captions as plain text (they are only ever shown as text)', () => {
    const stories = valid();
    const payload = '<img src=x onerror=alert(1)><script>alert(1)</script> & "quotes"';
    const withPayload = [{ ...stories[0]!, title: '<b>title</b>', slides: stories[0]!.slides.map((s) => ({ ...s, caption: { cs: payload, de: payload, en: payload } })) }];
    const r = parseStoriesText(serializeStories(withPayload));
    expect(r.ok && r.stories[0]!.slides[0]!.caption.en).toBe(payload);
  });

  it.each([
    ['not JSON', '{"format": '],
    ['another format', JSON.stringify({ format: 'geojson', version: 1, stories: [] })],
    ['a future version', JSON.stringify({ format: STORY_FORMAT, version: 2, stories: [] })],
    ['an array', '[]'],
    ['null', 'null'],
  ])('rejects %s', (_, text) => {
    const r = parseStoriesText(text);
    expect(r.ok).toBe(false);
  });

  /** Each mutation of one field of an otherwise valid file rejects the whole file, naming where. */
  const mutations: Array<[string, (f: { stories: Array<Record<string, unknown> & { slides: Array<Record<string, unknown>> }> }) => void, RegExp]> = [
    ['a bidi override in a caption', (f) => void (f.stories[0]!.slides[0]!['caption'] = { cs: 'ok', de: 'ok', en: 'evil\u202Etxt.exe' }), /caption\.en/],
    ['a control character in a title', (f) => void (f.stories[0]!['title'] = 'a\u0000b'), /title/],
    ['a caption of 10,000 characters', (f) => void (f.stories[0]!.slides[0]!['caption'] = { cs: 'x'.repeat(10_000), de: '', en: '' }), /caption\.cs/],
    ['a caption that is not a string', (f) => void (f.stories[0]!.slides[0]!['caption'] = { cs: { toString: 1 }, de: '', en: '' }), /caption\.cs/],
    ['a missing language', (f) => void (f.stories[0]!.slides[0]!['caption'] = { cs: '', en: '' }), /caption\.de/],
    ['an extra field', (f) => void (f.stories[0]!.slides[0]!['onload'] = 'alert(1)'), /slides\.0/],
    ['a story id with markup', (f) => void (f.stories[0]!['id'] = '"><script>'), /stories\.0\.id/],
    ['a camera out of range', (f) => void ((f.stories[0]!.slides[1]!['camera'] as Record<string, number>)['latDeg'] = 91), /camera\.latDeg/],
    ['a NaN-like height', (f) => void ((f.stories[0]!.slides[1]!['camera'] as Record<string, unknown>)['heightM'] = '1e999'), /camera\.heightM/],
    ['a time from another century', (f) => void (f.stories[0]!.slides[0]!['timeIso'] = '1850-01-01T00:00:00Z'), /timeIso/],
    ['a zero duration', (f) => void (f.stories[0]!.slides[0]!['durationS'] = 0), /durationS/],
    ['a layer id with a slash', (f) => void (f.stories[0]!.slides[0]!['hiddenLayers'] = ['../etc']), /hiddenLayers/],
    ['__proto__ as a field', (f) => void Object.defineProperty(f.stories[0]!, '__proto__', { value: { polluted: true }, enumerable: true }), /stories\.0/],
  ];
  it.each(mutations)('rejects the whole file for %s', (_, mutate, where) => {
    const file = JSON.parse(serializeStories(valid())) as Parameters<(typeof mutations)[number][1]>[0];
    mutate(file);
    const r = parseStories(JSON.parse(JSON.stringify(file)));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toMatch(where);
      expect(r.problem.length).toBeLessThan(200);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('rejects duplicate story and slide ids', () => {
    const [story] = valid();
    expect(parseStories({ format: STORY_FORMAT, version: 1, stories: [story, story] })).toMatchObject({ ok: false, problem: expect.stringMatching(/twice/) });
    const dup = { ...story!, slides: [story!.slides[0]!, story!.slides[0]!] };
    expect(parseStories({ format: STORY_FORMAT, version: 1, stories: [dup] })).toMatchObject({ ok: false, problem: expect.stringMatching(/same id/) });
  });

  it('an import is all or nothing, and replaces a story with the same id', () => {
    const store = storeWithLayers();
    twoSlides(store);
    const before = store.getState().stories;
    const renamed = [{ ...before[0]!, title: 'Renamed' }];
    expect(store.getState().importStories(renamed)).toBe(true);
    expect(store.getState().stories.map((s) => s.title)).toEqual(['Renamed']);
    const many = Array.from({ length: 50 }, (_, i) => ({ id: `s-${i}`, title: `${i}`, slides: [] }));
    expect(store.getState().importStories(many)).toBe(false);
    expect(store.getState().stories.map((s) => s.title)).toEqual(['Renamed']);
  });
});

describe('link fields for stories', () => {
  it('encode the story, the slide counted from 1, and kiosk; decode back', () => {
    const fragment = encodeUrlState({ lang: 'cs', storyId: 'story-abc123', slideIndex: 2, kiosk: true });
    expect(fragment).toBe('lang=cs&story=story-abc123&slide=3&kiosk=1');
    expect(decodeUrlState(fragment)).toEqual({ state: { lang: 'cs', storyId: 'story-abc123', slideIndex: 2, kiosk: true }, problems: [] });
  });

  it.each([
    ['story=%3Cscript%3E', /story name/],
    ['story=Story_1', /story name/],
    ['story=s&slide=0', /slide/],
    ['story=s&slide=101', /slide/],
    ['story=s&slide=2.5', /slide/],
    ['story=s&slide=-1', /slide/],
    ['story=s&slide=1e2', /slide/],
    ['kiosk=true', /kiosk/],
    ['slide=2', /without a story/],
  ])('%s is dropped with a problem', (fragment, problem) => {
    const { state, problems } = decodeUrlState(fragment);
    expect(problems.join(' ')).toMatch(problem);
    expect(state.kiosk).toBeUndefined();
    expect(state.slideIndex === undefined || state.storyId !== undefined).toBe(true);
    // What is kept re-encodes to a clean link.
    expect(decodeUrlState(encodeUrlState(state)).problems).toEqual([]);
  });
});

describe('service worker routes', () => {
  const scope = new URL('http://127.0.0.1:4173/twin/');
  const at = (p: string, method = 'GET') => routeOf(method, new URL(p, scope), scope);
  it('caches the shell and the dataset, and leaves the live sensor service and other origins alone', () => {
    expect(at('./')).toBe('page');
    expect(at('index.html')).toBe('page');
    expect(at('assets/index-abc.js')).toBe('shell');
    expect(at('offline-manifest.json')).toBe('shell');
    expect(at('config.json')).toBe('config');
    expect(at('tilesets/terrain/12/4350/3170.terrain?v=1.0.0')).toBe('data');
    expect(at('cesium/Assets/approximateTerrainHeights.json')).toBe('data');
    expect(at('sta/v1.1/Datastreams')).toBe('network');
    expect(at('sta/mqtt')).toBe('network');
    expect(at('sw.js')).toBe('network');
    expect(at('tilesets/manifest.json', 'POST')).toBe('network');
    expect(at('https://example.org/twin/tilesets/manifest.json')).toBe('network');
    expect(at('/other/tilesets/x.json')).toBe('network');
  });
});
