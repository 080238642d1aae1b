import { describe, expect, it } from 'vitest';
import { converter } from '../../../../core/geo/crs';
import { extentOfGrid, gridForExtent } from '../../../../core/aggregation/aggregate';
import type { GridSpec3035, LonLatImageSpec } from '../../../../core/aggregation/types';
import { extentOfLonLatRect, imageSpecForGrid, latticeRow, lonLatBoundsOfGrid, warpLattice, warpToLonLat } from '../../../../core/aggregation/warp';
import { GREY_LUT } from './helpers';

/** The twin's region, as an image of about 250 m pixels. */
const REGION: LonLatImageSpec = { westDeg: 11.8, southDeg: 48.5, eastDeg: 14.5, northDeg: 50.5, width: 800, height: 600 };

const toLaea = converter(4326, 3035);
const pixelLonLat = (spec: LonLatImageSpec, i: number, j: number): [number, number] => [
  spec.westDeg + ((i + 0.5) * (spec.eastDeg - spec.westDeg)) / spec.width,
  spec.northDeg - ((j + 0.5) * (spec.northDeg - spec.southDeg)) / spec.height,
];

/** Largest distance, metres, between the interpolated and the exact EPSG:3035 position of any pixel. */
function maxLatticeErrorM(spec: LonLatImageSpec, latticePx: number): number {
  const lat = warpLattice(spec, latticePx);
  const px = new Float64Array(spec.width);
  const py = new Float64Array(spec.width);
  const nodeX = new Float64Array(lat.nx);
  const nodeY = new Float64Array(lat.nx);
  let worst = 0;
  for (let j = 0; j < spec.height; j++) {
    latticeRow(lat, j, spec.width, px, py, nodeX, nodeY);
    for (let i = 0; i < spec.width; i++) {
      const [x, y] = toLaea.forward(pixelLonLat(spec, i, j)) as [number, number];
      worst = Math.max(worst, Math.hypot(px[i]! - x, py[i]! - y));
    }
  }
  return worst;
}

describe('warp to lon/lat', () => {
  it('interpolating a 16 px lattice is within half a metre of exact per-pixel transforms over the region', () => {
    // Measured with pixels of about 250 m: 0.38 m with a node every 16 px (4 km), 6 m every 64 px, 96 m every
    // 256 px. The error grows with the square of the node spacing; at 16 px it is 1/250 of the smallest cell.
    const at16 = maxLatticeErrorM(REGION, 16);
    expect(at16).toBeLessThan(0.5);
    expect(maxLatticeErrorM(REGION, 1)).toBeLessThan(1e-6); // every pixel a node: exact
    expect(maxLatticeErrorM(REGION, 64)).toBeGreaterThan(10 * at16); // quadratic: 16× the error for 4× the spacing
  });

  it('each pixel takes the colour of the cell its centre falls in; outside the grid is transparent', () => {
    const grid: GridSpec3035 = gridForExtent(extentOfLonLatRect({ westDeg: 12.5, southDeg: 49.2, eastDeg: 13.5, northDeg: 49.9 }), 1000);
    const cells = grid.width * grid.height;
    const rgba = new Uint8ClampedArray(cells * 4);
    for (let c = 0; c < cells; c++) rgba.set([c & 255, (c >> 8) & 255, 1 + (c >> 16), 255], c * 4);
    const spec: LonLatImageSpec = { westDeg: 12.4, southDeg: 49.1, eastDeg: 13.6, northDeg: 50.0, width: 300, height: 260 };
    const img = warpToLonLat(rgba, grid, spec);
    let checked = 0;
    let outside = 0;
    for (let j = 0; j < spec.height; j += 3) {
      for (let i = 0; i < spec.width; i += 3) {
        const [x, y] = toLaea.forward(pixelLonLat(spec, i, j)) as [number, number];
        const fx = (x - grid.xMinM) / grid.cellM;
        const fy = (grid.yMaxM - y) / grid.cellM;
        // A centre within the lattice's error (under a metre here) of a cell edge may go either way.
        const nearEdge = Math.abs(fx - Math.round(fx)) * grid.cellM < 1 || Math.abs(fy - Math.round(fy)) * grid.cellM < 1;
        if (nearEdge) continue;
        const p = (j * spec.width + i) * 4;
        const inside = fx >= 0 && fx < grid.width && fy >= 0 && fy < grid.height;
        if (inside) {
          const c = Math.floor(fy) * grid.width + Math.floor(fx);
          expect([img[p], img[p + 1], img[p + 2], img[p + 3]]).toEqual([c & 255, (c >> 8) & 255, 1 + (c >> 16), 255]);
        } else {
          expect(img[p + 3]).toBe(0);
          outside++;
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(8000);
    expect(outside).toBeGreaterThan(100);
  });

  it('colours GridValues on the way when given a colour spec', () => {
    const grid: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 2_950_000, cellM: 5000, width: 2, height: 1 };
    const spec = imageSpecForGrid(grid, 4);
    const img = warpToLonLat(Float32Array.of(0, NaN), grid, spec, { colour: { domain: [0, 1], lut: GREY_LUT } });
    const rowMid = Math.floor(spec.height / 2) * spec.width * 4;
    expect(Array.from(img.subarray(rowMid + 4 * 2, rowMid + 4 * 3))).toEqual([0, 255, 7, 255]); // west cell
    expect(img[rowMid + 4 * (spec.width - 3) + 3]).toBe(0); // east cell: no value
    expect(() => warpToLonLat(Float32Array.of(0, 1), grid, spec)).toThrow(/colour/);
  });

  it('lonLatBoundsOfGrid encloses the whole grid boundary tightly; imageSpecForGrid sizes pixels near the cell size', () => {
    const grid: GridSpec3035 = { xMinM: 4_448_500, yMaxM: 3_053_000, cellM: 500, width: 512, height: 512 };
    const rect = lonLatBoundsOfGrid(grid);
    const toLonLat = converter(3035, 4326);
    const e = extentOfGrid(grid);
    let [w, s, east, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let k = 0; k <= 2000; k++) {
      const f = k / 2000;
      for (const [x, y] of [[e.xMinM + f * (e.xMaxM - e.xMinM), e.yMinM], [e.xMinM + f * (e.xMaxM - e.xMinM), e.yMaxM], [e.xMinM, e.yMinM + f * (e.yMaxM - e.yMinM)], [e.xMaxM, e.yMinM + f * (e.yMaxM - e.yMinM)]] as const) {
        const [lon, lat] = toLonLat.forward([x, y]) as [number, number];
        [w, s, east, n] = [Math.min(w, lon), Math.min(s, lat), Math.max(east, lon), Math.max(n, lat)];
      }
    }
    // 64 samples per edge against 2000: the same rectangle within 1e-5° (about a metre)
    expect(Math.abs(rect.westDeg - w)).toBeLessThan(1e-5);
    expect(Math.abs(rect.southDeg - s)).toBeLessThan(1e-5);
    expect(Math.abs(rect.eastDeg - east)).toBeLessThan(1e-5);
    expect(Math.abs(rect.northDeg - n)).toBeLessThan(1e-5);
    const spec = imageSpecForGrid(grid);
    // the rectangle is wider than the grid (LAEA's grid is rotated against the meridians here)
    expect(spec.width).toBeGreaterThanOrEqual(512);
    expect(spec.width).toBeLessThan(600);
    expect(spec.height).toBeGreaterThanOrEqual(512);
    expect(spec.height).toBeLessThan(600);
  });
});
