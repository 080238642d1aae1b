/** The analysis grid in tiles, and which tiles a site reaches. */
import type { GridSpec3035, TileSpec } from './types';

/** The grid cut into tiles of `tileSize`² cells, row by row from the north-west; the last column and row are narrower. */
export function tilesOfGrid(grid: GridSpec3035, tileSize: number): TileSpec[] {
  if (!(Number.isInteger(tileSize) && tileSize > 0)) throw new RangeError(`tile size ${tileSize} is not a positive integer`);
  const tiles: TileSpec[] = [];
  for (let row0 = 0; row0 < grid.height; row0 += tileSize) {
    for (let col0 = 0; col0 < grid.width; col0 += tileSize) {
      tiles.push({ col0, row0, width: Math.min(tileSize, grid.width - col0), height: Math.min(tileSize, grid.height - row0) });
    }
  }
  return tiles;
}

/**
 * True when a cell centre of the tile lies within `rangeM` of the point: the same test the model applies to a
 * cell, so a tile that fails it gets nothing from a site there.
 */
export function tileWithinRange(grid: GridSpec3035, tile: TileSpec, xM: number, yM: number, rangeM: number): boolean {
  const { xMinM, yMaxM, cellM } = grid;
  const xa = xMinM + (tile.col0 + 0.5) * cellM;
  const xb = xMinM + (tile.col0 + tile.width - 0.5) * cellM;
  const yb = yMaxM - (tile.row0 + 0.5) * cellM;
  const ya = yMaxM - (tile.row0 + tile.height - 0.5) * cellM;
  const dx = xM < xa ? xa - xM : xM > xb ? xM - xb : 0;
  const dy = yM < ya ? ya - yM : yM > yb ? yM - yb : 0;
  return dx * dx + dy * dy <= rangeM * rangeM;
}

/**
 * The tiles (of `tilesOfGrid(grid, tileSize)`) a site at (xM, yM) reaches: those to recompute when a mast is added
 * or removed there. For a moved mast, recompute the union of the tiles of its old and its new position.
 */
export function tilesAffectedBy(grid: GridSpec3035, tileSize: number, xM: number, yM: number, rangeM: number): TileSpec[] {
  return tilesOfGrid(grid, tileSize).filter((t) => tileWithinRange(grid, t, xM, yM, rangeM));
}
