import { describe, expect, it } from 'vitest';
import { layerName } from '../../../../src/layers/titles';
import { createAppStore } from '../../../../src/state/store';

describe('a layer is named as the user knows it (layer list and info panel alike)', () => {
  it('an imported layer by its file name, not its internal id', () => {
    const store = createAppStore();
    store.getState().addImportedLayer('import-1', 'regensburg-utm32.geojson', { fileName: 'regensburg-utm32.geojson', format: 'geojson', epsg: 25832, featureCount: 3, problemCount: 0, columns: [], styleBy: null, progress: 1, outsideAreaOfUse: 0 });
    const layer = store.getState().layers['import-1'];
    // Imported layers are not in the manifest: nothing but the store knows their name.
    expect(layerName('en', 'import-1', layer?.title, undefined)).toBe('regensburg-utm32.geojson');
    expect(layerName('cs', 'import-1', layer?.title, undefined)).toBe('regensburg-utm32.geojson');
  });

  it('a manifest layer by its translated title, else the manifest title, else its id', () => {
    expect(layerName('en', 'terrain', undefined, 'Terrain')).toBe('Terrain (SRTM)');
    expect(layerName('en', 'some-layer', undefined, 'Some layer')).toBe('Some layer');
    expect(layerName('en', 'some-layer', undefined, undefined)).toBe('some-layer');
  });
});
