import { describe, expect, it } from 'vitest';
import { colourize } from '../../../../core/aggregation/colour';
import { imageSpecForGrid, warpToLonLat } from '../../../../core/aggregation/warp';
import { CLASS_COLOURS, classColours, compareCoverage, diffAndClasses } from '../../../../core/coverage/compare';
import { float32AtLeast, simdDiffKernel } from '../../../../core/coverage/simd-diff';
import type { CompareJob, GridSpec3035 } from '../../../../core/coverage/types';
import { GREY_LUT } from '../aggregation/helpers';
import { prng } from '../../../../core/prng';

const NaN32 = Number.NaN;

describe('A − B and classes', () => {
  // Threshold −110 dBm (covered at or above it).
  const a = Float32Array.from([-100, -120, NaN32, -90, -115, -105, -110, -111]);
  const b = Float32Array.from([-105, -100, -90, NaN32, -118, -111, -110.5, -109.5]);

  it('subtracts where both have a value and classes every cell', () => {
    const { diffDb, classes } = diffAndClasses(a, b, -110);
    // −100 − (−105) = 5, −120 − (−100) = −20, NaN, NaN, 3, 6, 0.5, −1.5
    expect(Array.from(diffDb)).toEqual([5, -20, NaN32, NaN32, 3, 6, 0.5, -1.5]);
    // both ≥ −110 → 3; only B → 2; no data → 255 (either NaN); neither → 0; only A → 1; −110 is covered (≥).
    expect(Array.from(classes)).toEqual([3, 2, 255, 255, 0, 1, 1, 2]);
  });

  it('writes into given outputs and checks sizes', () => {
    const diffOut = new Float32Array(8).fill(7);
    const classesOut = new Uint8Array(8).fill(9);
    const r = diffAndClasses(a, b, -100, diffOut, classesOut);
    expect(r.diffDb).toBe(diffOut);
    expect(r.classes).toBe(classesOut);
    // At −100: cell 0 has A −100 (covered) and B −105 → only A; cell 1 has B −100 → only B; the rest neither.
    expect(Array.from(classesOut)).toEqual([1, 2, 255, 255, 0, 0, 0, 0]);
    expect(() => diffAndClasses(a, b.subarray(1), -110)).toThrow(RangeError);
    expect(() => diffAndClasses(a, b, -110, new Float32Array(3))).toThrow(RangeError);
  });

  it('gives every cell its class however long the grids and wherever the output starts', () => {
    const rand = prng(3);
    const n = 1003;
    const ra = Float32Array.from({ length: n }, () => (rand() < 0.2 ? NaN32 : -140 + 80 * rand()));
    const rb = Float32Array.from({ length: n }, () => (rand() < 0.2 ? NaN32 : -140 + 80 * rand()));
    const want = Array.from(ra, (va, i) => {
      const vb = rb[i]!;
      if (Number.isNaN(va) || Number.isNaN(vb)) return 255;
      return (va >= -110 ? 1 : 0) + (vb >= -110 ? 2 : 0);
    });
    expect(Array.from(diffAndClasses(ra, rb, -110).classes)).toEqual(want);
    // An output view that does not start on a 4-byte boundary takes the byte-by-byte path.
    const unaligned = new Uint8Array(n + 1).subarray(1);
    diffAndClasses(ra, rb, -110, undefined, unaligned);
    expect(Array.from(unaligned)).toEqual(want);
  });

  it('the SIMD kernel and the scalar loop agree cell for cell, whatever the threshold and the length', () => {
    expect(simdDiffKernel()).not.toBeNull();
    const rand = prng(8);
    for (const n of [0, 5, 16, 17, 1003, 70_001]) {
      const ra = Float32Array.from({ length: n }, () => (rand() < 0.15 ? NaN32 : -140 + 80 * rand()));
      const rb = Float32Array.from({ length: n }, () => (rand() < 0.15 ? NaN32 : -140 + 80 * rand()));
      // −110.3 is no float32: values just either side of it must fall on the same side in both.
      for (let k = 0; k < Math.min(n, 8); k++) ra[k] = k % 2 ? Math.fround(-110.3) : float32AtLeast(-110.3);
      for (const t of [-110, -110.3, -Infinity, Number.NaN]) {
        const fast = diffAndClasses(ra, rb, t);
        const slow = diffAndClasses(ra, rb, t, undefined, undefined, false);
        expect(Array.from(fast.classes), `n ${n}, t ${t}`).toEqual(Array.from(slow.classes));
        expect(Array.from(fast.diffDb), `n ${n}, t ${t}`).toEqual(Array.from(slow.diffDb));
      }
    }
  });

  it('rounds a threshold up to the nearest float32', () => {
    for (const t of [-110.3, -110, 0.1, -0.1, 1e-50, -1e-50, 3.4e38, 0]) {
      const t32 = float32AtLeast(t);
      expect(Math.fround(t32)).toBe(t32);
      expect(t32).toBeGreaterThanOrEqual(t);
      // …and no float32 lies between t and it.
      const below = new Float32Array([t32]);
      const bits = new Int32Array(below.buffer);
      if (t32 > 0) bits[0]! -= 1;
      else if (t32 < 0) bits[0]! += 1;
      else bits[0] = -2147483647; // just below zero: −(smallest subnormal)
      expect(below[0]).toBeLessThan(t);
    }
  });

  it('colours the classes with the fixed palette, no data transparent', () => {
    const rgba = classColours(Uint8Array.from([0, 1, 2, 3, 255, 17]));
    expect(Array.from(rgba.subarray(0, 16))).toEqual([...CLASS_COLOURS[0], ...CLASS_COLOURS[1], ...CLASS_COLOURS[2], ...CLASS_COLOURS[3]]);
    expect(Array.from(rgba.subarray(16))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // Four colours that differ from each other in every channel pair a reader needs: no two alike.
    const keys = new Set(Object.values(CLASS_COLOURS).map((c) => c.slice(0, 3).join(',')));
    expect(keys.size).toBe(4);
  });
});

describe('compareCoverage', () => {
  const grid: GridSpec3035 = { xMinM: 4_520_000, yMaxM: 2_980_000, cellM: 1000, width: 30, height: 20 };
  const cells = grid.width * grid.height;
  const a = Float32Array.from({ length: cells }, (_, i) => (i % 7 === 0 ? NaN32 : -130 + (i % 50)));
  const b = Float32Array.from({ length: cells }, (_, i) => (i % 11 === 0 ? NaN32 : -80 - (i % 45)));
  const job: CompareJob = { grid, a, b, thresholds: { coveredDbm: -110, goodDbm: -95 }, diffColour: { domain: [-30, 30], lut: GREY_LUT } };

  it('gives the grids, both images over the grid’s rectangle, and the inputs back', () => {
    const r = compareCoverage(job);
    const ref = diffAndClasses(a, b, -110);
    expect(Array.from(r.diffDb)).toEqual(Array.from(ref.diffDb));
    expect(Array.from(r.classes)).toEqual(Array.from(ref.classes));
    expect(r.imageSpec).toEqual(imageSpecForGrid(grid));
    expect(Array.from(r.diffImage)).toEqual(Array.from(warpToLonLat(colourize(ref.diffDb, job.diffColour), grid, r.imageSpec)));
    expect(Array.from(r.classImage)).toEqual(Array.from(warpToLonLat(classColours(ref.classes), grid, r.imageSpec)));
    expect(r.a).toBe(a);
    expect(r.b).toBe(b);
  });

  it('classes cells without a prediction by the other side when a side\'s silence means not covered', () => {
    const g = { xMinM: 4_400_000, yMaxM: 3_000_000, cellM: 1000, width: 4, height: 1 };
    const silentA = Float32Array.from([Number.NaN, -100, Number.NaN, -120]);
    const silentB = Float32Array.from([-100, Number.NaN, Number.NaN, Number.NaN]);
    const silent = { grid: g, a: silentA, b: silentB, thresholds: { coveredDbm: -110, goodDbm: -95 }, diffColour: { domain: [-30, 30] as const, lut: new Uint8Array(1024) } };
    expect([...compareCoverage(silent).classes]).toEqual([255, 255, 255, 255]);
    const r = compareCoverage({ ...silent, noPrediction: { a: 'uncovered', b: 'uncovered' } });
    expect([...r.classes]).toEqual([2, 1, 0, 0]);
    expect(Number.isNaN(r.diffDb[0]!)).toBe(true);
    expect([...compareCoverage({ ...silent, noPrediction: { a: 'no-data', b: 'uncovered' } }).classes]).toEqual([255, 1, 255, 0]);
  });

  it('uses the display rectangle when given, and refuses grids of the wrong size', () => {
    const display = { westDeg: 12, southDeg: 49, eastDeg: 13, northDeg: 50, width: 64, height: 48 };
    const r = compareCoverage({ ...job, display });
    expect(r.imageSpec).toBe(display);
    expect(r.diffImage).toHaveLength(64 * 48 * 4);
    expect(() => compareCoverage({ ...job, a: a.subarray(1) })).toThrow(RangeError);
  });
});
