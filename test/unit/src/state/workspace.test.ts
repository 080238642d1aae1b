import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../src/state/store';
import { decodeUrlState, encodeUrlState } from '../../../../src/state/url';
import { DEFAULT_WORKSPACE, layersFor, WORKSPACES, WORKSPACE_SPECS, workspaceShows } from '../../../../src/state/workspace';

function storeWithLayers(workspace = DEFAULT_WORKSPACE) {
  const store = createAppStore({ workspace });
  const s = store.getState();
  s.addLayer('terrain', 'terrain', workspaceShows(workspace, 'terrain'));
  s.addLayer('buildings', 'buildings', workspaceShows(workspace, 'buildings'));
  s.addLayer('sensors', 'sensors', workspaceShows(workspace, 'sensors'));
  s.addLayer('coverage', 'coverage', workspaceShows(workspace, 'coverage'));
  s.addImportedLayer('imported-1', 'mine.csv', { fileName: 'mine.csv', format: 'csv', epsg: 5514, featureCount: 1, problemCount: 0, columns: [], styleBy: null, progress: 1, outsideAreaOfUse: 0 });
  return store;
}
const visible = (store: ReturnType<typeof createAppStore>) => Object.fromEntries(Object.values(store.getState().layers).map((l) => [l.id, l.visible]));

describe('workspaces', () => {
  it('start in Explore with no analysis overlay', () => {
    const store = storeWithLayers();
    expect(store.getState().workspace).toBe('explore');
    expect(visible(store)).toEqual({ terrain: true, buildings: true, sensors: false, coverage: false, 'imported-1': true });
  });

  it('each shows the ground; only its own overlay on top; every one lists the layers', () => {
    for (const ws of WORKSPACES) {
      expect(workspaceShows(ws, 'terrain')).toBe(true);
      expect(workspaceShows(ws, 'buildings')).toBe(true);
      expect(workspaceShows(ws, 'sensors')).toBe(ws === 'sensors');
      expect(workspaceShows(ws, 'coverage')).toBe(ws === 'coverage');
      expect(WORKSPACE_SPECS[ws].panels).toContain('layers');
    }
  });

  it('switching sets the layers, opens the dock, ends tools waiting for a click, never touches imported layers', () => {
    const store = storeWithLayers();
    const s = store.getState();
    s.setLayerVisible('imported-1', false);
    s.setMeasureMode('distance');
    s.setDockOpen(false);
    s.setWorkspace('coverage');
    expect(visible(store)).toEqual({ terrain: true, buildings: true, sensors: false, coverage: true, 'imported-1': false });
    expect(store.getState().measure).toBeNull();
    expect(store.getState().dockOpen).toBe(true);
    store.getState().setWorkspace('present');
    expect(store.getState().storyPanelOpen).toBe(true);
    expect(visible(store)['coverage']).toBe(false);
  });

  it('the user may change any layer after switching', () => {
    const store = storeWithLayers();
    store.getState().setWorkspace('explore');
    store.getState().setLayerVisible('sensors', true);
    expect(store.getState().layers['sensors']!.visible).toBe(true);
  });

  it('layersFor returns the same object when nothing changes', () => {
    const store = storeWithLayers();
    const layers = store.getState().layers;
    expect(layersFor('explore', layers)).toBe(layers);
    expect(layersFor('sensors', layers)).not.toBe(layers);
  });
});

describe('workspace in the link', () => {
  it('round-trips ws and an exact (possibly empty) hide list', () => {
    const fragment = encodeUrlState({ workspace: 'sensors', hiddenLayers: [] });
    expect(fragment).toBe('ws=sensors&hide=');
    const { state, problems } = decodeUrlState(fragment);
    expect(problems).toEqual([]);
    expect(state.workspace).toBe('sensors');
    expect(state.hiddenLayers).toEqual([]);
  });

  it('names an unknown workspace and applies the rest', () => {
    const { state, problems } = decodeUrlState('ws=<b>admin</b>&lang=de');
    expect(state.workspace).toBeUndefined();
    expect(state.lang).toBe('de');
    expect(problems).toEqual(['workspace “<b>admin</b>” is not known']);
  });
});
