/**
 * The planner's roof forms as CityGML `roofType` codes (the AdV / SIG3D code list the Bavarian LoD2 buildings
 * use: 1000 flat, 3100 gable, 3200 hip), and any file's `roofType` back as a form the twin builds.
 */
import type { RoofForm } from './roof';

export const ROOF_TYPE_CODE: Readonly<Record<RoofForm, string>> = { flat: '1000', gable: '3100', hip: '3200' };

// A pyramid roof is a hip roof over a square (its ridge a point), which is what the twin builds for one.
const ROOF_OF_TYPE: Readonly<Record<string, RoofForm>> = {
  '1000': 'flat', flat: 'flat', '3100': 'gable', gable: 'gable', '3200': 'hip', '3500': 'hip', hip: 'hip', hipped: 'hip', pyramid: 'hip',
};

/** A `roofType` value ("3100", "gable", "hipped", …) as a roof form the twin builds; null for any other. */
export function roofFormOfType(value: unknown): RoofForm | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  return ROOF_OF_TYPE[String(value).trim().toLowerCase()] ?? null;
}
