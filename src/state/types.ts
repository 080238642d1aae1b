/** Plain data the store holds: settled values only, nothing per-frame, nothing from Cesium. */
import type { Lang, MessageKey } from '../i18n';

/** A settled camera: WGS84 degrees, ellipsoidal height in metres, angles in degrees. */
export interface CameraState {
  readonly lonDeg: number;
  readonly latDeg: number;
  readonly heightM: number;
  readonly headingDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
}

export type LayerKind = 'terrain' | 'imagery' | 'boundaries' | 'buildings' | 'sensors' | 'imported';
export type LayerStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface LayerState {
  readonly id: string;
  readonly kind: LayerKind;
  readonly visible: boolean;
  readonly status: LayerStatus;
  /** Set with status 'error': shown in the layer list. */
  readonly message?: string;
  /** Shown under the layer's name (e.g. a display offset), translated at render time. */
  readonly note?: LayerNote;
  /** A name from outside the app (an imported file's name): plain text, never translated, never HTML. */
  readonly title?: string;
  /** Set for layers the user imported. */
  readonly imported?: ImportedLayerInfo;
  /** Set for sensor layers: what the heatmap shows and how the feed is doing. */
  readonly sensors?: SensorLayerInfo;
}

export type FeedConnection = 'connecting' | 'live' | 'reconnecting' | 'history-only' | 'replay' | 'offline';
export type HeatmapOp = 'idw' | 'kde' | 'mean';

export interface SensorLayerInfo {
  /** The observed property shown (e.g. 'PM10'), one of `properties`. */
  readonly property: string;
  readonly properties: readonly string[];
  readonly op: HeatmapOp;
  readonly connection: FeedConnection;
  /** 0..1 while history loads. */
  readonly progress: number;
  readonly stations: number;
  readonly datastreams: number;
  /** Datastreams silent for longer than their expected interval. */
  readonly stale: number;
  /** Readings held in the worker's store. */
  readonly readings: number;
  /** A recorded file being replayed instead of the live service (its name, plain text). */
  readonly replayFile: string | null;
  /** The server marks its values as simulated: the page says so. */
  readonly simulated: boolean;
  /** Cell size of the current heatmap grid (EPSG:3035), metres. */
  readonly cellM: number;
  /** Of the property shown: unit symbol, fixed colour domain, colour scheme name. */
  readonly unit: string;
  readonly domain: readonly [number, number];
  readonly scheme: string;
  /** The scene time the heatmap on screen shows (ISO), and how many frames were drawn: the layer's ready signal. */
  readonly frameTimeIso: string;
  readonly frames: number;
}

export interface ImportedLayerInfo {
  readonly fileName: string;
  readonly format: string;
  /** The CRS the user confirmed for the file. */
  readonly epsg: number;
  readonly featureCount: number;
  readonly problemCount: number;
  /** Feature property names, for styling by attribute. */
  readonly columns: readonly string[];
  readonly styleBy: string | null;
  /** 0..1 while the file is read and placed. */
  readonly progress: number;
  /** Features placed outside the CRS's area of use (accuracy unknown there). */
  readonly outsideAreaOfUse: number;
}

export interface LayerNote {
  readonly key: MessageKey;
  readonly params?: Record<string, string | number>;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'superseded';
export interface JobState {
  readonly id: number;
  readonly key: string;
  readonly status: JobStatus;
  readonly progress: number;
  readonly message?: string;
}

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warning' | 'error';
  /** Plain text, never HTML. */
  readonly text: string;
}

/** A picked feature's properties as plain strings, in the order the data gave them. */
export interface Selection {
  readonly layerId: string;
  readonly properties: ReadonlyArray<readonly [string, string]>;
  /** A time series to chart for it: a station's datastream, or the heatmap's value at a point. */
  readonly chart?: ChartRef;
}

export type ChartRef =
  | { readonly kind: 'datastream'; readonly datastreamId: string; readonly property: string }
  | { readonly kind: 'point'; readonly property: string; readonly lonDeg: number; readonly latDeg: number };

export { type Lang };
