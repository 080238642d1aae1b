/**
 * The statistics table: per zone (a municipality, a region, a side of the border) how much of it A and B cover, how strong
 * they are and how they compare, from the two RSRP grids and a zone grid of the same cells (layouts in
 * `types.ts`). One pass over the cells into per-zone sums.
 *
 * Mean RSRP is the arithmetic mean of the dBm values (what drive-test reports and regulators' coverage maps
 * average), not of the powers: a mean of powers would be dominated by the cells next to the masts.
 */
import { CLASS_NO_DATA, CLASS_ONLY_A, CLASS_ONLY_B, classWithoutPrediction } from './compare';
import type { NoPrediction, StatsJob, ZoneRaster, ZoneStats } from './types';

/** Per-zone sums, in this order, `SUMS` per zone. */
const CELLS = 0;
const COVERED_A = 1;
const COVERED_B = 2;
const SUM_A = 3;
const N_A = 4;
const SUM_B = 5;
const N_B = 6;
const SUM_DIFF = 7;
const N_BOTH_DATA = 8;
const ONLY_A = 9;
const ONLY_B = 10;
const BOTH = 11;
const NEITHER = 12;
/** Cells classified although A or B has no prediction (see `NoPrediction`). */
const CLASSIFIED_WITHOUT_DATA = 13;
const SUMS = 14;

function accumulate(a: Float32Array, b: Float32Array, zones: ZoneRaster, zoneCount: number, t: number, acc: Float64Array, noPrediction: NoPrediction): void {
  for (let i = 0; i < zones.length; i++) {
    const z = zones[i]!;
    if (z === 0 || z > zoneCount) continue;
    const o = z * SUMS;
    const va = a[i]!;
    const vb = b[i]!;
    const hasA = va === va;
    const hasB = vb === vb;
    const covA = va >= t;
    const covB = vb >= t;
    acc[o + CELLS]!++;
    if (covA) acc[o + COVERED_A]!++;
    if (covB) acc[o + COVERED_B]!++;
    if (hasA) {
      acc[o + SUM_A]! += va;
      acc[o + N_A]!++;
    }
    if (hasB) {
      acc[o + SUM_B]! += vb;
      acc[o + N_B]!++;
    }
    if (hasA && hasB) {
      acc[o + SUM_DIFF]! += va - vb;
      acc[o + N_BOTH_DATA]!++;
      // The classes of `compare.ts`: only where both have data …
      acc[o + (covA ? (covB ? BOTH : ONLY_A) : covB ? ONLY_B : NEITHER)]!++;
    } else {
      // … or where a side without a prediction means "not covered" (a modelled network no site reaches).
      const c = classWithoutPrediction(va, vb, t, noPrediction);
      if (c !== CLASS_NO_DATA) {
        acc[o + (c === CLASS_ONLY_A ? ONLY_A : c === CLASS_ONLY_B ? ONLY_B : NEITHER)]!++;
        acc[o + CLASSIFIED_WITHOUT_DATA]!++;
      }
    }
  }
}

/**
 * One row per zone 1..zoneCount (zone values above `zoneCount` are ignored). Percentages are of the zone's
 * cells; cells without a prediction count as not covered in `coveredPct*`, and as "no data" (`noDataPct`)
 * rather than in any class unless `noPrediction` says that side's silence means "not covered". A zone without cells gets NaN percentages and means.
 */
export function zonalStats(job: StatsJob): ZoneStats[] {
  const { a, b, zones, zoneCount, thresholds, cellAreaM2 } = job;
  if (a.length !== zones.length || b.length !== zones.length) throw new RangeError(`A (${a.length}), B (${b.length}) and the zones (${zones.length}) must have the same cells`);
  const max = zones instanceof Uint16Array ? 65535 : 255;
  if (!(Number.isInteger(zoneCount) && zoneCount >= 0 && zoneCount <= max)) throw new RangeError(`zone count ${zoneCount} is not within 0..${max}`);
  const acc = new Float64Array((zoneCount + 1) * SUMS);
  accumulate(a, b, zones, zoneCount, thresholds.coveredDbm, acc, job.noPrediction ?? { a: 'no-data', b: 'no-data' });
  const rows: ZoneStats[] = [];
  for (let z = 1; z <= zoneCount; z++) {
    const s = (k: number): number => acc[z * SUMS + k]!;
    const cells = s(CELLS);
    const pct = (k: number): number => (cells > 0 ? (100 * s(k)) / cells : Number.NaN);
    const mean = (sum: number, n: number): number => (s(n) > 0 ? s(sum) / s(n) : Number.NaN);
    rows.push({
      zone: z,
      cells,
      areaKm2: (cells * cellAreaM2) / 1e6,
      coveredPctA: pct(COVERED_A),
      coveredPctB: pct(COVERED_B),
      meanDbmA: mean(SUM_A, N_A),
      meanDbmB: mean(SUM_B, N_B),
      meanDiffDb: mean(SUM_DIFF, N_BOTH_DATA),
      onlyAPct: pct(ONLY_A),
      onlyBPct: pct(ONLY_B),
      bothPct: pct(BOTH),
      neitherPct: pct(NEITHER),
      noDataPct: cells > 0 ? (100 * (cells - s(N_BOTH_DATA) - s(CLASSIFIED_WITHOUT_DATA))) / cells : Number.NaN,
    });
  }
  return rows;
}
