/**
 * A scenario to a file and a file to a new scenario, for the scenario panel's export and import.
 *
 * - GeoJSON: the scenario as the importer's layer layout, written by the import worker in the chosen CRS.
 * - CityJSON 2.0: written here by core/scenario/cityjson-write.ts (buildings as solids, masts as constructions).
 * - Import, either format (or CSV, or anyone's CityJSON): through the import worker like any dropped file (format
 *   and CRS detected), then `layerToScenario`. A file that cannot be read fails with the importer's own reason.
 */
import type { Epsg } from '../../../core/geo/crs';
import { scenarioToCityJson } from '../../../core/scenario/cityjson-write';
import { t, type Lang } from '../../i18n';
import type { Scenario } from '../../state/scenario';
import type { ImportService } from '../imported/controller';
import { layerToScenario, scenarioToLayer } from './description';

export type ScenarioFileFormat = 'geojson' | 'cityjson';
export const SCENARIO_FILE_FORMATS: readonly ScenarioFileFormat[] = ['geojson', 'cityjson'];

type Imports = Pick<ImportService, 'inspect' | 'convert' | 'exportGeoJson'>;

const EXTENSION: Readonly<Record<ScenarioFileFormat, string>> = { geojson: 'geojson', cityjson: 'city.json' };

/** `<name>-EPSG<code>.geojson` or `.city.json`, the name reduced to letters, digits, `_` and `-`. */
export function scenarioFileName(name: string, epsg: Epsg, format: ScenarioFileFormat): string {
  const safe = name.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return `${safe}-EPSG${epsg}.${EXTENSION[format]}`;
}

/** The scenario as file text. `imports` is needed for GeoJSON only; `today` dates a CityJSON's metadata. */
export async function exportScenarioFile(imports: Imports | undefined, sc: Scenario, epsg: Epsg, format: ScenarioFileFormat, lang: Lang, today = new Date()): Promise<{ fileName: string; text: string }> {
  const fileName = scenarioFileName(sc.name, epsg, format);
  if (format === 'cityjson') {
    const doc = scenarioToCityJson(sc, epsg, { referenceDate: today.toISOString().slice(0, 10) });
    return { fileName, text: JSON.stringify(doc) };
  }
  if (!imports) throw new Error(t(lang, 'scenario.noImporter'));
  // Checked here so a CRS the registry cannot write fails before the worker is asked.
  if (epsg !== 4326) (await import('../../../core/geo/crs')).converter(4326, epsg);
  return { fileName, text: await imports.exportGeoJson(`scenario-export:${sc.id}`, scenarioToLayer(sc), epsg) };
}

export interface ImportedScenario {
  readonly scenario: Scenario;
  readonly skipped: number;
  readonly epsg: Epsg;
}

/**
 * A file as a new scenario with id `id`, named after the file. Rejects with a reason for the user (the importer's
 * first error where it gave one: malformed JSON, a CityJSON without objects or vertices, a vertex index out of
 * range), never with a half-made scenario.
 */
export async function importScenarioFile(imports: Imports, file: { readonly name: string; readonly bytes: ArrayBuffer }, id: string, lang: Lang): Promise<ImportedScenario> {
  const key = `scenario-import:${file.name}`;
  const { result, bytes } = await imports.inspect(key, { fileName: file.name, bytes: file.bytes });
  const crs = result.crsCandidates[0];
  if (!crs || result.format === null) {
    const reason = result.problems.find((p) => p.severity === 'error')?.message;
    throw new Error(reason ?? t(lang, 'scenario.noCrs'));
  }
  const layer = await imports.convert(key, { fileName: file.name, bytes }, { epsg: crs.epsg, swapAxes: crs.swapAxes, candidate: crs }, () => {});
  // ".city.json" is one extension: the scenario is named without either part.
  const name = file.name.replace(/(\.city)?\.[^.]*$/i, '');
  const { scenario, skipped } = layerToScenario(layer, id, name);
  if (scenario.buildings.length + scenario.masts.length === 0) throw new Error(t(lang, 'scenario.importEmpty'));
  return { scenario, skipped, epsg: crs.epsg };
}
