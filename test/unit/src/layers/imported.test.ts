import { describe, expect, it } from 'vitest';
import { featureColours } from '../../../../src/layers/imported/geometry';
import { importedGeometry } from '../../../../src/layers/imported/from-import';
import type { ImportLayer } from '../../../../core/formats/import/types';

describe('style by attribute', () => {
  const props = { names: ['height', 'kind'], columns: [Float64Array.of(0, 5, 10, Number.NaN), ['a', 'b', 'a', '']] };
  it('ramps numbers from min to max and greys out empty values', () => {
    const c = featureColours(props, 4, 'height')!;
    expect(Array.from(c.subarray(0, 3))).toEqual([68, 1, 84]); // viridis start
    expect(Array.from(c.subarray(6, 9))).toEqual([253, 231, 37]); // viridis end
    expect(Array.from(c.subarray(9, 12))).toEqual([150, 150, 150]);
  });
  it('gives each category its own colour, the same colour for the same value', () => {
    const c = featureColours(props, 4, 'kind')!;
    expect(Array.from(c.subarray(0, 3))).toEqual(Array.from(c.subarray(6, 9)));
    expect(Array.from(c.subarray(0, 3))).not.toEqual(Array.from(c.subarray(3, 6)));
  });
  it('returns null for no column or an unknown one', () => {
    expect(featureColours(props, 4, null)).toBeNull();
    expect(featureColours(props, 4, 'nope')).toBeNull();
  });
});

describe('imported geometry', () => {
  it('closes the open rings of the worker and maps each ring to its feature', () => {
    const empty = new Float64Array(0);
    const layer = {
      featureCount: 2,
      heights: { mode: 'ground' },
      points: { xyz: empty, feature: new Uint32Array(0) },
      lines: { xyz: empty, offsets: new Uint32Array(0), feature: new Uint32Array(0) },
      polygons: {
        xyz: Float64Array.of(0, 0, 0, 1, 0, 0, 1, 1, 0, 5, 5, 0, 6, 5, 0, 6, 6, 0),
        ringOffsets: Uint32Array.of(0, 3, 6),
        ringPolygon: Uint32Array.of(0, 1),
        polygonFeature: Uint32Array.of(0, 1),
      },
      triangles: { xyz: empty, indices: new Uint32Array(0), feature: new Uint32Array(0), kind: new Uint8Array(0) },
      properties: { names: [], columns: [] },
      featureSource: Uint32Array.of(0, 1),
    } as unknown as ImportLayer;
    const g = importedGeometry(layer);
    expect(g.heights).toBe('ground');
    expect(Array.from(g.rings.offsets)).toEqual([0, 4, 8]);
    expect(Array.from(g.rings.xyz.subarray(9, 12))).toEqual([0, 0, 0]);
    expect(Array.from(g.rings.feature)).toEqual([0, 1]);
  });
});
