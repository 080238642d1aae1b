import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CELL_LADDER_M,
  aggregate,
  aggregateSeries,
  aggregateValues,
  binMean,
  binSums,
  blurCellSums,
  boxRadiiForGauss,
  bucketByTime,
  cellSizeForView,
  cellSums,
  gaussBlur,
  gridForExtent,
  kdeFromSums,
  pyramidFactor,
  stepCells,
} from '../../../../core/aggregation/aggregate';
import type { GridSpec3035, Readings3035 } from '../../../../core/aggregation/types';
import { GREY_LUT, readingsOf, seeded } from './helpers';

/** 3×2 cells of 100 m, north-west corner at (4,500,000, 3,000,000). */
const SMALL: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 100, width: 3, height: 2 };
const X0 = SMALL.xMinM;
const Y1 = SMALL.yMaxM;

/** The contract's cell of (x, y), by division: col = ⌊(x − xMin)/cell⌋, row = ⌊(yMax − y)/cell⌋; -1 outside. */
function cellOf(grid: GridSpec3035, x: number, y: number): number {
  const col = Math.floor((x - grid.xMinM) / grid.cellM);
  const row = Math.floor((grid.yMaxM - y) / grid.cellM);
  return col >= 0 && col < grid.width && row >= 0 && row < grid.height ? row * grid.width + col : -1;
}

/** Mean per cell the slow way: a Map of arrays, sums in float64. */
function naiveMean(grid: GridSpec3035, r: Readings3035, keep: (i: number) => boolean = () => true): Float32Array {
  const cells = new Map<number, number[]>();
  for (let i = 0; i < r.x.length; i++) {
    if (!keep(i) || Number.isNaN(r.value[i]!)) continue;
    const c = cellOf(grid, r.x[i]!, r.y[i]!);
    if (c < 0) continue;
    cells.set(c, [...(cells.get(c) ?? []), r.value[i]!]);
  }
  const out = new Float32Array(grid.width * grid.height).fill(NaN);
  for (const [c, vs] of cells) out[c] = vs.reduce((a, b) => a + b, 0) / vs.length;
  return out;
}

const asArray = (a: Float32Array): number[] => Array.from(a);
/** A macrotask turn, as a worker's yield between series steps. */
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('binMean', () => {
  it('averages per cell by hand: edges belong east and south, the east and south grid edges are outside', () => {
    const r = readingsOf([
      [X0 + 50, Y1 - 50, 1], // cell 0
      [X0 + 99.9, Y1 - 0.1, 3], // cell 0
      [X0 + 100, Y1 - 50, 10], // on the edge between col 0 and 1: col 1 → cell 1
      [X0 + 150, Y1 - 100, 20], // on the edge between row 0 and 1: row 1 → cell 4
      [X0, Y1, 5], // the north-west corner itself: cell 0
      [X0 + 299.99, Y1 - 199.99, 7], // last cell (5)
      [X0 + 300, Y1 - 50, 99], // east edge: outside
      [X0 + 50, Y1 - 200, 99], // south edge: outside
      [X0 - 0.01, Y1 - 50, 99], // west of the grid
      [X0 + 50, Y1 + 0.01, 99], // north of the grid
      [X0 + 250, Y1 - 150, NaN], // no value: skipped
      [NaN, Y1 - 150, 99], // no position: skipped
    ]);
    expect(asArray(binMean(SMALL, r))).toEqual([3, 10, NaN, NaN, 20, 7]);
    const job = { grid: SMALL, readings: r, params: { op: 'mean' as const }, colour: { domain: [0, 10] as const, lut: GREY_LUT } };
    expect(aggregate(job)).toMatchObject({ count: 6, min: 3, max: 20 });
  });

  it('takes a range or an index list of the readings', () => {
    const r = readingsOf([
      [X0 + 50, Y1 - 50, 1],
      [X0 + 50, Y1 - 50, 3],
      [X0 + 250, Y1 - 150, 8],
    ]);
    expect(asArray(binMean(SMALL, r, { start: 1, end: 3 }))).toEqual([3, NaN, NaN, NaN, NaN, 8]);
    expect(asArray(binMean(SMALL, r, Uint32Array.of(0, 2)))).toEqual([1, NaN, NaN, NaN, NaN, 8]);
  });

  it('honours the time window [t0, t1), scanning or by binary search on time-sorted readings', () => {
    const rows: [number, number, number, number][] = [
      [X0 + 50, Y1 - 50, 1, 1000],
      [X0 + 50, Y1 - 50, 2, 2000], // t0: in
      [X0 + 50, Y1 - 50, 4, 2500],
      [X0 + 150, Y1 - 50, 6, 2999],
      [X0 + 150, Y1 - 50, 100, 3000], // t1: out
      [X0 + 150, Y1 - 50, 100, 4000],
    ];
    const window = { t0Ms: 2000, t1Ms: 3000 };
    const job = { grid: SMALL, params: { op: 'mean' as const }, colour: { domain: [0, 10] as const, lut: GREY_LUT }, window };
    const scanned = aggregate({ ...job, readings: readingsOf(rows) });
    expect(asArray(scanned.values)).toEqual([3, 6, NaN, NaN, NaN, NaN]);
    expect(scanned.count).toBe(3);
    const sorted = aggregate({ ...job, readings: { ...readingsOf(rows), timeSorted: true } });
    expect(asArray(sorted.values)).toEqual(asArray(scanned.values));
    expect(sorted.count).toBe(3);
    expect(() => aggregate({ ...job, readings: readingsOf(rows.map(([x, y, v]) => [x, y, v])) })).toThrow(/tMs/);
  });

  it('equals a naive Map-of-cells reference on random readings, edges included (property)', () => {
    const arb = fc.record({
      cellM: fc.constantFrom(...CELL_LADDER_M),
      width: fc.integer({ min: 1, max: 6 }),
      height: fc.integer({ min: 1, max: 6 }),
      // Positions in quarter cells from one cell outside the grid to one beyond it, so edges and outside
      // readings are common; integer values keep Float32 sums exact.
      pts: fc.array(fc.tuple(fc.integer({ min: -4, max: 28 }), fc.integer({ min: -4, max: 28 }), fc.integer({ min: -1000, max: 1000 })), { maxLength: 200 }),
    });
    fc.assert(
      fc.property(arb, ({ cellM, width, height, pts }) => {
        const grid: GridSpec3035 = { xMinM: 4_321_000 + 7 * cellM, yMaxM: 3_210_000 - 3 * cellM, cellM, width, height };
        const r = readingsOf(pts.map(([qx, qy, v]) => [grid.xMinM + (qx * cellM) / 4, grid.yMaxM - (qy * cellM) / 4, v]));
        expect(asArray(binMean(grid, r))).toEqual(asArray(naiveMean(grid, r)));
      }),
      { numRuns: 300 },
    );
  });

  it('stays within float32 rounding of the reference for fractional values near a large offset', () => {
    const rand = seeded(7);
    const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 1000, width: 8, height: 8 };
    const pts = Array.from({ length: 5000 }, () => [grid.xMinM + rand() * 8000, grid.yMaxM - rand() * 8000, 101_325 + 50 * rand()] as [number, number, number]);
    const r = readingsOf(pts);
    const ref = naiveMean(grid, r);
    const got = binMean(grid, r, undefined, 101_325);
    for (let c = 0; c < ref.length; c++) expect(Math.abs(got[c]! - ref[c]!)).toBeLessThan(0.02); // a float32 step at 1e5 is 0.008
  });
});

describe('kde', () => {
  it('the blur keeps the total of mass away from the edges, loses what spills over them, and has about σ²', () => {
    const w = 64;
    const h = 48;
    const sigma = 4;
    const img = new Float32Array(w * h);
    img[24 * w + 30] = 1000;
    img[20 * w + 20] = 500;
    gaussBlur(img, img, w, h, sigma);
    expect(img.reduce((a, b) => a + b, 0)).toBeCloseTo(1500, 2);
    // variance of a blurred impulse
    const one = new Float32Array(w * h);
    one[24 * w + 32] = 1;
    gaussBlur(one, one, w, h, sigma);
    let vx = 0;
    let vy = 0;
    for (let row = 0; row < h; row++) for (let col = 0; col < w; col++) {
      vx += one[row * w + col]! * (col - 32) ** 2;
      vy += one[row * w + col]! * (row - 24) ** 2;
    }
    // odd box widths: σ is a little short (3.83 cells for 4), never more than 6% from 3 cells up
    expect(Math.abs(Math.sqrt(vx) - sigma)).toBeLessThan(0.06 * sigma);
    expect(Math.abs(Math.sqrt(vy) - sigma)).toBeLessThan(0.06 * sigma);
    expect(boxRadiiForGauss(0.3)).toEqual([0, 0, 0]);
    const edge = new Float32Array(w * h);
    edge[0] = 1;
    gaussBlur(edge, edge, w, h, sigma);
    expect(edge.reduce((a, b) => a + b, 0)).toBeLessThan(0.5);
  });

  it('blurs interleaved channels each on its own, the same as one at a time, into another array', () => {
    const w = 37;
    const h = 23;
    const rand = seeded(5);
    const a = Float32Array.from({ length: w * h }, () => rand() * 10);
    const b = Float32Array.from({ length: w * h }, () => Math.round(rand() * 4));
    const both = new Float32Array(w * h * 2);
    for (let c = 0; c < w * h; c++) both.set([a[c]!, b[c]!], 2 * c);
    const out = new Float32Array(w * h * 2);
    gaussBlur(both, out, w, h, 2.5, 2);
    const a1 = new Float32Array(w * h);
    const b1 = new Float32Array(w * h);
    gaussBlur(a, a1, w, h, 2.5);
    gaussBlur(b, b1, w, h, 2.5);
    for (let c = 0; c < w * h; c++) {
      expect(out[2 * c]).toBe(a1[c]);
      expect(out[2 * c + 1]).toBe(b1[c]);
    }
    // a box wider than the image (σ of 20 cells on 37 × 23) still keeps mass inside and spreads evenly
    const wide = new Float32Array(w * h);
    wide[11 * w + 18] = 1;
    gaussBlur(wide, wide, w, h, 20);
    expect(wide.every((v) => v >= 0)).toBe(true);
    expect(wide.reduce((s, v) => s + v, 0)).toBeLessThan(1);
    expect(Math.max(...wide) / Math.min(...wide)).toBeLessThan(3);
  });

  it('from σ = 4 cells blurs on a coarser level: mass kept, σ about right, a lone reading weighs about 1', () => {
    expect([1, 3.9, 4, 7.9, 8, 16, 100].map(pyramidFactor)).toEqual([1, 1, 2, 2, 4, 8, 8]);
    const w = 160;
    const h = 120;
    for (const [sigma, col, row] of [[5, 80, 60], [6, 81, 61], [9, 70, 57], [17, 83, 62]] as const) {
      const acc = new Float32Array(w * h * 2);
      acc[(row * w + col) * 2] = 3; // Σv
      acc[(row * w + col) * 2 + 1] = 1; // n
      const { blurred, peak } = blurCellSums(acc, w, h, sigma);
      let mass = 0;
      let vx = 0;
      let vy = 0;
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
        const n = blurred[(r * w + c) * 2 + 1]!;
        mass += n;
        vx += n * (c - col) ** 2;
        vy += n * (r - row) ** 2;
        if (n > 1e-9) expect(blurred[(r * w + c) * 2]! / n).toBeCloseTo(3, 4);
      }
      expect(mass).toBeCloseTo(1, 4);
      expect(Math.abs(Math.sqrt(vx) - sigma)).toBeLessThan(0.06 * sigma);
      expect(Math.abs(Math.sqrt(vy) - sigma)).toBeLessThan(0.06 * sigma);
      expect(blurred[(row * w + col) * 2 + 1]! / peak).toBeGreaterThan(0.9);
      expect(blurred[(row * w + col) * 2 + 1]! / peak).toBeLessThan(1.1);
    }
  });

  it('kde on the coarser level equals the ratio of the blurred sums, and keeps a constant field constant', () => {
    const rand = seeded(9);
    const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 100, width: 90, height: 70 };
    const pts = Array.from({ length: 400 }, () => [grid.xMinM + rand() * 9000, grid.yMaxM - rand() * 7000, 20 + 10 * rand()] as [number, number, number]);
    const acc = cellSums(grid);
    binSums(grid, readingsOf(pts), acc, undefined, 25);
    const v = kdeFromSums(grid, acc, 600, 0.05, 25); // σ = 6 cells: the coarser level
    const { blurred, peak } = blurCellSums(acc, grid.width, grid.height, 6);
    let withValue = 0;
    for (let c = 0; c < v.length; c++) {
      const n = blurred[2 * c + 1]!;
      if (n / peak >= 0.05) {
        expect(v[c]).toBeCloseTo(blurred[2 * c]! / n + 25, 4);
        withValue++;
      } else {
        expect(v[c]).toBeNaN();
      }
    }
    expect(withValue).toBeGreaterThan(5000);
    const constant = readingsOf(pts.map(([x, y]) => [x, y, 7.25]));
    const k = aggregateValues(grid, constant, { op: 'kde', sigmaM: 900 }, undefined, 5).values;
    for (const x of k) if (!Number.isNaN(x)) expect(x).toBeCloseTo(7.25, 4);
  });

  it('a constant field stays that constant wherever there is a value', () => {
    const rand = seeded(3);
    const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 250, width: 40, height: 30 };
    const pts = Array.from({ length: 300 }, () => [grid.xMinM + rand() * 10_000, grid.yMaxM - rand() * 7500, 7.25] as [number, number, number]);
    const v = aggregateValues(grid, readingsOf(pts), { op: 'kde', sigmaM: 600 }, undefined, 5).values;
    const withValue = asArray(v).filter((x) => !Number.isNaN(x));
    expect(withValue.length).toBeGreaterThan(600);
    for (const x of withValue) expect(x).toBeCloseTo(7.25, 4);
  });

  it('is the kernel-weighted mean: between the readings, in order, and a lone reading reaches about 2.4σ', () => {
    const grid: GridSpec3035 = { xMinM: 0, yMaxM: 10_000, cellM: 100, width: 100, height: 100 };
    const a = readingsOf([
      [2050, 5050, 10],
      [2850, 5050, 20],
    ]);
    const acc = cellSums(grid);
    binSums(grid, a, acc);
    const v = kdeFromSums(grid, acc, 300);
    const at = (col: number, row: number): number => v[row * 100 + col]!;
    expect(at(20, 49)).toBeGreaterThanOrEqual(10);
    expect(at(20, 49)).toBeLessThan(15);
    expect(at(28, 49)).toBeGreaterThan(15);
    expect(at(24, 49)).toBeCloseTo(15, 3); // half way: equal weights
    expect(at(20, 49)).toBeLessThan(at(22, 49));
    // a lone reading at cell (70, 70), σ = 3 cells: a value 2σ away, none 3σ away
    const lone = readingsOf([[7050, 10_000 - 7050, 1]]);
    const accLone = cellSums(grid);
    binSums(grid, lone, accLone);
    const l = kdeFromSums(grid, accLone, 300);
    expect(l[70 * 100 + 70]).toBeCloseTo(1, 5);
    expect(l[70 * 100 + 76]).toBeCloseTo(1, 5);
    expect(l[70 * 100 + 79]).toBeNaN();
    expect(kdeFromSums(grid, accLone, 300, 0.5)[70 * 100 + 76]).toBeNaN(); // a higher minWeight cuts closer
  });
});

describe('idw', () => {
  const grid: GridSpec3035 = { xMinM: 4_400_000, yMaxM: 3_000_000, cellM: 1000, width: 60, height: 50 };
  const stations = readingsOf([
    [4_405_500, 2_994_500, 12], // cell (5, 5)
    [4_430_200, 2_980_700, 3], // cell (30, 19)
    [4_450_900, 2_960_100, 25], // cell (50, 39)
    [4_430_800, 2_980_900, 5], // same cell as the second: the cell takes their mean
    [4_470_000, 2_990_000, 40], // east of the grid: still counts within the radius
  ]);

  it('returns the station value in a station’s cell and stays within [min, max]', () => {
    const { values, count } = aggregateValues(grid, stations, { op: 'idw', radiusM: 30_000 }, undefined);
    expect(count).toBe(4);
    expect(values[5 * 60 + 5]).toBe(12);
    expect(values[19 * 60 + 30]).toBe(4);
    expect(values[39 * 60 + 50]).toBe(25);
    for (const v of values) if (!Number.isNaN(v)) {
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(40);
    }
    // far from every station within 30 km: no value (the south-west corner)
    expect(values[49 * 60 + 0]).toBeNaN();
  });

  it('weights by inverse distance to the power', () => {
    const two = readingsOf([
      [4_410_500, 2_990_500, 0],
      [4_420_500, 2_990_500, 10],
    ]);
    const p2 = aggregateValues(grid, two, { op: 'idw' }, undefined).values;
    expect(p2[9 * 60 + 15]).toBeCloseTo(5, 5); // midway
    // 3 km from the first, 7 km from the second: weights 1/9 and 1/49
    expect(p2[9 * 60 + 13]).toBeCloseTo((10 / 49) / (1 / 9 + 1 / 49), 4);
    const p1 = aggregateValues(grid, two, { op: 'idw', power: 1 }, undefined).values;
    expect(p1[9 * 60 + 13]).toBeCloseTo((10 / 7) / (1 / 3 + 1 / 7), 4);
  });

  it('refuses dense data, which would take the worker minutes', () => {
    const dense = readingsOf(Array.from({ length: 2001 }, (_, i) => [4_400_000 + i, 2_990_000, 1]));
    expect(() => aggregateValues(grid, dense, { op: 'idw' }, undefined)).toThrow(/sparse/);
    expect(aggregateValues(grid, dense, { op: 'idw' }, { start: 0, end: 2000 }).count).toBe(2000);
  });
});

describe('bucketByTime', () => {
  it('groups indices by step in index order, leaving out readings outside the range', () => {
    const t = Float64Array.of(250, 0, 99.999, 100, -1, 300, 150, NaN, 299.9, 50, 1e12);
    const { order, offsets } = bucketByTime(t, 0, 100, 3);
    expect(Array.from(offsets)).toEqual([0, 3, 5, 7]);
    expect(Array.from(order)).toEqual([1, 2, 9, 3, 6, 0, 8]);
    expect(bucketByTime(new Float64Array(0), 0, 1, 2).offsets).toEqual(Uint32Array.of(0, 0, 0));
    expect(() => bucketByTime(t, 0, 0, 3)).toThrow(RangeError);
  });

  it('puts every reading where the window of its step puts it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 60 }), { maxLength: 100 }),
        fc.constantFrom(1000, 60_000, 900_000, 3_600_000, 86_400_000, 7 * 3_600_000),
        fc.integer({ min: 1, max: 12 }),
        (quarters, stepMs, steps) => {
          const t0 = 1_700_000_000_000;
          const t = Float64Array.from(quarters, (q) => t0 + (q * stepMs) / 4);
          const { order, offsets } = bucketByTime(t, t0, stepMs, steps);
          for (let s = 0; s < steps; s++) {
            const expected = [...t.keys()].filter((i) => t[i]! >= t0 + s * stepMs && t[i]! < t0 + (s + 1) * stepMs);
            expect(Array.from(order.subarray(offsets[s]!, offsets[s + 1]!))).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a series equals one windowed aggregate per step, for mean, kde and idw', async () => {
    const rand = seeded(11);
    const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 500, width: 20, height: 16 };
    const n = 4000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const value = new Float32Array(n);
    const tMs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = grid.xMinM - 1000 + rand() * 12_000;
      y[i] = grid.yMaxM + 1000 - rand() * 10_000;
      value[i] = Math.round(rand() * 40);
      tMs[i] = 1000 + Math.floor(rand() * 30) * 100; // some before and after the steps
    }
    const readings = { x, y, value, tMs };
    const steps = { t0Ms: 1500, stepMs: 300, count: 7 };
    const cells = grid.width * grid.height;
    for (const params of [{ op: 'mean' as const }, { op: 'kde' as const, sigmaM: 800 }, { op: 'idw' as const, radiusM: 3000 }]) {
      const seen: number[] = [];
      const series = await aggregateSeries(grid, readings, params, steps, (s) => void seen.push(s), 20);
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
      for (let s = 0; s < steps.count; s++) {
        const win = { t0Ms: steps.t0Ms + s * steps.stepMs, t1Ms: steps.t0Ms + (s + 1) * steps.stepMs };
        const one = aggregateValues(grid, readings, params, win, 20);
        expect(asArray(series.values.subarray(s * cells, (s + 1) * cells))).toEqual(asArray(one.values));
        expect(series.counts[s]).toBe(one.count);
      }
    }
    // two series interleaved at their awaits (as two jobs in one API would) each get their own answer
    const other = { ...readings, value: value.map((v) => 40 - v) };
    const [a, b] = await Promise.all([
      aggregateSeries(grid, readings, { op: 'mean' }, steps, pause, 20),
      aggregateSeries(grid, other, { op: 'mean' }, steps, pause, 20),
    ]);
    expect(asArray(a.values)).toEqual(asArray((await aggregateSeries(grid, readings, { op: 'mean' }, steps, undefined, 20)).values));
    expect(asArray(b.values)).toEqual(asArray((await aggregateSeries(grid, other, { op: 'mean' }, steps, undefined, 20)).values));
    const packed = stepCells(grid, readings, steps);
    expect(packed.offsets[steps.count]).toBe(bucketByTime(tMs, 1500, 300, 7).order.length);
  });
});

describe('grid choice', () => {
  it('cellSizeForView keeps at most 512 cells across, on the ladder, 100 m to 5 km', () => {
    expect(cellSizeForView(10_000)).toBe(100);
    expect(cellSizeForView(51_200)).toBe(100);
    expect(cellSizeForView(51_201)).toBe(200);
    expect(cellSizeForView(120_000)).toBe(250);
    expect(cellSizeForView(200_000)).toBe(500);
    expect(cellSizeForView(1_100_000)).toBe(2500);
    expect(cellSizeForView(1e8)).toBe(5000);
    expect(cellSizeForView(NaN)).toBe(5000);
    expect(cellSizeForView(0)).toBe(100);
    expect(cellSizeForView(20_000, 50)).toBe(500);
  });

  it('gridForExtent aligns edges to multiples of the cell size and coarsens to fit the cap', () => {
    const g = gridForExtent({ xMinM: 4_448_701.5, yMinM: 2_822_352.5, xMaxM: 4_653_452.7, yMaxM: 3_052_925.4 }, 500);
    expect(g).toEqual({ xMinM: 4_448_500, yMaxM: 3_053_000, cellM: 500, width: 410, height: 462 });
    const fine = gridForExtent({ xMinM: 4_448_701.5, yMinM: 2_822_352.5, xMaxM: 4_653_452.7, yMaxM: 3_052_925.4 }, 100);
    expect(fine.cellM).toBe(250); // 2048 × 2306 cells of 100 m, 1025 of 200: over 1024
    expect(fine.width).toBeLessThanOrEqual(1024);
    expect(fine.height).toBeLessThanOrEqual(1024);
    for (const grid of [g, fine]) {
      expect(grid.xMinM % grid.cellM).toBe(0);
      expect(grid.yMaxM % grid.cellM).toBe(0);
      expect(grid.xMinM + grid.width * grid.cellM).toBeGreaterThanOrEqual(4_653_452.7);
      expect(grid.yMaxM - grid.height * grid.cellM).toBeLessThanOrEqual(2_822_352.5);
    }
    expect(gridForExtent({ xMinM: 5000, yMinM: 5000, xMaxM: 5000, yMaxM: 5000 }, 1000)).toMatchObject({ width: 1, height: 1 });
    expect(() => gridForExtent({ xMinM: 1, yMinM: 0, xMaxM: 0, yMaxM: 1 }, 100)).toThrow(RangeError);
  });
});
