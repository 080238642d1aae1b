/**
 * What the scenario panel may ask of the scenario scene beyond the store: finish or cancel a drawing, move the
 * comparison divider while it is dragged, export a scenario as GeoJSON in a chosen CRS and import one.
 * Registered by the scene binding (and again after a rebuilt scene), looked up by the panel.
 */
import type { Epsg } from '../../../core/geo/crs';
import { layerRegistry } from '../registry';
import { SCENARIO_LAYER_ID } from './description';

export interface ScenarioActions {
  finishDrawing(): void;
  cancelDrawing(): void;
  /** Corners placed so far by the drawing tool. */
  drawnCorners(): number;
  previewSplit(fraction: number): void;
  /** The scenario as GeoJSON text in `epsg` (buildings as polygons on the ground, masts as points). */
  exportGeoJson(scenarioId: string, epsg: Epsg): Promise<{ fileName: string; text: string }>;
  /** A GeoJSON (or any importable) file as a new scenario, its CRS detected by the importer. */
  importFile(file: File): Promise<void>;
}

const actions = layerRegistry<ScenarioActions>();
export const registerScenarioActions = (value: ScenarioActions | null): void => actions.register(SCENARIO_LAYER_ID, value);
export const scenarioActions = (): ScenarioActions | undefined => actions.get(SCENARIO_LAYER_ID);
