/**
 * Bench inputs that look like the border region without shipping a DEM: a seeded ridged-fractal terrain at
 * 100 m (uplands of 350–1,100 m with valleys and ridges a few km apart, as in the Bohemian Forest) and a seeded
 * network of three-sector-like masts. Same numbers on every run.
 */
import { prng } from '../../core/prng';
import type { Dem3035, GridSpec3035, SiteArrays } from '../../core/coverage/types';

/** One octave of value noise: a random lattice every `periodCells`, smoothstep-interpolated. */
function addOctave(out: Float64Array, w: number, h: number, periodCells: number, amplitude: number, rand: () => number, ridged: boolean): void {
  const lw = Math.ceil(w / periodCells) + 2;
  const lh = Math.ceil(h / periodCells) + 2;
  const lattice = Float64Array.from({ length: lw * lh }, () => rand());
  for (let r = 0; r < h; r++) {
    const fy = r / periodCells;
    const j = Math.floor(fy);
    const ty = fy - j;
    const sy = ty * ty * (3 - 2 * ty);
    for (let c = 0; c < w; c++) {
      const fx = c / periodCells;
      const i = Math.floor(fx);
      const tx = fx - i;
      const sx = tx * tx * (3 - 2 * tx);
      const a = lattice[j * lw + i]!;
      const b = lattice[j * lw + i + 1]!;
      const d = lattice[(j + 1) * lw + i]!;
      const e = lattice[(j + 1) * lw + i + 1]!;
      const n = (a + (b - a) * sx) * (1 - sy) + (d + (e - d) * sx) * sy;
      // Ridged: 1 − |2n − 1| folds the noise into sharp crests, which is what blocks the view in hill country.
      out[r * w + c]! += amplitude * (ridged ? 1 - Math.abs(2 * n - 1) : n);
    }
  }
}

export function syntheticDem(grid: GridSpec3035, seed = 7): Dem3035 {
  const { width: w, height: h } = grid;
  const rand = prng(seed);
  const acc = new Float64Array(w * h);
  // Periods in 100 m cells: 25 km, 8 km, 3.2 km, 1.2 km, 500 m, 200 m.
  const octaves: [number, number, boolean][] = [[250, 380, false], [80, 220, true], [32, 110, true], [12, 45, true], [5, 18, false], [2, 6, false]];
  for (const [period, amp, ridged] of octaves) addOctave(acc, w, h, period * (100 / grid.cellM), amp, rand, ridged);
  const heightM = new Float32Array(w * h);
  for (let k = 0; k < w * h; k++) heightM[k] = 300 + acc[k]!;
  return { grid, heightM };
}

/** `count` masts at random over the grid: 30 m antennas, one sector each at a random azimuth, 65° beam, n78 3.5 GHz. */
export function syntheticSites(grid: GridSpec3035, count: number, seed = 11): SiteArrays {
  const rand = prng(seed);
  const spanX = grid.width * grid.cellM;
  const spanY = grid.height * grid.cellM;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const azimuthDeg = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = grid.xMinM + rand() * spanX;
    y[i] = grid.yMaxM - rand() * spanY;
    azimuthDeg[i] = rand() * 360;
  }
  return {
    count,
    x,
    y,
    groundM: new Float32Array(count).fill(Number.NaN),
    antennaAglM: new Float32Array(count).fill(30),
    azimuthDeg,
    beamwidthDeg: new Float32Array(count).fill(65),
    // 18 dBm per resource element into a 17 dBi panel.
    eirpDbm: new Float32Array(count).fill(35),
    fMHz: new Float32Array(count).fill(3500),
  };
}
