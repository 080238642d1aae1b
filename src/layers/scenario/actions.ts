/**
 * What the scenario panel may ask of the scenario scene beyond the store: finish or cancel a drawing, move the
 * comparison divider while it is dragged, export a scenario as GeoJSON or CityJSON in a chosen CRS and import one.
 * Registered by the scene binding (and again after a rebuilt scene), looked up by the panel.
 */
import type { Epsg } from '../../../core/geo/crs';
import { layerRegistry } from '../registry';
import { SCENARIO_LAYER_ID } from './description';
import type { ScenarioFileFormat } from './exchange';

export interface ScenarioActions {
  finishDrawing(): void;
  cancelDrawing(): void;
  /** Corners placed so far by the drawing tool. */
  drawnCorners(): number;
  previewSplit(fraction: number): void;
  /**
   * The scenario as file text in `epsg`: GeoJSON (buildings as polygons on the ground, masts as points) or
   * CityJSON 2.0 (buildings as solids, masts as constructions, heights above the ground).
   */
  exportScenario(scenarioId: string, epsg: Epsg, format: ScenarioFileFormat): Promise<{ fileName: string; text: string }>;
  /** A GeoJSON, CityJSON (or any importable) file as a new scenario, its format and CRS detected by the importer. */
  importFile(file: File): Promise<void>;
}

const actions = layerRegistry<ScenarioActions>();
export const registerScenarioActions = (value: ScenarioActions | null): void => actions.register(SCENARIO_LAYER_ID, value);
export const scenarioActions = (): ScenarioActions | undefined => actions.get(SCENARIO_LAYER_ID);
