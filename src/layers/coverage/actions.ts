/**
 * What the UI may ask of the mounted coverage layer beyond the store: import a coverage grid file, export the
 * statistics, place or move a mast with the next click on the globe, stop a computation. Registered by the
 * binding, looked up by the coverage panel.
 */
import { layerRegistry } from '../registry';
import type { CoverageStatsRow } from '../../state/types';

export interface CoverageActions {
  importGrid(file: File): Promise<void>;
  /** A CSV of planned sites becomes proposed masts of source A's operator. */
  importSites(file: File): Promise<void>;
  /** The statistics table as CSV text (what the download holds). */
  statsCsv(): string;
  /** The next click on the globe places a mast of `operator` (or moves mast `moveId` there). */
  armMastPlacement(operator: string, moveId?: string): void;
  /** Stops the modelling under way (the previous picture stays). */
  cancel(): void;
  flyToZone(row: CoverageStatsRow): void;
  /** Moves the swipe divider while it is dragged (the store gets the settled position on release). */
  previewSplit(fraction: number): void;
}

const actions = layerRegistry<CoverageActions>();
export const registerCoverageActions = actions.register;
export const coverageActions = actions.get;
