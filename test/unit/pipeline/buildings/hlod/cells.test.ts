import { describe, expect, it } from 'vitest';
import { cesium } from './cesium-implicit';
import { ancestorOf, cellBounds, cellOf, childrenOf, commonAncestor, mortonIndex, relativeTo } from '../../../../../pipeline/buildings/hlod/cells';

describe('the global geographic quadtree', () => {
  it('files a point under the cell whose bounds hold it, at every level', () => {
    for (const z of [0, 5, 14, 20]) {
      const c = cellOf(12.0937, 49.0142, z);
      const [w, s, e, n] = cellBounds(c);
      expect(12.0937).toBeGreaterThanOrEqual(w);
      expect(12.0937).toBeLessThan(e);
      expect(49.0142).toBeGreaterThanOrEqual(s);
      expect(49.0142).toBeLessThan(n);
    }
    expect(cellBounds(cellOf(-180, -90, 0))).toEqual([-180, -90, 0, 90]);
  });

  it('numbers children in Morton order and finds ancestors', () => {
    const c = cellOf(13.37, 49.74, 10);
    const kids = childrenOf(c);
    kids.forEach((k, i) => {
      expect(ancestorOf(k, 10)).toEqual(c);
      expect(mortonIndex(k.x - c.x * 2, k.y - c.y * 2)).toBe(i);
    });
    expect(commonAncestor(kids)).toEqual(c);
    expect(commonAncestor([])).toBeNull();
    expect(relativeTo(kids[3]!, c)).toEqual({ z: 1, x: 1, y: 1 });
  });

  it('interleaves bits exactly as CesiumJS does', () => {
    for (const [x, y] of [[0, 0], [1, 0], [0, 1], [5, 3], [1023, 77], [65535, 65535], [12345, 54321]] as const) {
      expect(mortonIndex(x, y)).toBe(cesium.MortonOrder.encode2D(x, y));
    }
  });
});
