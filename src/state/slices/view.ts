/** The camera, the layers and the scene time. */
import type { ClimateLayerInfo, CoverageLayerInfo, LayerState, SensorLayerInfo } from '../types';
import type { AppState, LayersSlice, Slice, TimeSlice, ViewSlice } from './types';

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
  addCatalogueLayer: (id, title, catalogue) => {
    if (get().layers[id]) return;
    set((s) => ({ layers: { ...s.layers, [id]: { id, kind: 'catalogue', visible: true, status: 'loading', title, catalogue } }, layerOrder: [...s.layerOrder, id] }));
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
