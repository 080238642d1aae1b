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

export type LayerKind = 'terrain' | 'imagery' | 'boundaries' | 'buildings';
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
