/** The store's state, slice by slice: the interfaces `createAppStore` composes. */
import type { StateCreator } from 'zustand/vanilla';
import { type MastParameters, type ProposedBuilding, type Scenario } from '../scenario';
import type { CameraState, CatalogueLayerInfo, ClimateLayerInfo, CoverageLayerInfo, ImportedLayerInfo, ScenarioMast, JobState, Lang, LayerKind, LayerNote, LayerState, MeasureMode, MeasureState, Notice, NoticeAction, Selection, SensorLayerInfo } from '../types';
import type { CalendarStep } from '../../../core/climate/calendar';
import type { MeasurePoint } from '../../../core/geo/measure';
import type { WorkspaceSlice } from '../workspace';
import { type Caption, type Story } from '../story';

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
  addCatalogueLayer(id: string, title: string, info: CatalogueLayerInfo): void;
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
export type Slice<T> = StateCreator<AppState, [], [], T>;
