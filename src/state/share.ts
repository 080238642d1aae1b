/**
 * Work shared between browsers: stories and scenarios in one versioned document, the `.twin.json` file and the
 * content of a share link. Decoded all or nothing with the same rules as the browser's own saved copies (a story
 * as a stories file's story, a scenario as a saved scenario), so a shared document can never bring in what a
 * saved one could not. What arrives is added beside the recipient's own work, never over it.
 */
import { decodeScenario } from './scenario-codec';
import { newId as newScenarioId, type Scenario } from './scenario';
import { keepBoth, parseStories, STORY_FORMAT, STORY_FORMAT_VERSION, type Story } from './story';

export const SHARE_FORMAT = 'sddi-twin-share';
export const SHARE_VERSION = 1;
/** As many as the browser keeps of each: a shared document is never more than a whole saved state. */
const MAX_SCENARIOS = 50;

export interface ShareDocument {
  readonly format: typeof SHARE_FORMAT;
  readonly version: typeof SHARE_VERSION;
  readonly stories: readonly Story[];
  readonly scenarios: readonly Scenario[];
}

export type ShareParseResult = { readonly ok: true; readonly doc: ShareDocument } | { readonly ok: false; readonly problem: string };

export function shareDocument(stories: readonly Story[], scenarios: readonly Scenario[]): ShareDocument {
  return { format: SHARE_FORMAT, version: SHARE_VERSION, stories, scenarios };
}

/** Validates a parsed document; never throws. */
export function parseShare(json: unknown): ShareParseResult {
  try {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, problem: 'not a shared document' };
    const d = json as Record<string, unknown>;
    if (d['format'] !== SHARE_FORMAT) return { ok: false, problem: 'not a shared document of the twin' };
    if (d['version'] !== SHARE_VERSION) return { ok: false, problem: `version ${String(d['version']).slice(0, 12)} is not ${SHARE_VERSION}` };
    const extra = Object.keys(d).filter((k) => !['format', 'version', 'stories', 'scenarios'].includes(k));
    if (extra.length > 0) return { ok: false, problem: `unknown field “${extra[0]!.slice(0, 24)}”` };
    const stories = parseStories({ format: STORY_FORMAT, version: STORY_FORMAT_VERSION, stories: d['stories'] ?? [] });
    if (!stories.ok) return { ok: false, problem: `stories: ${stories.problem}` };
    const rawScenarios = d['scenarios'] ?? [];
    if (!Array.isArray(rawScenarios)) return { ok: false, problem: 'scenarios: not a list' };
    if (rawScenarios.length > MAX_SCENARIOS) return { ok: false, problem: `more than ${MAX_SCENARIOS} scenarios` };
    const scenarios: Scenario[] = [];
    for (const raw of rawScenarios) {
      const s = decodeScenario(raw);
      if (typeof s === 'string') return { ok: false, problem: s };
      if (scenarios.some((x) => x.id === s.id)) return { ok: false, problem: `scenario “${s.id}” appears twice` };
      scenarios.push(s);
    }
    return { ok: true, doc: shareDocument(stories.stories, scenarios) };
  } catch (err) {
    return { ok: false, problem: err instanceof Error ? err.message : String(err) };
  }
}

export function parseShareText(text: string): ShareParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  return parseShare(json);
}

/** A scenario and the variants it was made from and that were made from it: what "share this scenario" sends. */
export function scenarioFamily(all: readonly Scenario[], id: string): Scenario[] {
  const byId = new Map(all.map((s) => [s.id, s]));
  const ids = new Set<string>();
  // Up to the root…
  for (let s = byId.get(id); s && !ids.has(s.id); s = s.parentId ? byId.get(s.parentId) : undefined) ids.add(s.id);
  // …and every descendant.
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of all) {
      if (!s.parentId || !ids.has(s.parentId) || ids.has(s.id)) continue;
      ids.add(s.id);
      grew = true;
    }
  }
  return all.filter((s) => ids.has(s.id));
}

/** A story and the scenarios its slides show, with their families. */
export function storyShare(story: Story, scenarios: readonly Scenario[]): ShareDocument {
  const ids = new Set(story.slides.map((s) => s.scenarioId).filter((x): x is string => x !== null));
  const family = new Set<string>();
  for (const id of ids) for (const s of scenarioFamily(scenarios, id)) family.add(s.id);
  return shareDocument([story], scenarios.filter((s) => family.has(s.id)));
}

export interface Merged {
  readonly stories: Story[];
  readonly scenarios: Scenario[];
  /** Shared id → id in this browser, for what had to be renamed (an id a different local item already has). */
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * The shared items as they join the local ones: an item identical to a local one is not added twice; one whose
 * id a different local item has gets a new id, and every reference to it (a variant's parent, a slide's
 * scenario) follows.
 */
export function mergeShared(local: { stories: readonly Story[]; scenarios: readonly Scenario[] }, doc: ShareDocument, copyTitle: (title: string) => string): Merged {
  const renamed = new Map<string, string>();
  const localById = new Map(local.scenarios.map((s) => [s.id, s]));
  const taken = new Set([...localById.keys(), ...doc.scenarios.map((s) => s.id)]);
  const fresh: Scenario[] = [];
  for (const s of doc.scenarios) {
    const mine = localById.get(s.id);
    if (mine && JSON.stringify(mine) === JSON.stringify(s)) continue;
    if (mine) {
      let id = newScenarioId('sc');
      while (taken.has(id)) id = newScenarioId('sc');
      taken.add(id);
      renamed.set(s.id, id);
    }
    fresh.push(s);
  }
  const scenarios = fresh.map((s) => ({ ...s, id: renamed.get(s.id) ?? s.id, parentId: s.parentId === null ? null : (renamed.get(s.parentId) ?? s.parentId) }));
  const slidesFollow = doc.stories.map((st) => ({ ...st, slides: st.slides.map((sl) => (sl.scenarioId !== null && renamed.has(sl.scenarioId) ? { ...sl, scenarioId: renamed.get(sl.scenarioId)! } : sl)) }));
  const stories = keepBoth(local.stories, slidesFollow, copyTitle);
  doc.stories.forEach((st, i) => {
    const arrived = stories.stories.find((x) => x.slides === slidesFollow[i]!.slides || x === slidesFollow[i]);
    if (arrived && arrived.id !== st.id) renamed.set(st.id, arrived.id);
  });
  return { stories: stories.stories, scenarios, renamed };
}
