/** The what-if scenarios: edits as undo steps, the comparison and the drawing tool. */
import { branchOf, editScenario, emptyScenario, FEATURE_ID_PATTERN, ID_PATTERN, LIMITS, moveObject, newId as newScenarioId, objectsOf, removeObject, rotateObject, updateMast, type ProposedBuilding, type Scenario } from '../scenario';
import type { ScenarioMast } from '../types';
import type { AppState, ScenarioSlice, Slice } from './types';

/** Undo steps kept: enough for a planning session, bounded so the history never grows without limit. */
export const SCENARIO_HISTORY_MAX = 100;
const NO_MASTS: readonly ScenarioMast[] = [];

/** The active scenario's proposed masts (the same array while they do not change): what the coverage layer models. */
export function selectActiveMasts(s: Pick<AppState, 'scenarios' | 'activeScenarioId'>): readonly ScenarioMast[] {
  return s.scenarios.find((x) => x.id === s.activeScenarioId)?.masts ?? NO_MASTS;
}

export function selectActiveScenario(s: Pick<AppState, 'scenarios' | 'activeScenarioId'>): Scenario | null {
  return s.scenarios.find((x) => x.id === s.activeScenarioId) ?? null;
}

export const createScenarioSlice: Slice<ScenarioSlice> = (set, get) => {
  /** Applies an edit of the scenarios as one undo step; an edit that changes nothing leaves no step. */
  const commit = (scenarios: readonly Scenario[], activeScenarioId = get().activeScenarioId): void => {
    const s = get();
    if (scenarios === s.scenarios && activeScenarioId === s.activeScenarioId) return;
    const past = [...s.scenarioHistory.past, { scenarios: s.scenarios, activeScenarioId: s.activeScenarioId }].slice(-SCENARIO_HISTORY_MAX);
    set({ scenarios, activeScenarioId, scenarioHistory: { past, future: [] }, scenarioCompare: validCompare(s.scenarioCompare, scenarios) });
  };
  const editActive = (edit: (s: Scenario) => Scenario): void => commit(editScenario(get().scenarios, get().activeScenarioId, edit));
  /** The active scenario, made when none is shown (a mast placed on today's map starts a scenario). */
  const ensureActive = (): void => {
    if (selectActiveScenario(get())) return;
    const id = newScenarioId('sc');
    const name = `Scenario ${get().scenarios.length + 1}`;
    commit([...get().scenarios, emptyScenario(id, name)], id);
  };
  const travel = (from: 'past' | 'future'): void => {
    const s = get();
    const stack = s.scenarioHistory[from];
    const target = stack.at(-1);
    if (!target) return;
    const here = { scenarios: s.scenarios, activeScenarioId: s.activeScenarioId };
    const rest = stack.slice(0, -1);
    const other = [...s.scenarioHistory[from === 'past' ? 'future' : 'past'], here].slice(-SCENARIO_HISTORY_MAX);
    set({
      ...target,
      scenarioHistory: from === 'past' ? { past: rest, future: other } : { past: other, future: rest },
      scenarioCompare: validCompare(s.scenarioCompare, target.scenarios),
    });
  };
  return {
    scenarios: [],
    activeScenarioId: null,
    scenarioHistory: { past: [], future: [] },
    scenarioCompare: null,
    scenarioSplit: 0.5,
    scenarioTool: 'none',
    scenarioFrames: 0,
    createScenario: (name) => {
      const id = newScenarioId('sc');
      commit([...get().scenarios, emptyScenario(id, name)], id);
      return id;
    },
    renameScenario: (id, name) => {
      const clean = name.trim().slice(0, LIMITS.nameChars);
      if (clean) commit(editScenario(get().scenarios, id, (s) => (s.name === clean ? s : { ...s, name: clean })));
    },
    branchScenario: (id, name) => {
      const parent = get().scenarios.find((s) => s.id === id);
      if (!parent) return '';
      const child = branchOf(parent, newScenarioId('sc'), name);
      commit([...get().scenarios, child], child.id);
      return child.id;
    },
    deleteScenario: (id) => {
      const s = get();
      commit(s.scenarios.filter((x) => x.id !== id), s.activeScenarioId === id ? null : s.activeScenarioId);
    },
    addScenario: (scenario) => {
      if (!get().scenarios.some((s) => s.id === scenario.id)) commit([...get().scenarios, scenario], scenario.id);
    },
    setActiveScenario: (activeScenarioId) => {
      if (activeScenarioId !== null && !get().scenarios.some((s) => s.id === activeScenarioId)) return;
      if (get().activeScenarioId !== activeScenarioId) set({ activeScenarioId });
    },
    addBuilding: (b) => {
      ensureActive();
      editActive((s) => (objectsOf(s).some((o) => o.id === b.id) ? s : { ...s, buildings: [...s.buildings, b] }));
    },
    updateBuilding: (id, patch) =>
      editActive((s) => {
        const old = s.buildings.find((b) => b.id === id);
        // A field set to the value it has (a repeated change event) is not an undo step.
        if (!old || Object.entries(patch).every(([k, v]) => old[k as keyof ProposedBuilding] === v)) return s;
        return { ...s, buildings: s.buildings.map((b) => (b.id === id ? { ...b, ...patch } : b)) };
      }),
    markDemolished: (layerId, featureId) => {
      // The id ends up in a tileset style expression: only a narrow, quote-free alphabet is accepted.
      if (!ID_PATTERN.test(layerId) || !FEATURE_ID_PATTERN.test(featureId)) return;
      ensureActive();
      editActive((s) =>
        s.demolitions.some((d) => d.layerId === layerId && d.featureId === featureId)
          ? s
          : { ...s, demolitions: [...s.demolitions, { id: newScenarioId('dm'), kind: 'demolition', layerId, featureId }] },
      );
    },
    moveObject: (id, eastM, northM) => editActive((s) => moveObject(s, id, eastM, northM)),
    rotateObject: (id, deg) => editActive((s) => rotateObject(s, id, deg)),
    removeObject: (id) => editActive((s) => removeObject(s, id)),
    addMast: (mast) => {
      ensureActive();
      editActive((s) => (objectsOf(s).some((o) => o.id === mast.id) ? s : { ...s, masts: [...s.masts, mast] }));
    },
    moveMast: (id, lonDeg, latDeg) =>
      editActive((s) => (s.masts.some((m) => m.id === id) ? { ...s, masts: s.masts.map((m) => (m.id === id ? { ...m, lonDeg, latDeg } : m)) } : s)),
    updateMast: (id, patch) => editActive((s) => updateMast(s, id, patch)),
    removeMast: (id) => editActive((s) => removeObject(s, id)),
    undo: () => travel('past'),
    redo: () => travel('future'),
    restoreScenarios: (scenarios, activeScenarioId) =>
      set({
        scenarios,
        activeScenarioId: scenarios.some((s) => s.id === activeScenarioId) ? activeScenarioId : null,
        scenarioHistory: { past: [], future: [] },
        scenarioCompare: null,
      }),
    applyStoredScenario: (id, scenario) => {
      const s = get();
      const at = s.scenarios.findIndex((x) => x.id === id);
      const scenarios = scenario === null ? s.scenarios.filter((x) => x.id !== id) : at < 0 ? [...s.scenarios, scenario] : s.scenarios.map((x) => (x.id === id ? scenario : x));
      set({
        scenarios,
        activeScenarioId: scenario === null && s.activeScenarioId === id ? null : s.activeScenarioId,
        scenarioHistory: { past: [], future: [] },
        scenarioCompare: validCompare(s.scenarioCompare, scenarios),
      });
    },
    setScenarioCompare: (compare) => set({ scenarioCompare: validCompare(compare, get().scenarios) }),
    setScenarioSplit: (split) => set({ scenarioSplit: Math.min(0.98, Math.max(0.02, split)) }),
    setScenarioTool: (scenarioTool) => set(scenarioTool === 'none' ? { scenarioTool } : { scenarioTool, measure: null, mastPlacement: null }),
    scenarioDrawn: () => set({ scenarioFrames: get().scenarioFrames + 1 }),
  };
};

/** A comparison only of scenarios that exist (an undo or a delete may have removed one side). */
function validCompare(c: ScenarioSlice['scenarioCompare'], scenarios: readonly Scenario[]): ScenarioSlice['scenarioCompare'] {
  if (!c) return null;
  return scenarios.some((s) => s.id === c.a) && scenarios.some((s) => s.id === c.b) ? c : null;
}
