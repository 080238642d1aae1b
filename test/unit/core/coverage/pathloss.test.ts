import { describe, expect, it } from 'vitest';
import { PATH_LOSS_MODELS, cost231HataDb, rmaBreakpointM, rmaLosDb, rmaNlosDb } from '../../../../core/coverage/pathloss';

const d3 = (d2DM: number, hBsM: number, hUtM: number): number => Math.hypot(d2DM, hBsM - hUtM);
const rma = PATH_LOSS_MODELS['tr38901-rma'];
const hata = PATH_LOSS_MODELS['cost231-hata'];

describe('3GPP TR 38.901 RMa', () => {
  // ns-3, src/propagation/test/three-gpp-propagation-loss-model-test-suite.cc,
  // ThreeGppRmaPropagationLossModelTestCase: BS at 35 m, UT at 1.5 m, 5 GHz, h = 5 m, W = 20 m (ns-3's defaults),
  // shadowing off, 0 dBm transmitted: the received power there is −PL. Its own tolerance is 0.05 dB.
  const NS3: [d2DM: number, los: boolean, rxDbm: number][] = [
    [10, true, -77.3784],
    [100, true, -87.2965],
    [1000, true, -108.5577],
    [10_000, true, -140.3896],
    [10, false, -77.3784],
    [100, false, -95.7718],
    [1000, false, -133.5223],
    [5000, false, -160.5169],
  ];
  it.each(NS3)('d2D %d m, LOS %s: ns-3 reference %d dBm', (d2DM, los, rxDbm) => {
    expect(rma.pathLossDb(5000, d2DM, d3(d2DM, 35, 1.5), 35, 1.5, los)).toBeCloseTo(-rxDbm, 3);
  });

  it('700 MHz, BS 25 m, UT 1.5 m, 2 km: LOS on PL2 and NLOS, worked by hand from Table 7.4.1-1', () => {
    // d_BP = 2π·25·1.5·0.7e9 / 3e8 = 549.7787 m < 2 km, so PL2. d3D = √(2000² + 23.5²) = 2000.1381 m.
    // h^1.72 = 5^1.72 = 15.93046: min(0.03·15.93046, 10) = 0.477914, min(0.044·15.93046, 14.77) = 0.700940,
    // 0.002·log10 5 = 0.00139794.
    // PL1(d_BP) = 20·log10(40π·549.7787·0.7/3) + 0.477914·log10 549.7787 − 0.700940 + 0.00139794·549.7787
    //           = 84.147491 + 0.477914·2.740188 − 0.700940 + 0.768547 = 85.524683
    // PL2 = 85.524683 + 40·log10(2000.1381 / 549.7787) = 85.524683 + 22.434882 = 107.959565 dB.
    const d3D = d3(2000, 25, 1.5);
    expect(rmaBreakpointM(700, 25, 1.5)).toBeCloseTo(549.7787, 3);
    expect(rmaLosDb(700, 2000, d3D, 25, 1.5)).toBeCloseTo(107.959565, 4);
    // PL'_NLOS = 161.04 − 7.1·log10 20 + 7.5·log10 5 − (24.37 − 3.7·(5/25)²)·log10 25
    //            + (43.42 − 3.1·log10 25)·(log10 2000.1381 − 3) + 20·log10 0.7 − (3.2·(log10(11.75·1.5))² − 4.97)
    //          = 161.04 − 9.237313 + 5.242275 − 33.860903 + 11.767346 − 3.098039 + 0.000919 = 131.854285 dB,
    // above the LOS value, so max(PL_LOS, PL'_NLOS) = 131.854285.
    expect(rmaNlosDb(700, 2000, d3D, 25, 1.5)).toBeCloseTo(131.854285, 4);
    expect(rma.pathLossDb(700, 2000, d3D, 25, 1.5, false)).toBe(rmaNlosDb(700, 2000, d3D, 25, 1.5));
    expect(rma.pathLossDb(700, 2000, d3D, 25, 1.5, true)).toBe(rmaLosDb(700, 2000, d3D, 25, 1.5));
  });

  it.each([
    [3500, 30, 1.5],
    [700, 25, 1.5],
    [5000, 35, 1.5],
    [2100, 60, 3],
  ])('LOS is continuous at the breakpoint (%d MHz, BS %d m, UT %d m)', (fMHz, hBsM, hUtM) => {
    const dBp = rmaBreakpointM(fMHz, hBsM, hUtM);
    const below = rmaLosDb(fMHz, dBp * (1 - 1e-9), d3(dBp * (1 - 1e-9), hBsM, hUtM), hBsM, hUtM);
    const above = rmaLosDb(fMHz, dBp * (1 + 1e-9), d3(dBp * (1 + 1e-9), hBsM, hUtM), hBsM, hUtM);
    // PL1 runs on d3D and PL2's anchor on d_BP itself: they differ by the few millimetres between d3D and d2D there.
    expect(Math.abs(above - below)).toBeLessThan(0.01);
  });

  it('rises with distance, and NLOS never predicts less loss than LOS', () => {
    for (const fMHz of [700, 3500, 26_000]) {
      let prevLos = -Infinity;
      let prevNlos = -Infinity;
      for (let d = 10; d <= 10_000; d *= 1.05) {
        const los = rmaLosDb(fMHz, d, d3(d, 35, 1.5), 35, 1.5);
        const nlos = rmaNlosDb(fMHz, d, d3(d, 35, 1.5), 35, 1.5);
        expect(los).toBeGreaterThan(prevLos);
        expect(nlos).toBeGreaterThanOrEqual(prevNlos);
        expect(nlos).toBeGreaterThanOrEqual(los);
        prevLos = los;
        prevNlos = nlos;
      }
    }
  });

  it('states its source and validity', () => {
    expect(rma.citation).toMatch(/38\.901.*7\.4\.1-1/);
    expect(rma.validity).toEqual({ fMHz: [500, 30_000], dM: [10, 10_000], dNlosM: [10, 5_000], hBsM: [10, 150], hUtM: [1, 10] });
    expect(rma.notes).toMatch(/7 GHz/);
    expect(rma.hasLos).toBe(true);
  });
});

describe('COST 231-Hata, medium city / suburban (C_m = 0)', () => {
  it('matches ns-3: 2114 MHz, 2 km, BS 30 m, UT 1 m → 150.64 dB', () => {
    // ns-3, src/propagation/test/okumura-hata-test-suite.cc, "COST231 OH Urban small city and suburban"
    // (reference from its octave scripts, tolerance 0.1 dB). 2114 MHz lies above the validity; the formula holds.
    expect(cost231HataDb(2114, 2000, 30, 1)).toBeCloseTo(150.64, 2);
  });

  it('matches the rfbudget package tests: 1800 MHz, BS 30 m, UT 1.5 m → 136.197 dB at 1 km, 146.80 at 2 km', () => {
    // rfbudget, tests of CostHataPathLoss (MEDIUM_CITY_SUBURBAN): L = 46.3 + 110.353 − 20.413 − 0.043 = 136.197;
    // one doubling of d adds (44.9 − 6.55·log10 30)·log10 2 = 10.603 dB.
    expect(cost231HataDb(1800, 1000, 30, 1.5)).toBeCloseTo(136.197, 2);
    expect(cost231HataDb(1800, 2000, 30, 1.5)).toBeCloseTo(146.8, 2);
  });

  it('1900 MHz, BS 50 m, UT 1.5 m, 5 km, worked by hand', () => {
    // log f = 3.2787536, log hb = 1.6989700; a(hm) = (1.1·3.2787536 − 0.7)·1.5 − (1.56·3.2787536 − 0.8) = 0.0450878
    // L = 46.3 + 33.9·3.2787536 − 13.82·1.6989700 − 0.0450878 + (44.9 − 6.55·1.6989700)·log10 5
    //   = 46.3 + 111.1497471 − 23.4797655 − 0.0450878 + 33.7717465·0.6989700 = 157.530332 dB
    expect(hata.pathLossDb(1900, 5000, 5000.2, 50, 1.5, true)).toBeCloseTo(157.530332, 4);
    expect(hata.pathLossDb(1900, 5000, 5000.2, 50, 1.5, false)).toBe(hata.pathLossDb(1900, 5000, 5000.2, 50, 1.5, true));
  });

  it('rises with distance and falls with the BS height', () => {
    let prev = -Infinity;
    for (let d = 1000; d <= 20_000; d *= 1.1) {
      const l = cost231HataDb(1800, d, 30, 1.5);
      expect(l).toBeGreaterThan(prev);
      expect(cost231HataDb(1800, d, 60, 1.5)).toBeLessThan(l);
      prev = l;
    }
  });

  it('states its source and validity', () => {
    expect(hata.citation).toMatch(/COST.*231/);
    expect(hata.validity).toEqual({ fMHz: [1500, 2000], dM: [1000, 20_000], hBsM: [30, 200], hUtM: [1, 10] });
    expect(hata.hasLos).toBe(false);
  });
});
