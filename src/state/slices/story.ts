/** Stories and their presentation. */
import { captureSlide, indexAfterRemoval, MAX_SLIDES, MAX_STORIES, moveItem, newId, type Story, type StorySlide } from '../story';
import type { Slice, StorySlice } from './types';

/** Seconds of the camera flight between slides: long enough to follow, short enough for a speech. */
export const SLIDE_FLIGHT_S = 3;

export const createStorySlice: Slice<StorySlice> = (set, get) => {
  const open = (): Story | undefined => get().stories.find((s) => s.id === get().storyId);
  const patchOpen = (f: (story: Story) => Story): void => {
    const story = open();
    if (!story) return;
    const next = f(story);
    if (next !== story) set({ stories: get().stories.map((s) => (s.id === story.id ? next : s)) });
  };
  const slideIds = (): Set<string> => new Set(get().stories.flatMap((s) => s.slides.map((sl) => sl.id)));
  return {
    stories: [],
    storyId: null,
    slideIndex: 0,
    storyPanelOpen: false,
    presenting: false,
    beforePresenting: null,
    kiosk: false,
    autoplay: false,
    offline: { status: 'unsupported', cachedFiles: 0, totalFiles: 0, cachedBytes: 0, totalBytes: 0 },
    createStory: (title) => {
      if (get().stories.length >= MAX_STORIES) return null;
      const id = newId('story', new Set(get().stories.map((s) => s.id)));
      set({ stories: [...get().stories, { id, title, slides: [] }], storyId: id, slideIndex: 0 });
      return id;
    },
    renameStory: (id, title) => set({ stories: get().stories.map((s) => (s.id === id ? { ...s, title } : s)) }),
    deleteStory: (id) => {
      const wasOpen = get().storyId === id;
      set({ stories: get().stories.filter((s) => s.id !== id), ...(wasOpen ? { storyId: null, slideIndex: 0, presenting: false } : {}) });
    },
    openStory: (storyId) => set({ storyId: get().stories.some((s) => s.id === storyId) ? storyId : null, slideIndex: 0 }),
    addSlide: () => {
      const story = open();
      if (!story || story.slides.length >= MAX_SLIDES) return null;
      const slide = captureSlide(get(), newId('slide', slideIds()));
      if (!slide) return null;
      const at = story.slides.length === 0 ? 0 : Math.min(get().slideIndex + 1, story.slides.length);
      patchOpen((s) => ({ ...s, slides: [...s.slides.slice(0, at), slide, ...s.slides.slice(at)] }));
      set({ slideIndex: at });
      return slide.id;
    },
    recaptureSlide: (slideId) =>
      patchOpen((s) => {
        const old = s.slides.find((sl) => sl.id === slideId);
        const fresh = old ? captureSlide(get(), old.id, old.caption, old.durationS) : null;
        return fresh ? { ...s, slides: s.slides.map((sl) => (sl.id === slideId ? fresh : sl)) } : s;
      }),
    updateSlide: (slideId, patch) => patchOpen((s) => ({ ...s, slides: s.slides.map((sl): StorySlide => (sl.id === slideId ? { ...sl, ...patch } : sl)) })),
    moveSlide: (slideId, delta) => {
      const story = open();
      if (!story) return;
      const from = story.slides.findIndex((sl) => sl.id === slideId);
      const slides = moveItem(story.slides, from, delta);
      if (slides === story.slides) return;
      patchOpen((s) => ({ ...s, slides }));
      // The moved slide stays the current one, so keyboard reordering keeps its place in the list.
      set({ slideIndex: slides.findIndex((sl) => sl.id === slideId) });
    },
    deleteSlide: (slideId) => {
      const story = open();
      const removed = story?.slides.findIndex((sl) => sl.id === slideId) ?? -1;
      if (!story || removed < 0) return;
      patchOpen((s) => ({ ...s, slides: s.slides.filter((sl) => sl.id !== slideId) }));
      set({ slideIndex: indexAfterRemoval(get().slideIndex, removed, story.slides.length - 1) });
    },
    goToSlide: (index, flightS = SLIDE_FLIGHT_S) => {
      const slide = open()?.slides[index];
      if (!slide) return;
      set({ slideIndex: index });
      const s = get();
      const hidden = new Set(slide.hiddenLayers);
      for (const id of s.layerOrder) {
        const layer = s.layers[id];
        // The user's own files are not part of a story: they stay as they are.
        if (layer && layer.kind !== 'imported' && layer.visible === hidden.has(id)) s.setLayerVisible(id, !hidden.has(id));
      }
      if (slide.live) s.setTime(new Date().toISOString(), true);
      else s.setTime(slide.timeIso);
      if (s.activeScenarioId !== slide.scenarioId) s.setActiveScenario(slide.scenarioId);
      s.flyTo(slide.camera, flightS);
    },
    importStories: (stories) => {
      const incoming = new Set(stories.map((s) => s.id));
      const kept = get().stories.filter((s) => !incoming.has(s.id));
      if (kept.length + stories.length > MAX_STORIES) return false;
      set({ stories: [...kept, ...stories] });
      return true;
    },
    applyStoredStory: (id, story) => {
      const s = get();
      if (story === null) {
        if (s.stories.some((x) => x.id === id)) s.deleteStory(id);
        return;
      }
      const at = s.stories.findIndex((x) => x.id === id);
      const stories = at < 0 ? [...s.stories, story] : s.stories.map((x) => (x.id === id ? story : x));
      // The open slide stays in range when the other tab removed slides.
      const slideIndex = s.storyId === id ? Math.min(s.slideIndex, Math.max(0, story.slides.length - 1)) : s.slideIndex;
      set({ stories, slideIndex });
    },
    setStoryPanelOpen: (storyPanelOpen) => set({ storyPanelOpen }),
    setPresenting: (presenting) => {
      const s = get();
      if (presenting === s.presenting) return;
      if (presenting) {
        const visible = Object.fromEntries(s.layerOrder.map((id) => [id, s.layers[id]?.visible ?? true]));
        set({ presenting, beforePresenting: s.kiosk ? null : { camera: s.camera, visible, timeIso: s.timeIso, live: s.live, activeScenarioId: s.activeScenarioId } });
        return;
      }
      set({ presenting, autoplay: false, beforePresenting: null });
      const before = s.beforePresenting;
      if (!before) return;
      // Back to the editor's view as it was: layers, time, scenario, then the camera (without a flight).
      for (const [id, v] of Object.entries(before.visible)) if (s.layers[id] && s.layers[id].visible !== v) s.setLayerVisible(id, v);
      s.setTime(before.live ? new Date().toISOString() : before.timeIso, before.live);
      if (s.activeScenarioId !== before.activeScenarioId && (before.activeScenarioId === null || s.scenarios.some((x) => x.id === before.activeScenarioId))) s.setActiveScenario(before.activeScenarioId);
      if (before.camera) s.flyTo(before.camera, 0);
    },
    setKiosk: (kiosk) => set({ kiosk }),
    setAutoplay: (autoplay) => set({ autoplay }),
    setOffline: (patch) => set({ offline: { ...get().offline, ...patch } }),
  };
};
