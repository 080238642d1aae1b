import { describe, expect, it } from 'vitest';
import { blockBuilding, blockOf, convexHull, largestBlocks, minAreaRectangle } from '../../../../../pipeline/buildings/hlod/blocks';
import { boxRecord } from './fixtures';

describe('LoD1 blocks', () => {
  it('finds the hull and the minimum-area rectangle of a rotated rectangle', () => {
    const a = (30 * Math.PI) / 180;
    const pts = [[0, 0], [20, 0], [20, 10], [0, 10], [10, 5], [5, 5]].flatMap(([x, y]) => [x! * Math.cos(a) - y! * Math.sin(a), x! * Math.sin(a) + y! * Math.cos(a)]);
    const hull = convexHull(pts);
    expect(hull).toHaveLength(4);
    const r = minAreaRectangle(hull);
    expect(r.area).toBeCloseTo(200, 6);
    // Counter-clockwise: positive signed area.
    let twice = 0;
    r.corners.forEach((p, i) => { const q = r.corners[(i + 1) % 4]!; twice += p[0] * q[1] - q[0] * p[1]; });
    expect(twice / 2).toBeCloseTo(200, 6);
  });

  it('turns a building into a block of its footprint and height, keeping its properties', () => {
    const r = boxRecord('B1', 12.1, 49.0, 12, 8, 10, 400, 25);
    const b = blockOf(r);
    expect(b.props.id).toBe('B1');
    expect(b.volume).toBeCloseTo(12 * 8 * 10, 0);
    const tb = blockBuilding(b);
    expect(tb.surfaces).toHaveLength(5);
    expect(tb.surfaces.reduce((n, s) => n + s.indices.length / 3, 0)).toBe(10);
    // Every corner of the block is a corner of the box (to the millimetre).
    const boxCorners = r.surfaces.flatMap((s) => [...s.ecef]);
    for (let k = 0; k < 8; k++) {
      const p = [...b.corners.subarray(k * 3, k * 3 + 3)];
      let best = Infinity;
      for (let i = 0; i < boxCorners.length; i += 3) best = Math.min(best, Math.hypot(p[0]! - boxCorners[i]!, p[1]! - boxCorners[i + 1]!, p[2]! - boxCorners[i + 2]!));
      expect(best).toBeLessThan(1e-3);
    }
  });

  it('keeps the largest blocks, ties broken by id', () => {
    const blocks = ['c', 'a', 'b', 'd'].map((id, i) => blockOf(boxRecord(id, 12.1 + i * 0.001, 49, 10, 10, i === 3 ? 20 : 10)));
    expect(largestBlocks(blocks, 2).map((b) => b.props.id)).toEqual(['d', 'a']);
  });
});
