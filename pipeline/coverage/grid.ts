/**
 * The coverage analysis grid (EPSG:3035, NW origin, image order: the aggregator's `GridSpec3035`) and what the
 * pipeline puts on it: ground heights at the cell centres, and the lon/lat box of any block of cells.
 */
import type { GridSpec3035 } from '../../core/aggregation/types';

/**
 * The smallest grid of `cellM` cells, its edges on whole multiples of `cellM` (so grids of different extents
 * but the same cell size line up cell for cell, as the EEA reference grid does), that holds every point plus
 * `marginM` on each side.
 */
export function gridAround(x: ArrayLike<number>, y: ArrayLike<number>, marginM: number, cellM: number): GridSpec3035 {
  if (x.length === 0) throw new RangeError('no points to put a grid around');
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i++) {
    x0 = Math.min(x0, x[i]!);
    x1 = Math.max(x1, x[i]!);
    y0 = Math.min(y0, y[i]!);
    y1 = Math.max(y1, y[i]!);
  }
  const xMinM = Math.floor((x0 - marginM) / cellM) * cellM;
  const yMinM = Math.floor((y0 - marginM) / cellM) * cellM;
  const xMaxM = Math.ceil((x1 + marginM) / cellM) * cellM;
  const yMaxM = Math.ceil((y1 + marginM) / cellM) * cellM;
  return { xMinM, yMaxM, cellM, width: Math.round((xMaxM - xMinM) / cellM), height: Math.round((yMaxM - yMinM) / cellM) };
}

/** 6 decimals ≈ 0.1 m. */
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** EPSG:3035 centre of cell (col, row). */
export function cellCentre(grid: GridSpec3035, col: number, row: number): [number, number] {
  return [grid.xMinM + (col + 0.5) * grid.cellM, grid.yMaxM - (row + 0.5) * grid.cellM];
}

/** Cell index of an EPSG:3035 point (edge rule of the aggregator contract), −1 outside. */
export function cellIndexAt(grid: GridSpec3035, x: number, y: number): number {
  const col = Math.floor((x - grid.xMinM) / grid.cellM);
  const row = Math.floor((grid.yMaxM - y) / grid.cellM);
  return col >= 0 && row >= 0 && col < grid.width && row < grid.height ? row * grid.width + col : -1;
}

/** `heightAt` at every cell centre; NaN where it gives null. */
export function sampleOnGrid(
  grid: GridSpec3035,
  fromLaea: (x: number, y: number) => [number, number],
  heightAt: (lonDeg: number, latDeg: number) => number | null,
): Float32Array {
  const out = new Float32Array(grid.width * grid.height);
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const [lon, lat] = fromLaea(...cellCentre(grid, col, row));
      const h = heightAt(lon, lat);
      out[row * grid.width + col] = h === null ? Number.NaN : h;
    }
  }
  return out;
}

/**
 * WGS84 [west, south, east, north] of the block of cells [col0, col1) × [row0, row1): its outline sampled every
 * `step` cells, because a LAEA rectangle is not a lon/lat rectangle.
 */
export function blockLonLatBox(
  grid: GridSpec3035,
  block: { col0: number; row0: number; col1: number; row1: number },
  fromLaea: (x: number, y: number) => [number, number],
  step = 8,
): [number, number, number, number] {
  const { col0, row0, col1, row1 } = block;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const at = (c: number, r: number): void => {
    const [lon, lat] = fromLaea(grid.xMinM + c * grid.cellM, grid.yMaxM - r * grid.cellM);
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  };
  for (let c = col0; c < col1; c += step) {
    at(c, row0);
    at(c, row1);
  }
  for (let r = row0; r < row1; r += step) {
    at(col0, r);
    at(col1, r);
  }
  at(col1, row1);
  return [r6(w), r6(s), r6(e), r6(n)];
}
