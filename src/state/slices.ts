/**
 * The store's slices. Each is a function of zustand's `set`/`get` returning its part of the state;
 * `createAppStore` composes them. Only settled values go in (camera on move end, never per frame).
 */
import type { StateCreator } from 'zustand/vanilla';
import { branchOf, editScenario, emptyScenario, FEATURE_ID_PATTERN, ID_PATTERN, LIMITS, moveObject, newId as newScenarioId, objectsOf, removeObject, rotateObject, updateMast, type MastParameters, type ProposedBuilding, type Scenario } from './scenario';
import type { CameraState, ClimateLayerInfo, CoverageLayerInfo, ImportedLayerInfo, ScenarioMast, JobState, Lang, LayerKind, LayerNote, LayerState, MeasureMode, MeasureState, Notice, NoticeAction, Selection, SensorLayerInfo } from './types';
import type { CalendarStep } from '../../core/climate/calendar';
import type { MeasurePoint } from '../../core/geo/measure';
import type { WorkspaceSlice } from './workspace';
import { captureSlide, indexAfterRemoval, MAX_SLIDES, MAX_STORIES, moveItem, newId, type Caption, type Story, type StorySlide } from './story';

export interface ViewSlice {
  /** Last settled camera (written on the camera's move end). */
  camera: CameraState | null;
  /** A request for the viewer to fly somewhere; `seq` changes with every request so repeats still fly. */
  flyRequest: { seq: number; target: CameraState; durationS: number } | null;
  /** How many times the 3D scene was rebuilt (after a lost GPU context); 0 for the first one. */
  sceneEpoch: number;
  setCamera(camera: CameraState): void;
  flyTo(target: CameraState, durationS?: number): void;
  sceneRebuilt(): void;
}

export interface LayersSlice {
  layers: Record<string, LayerState>;
  layerOrder: string[];
  addLayer(id: string, kind: LayerKind, visible?: boolean): void;
  setLayerVisible(id: string, visible: boolean): void;
  setLayerOpacity(id: string, opacity: number): void;
  setLayerStatus(id: string, status: LayerState['status'], message?: string): void;
  setLayerNote(id: string, note: LayerNote | undefined): void;
  /** A name from outside the app (a file's, a server's): plain text; undefined gives the layer its own name back. */
  setLayerTitle(id: string, title: string | undefined): void;
  /** Add a user's imported layer (visible, loading). */
  addImportedLayer(id: string, title: string, info: ImportedLayerInfo): void;
  patchImported(id: string, patch: Partial<ImportedLayerInfo>): void;
  /** Sets (or, the first time, initialises) a sensor layer's info. */
  patchSensors(id: string, patch: Partial<SensorLayerInfo>, initial?: SensorLayerInfo): void;
  /** Sets (or, the first time, initialises) the coverage layer's info. */
  patchCoverage(id: string, patch: Partial<CoverageLayerInfo>, initial?: CoverageLayerInfo): void;
  /** Sets (or, the first time, initialises) the climate record's info. */
  patchClimate(id: string, patch: Partial<ClimateLayerInfo>, initial?: ClimateLayerInfo): void;
  removeLayer(id: string): void;
}

export interface TimelineHold {
  readonly layerId: string;
  readonly before: { readonly range: TimeSlice['timeRange']; readonly timeIso: string; readonly live: boolean; readonly calendarStep: CalendarStep | null };
}

export interface TimeSlice {
  /** Scene time as an ISO 8601 instant (UTC); every time-aware layer shows this instant's step. */
  timeIso: string;
  /** Following the present: new live readings move the time along. */
  live: boolean;
  playing: boolean;
  /** Playback speed in time steps per second. */
  speed: number;
  /** One step of the timeline (and of the heatmaps' time buckets), ms. */
  stepMs: number;
  /** What the time-aware layers hold, ms since the epoch; null until one has data. */
  timeRange: { readonly startMs: number; readonly endMs: number } | null;
  /** A calendar step instead of `stepMs` (a record of months: July to August is 31 days, a year 365 or 366). */
  calendarStep: CalendarStep | null;
  setCalendarStep(step: CalendarStep | null): void;
  /** A layer that holds the timeline in its own span and steps (the climate record), and the timeline before it. */
  timelineHold: TimelineHold | null;
  setTimelineHold(hold: TimelineHold | null): void;
  /** Sets the time (leaving live mode unless `live` says otherwise). */
  setTime(iso: string, live?: boolean): void;
  setPlaying(playing: boolean): void;
  setSpeed(stepsPerSecond: number): void;
  setTimeRange(range: { startMs: number; endMs: number } | null): void;
}

export interface ScenarioSlice {
  /** The what-if scenarios (variants included), in the order they were made. */
  scenarios: readonly Scenario[];
  /** The scenario shown, or null for today's state of the region. */
  activeScenarioId: string | null;
  /** Earlier and undone states of `scenarios` (with the active id), newest last; bounded. */
  scenarioHistory: { readonly past: readonly ScenarioSnapshot[]; readonly future: readonly ScenarioSnapshot[] };
  /** Two variants side by side: `a` left of the divider, `b` right; null when not comparing. */
  scenarioCompare: { readonly a: string; readonly b: string } | null;
  /** Divider position of the comparison, 0..1 of the scene's width (settled: written on release). */
  scenarioSplit: number;
  /** The scenario tool armed in the scene ('draw-building': clicks add footprint corners). */
  scenarioTool: 'none' | 'draw-building';
  /** How many times the scene finished drawing the scenario's objects: the scenario layer's ready signal. */
  scenarioFrames: number;
  /** Makes a scenario, shows it and returns its id. */
  createScenario(name: string): string;
  renameScenario(id: string, name: string): void;
  /** A variant of `id` (a copy of it), shown at once; returns its id ('' when `id` does not exist). */
  branchScenario(id: string, name: string): string;
  deleteScenario(id: string): void;
  /** Adds a whole scenario (an imported file) and shows it: one undo step. Its id must be new. */
  addScenario(scenario: Scenario): void;
  setActiveScenario(id: string | null): void;
  addBuilding(building: ProposedBuilding): void;
  updateBuilding(id: string, patch: Partial<Pick<ProposedBuilding, 'heightM' | 'storeys' | 'roof' | 'name'>>): void;
  markDemolished(layerId: string, featureId: string): void;
  /** Moves any object by metres east and north. */
  moveObject(id: string, eastM: number, northM: number): void;
  rotateObject(id: string, deg: number): void;
  removeObject(id: string): void;
  /** Adds a proposed mast to the active scenario (one is made when none is shown). */
  addMast(mast: ScenarioMast): void;
  moveMast(id: string, lonDeg: number, latDeg: number): void;
  /** Antenna height, sector (azimuth and beamwidth; no azimuth = omnidirectional) and EIRP of a proposed mast. */
  updateMast(id: string, patch: MastParameters): void;
  removeMast(id: string): void;
  undo(): void;
  redo(): void;
  /** Replaces every scenario (a restored saved state): not an edit, so no history. */
  restoreScenarios(scenarios: readonly Scenario[], activeScenarioId: string | null): void;
  /**
   * Shows a scenario as another tab saved it (null: deleted there), this very object. Not an edit of this tab:
   * the undo history is cleared, since undoing would bring back a state the other tab has replaced.
   */
  applyStoredScenario(id: string, scenario: Scenario | null): void;
  setScenarioCompare(compare: { a: string; b: string } | null): void;
  setScenarioSplit(split: number): void;
  setScenarioTool(tool: ScenarioSlice['scenarioTool']): void;
  scenarioDrawn(): void;
}

export interface JobsSlice {
  jobs: Record<number, JobState>;
  updateJob(job: JobState): void;
}

export interface UiSlice {
  lang: Lang;
  selection: Selection | null;
  notices: Notice[];
  attributionOpen: boolean;
  /** Render settings for slow (software) GPUs: no MSAA, atmosphere or fog. */
  lite: boolean;
  setLang(lang: Lang): void;
  select(selection: Selection | null): void;
  notify(level: Notice['level'], text: string, actions?: readonly NoticeAction[]): void;
  dismissNotice(id: number): void;
  setAttributionOpen(open: boolean): void;
  /** Sun and shadow study: the sun at the timeline's time lights the scene and casts shadows. */
  sunStudy: boolean;
  setSunStudy(on: boolean): void;
  /** The measurement under way (its picked points are settled values: one per click). */
  measure: MeasureState | null;
  /** Waiting for the click that places (or moves, with `moveId`) a mast of `operator`. */
  mastPlacement: { readonly operator: string; readonly moveId?: string } | null;
  setMastPlacement(p: { operator: string; moveId?: string } | null): void;
  setMeasureMode(mode: MeasureMode | null): void;
  addMeasurePoint(point: MeasurePoint): void;
}

/** The scenarios and the active id at one point of the undo history. */
export interface ScenarioSnapshot {
  readonly scenarios: readonly Scenario[];
  readonly activeScenarioId: string | null;
}

/** Whether a story can be played without the network, as the service worker and its caches report it. */
export interface OfflineState {
  /** unsupported: no service worker here (dev server, old browser, private mode); preparing: caching the dataset. */
  readonly status: 'unsupported' | 'starting' | 'ready' | 'preparing' | 'error';
  readonly cachedFiles: number;
  readonly totalFiles: number;
  readonly cachedBytes: number;
  readonly totalBytes: number;
  /** Set with status 'error': why caching failed (plain text). */
  readonly message?: string;
}

/** What a presentation changes and gives back: camera, layers shown, scene time, the scenario shown. */
export interface EditorView {
  readonly camera: CameraState | null;
  readonly visible: Readonly<Record<string, boolean>>;
  readonly timeIso: string;
  readonly live: boolean;
  readonly activeScenarioId: string | null;
}

export interface StorySlice {
  stories: readonly Story[];
  /** The story open in the panel and played by the presenter. */
  storyId: string | null;
  /** The slide shown (or last shown) of that story. */
  slideIndex: number;
  storyPanelOpen: boolean;
  /** Playing the story full screen; kiosk: playing with every editing control gone, for a screen at a forum. */
  presenting: boolean;
  /** The editor's view when the presentation started: restored when it ends (not for a kiosk, which never ends). */
  beforePresenting: EditorView | null;
  kiosk: boolean;
  autoplay: boolean;
  offline: OfflineState;
  /** Creates a story, opens it and returns its id. */
  createStory(title: string): string | null;
  renameStory(id: string, title: string): void;
  deleteStory(id: string): void;
  openStory(id: string | null): void;
  /** Appends the current view as a slide after the current one; returns its id, or null (no camera yet, or full). */
  addSlide(): string | null;
  /** Replaces a slide's view with the current one, keeping its caption and duration. */
  recaptureSlide(slideId: string): void;
  updateSlide(slideId: string, patch: { caption?: Caption; durationS?: number }): void;
  moveSlide(slideId: string, delta: number): void;
  deleteSlide(slideId: string): void;
  /** Shows slide `index` of the open story: camera flight, layer visibility, time and scenario. */
  goToSlide(index: number, flightS?: number): void;
  /** Adds stories read from a file (already validated); a story with the same id is replaced. False when too many. */
  importStories(stories: readonly Story[]): boolean;
  /** Shows a story as another tab saved it (null: deleted there), this very object. */
  applyStoredStory(id: string, story: Story | null): void;
  setStoryPanelOpen(open: boolean): void;
  setPresenting(presenting: boolean): void;
  setKiosk(kiosk: boolean): void;
  setAutoplay(autoplay: boolean): void;
  setOffline(patch: Partial<OfflineState>): void;
}

export type AppState = ViewSlice & LayersSlice & TimeSlice & ScenarioSlice & JobsSlice & UiSlice & StorySlice & WorkspaceSlice;
type Slice<T> = StateCreator<AppState, [], [], T>;

export const createViewSlice: Slice<ViewSlice> = (set, get) => ({
  camera: null,
  flyRequest: null,
  sceneEpoch: 0,
  setCamera: (camera) => set({ camera }),
  sceneRebuilt: () => set({ sceneEpoch: get().sceneEpoch + 1 }),
  flyTo: (target, durationS = 2) => set({ flyRequest: { seq: (get().flyRequest?.seq ?? 0) + 1, target, durationS } }),
});

export const createLayersSlice: Slice<LayersSlice> = (set, get) => ({
  layers: {},
  layerOrder: [],
  addLayer: (id, kind, visible = true) => {
    if (get().layers[id]) return;
    set((s) => ({ layers: { ...s.layers, [id]: { id, kind, visible, status: 'idle' } }, layerOrder: [...s.layerOrder, id] }));
  },
  setLayerVisible: (id, visible) => patchLayer(set, get, id, { visible }),
  setLayerOpacity: (id, opacity) => patchLayer(set, get, id, { opacity: Math.min(1, Math.max(0, Number.isFinite(opacity) ? opacity : 1)) }),
  setLayerStatus: (id, status, message) => patchLayer(set, get, id, { status, message }),
  setLayerNote: (id, note) => patchLayer(set, get, id, { note }),
  setLayerTitle: (id, title) => {
    if (get().layers[id] && get().layers[id]!.title !== title) patchLayer(set, get, id, { title });
  },
  addImportedLayer: (id, title, imported) => {
    if (get().layers[id]) return;
    set((s) => ({ layers: { ...s.layers, [id]: { id, kind: 'imported', visible: true, status: 'loading', title, imported } }, layerOrder: [...s.layerOrder, id] }));
  },
  patchImported: (id, patch) => {
    const info = get().layers[id]?.imported;
    if (info) patchLayer(set, get, id, { imported: { ...info, ...patch } });
  },
  patchSensors: (id, patch, initial) => {
    const info = get().layers[id]?.sensors ?? initial;
    if (!info) return;
    // Unchanged values do not notify: the feed reports often, the UI re-renders only on change.
    const next = { ...info, ...patch };
    if (get().layers[id]?.sensors && Object.entries(next).every(([k, v]) => info[k as keyof SensorLayerInfo] === v)) return;
    patchLayer(set, get, id, { sensors: next });
  },
  patchClimate: (id, patch, initial) => {
    const info = get().layers[id]?.climate ?? initial;
    if (!info) return;
    const next = { ...info, ...patch };
    if (get().layers[id]?.climate && Object.entries(next).every(([k, v]) => Object.is(info[k as keyof ClimateLayerInfo], v))) return;
    patchLayer(set, get, id, { climate: next });
  },
  patchCoverage: (id, patch, initial) => {
    const info = get().layers[id]?.coverage ?? initial;
    if (!info) return;
    const next = { ...info, ...patch };
    if (get().layers[id]?.coverage && Object.entries(next).every(([k, v]) => info[k as keyof CoverageLayerInfo] === v)) return;
    patchLayer(set, get, id, { coverage: next });
  },
  removeLayer: (id) =>
    set((s) => {
      if (!s.layers[id]) return s;
      const layers = { ...s.layers };
      delete layers[id];
      return { layers, layerOrder: s.layerOrder.filter((l) => l !== id), selection: s.selection?.layerId === id ? null : s.selection };
    }),
});

function patchLayer(set: (p: Partial<AppState>) => void, get: () => AppState, id: string, patch: Partial<LayerState>): void {
  const layer = get().layers[id];
  if (!layer) return;
  set({ layers: { ...get().layers, [id]: { ...layer, ...patch } } });
}

export const createTimeSlice: Slice<TimeSlice> = (set, get) => ({
  timeIso: new Date().toISOString(),
  live: true,
  playing: false,
  speed: 2,
  stepMs: 3600_000,
  timeRange: null,
  calendarStep: null,
  timelineHold: null,
  setTimelineHold: (timelineHold) => set({ timelineHold }),
  setCalendarStep: (calendarStep) => {
    if (get().calendarStep !== calendarStep) set({ calendarStep });
  },
  setTime: (timeIso, live = false) => {
    if (get().timeIso !== timeIso || get().live !== live) set({ timeIso, live });
  },
  setPlaying: (playing) => set(playing ? { playing, live: false } : { playing }),
  setSpeed: (speed) => set({ speed: Math.min(48, Math.max(0.25, speed)) }),
  setTimeRange: (timeRange) => {
    const r = get().timeRange;
    if (r?.startMs !== timeRange?.startMs || r?.endMs !== timeRange?.endMs) set({ timeRange });
  },
});

/** Undo steps kept: enough for a planning session, bounded so the history never grows without limit. */
export const SCENARIO_HISTORY_MAX = 100;
const NO_MASTS: readonly ScenarioMast[] = [];

/** The active scenario's proposed masts (the same array while they do not change): what the coverage layer models. */
export function selectActiveMasts(s: Pick<AppState, 'scenarios' | 'activeScenarioId'>): readonly ScenarioMast[] {
  return s.scenarios.find((x) => x.id === s.activeScenarioId)?.masts ?? NO_MASTS;
}

export function selectActiveScenario(s: Pick<AppState, 'scenarios' | 'activeScenarioId'>): Scenario | null {
  return s.scenarios.find((x) => x.id === s.activeScenarioId) ?? null;
}

export const createScenarioSlice: Slice<ScenarioSlice> = (set, get) => {
  /** Applies an edit of the scenarios as one undo step; an edit that changes nothing leaves no step. */
  const commit = (scenarios: readonly Scenario[], activeScenarioId = get().activeScenarioId): void => {
    const s = get();
    if (scenarios === s.scenarios && activeScenarioId === s.activeScenarioId) return;
    const past = [...s.scenarioHistory.past, { scenarios: s.scenarios, activeScenarioId: s.activeScenarioId }].slice(-SCENARIO_HISTORY_MAX);
    set({ scenarios, activeScenarioId, scenarioHistory: { past, future: [] }, scenarioCompare: validCompare(s.scenarioCompare, scenarios) });
  };
  const editActive = (edit: (s: Scenario) => Scenario): void => commit(editScenario(get().scenarios, get().activeScenarioId, edit));
  /** The active scenario, made when none is shown (a mast placed on today's map starts a scenario). */
  const ensureActive = (): void => {
    if (selectActiveScenario(get())) return;
    const id = newScenarioId('sc');
    const name = `Scenario ${get().scenarios.length + 1}`;
    commit([...get().scenarios, emptyScenario(id, name)], id);
  };
  const travel = (from: 'past' | 'future'): void => {
    const s = get();
    const stack = s.scenarioHistory[from];
    const target = stack.at(-1);
    if (!target) return;
    const here = { scenarios: s.scenarios, activeScenarioId: s.activeScenarioId };
    const rest = stack.slice(0, -1);
    const other = [...s.scenarioHistory[from === 'past' ? 'future' : 'past'], here].slice(-SCENARIO_HISTORY_MAX);
    set({
      ...target,
      scenarioHistory: from === 'past' ? { past: rest, future: other } : { past: other, future: rest },
      scenarioCompare: validCompare(s.scenarioCompare, target.scenarios),
    });
  };
  return {
    scenarios: [],
    activeScenarioId: null,
    scenarioHistory: { past: [], future: [] },
    scenarioCompare: null,
    scenarioSplit: 0.5,
    scenarioTool: 'none',
    scenarioFrames: 0,
    createScenario: (name) => {
      const id = newScenarioId('sc');
      commit([...get().scenarios, emptyScenario(id, name)], id);
      return id;
    },
    renameScenario: (id, name) => {
      const clean = name.trim().slice(0, LIMITS.nameChars);
      if (clean) commit(editScenario(get().scenarios, id, (s) => (s.name === clean ? s : { ...s, name: clean })));
    },
    branchScenario: (id, name) => {
      const parent = get().scenarios.find((s) => s.id === id);
      if (!parent) return '';
      const child = branchOf(parent, newScenarioId('sc'), name);
      commit([...get().scenarios, child], child.id);
      return child.id;
    },
    deleteScenario: (id) => {
      const s = get();
      commit(s.scenarios.filter((x) => x.id !== id), s.activeScenarioId === id ? null : s.activeScenarioId);
    },
    addScenario: (scenario) => {
      if (!get().scenarios.some((s) => s.id === scenario.id)) commit([...get().scenarios, scenario], scenario.id);
    },
    setActiveScenario: (activeScenarioId) => {
      if (activeScenarioId !== null && !get().scenarios.some((s) => s.id === activeScenarioId)) return;
      if (get().activeScenarioId !== activeScenarioId) set({ activeScenarioId });
    },
    addBuilding: (b) => {
      ensureActive();
      editActive((s) => (objectsOf(s).some((o) => o.id === b.id) ? s : { ...s, buildings: [...s.buildings, b] }));
    },
    updateBuilding: (id, patch) =>
      editActive((s) => {
        const old = s.buildings.find((b) => b.id === id);
        // A field set to the value it has (a repeated change event) is not an undo step.
        if (!old || Object.entries(patch).every(([k, v]) => old[k as keyof ProposedBuilding] === v)) return s;
        return { ...s, buildings: s.buildings.map((b) => (b.id === id ? { ...b, ...patch } : b)) };
      }),
    markDemolished: (layerId, featureId) => {
      // The id ends up in a tileset style expression: only a narrow, quote-free alphabet is accepted.
      if (!ID_PATTERN.test(layerId) || !FEATURE_ID_PATTERN.test(featureId)) return;
      ensureActive();
      editActive((s) =>
        s.demolitions.some((d) => d.layerId === layerId && d.featureId === featureId)
          ? s
          : { ...s, demolitions: [...s.demolitions, { id: newScenarioId('dm'), kind: 'demolition', layerId, featureId }] },
      );
    },
    moveObject: (id, eastM, northM) => editActive((s) => moveObject(s, id, eastM, northM)),
    rotateObject: (id, deg) => editActive((s) => rotateObject(s, id, deg)),
    removeObject: (id) => editActive((s) => removeObject(s, id)),
    addMast: (mast) => {
      ensureActive();
      editActive((s) => (objectsOf(s).some((o) => o.id === mast.id) ? s : { ...s, masts: [...s.masts, mast] }));
    },
    moveMast: (id, lonDeg, latDeg) =>
      editActive((s) => (s.masts.some((m) => m.id === id) ? { ...s, masts: s.masts.map((m) => (m.id === id ? { ...m, lonDeg, latDeg } : m)) } : s)),
    updateMast: (id, patch) => editActive((s) => updateMast(s, id, patch)),
    removeMast: (id) => editActive((s) => removeObject(s, id)),
    undo: () => travel('past'),
    redo: () => travel('future'),
    restoreScenarios: (scenarios, activeScenarioId) =>
      set({
        scenarios,
        activeScenarioId: scenarios.some((s) => s.id === activeScenarioId) ? activeScenarioId : null,
        scenarioHistory: { past: [], future: [] },
        scenarioCompare: null,
      }),
    applyStoredScenario: (id, scenario) => {
      const s = get();
      const at = s.scenarios.findIndex((x) => x.id === id);
      const scenarios = scenario === null ? s.scenarios.filter((x) => x.id !== id) : at < 0 ? [...s.scenarios, scenario] : s.scenarios.map((x) => (x.id === id ? scenario : x));
      set({
        scenarios,
        activeScenarioId: scenario === null && s.activeScenarioId === id ? null : s.activeScenarioId,
        scenarioHistory: { past: [], future: [] },
        scenarioCompare: validCompare(s.scenarioCompare, scenarios),
      });
    },
    setScenarioCompare: (compare) => set({ scenarioCompare: validCompare(compare, get().scenarios) }),
    setScenarioSplit: (split) => set({ scenarioSplit: Math.min(0.98, Math.max(0.02, split)) }),
    setScenarioTool: (scenarioTool) => set(scenarioTool === 'none' ? { scenarioTool } : { scenarioTool, measure: null, mastPlacement: null }),
    scenarioDrawn: () => set({ scenarioFrames: get().scenarioFrames + 1 }),
  };
};

/** A comparison only of scenarios that exist (an undo or a delete may have removed one side). */
function validCompare(c: ScenarioSlice['scenarioCompare'], scenarios: readonly Scenario[]): ScenarioSlice['scenarioCompare'] {
  if (!c) return null;
  return scenarios.some((s) => s.id === c.a) && scenarios.some((s) => s.id === c.b) ? c : null;
}

/** Finished jobs are kept briefly so the UI can show their outcome; the map stays small. */
const MAX_JOBS_KEPT = 50;
export const createJobsSlice: Slice<JobsSlice> = (set) => ({
  jobs: {},
  updateJob: (job) =>
    set((s) => {
      const jobs = { ...s.jobs, [job.id]: job };
      const ids = Object.keys(jobs).map(Number);
      for (const id of ids.slice(0, Math.max(0, ids.length - MAX_JOBS_KEPT))) delete jobs[id];
      return { jobs };
    }),
});

let noticeSeq = 0;
export const createUiSlice =
  (initial: { lang: Lang; lite: boolean }): Slice<UiSlice> =>
  (set) => ({
    lang: initial.lang,
    lite: initial.lite,
    selection: null,
    notices: [],
    attributionOpen: false,
    setLang: (lang) => set({ lang }),
    select: (selection) => set({ selection }),
    notify: (level, text, actions) =>
      set((s) => (s.notices.some((n) => n.text === text) ? s : { notices: [...s.notices, { id: ++noticeSeq, level, text, ...(actions ? { actions } : {}) }] })),
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    setAttributionOpen: (attributionOpen) => set({ attributionOpen }),
    sunStudy: false,
    setSunStudy: (sunStudy) => set({ sunStudy }),
    mastPlacement: null,
    // One tool at a time: arming a mast ends measuring and drawing.
    setMastPlacement: (mastPlacement) => set(mastPlacement ? { mastPlacement, measure: null, scenarioTool: 'none' } : { mastPlacement }),
    measure: null,
    setMeasureMode: (mode) => set(mode ? { measure: { mode, points: [] }, mastPlacement: null, scenarioTool: 'none' } : { measure: null }),
    addMeasurePoint: (point) =>
      set((s) => {
        if (!s.measure) return s;
        // A height difference is between two points: a third click starts a new pair.
        const points = s.measure.mode === 'height' && s.measure.points.length >= 2 ? [point] : [...s.measure.points, point];
        return { measure: { ...s.measure, points: points.slice(-MAX_MEASURE_POINTS) } };
      }),
  });

/** A measurement is a handful of clicks; a runaway one must not grow the store without bound. */
const MAX_MEASURE_POINTS = 200;

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
