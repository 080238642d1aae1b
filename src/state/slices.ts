/**
 * The store's slices. Each is a function of zustand's `set`/`get` returning its part of the state;
 * `createAppStore` composes them. Only settled values go in (camera on move end, never per frame).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { CameraState, CoverageLayerInfo, ImportedLayerInfo, ScenarioMast, JobState, Lang, LayerKind, LayerNote, LayerState, Notice, Selection, SensorLayerInfo } from './types';

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
  setLayerStatus(id: string, status: LayerState['status'], message?: string): void;
  setLayerNote(id: string, note: LayerNote | undefined): void;
  /** Add a user's imported layer (visible, loading). */
  addImportedLayer(id: string, title: string, info: ImportedLayerInfo): void;
  patchImported(id: string, patch: Partial<ImportedLayerInfo>): void;
  /** Sets (or, the first time, initialises) a sensor layer's info. */
  patchSensors(id: string, patch: Partial<SensorLayerInfo>, initial?: SensorLayerInfo): void;
  /** Sets (or, the first time, initialises) the coverage layer's info. */
  patchCoverage(id: string, patch: Partial<CoverageLayerInfo>, initial?: CoverageLayerInfo): void;
  removeLayer(id: string): void;
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
  /** Sets the time (leaving live mode unless `live` says otherwise). */
  setTime(iso: string, live?: boolean): void;
  setPlaying(playing: boolean): void;
  setSpeed(stepsPerSecond: number): void;
  setTimeRange(range: { startMs: number; endMs: number } | null): void;
}

export interface ScenarioSlice {
  /** The scenario shown, or null for today's state of the region. */
  activeScenarioId: string | null;
  /** Proposed masts (they join their operator's modelled coverage). */
  masts: readonly ScenarioMast[];
  setActiveScenario(id: string | null): void;
  addMast(mast: ScenarioMast): void;
  moveMast(id: string, lonDeg: number, latDeg: number): void;
  removeMast(id: string): void;
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
  notify(level: Notice['level'], text: string): void;
  dismissNotice(id: number): void;
  setAttributionOpen(open: boolean): void;
}

export type AppState = ViewSlice & LayersSlice & TimeSlice & ScenarioSlice & JobsSlice & UiSlice;
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
  setLayerStatus: (id, status, message) => patchLayer(set, get, id, { status, message }),
  setLayerNote: (id, note) => patchLayer(set, get, id, { note }),
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

export const createScenarioSlice: Slice<ScenarioSlice> = (set, get) => ({
  activeScenarioId: null,
  masts: [],
  setActiveScenario: (activeScenarioId) => set({ activeScenarioId }),
  addMast: (mast) => {
    if (!get().masts.some((m) => m.id === mast.id)) set({ masts: [...get().masts, mast] });
  },
  moveMast: (id, lonDeg, latDeg) => set({ masts: get().masts.map((m) => (m.id === id ? { ...m, lonDeg, latDeg } : m)) }),
  removeMast: (id) => set({ masts: get().masts.filter((m) => m.id !== id) }),
});

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
    notify: (level, text) =>
      set((s) => (s.notices.some((n) => n.text === text) ? s : { notices: [...s.notices, { id: ++noticeSeq, level, text }] })),
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
    setAttributionOpen: (attributionOpen) => set({ attributionOpen }),
  });
