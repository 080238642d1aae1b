import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../src/state/store';
import { activeTool, endTools } from '../../../../src/state/tool-mode';

describe('one tool owns the pointer at a time', () => {
  it('arming one tool ends the others; Escape (endTools) ends whichever is active', () => {
    const store = createAppStore();
    const s = () => store.getState();
    expect(activeTool(s())).toBeNull();
    s().setMeasureMode('distance');
    expect(activeTool(s())).toEqual({ kind: 'measure', mode: 'distance' });
    s().setScenarioTool('draw-building');
    expect(activeTool(s())).toEqual({ kind: 'draw-building' });
    expect(s().measure).toBeNull();
    s().setMastPlacement({ operator: 'mcc-262-01' });
    expect(activeTool(s())).toEqual({ kind: 'place-mast', operator: 'mcc-262-01', moving: false });
    expect(s().scenarioTool).toBe('none');
    s().setMeasureMode('area');
    expect(s().mastPlacement).toBeNull();
    expect(endTools(s())).toBe(true);
    expect(activeTool(s())).toBeNull();
    expect(endTools(s())).toBe(false);
  });

  it('switching workspace ends a tool waiting for a click', () => {
    const store = createAppStore();
    store.getState().setMastPlacement({ operator: 'x', moveId: 'mast-1' });
    expect(activeTool(store.getState())).toMatchObject({ kind: 'place-mast', moving: true });
    store.getState().setWorkspace('coverage');
    expect(activeTool(store.getState())).toBeNull();
  });
});
