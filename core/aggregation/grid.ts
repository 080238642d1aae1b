/**
 * Choosing the heatmap grid for a view: a ladder of round cell sizes, grids aligned on multiples of the cell.
 */
import type { Extent3035, GridSpec3035 } from './types';

/** Cell sizes a heatmap uses, metres: round numbers, so grids at different zooms nest or at least line up often. */
export const CELL_LADDER_M = [100, 200, 250, 500, 1000, 2000, 2500, 5000] as const;
export const MIN_CELL_M = 100;
export const MAX_CELL_M = 5000;

/** About this many cells across the view: near the screen's resolution on a heatmap, and a 512² frame stays cheap. */
export const DEFAULT_CELLS_ACROSS = 512;

/**
 * Cell size for a view `viewWidthM` metres across (the viewport's ground width; from the camera height h with
 * Cesium's default 60° field of view, about 1.15·h·aspect): the smallest ladder step that keeps at most
 * `cellsAcross` cells across, so 100 m when zoomed in and 5 km at most. A non-finite width gives 5 km.
 */
export function cellSizeForView(viewWidthM: number, cellsAcross = DEFAULT_CELLS_ACROSS): number {
  const raw = viewWidthM / Math.max(1, cellsAcross);
  if (!Number.isFinite(raw)) return MAX_CELL_M;
  for (const step of CELL_LADDER_M) if (step >= raw) return step;
  return MAX_CELL_M;
}

/** The next coarser cell size: the next ladder step, or twice the size beyond the ladder. */
function coarser(cellM: number): number {
  for (const step of CELL_LADDER_M) if (step > cellM) return step;
  return cellM * 2;
}

/** Largest grid side: 1024² float cells are 4 MB, and a texture side every WebGL implementation takes. */
export const MAX_GRID_CELLS = 1024;

/**
 * The grid covering `extent` with cells of `cellM`, its edges on multiples of `cellM` in EPSG:3035, so grids of
 * any layer or time with the same cell size share their cell boundaries. When the extent needs more than
 * `maxCells` cells on a side the cells are made coarser (next ladder step, then doubling) until it fits, rather
 * than cutting the view short.
 */
export function gridForExtent(extent: Extent3035, cellM: number, maxCells = MAX_GRID_CELLS): GridSpec3035 {
  const { xMinM, yMinM, xMaxM, yMaxM } = extent;
  if (![xMinM, yMinM, xMaxM, yMaxM].every(Number.isFinite) || xMaxM < xMinM || yMaxM < yMinM) {
    throw new RangeError(`extent ${xMinM}, ${yMinM}, ${xMaxM}, ${yMaxM} is not a rectangle`);
  }
  if (!(cellM > 0 && Number.isFinite(cellM)) || !(maxCells >= 1)) throw new RangeError(`cell size ${cellM} m or limit ${maxCells} is not valid`);
  let cell = cellM;
  for (;;) {
    const x0 = Math.floor(xMinM / cell) * cell;
    const y1 = Math.ceil(yMaxM / cell) * cell;
    const width = Math.max(1, Math.ceil(xMaxM / cell) - Math.floor(xMinM / cell));
    const height = Math.max(1, Math.ceil(yMaxM / cell) - Math.floor(yMinM / cell));
    if (width <= maxCells && height <= maxCells) return { xMinM: x0, yMaxM: y1, cellM: cell, width, height };
    cell = coarser(cell);
  }
}

/** The EPSG:3035 rectangle a grid covers. */
export function extentOfGrid(grid: GridSpec3035): Extent3035 {
  return { xMinM: grid.xMinM, yMinM: grid.yMaxM - grid.height * grid.cellM, xMaxM: grid.xMinM + grid.width * grid.cellM, yMaxM: grid.yMaxM };
}
