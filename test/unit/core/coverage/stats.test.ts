import { describe, expect, it } from 'vitest';
import { zonalStats } from '../../../../core/coverage/stats';
import type { StatsJob } from '../../../../core/coverage/types';

const N = Number.NaN;

describe('zonalStats', () => {
  // A 4×3 grid of 100 m cells (1 ha each), threshold −110 dBm. Zones (row by row):
  //   1 1 2 2
  //   1 1 2 2
  //   0 1 2 7      (0: outside every zone; 7 > zoneCount: ignored)
  const zones = Uint8Array.from([1, 1, 2, 2, 1, 1, 2, 2, 0, 1, 2, 7]);
  const a = Float32Array.from([-90, -115, -105, -112, -100, N, N, -95, -60, -120, -80, -60]);
  const b = Float32Array.from([-100, -105, -111, -113, -118, -110, -100, N, -70, N, -90, N]);
  const job: StatsJob = { a, b, zones, zoneCount: 3, thresholds: { coveredDbm: -110, goodDbm: -95 }, cellAreaM2: 100 * 100 };

  it('works out a small grid as by hand', () => {
    const [z1, z2, z3] = zonalStats(job);
    // Zone 1: cells 0, 1, 4, 5, 9 → 5 cells, 0.05 km².
    //   A: −90 −115 −100 NaN −120 → covered −90, −100: 2/5 = 40 %; mean (−90 −115 −100 −120)/4 = −106.25
    //   B: −100 −105 −118 −110 NaN → covered −100, −105, −110 (≥): 3/5 = 60 %; mean (−100 −105 −118 −110)/4 = −108.25
    //   both have data in cells 0, 1, 4: A − B = 10, −10, 18 → mean 6;
    //   classes: cell 0 both, cell 1 only B, cell 4 only A; cells 5, 9 no data → 20, 20, 20, 0, 40 %.
    expect(z1).toEqual({
      zone: 1, cells: 5, areaKm2: 0.05, coveredPctA: 40, coveredPctB: 60, meanDbmA: -106.25, meanDbmB: -108.25, meanDiffDb: 6,
      onlyAPct: 20, onlyBPct: 20, bothPct: 20, neitherPct: 0, noDataPct: 40,
    });
    // Zone 2: cells 2, 3, 6, 7, 10.
    //   A: −105 −112 NaN −95 −80 → covered −105, −95, −80: 60 %; mean (−105 −112 −95 −80)/4 = −98
    //   B: −111 −113 −100 NaN −90 → covered −100, −90: 40 %; mean (−111 −113 −100 −90)/4 = −103.5
    //   both in cells 2, 3, 10: 6, 1, 10 → mean 17/3; classes: only A, neither, both; 6, 7 no data.
    expect(z2).toMatchObject({ zone: 2, cells: 5, coveredPctA: 60, coveredPctB: 40, meanDbmA: -98, meanDbmB: -103.5, onlyAPct: 20, onlyBPct: 0, bothPct: 20, neitherPct: 20, noDataPct: 40 });
    expect(z2!.meanDiffDb).toBeCloseTo(17 / 3, 12);
    // Zone 3 has no cells: nothing to divide by.
    expect(z3).toMatchObject({ zone: 3, cells: 0, areaKm2: 0 });
    for (const k of ['coveredPctA', 'meanDbmA', 'meanDiffDb', 'bothPct', 'noDataPct'] as const) expect(z3![k]).toBeNaN();
  });

  it('the class percentages and no data add up to 100 in every zone', () => {
    for (const z of zonalStats(job).filter((r) => r.cells > 0)) {
      expect(z.onlyAPct + z.onlyBPct + z.bothPct + z.neitherPct + z.noDataPct).toBeCloseTo(100, 9);
    }
  });

  it('a zone where one side predicts nothing: means NaN, nothing covered, all no data', () => {
    const none = Float32Array.from({ length: 12 }, () => N);
    const [z1] = zonalStats({ ...job, b: none, zoneCount: 1 });
    expect(z1).toMatchObject({ zone: 1, cells: 5, coveredPctA: 40, coveredPctB: 0, meanDbmA: -106.25, noDataPct: 100, bothPct: 0 });
    expect(z1!.meanDbmB).toBeNaN();
    expect(z1!.meanDiffDb).toBeNaN();
  });

  it('counts a silent modelled side as not covered in the classes when told to', () => {
    const [z1] = zonalStats({ ...job, noPrediction: { a: 'uncovered', b: 'uncovered' } });
    // Zone 1 as above, plus cell 5 (A NaN, B −110: only B) and cell 9 (A −120, B NaN: neither) → classes
    // only A 1, only B 2, both 1, neither 1 of 5; no data 0. Means and coverage do not change.
    expect(z1).toMatchObject({ onlyAPct: 20, onlyBPct: 40, bothPct: 20, neitherPct: 20, noDataPct: 0, meanDbmA: -106.25, coveredPctB: 60 });
    // Only B's silence counts: cell 5 (A silent) stays no data, cell 9 becomes neither.
    const [y1] = zonalStats({ ...job, noPrediction: { a: 'no-data', b: 'uncovered' } });
    expect(y1).toMatchObject({ onlyAPct: 20, onlyBPct: 20, bothPct: 20, neitherPct: 20, noDataPct: 20 });
  });

  it('refuses grids of different sizes and a zone count beyond a byte', () => {
    expect(() => zonalStats({ ...job, b: b.subarray(1) })).toThrow(RangeError);
    expect(() => zonalStats({ ...job, zoneCount: 256 })).toThrow(RangeError);
    expect(zonalStats({ ...job, zoneCount: 0 })).toEqual([]);
  });
});
