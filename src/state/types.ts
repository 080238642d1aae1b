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

export type LayerKind = 'terrain' | 'imagery' | 'boundaries' | 'buildings' | 'imported';
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
}

export { type Lang };
