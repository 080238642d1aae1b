import { describe, expect, it } from 'vitest';
import {
  bilinearAt,
  demHeightAt,
  dominantNu,
  gapTable,
  gapsInBox,
  knifeEdgeLossDb,
  knifeEdgeNuForLossDb,
  pathProfile,
  wavelengthM,
} from '../../../../core/coverage/profile';
import type { GridSpec3035 } from '../../../../core/coverage/types';
import { centreOf, demOf } from './helpers';

describe('knife-edge loss J(ν), ITU-R P.526-15 eq. 31', () => {
  it('is 6.03 dB at grazing incidence and 0 below ν = −0.78', () => {
    // J(0) = 6.9 + 20·log10(√(0.01 + 1) − 0.1) = 6.9 + 20·log10(0.9049876) = 6.9 − 0.8671478 = 6.0328522 dB
    expect(knifeEdgeLossDb(0)).toBeCloseTo(6.0328522, 6);
    // J(1) = 6.9 + 20·log10(√(0.81 + 1) + 0.9) = 6.9 + 20·log10(2.2453624) = 6.9 + 7.0257289 = 13.9257289 dB
    expect(knifeEdgeLossDb(1)).toBeCloseTo(13.9257289, 6);
    expect(knifeEdgeLossDb(-0.78)).toBe(0);
    expect(knifeEdgeLossDb(-3)).toBe(0);
    expect(knifeEdgeLossDb(-0.7799)).toBeLessThan(0.01);
  });

  it('rises with ν, and its inverse gives ν back', () => {
    let prev = 0;
    for (let nu = -0.77; nu < 20; nu += 0.1) {
      const j = knifeEdgeLossDb(nu);
      expect(j).toBeGreaterThan(prev);
      expect(knifeEdgeNuForLossDb(j)).toBeCloseTo(nu, 9);
      prev = j;
    }
    expect(knifeEdgeNuForLossDb(0)).toBe(-0.78);
  });
});

describe('DEM sampling', () => {
  const grid: GridSpec3035 = { xMinM: 4_000_000, yMaxM: 3_000_000, cellM: 100, width: 3, height: 2 };
  const dem = demOf(grid, (c, r) => 100 * r + 10 * c);

  it('is bilinear between cell centres and exact on them', () => {
    expect(demHeightAt(dem, 4_000_050, 2_999_950)).toBe(0);
    expect(demHeightAt(dem, 4_000_250, 2_999_850)).toBe(120);
    // Halfway between the centres of (0,0) = 0, (1,0) = 10, (0,1) = 100, (1,1) = 110: 55.
    expect(demHeightAt(dem, 4_000_100, 2_999_900)).toBeCloseTo(55, 9);
    // Between the outermost centres and the edge: the edge cell's height; beyond the edge: no data.
    expect(demHeightAt(dem, 4_000_010, 2_999_950)).toBe(0);
    expect(demHeightAt(dem, 3_999_990, 2_999_950)).toBeNaN();
  });

  it('drops corners without data and renormalises over the rest', () => {
    const gappy = demOf(grid, (c, r) => (c === 1 && r === 1 ? Number.NaN : 100 * r + 10 * c));
    // Corners 0, 10, 100 (and NaN): (0 + 10 + 100)/3.
    expect(demHeightAt(gappy, 4_000_100, 2_999_900)).toBeCloseTo(110 / 3, 9);
    // On the centre of (0,0) the NaN corner has no weight at all.
    expect(demHeightAt(gappy, 4_000_050, 2_999_950)).toBe(0);
    expect(demHeightAt(gappy, 4_000_150, 2_999_850)).toBeNaN();
    const allGap = demOf(grid, () => Number.NaN);
    expect(bilinearAt(allGap.heightM, 3, 2, 0.5, 0.5)).toBeNaN();
  });

  it('counts gaps in a box with a summed-area table, and the box outside the grid as gap', () => {
    const g: GridSpec3035 = { ...grid, width: 5, height: 4 };
    const gappy = demOf(g, (c, r) => ((c === 1 && r === 2) || (c === 4 && r === 0) ? Number.NaN : 0));
    const sat = gapTable(gappy);
    expect(gapsInBox(sat, 5, 4, 0, 0, 4, 3)).toBe(2);
    expect(gapsInBox(sat, 5, 4, 1, 2, 1, 2)).toBe(1);
    expect(gapsInBox(sat, 5, 4, 0, 0, 3, 3)).toBe(1);
    expect(gapsInBox(sat, 5, 4, 2, 0, 3, 3)).toBe(0);
    // Beyond the grid there is no data either: the 2 gaps plus the 11·11 − 5·4 = 101 cells outside.
    expect(gapsInBox(sat, 5, 4, -5, -5, 5, 5)).toBe(2 + 101);
    expect(gapsInBox(sat, 5, 4, 6, 0, 7, 0)).toBe(2);
  });
});

describe('path profile over a ridge', () => {
  // Flat ground at 300 m, 100 m cells, a ridge 60 m high along column 20 (a wall across the path, one cell thick).
  const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 2_900_000, cellM: 100, width: 60, height: 5 };
  const dem = demOf(grid, (c) => (c === 20 ? 360 : 300));
  const tx = (aglM: number): { xM: number; yM: number; groundM: number; aglM: number } => ({ ...centreOf(grid, 0, 2), groundM: Number.NaN, aglM });
  const rx = (col: number): { xM: number; yM: number; groundM: number; aglM: number } => ({ ...centreOf(grid, col, 2), groundM: Number.NaN, aglM: 1.5 });

  it('behind the ridge: NLOS, with ν and J(ν) as worked by hand', () => {
    const p = pathProfile(dem, tx(30), rx(50), 3500);
    // Antenna at 300 + 30 = 330 m, receiver at 301.5 m, 5 km apart; the ridge sample is the centre of column 20:
    // d1 = 2000 m, d2 = 3000 m. Ray there: 330 + (301.5 − 330)·0.4 = 318.6 m. Bulge at k = 4/3:
    // 2000·3000 / (2·4/3·6,371,000) = 0.353163 m. Clearance h = 360 + 0.353163 − 318.6 = 41.753163 m.
    // λ = 299,792,458 / 3.5e9 = 0.0856550 m; ν = 41.753163·√(2/0.0856550·(1/2000 + 1/3000)) = 41.753163·0.1394916
    //   = 5.824215; J = 6.9 + 20·log10(√(5.724215² + 1) + 5.724215) = 28.140444 dB.
    expect(p.terrainKnown).toBe(true);
    expect(p.los).toBe(false);
    expect(p.samples).toBe(49);
    expect(p.obstacleDistanceM).toBeCloseTo(2000, 6);
    expect(p.obstacleClearanceM).toBeCloseTo(41.753163, 5);
    expect(p.nuMax).toBeCloseTo(5.824215, 5);
    expect(p.diffractionDb).toBeCloseTo(28.140444, 4);
    expect(wavelengthM(3500)).toBeCloseTo(0.085655, 6);
  });

  it('in front of the ridge: LOS, no diffraction loss', () => {
    for (const col of [5, 12, 19]) {
      const p = pathProfile(dem, tx(30), rx(col), 3500);
      expect(p.los).toBe(true);
      expect(p.nuMax).toBeLessThan(-0.78);
      expect(p.diffractionDb).toBe(0);
    }
  });

  it('an antenna above the ridge restores LOS; just above it, the Fresnel zone still costs', () => {
    // 150 m: ray at d1 = 2000 m is 450 − 148.5·0.4 = 390.6 m, 30 m over the crest: clear.
    const high = pathProfile(dem, tx(150), rx(50), 3500);
    expect(high.los).toBe(true);
    expect(high.diffractionDb).toBe(0);
    // 100 m: ray at 400 − 98.5·0.4 = 360.6 m; h = 360 + 0.353163 − 360.6 = −0.246837 m, ν = −0.246837·0.1394916
    //   = −0.034432: line of sight, but J = 6.9 + 20·log10(√(0.134432² + 1) − 0.134432) = 5.735830 dB.
    const grazing = pathProfile(dem, tx(100), rx(50), 3500);
    expect(grazing.los).toBe(true);
    expect(grazing.nuMax).toBeCloseTo(-0.034432, 5);
    expect(grazing.diffractionDb).toBeCloseTo(5.73583, 4);
  });

  it('terrain unknown when a sample on the path or an end has no data, not when a gap is only beside it', () => {
    const onPath = demOf(grid, (c, r) => (c === 30 && r === 2 ? Number.NaN : c === 20 ? 360 : 300));
    const p = pathProfile(onPath, tx(30), rx(50), 3500);
    expect(p.terrainKnown).toBe(false);
    expect(p.los).toBe(false);
    expect(p.nuMax).toBeNaN();
    expect(p.diffractionDb).toBe(0);
    const atEnd = demOf(grid, (c, r) => (c === 50 && r === 2 ? Number.NaN : 300));
    expect(pathProfile(atEnd, tx(30), rx(50), 3500).terrainKnown).toBe(false);
    // The receiver's ground given by the caller instead of the DEM: known again (the gap is its own cell only).
    expect(pathProfile(atEnd, tx(30), { ...rx(50), groundM: 300 }, 3500).terrainKnown).toBe(true);
    const beside = demOf(grid, (c, r) => (r === 3 ? Number.NaN : 300));
    expect(pathProfile(beside, tx(30), rx(50), 3500).terrainKnown).toBe(true);
  });

  it('stops at the first sample past stopNu, with that sample’s ν', () => {
    const fx0 = 0;
    const fx1 = 50;
    const args = [dem.heightM, 60, 5, 100, fx0, 2, 330, fx1, 2, 301.5, 5000, wavelengthM(3500), 1 / (2 * (4 / 3) * 6_371_000), null] as const;
    expect(dominantNu(...args)).toBeCloseTo(5.824215, 5);
    expect(dominantNu(...args, 1)).toBeCloseTo(5.824215, 5);
    expect(dominantNu(...args, 10)).toBeCloseTo(5.824215, 5);
    // Two cells or less between the ends: no sample.
    expect(dominantNu(dem.heightM, 60, 5, 100, 0, 2, 330, 1, 2, 301.5, 100, 0.0857, 0, null)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('Earth curvature', () => {
  // Flat ground at 200 m, 100 m cells, 45 km long; antenna 30 m, receiver 1.5 m. Smooth-Earth radio horizon
  // √(2·k·R·30) + √(2·k·R·1.5): k = 4/3 → 22,577 + 5,048 = 27.6 km; k = 1 → 19,551 + 4,372 = 23.9 km.
  const grid: GridSpec3035 = { xMinM: 4_400_000, yMaxM: 2_950_000, cellM: 100, width: 451, height: 3 };
  const dem = demOf(grid, () => 200);
  const end = (col: number, aglM: number): { xM: number; yM: number; groundM: number; aglM: number } => ({ ...centreOf(grid, col, 1), groundM: Number.NaN, aglM });

  it('hides a receiver 40 km away over flat ground, which a flat Earth would not', () => {
    const curved = pathProfile(dem, end(0, 30), end(400, 1.5), 3500);
    expect(curved.los).toBe(false);
    // Mid-path alone: bulge 20,000² / (2·8,494,667) = 23.5 m over a ray at 215.75 m: 7.8 m above it, ν ≈ 0.38;
    // the dominant point lies nearer the low receiver.
    expect(curved.nuMax).toBeGreaterThan(0.38);
    expect(curved.diffractionDb).toBeGreaterThan(knifeEdgeLossDb(0.38));
    const flat = pathProfile(dem, end(0, 30), end(400, 1.5), 3500, Number.POSITIVE_INFINITY);
    expect(flat.los).toBe(true);
    // A 1.5 m receiver still has ground inside its first Fresnel zone (a few dB), but far less than over the bulge.
    expect(flat.diffractionDb).toBeLessThan(knifeEdgeLossDb(0));
    expect(flat.diffractionDb).toBeLessThan(curved.diffractionDb - 3);
  });

  it('puts the horizon where the effective radius says', () => {
    expect(pathProfile(dem, end(0, 30), end(250, 1.5), 3500).los).toBe(true);
    expect(pathProfile(dem, end(0, 30), end(300, 1.5), 3500).los).toBe(false);
    expect(pathProfile(dem, end(0, 30), end(230, 1.5), 3500, 1).los).toBe(true);
    expect(pathProfile(dem, end(0, 30), end(250, 1.5), 3500, 1).los).toBe(false);
  });
});
