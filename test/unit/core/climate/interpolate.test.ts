import { describe, expect, it } from 'vitest';
import { crossValidate, fitElevation, interpolateStations, type StationPoints } from '../../../../core/climate/interpolate';
import type { GridSpec3035 } from '../../../../core/aggregation/types';

/** Twelve stations on a 10 km lattice, elevations 300–1400 m, temperature exactly 20 − 6.5 °C/km. */
function stations(): { p: StationPoints; v: Float32Array } {
  const n = 12;
  const p = { x3035: new Float64Array(n), y3035: new Float64Array(n), elevationM: new Float64Array(n) };
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    p.x3035[i] = 4_500_000 + (i % 4) * 10_000;
    p.y3035[i] = 3_000_000 - Math.floor(i / 4) * 10_000;
    p.elevationM[i] = 300 + ((i * 7) % 12) * 100;
    v[i] = 20 - 0.0065 * p.elevationM[i]!;
  }
  return { p, v };
}

describe('interpolation with the lapse rate', () => {
  it('fits the lapse rate from the stations', () => {
    const { p, v } = stations();
    const fit = fitElevation(p, v);
    expect(fit.perM).toBeCloseTo(-0.0065, 6);
    expect(fit.intercept).toBeCloseTo(20, 3);
    expect(fit.stations).toBe(12);
  });

  it('puts a summit cell colder than its valley neighbour, where plain IDW cannot', () => {
    const { p, v } = stations();
    const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 5000, width: 2, height: 1 };
    const z = new Float32Array([1500, 300]);
    const withZ = interpolateStations(p, v, grid, z, { useElevation: true });
    expect(withZ.values[0]).toBeCloseTo(20 - 0.0065 * 1500, 3);
    expect(withZ.values[1]).toBeCloseTo(20 - 0.0065 * 300, 3);
    const plain = interpolateStations(p, v, grid, z, { useElevation: false });
    // Plain IDW knows only the neighbours: the 1500 m summit comes out degrees too warm.
    expect(plain.values[0]! - (20 - 0.0065 * 1500)).toBeGreaterThan(1);
  });

  it('cross-validates leaving one station out: near zero with the lapse rate, larger without', () => {
    const { p, v } = stations();
    const lapse = crossValidate(p, v, { useElevation: true });
    const plain = crossValidate(p, v, { useElevation: false });
    expect(lapse.stations).toBe(12);
    expect(lapse.rmse).toBeLessThan(0.01);
    expect(plain.rmse).toBeGreaterThan(1);
  });

  it('has no value beyond every station’s reach', () => {
    const { p, v } = stations();
    const far: GridSpec3035 = { xMinM: 5_000_000, yMaxM: 3_000_000, cellM: 1000, width: 1, height: 1 };
    expect(Number.isNaN(interpolateStations(p, v, far, new Float32Array([500]), { useElevation: true }).values[0]!)).toBe(true);
  });
});
