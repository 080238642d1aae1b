/** What every pipeline step receives and returns. */
import type { GeoidGrid } from '../core/geo/geoid';
import type { TerrainModel } from './terrain-model';

export interface PipelineContext {
  /** Absolute path of ../shared/data (raw sources, read-only). */
  readonly dataDir: string;
  /** Absolute path of tilesets/ (the step writes only below its own sub-folder). */
  readonly outDir: string;
  /** Global EGM96 grid, parsed from dataDir/geodesy/egm96_15.gtx. */
  readonly geoid: GeoidGrid;
  /** Set once the terrain step has run; steps after it sample ground heights here. */
  terrain?: TerrainModel;
  log(message: string): void;
}

/** One entry per served layer, collected into tilesets/manifest.json for the app (schema shared with the app). */
export type { ManifestEntry } from '../core/manifest';
