/**
 * The saved scenarios (IndexedDB) as a versioned document, and its decoder. What comes back from storage may be
 * from an older release, cut short, or edited by hand: each scenario is checked whole (zod for the shape, then
 * `scenarioProblem` for what a shape cannot say: crossing footprints, repeated ids, ranges) and a scenario with
 * any fault is dropped whole, never applied in part. Decoding never throws.
 */
import { z } from '../../core/zod';
import { ID_PATTERN, LIMITS, ROOF_FORMS, scenarioProblem, type Scenario } from './scenario';

export const SAVED_VERSION = 1;

export interface SavedScenarios {
  readonly version: typeof SAVED_VERSION;
  readonly scenarios: readonly Scenario[];
  readonly activeScenarioId: string | null;
}

export function encodeSaved(scenarios: readonly Scenario[], activeScenarioId: string | null): SavedScenarios {
  return { version: SAVED_VERSION, scenarios, activeScenarioId };
}

const id = z.string().regex(ID_PATTERN);
const finite = z.number().finite();
const lonLat = z.tuple([finite, finite]);
const name = z.string().max(LIMITS.nameChars);

const building = z.strictObject({
  id,
  kind: z.literal('building'),
  footprint: z.array(lonLat).min(3).max(LIMITS.footprintVertices),
  heightM: finite,
  storeys: z.number().int(),
  roof: z.enum(ROOF_FORMS as [string, ...string[]]).transform((r) => r as Scenario['buildings'][number]['roof']),
  name: name.optional(),
});

const mast = z.strictObject({
  id,
  kind: z.literal('mast'),
  operator: z.string().min(1).max(64),
  lonDeg: finite,
  latDeg: finite,
  antennaAglM: finite,
  name: name.optional(),
  azimuthDeg: finite.min(0).max(360).optional(),
  beamwidthDeg: finite.min(1).max(360).optional(),
  eirpDbm: finite.min(-50).max(100).optional(),
});

const demolition = z.strictObject({ id, kind: z.literal('demolition'), layerId: id, featureId: z.string().max(128) });

const scenario = z.strictObject({
  id,
  name: name.min(1),
  parentId: id.nullable(),
  buildings: z.array(building).max(LIMITS.objects),
  masts: z.array(mast).max(LIMITS.objects),
  demolitions: z.array(demolition).max(LIMITS.objects),
});

export interface DecodedScenarios {
  readonly scenarios: Scenario[];
  readonly activeScenarioId: string | null;
  /** Scenarios (or a whole document) that could not be used, each named by why. */
  readonly problems: string[];
}

/** Keep echoed names short in notices. */
const clip = (s: unknown): string => {
  const text = typeof s === 'string' ? s : '?';
  return text.length > 32 ? `${text.slice(0, 32)}…` : text;
};

const empty = (why: string): DecodedScenarios => ({ scenarios: [], activeScenarioId: null, problems: [why] });

/** One saved scenario, checked whole: the scenario, or why it cannot be used. Never throws. */
export function decodeScenario(item: unknown): Scenario | string {
  try {
    const label = clip(typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['name'] : undefined);
    const r = scenario.safeParse(item);
    if (!r.success) return `scenario “${label}” is malformed`;
    const problem = scenarioProblem(r.data);
    return problem ? `scenario “${label}”: ${problem}` : r.data;
  } catch (err) {
    return `a saved scenario cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function decodeSaved(raw: unknown): DecodedScenarios {
  const problems: string[] = [];
  try {
    if (raw === undefined || raw === null) return { scenarios: [], activeScenarioId: null, problems };
    if (typeof raw !== 'object' || Array.isArray(raw)) return empty('the saved scenarios are not a document');
    const doc = raw as Record<string, unknown>;
    if (doc['version'] !== SAVED_VERSION) return empty(`the saved scenarios have version ${clip(String(doc['version']))}, not ${SAVED_VERSION}`);
    const list = doc['scenarios'];
    if (!Array.isArray(list)) return empty('the saved scenarios have no list');
    const scenarios: Scenario[] = [];
    const seen = new Set<string>();
    for (const item of list.slice(0, LIMITS.scenarios)) {
      const r = decodeScenario(item);
      if (typeof r === 'string' || seen.has(r.id)) {
        problems.push(typeof r === 'string' ? r : `scenario “${clip(r.name)}”: its id is used twice`);
        continue;
      }
      seen.add(r.id);
      scenarios.push(r);
    }
    if (list.length > LIMITS.scenarios) problems.push(`only the first ${LIMITS.scenarios} saved scenarios are kept`);
    const active = doc['activeScenarioId'];
    const activeScenarioId = typeof active === 'string' && seen.has(active) ? active : null;
    return { scenarios, activeScenarioId, problems };
  } catch (err) {
    // A getter or proxy in a hand-made document must not take the page down either.
    return empty(`the saved scenarios cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}
