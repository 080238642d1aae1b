/** Plain data the store holds: settled values only, nothing per-frame, nothing from Cesium. */
import type { CatalogueKind } from '../../core/catalogue/source';
import type { Lang, MessageKey } from '../i18n';
import type { MeasurePoint } from '../../core/geo/measure';
import type { ZoneStats } from '../../core/coverage/types';

/** A settled camera: WGS84 degrees, ellipsoidal height in metres, angles in degrees. */
export interface CameraState {
  readonly lonDeg: number;
  readonly latDeg: number;
  readonly heightM: number;
  readonly headingDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
}

export type LayerKind = 'terrain' | 'imagery' | 'boundaries' | 'places' | 'buildings' | 'sensors' | 'climate' | 'coverage' | 'imported' | 'catalogue';
export type LayerStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface LayerState {
  readonly id: string;
  readonly kind: LayerKind;
  readonly visible: boolean;
  readonly status: LayerStatus;
  /** Opacity of a draped overlay (heatmap, coverage), 0..1, set by the user; unset: the layer's default. */
  readonly opacity?: number;
  /** Set with status 'error': shown in the layer list. */
  readonly message?: string;
  /** Shown under the layer's name (e.g. a display offset), translated at render time. */
  readonly note?: LayerNote;
  /** A name from outside the app (an imported file's name): plain text, never translated, never HTML. */
  readonly title?: string;
  /** Set for layers the user imported. */
  readonly imported?: ImportedLayerInfo;
  /** A layer the user added from a map service or a KML/CZML/GPX file (the catalogue). */
  readonly catalogue?: CatalogueLayerInfo;
  /** Set for sensor layers: what the heatmap shows and how the feed is doing. */
  readonly sensors?: SensorLayerInfo;
  /** Set for the coverage layer: what is compared and how. */
  readonly coverage?: CoverageLayerInfo;
  /** Set for the climate record: what the map shows and how it was interpolated. */
  readonly climate?: ClimateLayerInfo;
}

export type ClimateQuantityId = 'temperature' | 'precipitation';
/** month: the month on the timeline; decade: that calendar month's mean over its decade (1961–1970, …). */
export type ClimatePeriod = 'month' | 'decade';

export interface ClimateLayerInfo {
  readonly quantity: ClimateQuantityId;
  /** Against each station's 1961–1990 normal. */
  readonly anomaly: boolean;
  readonly period: ClimatePeriod;
  /** Temperature with the lapse rate (see core/climate/interpolate.ts); plain IDW when off or for precipitation. */
  readonly useElevation: boolean;
  /** 0..1 while the record is read. */
  readonly progress: number;
  readonly unit: string;
  readonly domain: readonly [number, number];
  /** 'sensorthings' or 'file': how the record was read (said in the details). */
  readonly via: 'sensorthings' | 'file' | '';
  readonly stations: number;
  /** Of the frame on screen: its label ("1976-07", "2010–2019 July"), stations with a value, method and errors. */
  readonly frameLabel: string;
  readonly stationsWithValue: number;
  readonly method: 'idw-lapse' | 'idw';
  /** Lapse rate fitted for the frame, °C per km (NaN: not fitted). */
  readonly lapseCPerKm: number;
  /** Leave-one-station-out RMSE of the method, and of plain IDW, in the unit. */
  readonly rmse: number;
  readonly rmsePlain: number;
  readonly frames: number;
}

/**
 * single: source A alone; swipe: A left of the divider, B right; diff: A − B in dB; classes: only A / only B /
 * both / neither covers.
 */
export type CoverageMode = 'single' | 'swipe' | 'diff' | 'classes';

/** A coverage source the user can put on side A or B. Labels from files are plain text, never HTML. */
export interface CoverageSource {
  readonly id: string;
  /** Modelled from cell sites (with the scenario's masts) or imported from a grid file. */
  readonly kind: 'modelled' | 'imported';
  readonly label: string;
  /** ISO country of a modelled operator ('CZ', 'DE'). */
  readonly country?: string;
  readonly sites?: number;
}

/**
 * One statistics row: a zone's numbers as the coverage worker computed them (NaN: no prediction), with the
 * zone's group, name and codes.
 */
export interface CoverageStatsRow extends Omit<ZoneStats, 'cells'> {
  /** 'side' of the border, admin 'unit' (region), or 'municipality' (Gemeinde, obec). */
  readonly group: 'unit' | 'side' | 'municipality';
  /** As the data names it; the page shows the name for `code` in the UI language where it has one. */
  readonly name: string;
  /** ISO 3166 code of the region or country ("DE-BY", "CZ"). */
  readonly code: string;
  readonly country: string;
}

export interface CoverageLayerInfo {
  readonly sources: readonly CoverageSource[];
  readonly a: string;
  readonly b: string;
  readonly mode: CoverageMode;
  /** Carrier of the modelled layers, MHz (700, 1800, 3500). */
  readonly bandMHz: number;
  readonly coveredDbm: number;
  readonly goodDbm: number;
  /** Divider position for the swipe, 0..1 of the scene's width (settled: written on release). */
  readonly split: number;
  /** 0..1 while sources are modelled or imported; 1 when idle. */
  readonly progress: number;
  readonly stats: readonly CoverageStatsRow[];
  /** Images drawn so far: the layer's ready signal for tests. */
  readonly frames: number;
  /** Share of analysis cells with terrain data (0..1): line of sight is evaluated only there. */
  readonly demShare: number;
  /** The analysis grid's cell size, metres. */
  readonly cellM: number;
}

/** A proposed object of a scenario. Only masts so far; buildings and sensors join them. */
export type { ScenarioMast } from '../../core/scenario/mast';

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
  /** Readings refused: stamped too far ahead of the page's clock, or a value out of range (said in the controls). */
  readonly rejectedFuture: number;
  readonly rejectedOutOfRange: number;
  /** A recorded file being replayed instead of the live service (its name, plain text). */
  readonly replayFile: string | null;
  /** The server marks its values as simulated: the page says so. */
  readonly simulated: boolean;
  /** The deployment has a sensor service (false on a plain static host: recorded files only). */
  readonly service?: boolean;
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

export interface CatalogueLayerInfo {
  readonly kind: CatalogueKind;
  /** The service or file URL; `file:<name>` for a file the user opened. */
  readonly url: string;
  readonly owner?: string;
  readonly licence?: string;
  readonly attribution?: string;
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
  /** Choices offered with it ("Keep mine", "Download"); choosing one also dismisses the notice. */
  readonly actions?: readonly NoticeAction[];
}

export interface NoticeAction {
  /** Plain text, never HTML. */
  readonly label: string;
  run(): void;
}

/** distance: a polyline; area: a closed polygon; height: the difference between two points. */
export type MeasureMode = 'distance' | 'area' | 'height';

export interface MeasureState {
  readonly mode: MeasureMode;
  /** Picked on the terrain or a building: WGS84 degrees and ellipsoidal height. */
  readonly points: ReadonlyArray<MeasurePoint>;
}

/** A picked feature's properties as plain strings, in the order the data gave them. */
export interface Selection {
  readonly layerId: string;
  readonly properties: ReadonlyArray<readonly [string, string]>;
  /** A time series to chart for it: a station's datastream, or the heatmap's value at a point. */
  readonly chart?: ChartRef;
  /** Where across the scene (0 left … 1 right) it was clicked: the info panel opens on the other side. */
  readonly pickedAtX?: number;
}

export type ChartRef =
  | { readonly kind: 'datastream'; readonly datastreamId: string; readonly property: string }
  | { readonly kind: 'point'; readonly property: string; readonly lonDeg: number; readonly latDeg: number }
  /** A station's whole climate record (every month), with its normal and trend. */
  | { readonly kind: 'record'; readonly quantity: ClimateQuantityId; readonly station: number };

export { type Lang };
