import { describe, expect, it } from 'vitest';
import { TRIANGLE_KIND } from '../../../../core/formats/import/types';
import { featureShapes, type TriangleSet } from '../../../../core/scenario/outline';

const { ground, wall } = TRIANGLE_KIND;

/** Triangle sets of several surfaces, each with vertices of its own (as the importer lays them out). */
function layer(surfaces: Array<{ feature: number; kind: number; xyz: number[]; tris: number[] }>): TriangleSet {
  const xyz: number[] = [], indices: number[] = [], feature: number[] = [], kind: number[] = [];
  for (const s of surfaces) {
    const base = xyz.length / 3;
    xyz.push(...s.xyz);
    indices.push(...s.tris.map((i) => base + i));
    for (let t = 0; t < s.tris.length / 3; t++) {
      feature.push(s.feature);
      kind.push(s.kind);
    }
  }
  return { xyz: Float64Array.from(xyz), indices: Uint32Array.from(indices), feature: Uint32Array.from(feature), kind: Uint8Array.from(kind) };
}

/** A square of 0.25° (exact in binary, so shared corners match) at (x, y), facing down: clockwise seen from above. */
const squareDown = (feature: number, x: number, y: number, z = 0) => ({
  feature, kind: ground,
  xyz: [x, y, z, x, y + 0.25, z, x + 0.25, y + 0.25, z, x + 0.25, y, z],
  tris: [0, 1, 2, 0, 2, 3],
});

describe('footprints of imported 3D objects', () => {
  it('joins ground surfaces written separately, drops their shared edge, and runs counter-clockwise from the first vertex', () => {
    const shapes = featureShapes(layer([squareDown(0, 13, 49), squareDown(0, 13.25, 49), { feature: 0, kind: wall, xyz: [13, 49, 0, 13, 49, 12, 13.25, 49, 0], tris: [0, 1, 2] }]));
    const s = shapes.get(0)!;
    expect(s.outline).toEqual([[13, 49], [13.25, 49], [13.5, 49], [13.5, 49.25], [13.25, 49.25], [13, 49.25]]);
    expect(s.centre).toEqual([13.25, 49.125]);
    expect([s.zMin, s.zMax]).toEqual([0, 12]);
  });

  it('takes the largest of parts that do not touch; a feature without ground has no outline', () => {
    const big = { feature: 1, kind: ground, xyz: [14, 49, 0, 14, 49.5, 0, 14.5, 49.5, 0, 14.5, 49, 0], tris: [0, 1, 2, 0, 2, 3] };
    const shapes = featureShapes(layer([squareDown(1, 13, 49), big, { feature: 2, kind: wall, xyz: [13, 49, 0, 13, 49, 5, 13.25, 49, 0], tris: [0, 1, 2] }]));
    expect(shapes.get(1)!.outline).toEqual([[14, 49], [14.5, 49], [14.5, 49.5], [14, 49.5]]);
    expect(shapes.get(2)).toMatchObject({ outline: [], centre: null, zMin: 0, zMax: 5 });
  });
});
