/**
 * The AdV code lists German LoD2 buildings carry (roof form, building function), as English labels.
 */

/** The AdV roof-form code list (Dachform, used by ALKIS and the SIG3D LoD2 profile), in English. */
export const ROOF_TYPES: Readonly<Record<string, string>> = {
  '1000': 'flat',
  '2100': 'mono-pitch',
  '2200': 'split mono-pitch',
  '3100': 'gable',
  '3200': 'hipped',
  '3300': 'half-hipped',
  '3400': 'mansard',
  '3500': 'pyramid',
  '3600': 'conical',
  '3700': 'dome',
  '3800': 'sawtooth',
  '3900': 'arched',
  '4000': 'tower',
  '5000': 'mixed',
  '9999': 'other',
};

/** "3100" -> "gable (3100)"; an unknown code is passed through so nothing is lost. */
export function roofTypeLabel(code: unknown): string {
  if (code === undefined || code === null || code === '') return '';
  const c = String(code);
  const label = ROOF_TYPES[c];
  return label ? `${label} (${c})` : c;
}

/**
 * English names of the AdV building-function codes ("<object type>_<function>"): 31001 is the ALKIS object type
 * Building (its second part the Gebäudefunktion), 51009 other structure, 53001 traffic structure. The common ones
 * and everything that occurs in the Bavarian tiles; unknown codes keep just the code.
 */
export const FUNCTION_LABELS: Readonly<Record<string, string>> = {
  '31001_1000': 'residential building',
  '31001_1010': 'house',
  '31001_1020': 'residential home',
  '31001_1100': 'mixed use with residential',
  '31001_1120': 'residential with shops and services',
  '31001_1310': 'recreational building',
  '31001_1313': 'garden house',
  '31001_2000': 'commercial or industrial building',
  '31001_2010': 'retail and services',
  '31001_2020': 'office building',
  '31001_2050': 'commercial building',
  '31001_2071': 'hotel or guesthouse',
  '31001_2081': 'restaurant or inn',
  '31001_2100': 'trade and industry',
  '31001_2110': 'production building',
  '31001_2113': 'brewery',
  '31001_2120': 'workshop',
  '31001_2130': 'petrol station',
  '31001_2140': 'storage building',
  '31001_2143': 'storage hall or shed',
  '31001_2460': 'parking building',
  '31001_2461': 'multi-storey car park',
  '31001_2463': 'garage',
  '31001_2500': 'utility building',
  '31001_2513': 'water tank',
  '31001_2522': 'transformer station',
  '31001_2523': 'electrical converter building',
  '31001_2700': 'agricultural or forestry building',
  '31001_2721': 'barn',
  '31001_2723': 'shed',
  '31001_2724': 'stable',
  '31001_2740': 'greenhouse',
  '31001_3000': 'public building',
  '31001_3010': 'administrative building',
  '31001_3012': 'town hall',
  '31001_3020': 'education and research',
  '31001_3021': 'school',
  '31001_3040': 'religious building',
  '31001_3041': 'church',
  '31001_3042': 'synagogue',
  '31001_3043': 'chapel',
  '31001_3044': 'parish hall',
  '31001_3048': 'monastery',
  '31001_3051': 'hospital',
  '31001_3052': 'nursing home',
  '31001_3065': 'kindergarten',
  '31001_3071': 'police station',
  '31001_3072': 'fire station',
  '31001_3211': 'sports hall',
  '31001_9998': 'not specified in the source',
  '51009_1610': 'canopy',
  '51009_1611': 'carport',
  '51009_1700': 'wall',
  '53001_1800': 'bridge',
};

/** "31001_1000" -> "31001_1000 residential building". */
export function functionLabel(code: unknown): string {
  if (code === undefined || code === null || code === '') return '';
  const c = String(code);
  const label = FUNCTION_LABELS[c];
  return label ? `${c} ${label}` : c;
}
