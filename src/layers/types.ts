/**
 * The layer contract. Each kind has a renderer-neutral description (pure, testable in node) and a binding
 * that mounts it into the Cesium scene and returns a handle whose dispose() removes every trace of it.
 */
import type { AppStore } from '../state/store';
import type { LayerNote } from '../state/types';
import type { TwinViewer } from '../scene/create-viewer';
import type { SensorsClient } from '../services/sensors-client';
import type { CoverageService } from '../services/coverage-service';
import type { ScenarioPool } from '../services/scenario-pool';
import type { ImportService } from './imported/controller';
import type { FrameJob, FrameResult } from '../../core/aggregation/types';
import type { ManifestEntry } from '../../core/manifest';

export interface LayerHandle {
  setVisible(visible: boolean): void;
  dispose(): void;
  /** A note for the layer list (e.g. why a tileset is shown lower than its true height). */
  readonly note?: LayerNote;
  /** A draped overlay can be made see-through: the host offers a slider and starts it at `defaultOpacity`. */
  setOpacity?(alpha: number): void;
  readonly defaultOpacity?: number;
}

/** What a binding may use; nothing else of the app reaches it. */
import type { DataCache } from '../services/data-cache';
import type { SensorServiceConfig } from '../config/runtime-config';

export interface BindingContext {
  readonly viewer: TwinViewer;
  readonly store: AppStore;
  /** Base URL of the tilesets folder, ending in '/'. */
  readonly tilesetsBase: string;
  /** The deployment's sensor service (config.json), null when it has none; unset: the build's default. */
  readonly sensorService?: SensorServiceConfig | null;
  /** The deployment's SensorThings service of the climate record (config.json); null: read the record file. */
  readonly climateService?: string | null;
  /** lon/lat/ellipsoidal-height triples -> ECEF triples, off the main thread (see workers/reproject). */
  toEcef(key: string, lonLatH: Float64Array): Promise<Float64Array>;
  /** Readings -> a heatmap frame on the EPSG:3035 grid, off the main thread (see workers/aggregate); latest wins per key. */
  aggregateFrame?(key: string, job: FrameJob): Promise<FrameResult>;
  /** The sensors worker (see workers/sensors), started by the first layer that asks. */
  sensors?(): SensorsClient;
  /** The coverage workers (see workers/coverage), started when the coverage layer hands over its terrain. */
  coverage?(): CoverageService;
  /** The scenario worker (see workers/scenario), started by the first proposed building. */
  scenarioPool?(): ScenarioPool;
  /** The importer's worker, for exporting and importing scenarios as GeoJSON. */
  imports?: ImportService;
  /** Parsed dataset files kept across scene rebuilds (see services/data-cache). */
  cached?: DataCache;
}

export type MountLayer = (ctx: BindingContext, entry: ManifestEntry) => Promise<LayerHandle>;
