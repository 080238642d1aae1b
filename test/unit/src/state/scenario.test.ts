import { beforeEach, describe, expect, it } from 'vitest';
import { enuFrame } from '../../../../core/geo/enu';
import { emptyScenario, footprintProblem, localRing, scenarioProblem, updateMast, type ProposedBuilding, type Scenario } from '../../../../src/state/scenario';
import { SCENARIO_HISTORY_MAX, selectActiveMasts, selectActiveScenario } from '../../../../src/state/slices';
import { createAppStore, type AppStore } from '../../../../src/state/store';

/** A 20 m × 10 m rectangle around a point of Regensburg-West, counter-clockwise. */
function rect(id: string, lon = 12.06, lat = 49.02): ProposedBuilding {
  const f = enuFrame(lon, lat);
  const footprint = ([[-10, -5], [10, -5], [10, 5], [-10, 5]] as const).map(([e, n]) => f.toLonLat(e, n));
  return { id, kind: 'building', footprint, heightM: 12, storeys: 4, roof: 'gable' };
}

const mast = (id: string) => ({ id, kind: 'mast' as const, operator: '262-01', lonDeg: 12.1, latDeg: 49.1, antennaAglM: 30 });

describe('scenarios in the store', () => {
  // Every test starts from a fresh store: nothing one test makes is seen by the next.
  let store: AppStore;
  const s = () => store.getState();
  beforeEach(() => {
    store = createAppStore();
  });

  it('makes, renames, branches (a copy of the parent) and deletes scenarios', () => {
    const a = s().createScenario('Plan A');
    expect(s().activeScenarioId).toBe(a);
    s().addBuilding(rect('b1'));
    s().renameScenario(a, '  Riverside  ');
    expect(selectActiveScenario(s())!.name).toBe('Riverside');
    const b = s().branchScenario(a, 'Riverside, variant B');
    expect(s().activeScenarioId).toBe(b);
    const variant = selectActiveScenario(s())!;
    expect(variant.parentId).toBe(a);
    expect(variant.buildings).toEqual(s().scenarios[0]!.buildings);
    // Editing the variant leaves the parent alone.
    s().updateBuilding('b1', { heightM: 30, storeys: 10 });
    expect(s().scenarios.find((x) => x.id === a)!.buildings[0]!.heightM).toBe(12);
    expect(selectActiveScenario(s())!.buildings[0]).toMatchObject({ heightM: 30, storeys: 10 });
    s().deleteScenario(b);
    expect(s().activeScenarioId).toBeNull();
    expect(s().scenarios.map((x) => x.id)).toEqual([a]);
    expect(s().branchScenario('nope', 'x')).toBe('');
  });

  it('undoes and redoes every edit, and a new edit clears what was undone', () => {
    s().createScenario('P');
    s().addBuilding(rect('b1'));
    const placed = selectActiveScenario(s())!.buildings[0]!.footprint;
    s().moveObject('b1', 5, 0);
    s().rotateObject('b1', 90);
    s().undo();
    s().undo();
    expect(selectActiveScenario(s())!.buildings[0]!.footprint).toEqual(placed);
    s().redo();
    const moved = localRing(selectActiveScenario(s())!.buildings[0]!.footprint);
    const before = localRing(placed);
    // Moved 5 m east, to the centimetre, shape unchanged.
    const f = enuFrame(before.origin[0], before.origin[1]);
    const [dx, dy] = f.toLocal(moved.origin[0], moved.origin[1]);
    expect(dx).toBeCloseTo(5, 2);
    expect(dy).toBeCloseTo(0, 2);
    s().undo();
    s().removeObject('b1');
    expect(s().scenarioHistory.future).toHaveLength(0);
    expect(selectActiveScenario(s())!.buildings).toHaveLength(0);
    s().undo();
    expect(selectActiveScenario(s())!.buildings).toHaveLength(1);
    // Undo of the scenario's creation: back to today's state.
    s().undo();
    s().undo();
    expect(s().scenarios).toEqual([]);
    expect(s().activeScenarioId).toBeNull();
    s().undo(); // nothing left: no change, no throw
    expect(s().scenarios).toEqual([]);
  });

  it('keeps a bounded history', () => {
    s().createScenario('P');
    s().addBuilding(rect('b1'));
    for (let i = 0; i < SCENARIO_HISTORY_MAX + 50; i++) s().moveObject('b1', 1, 0);
    expect(s().scenarioHistory.past).toHaveLength(SCENARIO_HISTORY_MAX);
    for (let i = 0; i < SCENARIO_HISTORY_MAX + 10; i++) s().undo();
    expect(s().scenarioHistory.future).toHaveLength(SCENARIO_HISTORY_MAX);
  });

  it('gives the coverage layer the active scenario’s masts (one stable array), making a scenario for a mast on today’s map', () => {
    expect(selectActiveMasts(s())).toEqual([]);
    expect(selectActiveMasts(s())).toBe(selectActiveMasts(s()));
    s().addMast(mast('m1'));
    expect(s().scenarios).toHaveLength(1);
    expect(selectActiveMasts(s()).map((m) => m.id)).toEqual(['m1']);
    const first = selectActiveMasts(s());
    s().addBuilding(rect('b1'));
    expect(selectActiveMasts(s())).toBe(first); // a building does not change the masts the coverage layer sees
    s().moveMast('m1', 12.2, 49.2);
    expect(selectActiveMasts(s())[0]).toMatchObject({ lonDeg: 12.2, latDeg: 49.2 });
    const other = s().createScenario('Other');
    expect(selectActiveMasts(s())).toEqual([]);
    s().setActiveScenario(s().scenarios[0]!.id);
    expect(selectActiveMasts(s())).toHaveLength(1);
    s().setActiveScenario(other);
    s().setActiveScenario('missing');
    expect(s().activeScenarioId).toBe(other);
  });

  it('marks existing buildings to be demolished once, and refuses ids that could not be matched safely', () => {
    s().markDemolished('buildings-regensburg', 'DEBY_LOD2_4959457');
    s().markDemolished('buildings-regensburg', 'DEBY_LOD2_4959457');
    s().markDemolished('buildings-regensburg', "x' || true || '");
    expect(selectActiveScenario(s())!.demolitions.map((d) => d.featureId)).toEqual(['DEBY_LOD2_4959457']);
  });

  it('keeps the comparison only while both variants exist', () => {
    const a = s().createScenario('A');
    const b = s().branchScenario(a, 'B');
    s().setScenarioCompare({ a, b });
    expect(s().scenarioCompare).toEqual({ a, b });
    s().deleteScenario(b);
    expect(s().scenarioCompare).toBeNull();
    s().setScenarioCompare({ a, b: 'gone' });
    expect(s().scenarioCompare).toBeNull();
  });
});

describe('scenario rules', () => {
  it('rejects crossing, tiny and out-of-region footprints', () => {
    const ok = rect('b').footprint;
    expect(footprintProblem(ok)).toBeNull();
    expect(footprintProblem([ok[0]!, ok[2]!, ok[1]!, ok[3]!])).toMatch(/crosses/);
    expect(footprintProblem(ok.slice(0, 2))).toMatch(/3 corners/);
    const f = enuFrame(12, 49);
    expect(footprintProblem([f.toLonLat(0, 0), f.toLonLat(0.5, 0), f.toLonLat(0, 0.5)])).toMatch(/1 m²/);
    expect(footprintProblem(ok.map(([lon, lat]) => [lon + 100, lat] as const))).toMatch(/outside/);
  });

  it('finds repeated object ids and out-of-range values', () => {
    const base = { id: 'sc-1', name: 'S', parentId: null, buildings: [rect('b1')], masts: [], demolitions: [] };
    expect(scenarioProblem(base)).toBeNull();
    expect(scenarioProblem({ ...base, masts: [mast('b1')] })).toMatch(/repeated/);
    expect(scenarioProblem({ ...base, buildings: [{ ...rect('b1'), heightM: 1e6 }] })).toMatch(/height/);
    expect(scenarioProblem({ ...base, buildings: [{ ...rect('b1'), storeys: 2.5 }] })).toMatch(/storey/);
    expect(scenarioProblem({ ...base, name: '' })).toMatch(/name/);
  });
});

describe('proposed mast parameters', () => {
  let m1: ReturnType<typeof mast>;
  let sc: Scenario;
  beforeEach(() => {
    m1 = { ...mast('m1'), operator: '230-01' };
    sc = { ...emptyScenario('s1', 'test'), masts: [m1] };
  });
  it('sets height, a sector (65° unless given) and EIRP; an empty azimuth makes it omnidirectional again', () => {
    const sector = updateMast(sc, 'm1', { antennaAglM: 45, azimuthDeg: 120, eirpDbm: 20 });
    expect(sector.masts[0]).toEqual({ ...m1, antennaAglM: 45, azimuthDeg: 120, beamwidthDeg: 65, eirpDbm: 20 });
    expect(updateMast(sector, 'm1', { beamwidthDeg: 90 }).masts[0]).toMatchObject({ azimuthDeg: 120, beamwidthDeg: 90 });
    const omni = updateMast(sector, 'm1', { azimuthDeg: null, eirpDbm: null });
    expect(omni.masts[0]).toEqual({ ...m1, antennaAglM: 45 });
    expect(scenarioProblem(omni)).toBeNull();
  });
  it('leaves the scenario as it is for out-of-range values or an unknown mast', () => {
    expect(updateMast(sc, 'm1', { antennaAglM: 0 })).toBe(sc);
    expect(updateMast(sc, 'm1', { azimuthDeg: 400 })).toBe(sc);
    expect(updateMast(sc, 'm1', { eirpDbm: Number.NaN })).toBe(sc);
    expect(updateMast(sc, 'nope', { antennaAglM: 40 })).toBe(sc);
  });
});
