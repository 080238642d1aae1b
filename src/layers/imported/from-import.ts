/** The import worker's layer (core/formats/import/types.ts) as the renderer-neutral geometry the binding draws. */
import type { ImportLayer } from '../../../core/formats/import/types';
import type { ImportedGeometry } from './geometry';

export function importedGeometry(layer: ImportLayer): ImportedGeometry {
  const p = layer.polygons;
  const ringCount = Math.max(0, p.ringOffsets.length - 1);
  // Outlines are drawn closed: the worker stores rings open, so the first vertex is repeated at the end.
  const closedOffsets = new Uint32Array(ringCount + 1);
  const closedXyz = new Float64Array(p.xyz.length + ringCount * 3);
  const ringFeature = new Uint32Array(Math.max(0, ringCount));
  let n = 0;
  for (let r = 0; r < ringCount; r++) {
    const a = p.ringOffsets[r]!;
    const b = p.ringOffsets[r + 1]!;
    closedOffsets[r] = n;
    closedXyz.set(p.xyz.subarray(a * 3, b * 3), n * 3);
    n += b - a;
    closedXyz.set(p.xyz.subarray(a * 3, a * 3 + 3), n * 3);
    n += 1;
    ringFeature[r] = p.polygonFeature[p.ringPolygon[r]!]!;
  }
  closedOffsets[ringCount] = n;
  return {
    heights: layer.heights.mode === 'ground' ? 'ground' : 'data',
    points: layer.points,
    lines: layer.lines,
    rings: { xyz: closedXyz.subarray(0, n * 3), offsets: ringCount > 0 ? closedOffsets : new Uint32Array(0), feature: ringFeature },
    triangles: layer.triangles,
  };
}
