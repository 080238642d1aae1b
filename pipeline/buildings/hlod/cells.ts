/**
 * The global geographic quadtree the district tiles live on: level z has 2^(z+1) × 2^z cells of 180/2^z degrees,
 * x from 180° W eastwards, y from 90° S northwards (the order 3D Tiles implicit tiling uses for a region). A fixed
 * grid, so a building's cell is known the moment it is read, before the district's extent is.
 */

export interface Cell {
  readonly z: number;
  readonly x: number;
  readonly y: number;
}

/** Degrees per cell side at level z. */
export const cellSizeDeg = (z: number): number => 180 / 2 ** z;

/** The cell of level z holding a point (degrees). */
export function cellOf(lonDeg: number, latDeg: number, z: number): Cell {
  const size = cellSizeDeg(z);
  const cols = 2 ** (z + 1), rows = 2 ** z;
  const x = Math.min(cols - 1, Math.max(0, Math.floor((lonDeg + 180) / size)));
  const y = Math.min(rows - 1, Math.max(0, Math.floor((latDeg + 90) / size)));
  return { z, x, y };
}

/** West, south, east, north of a cell, degrees. */
export function cellBounds(c: Cell): [number, number, number, number] {
  const size = cellSizeDeg(c.z);
  return [-180 + c.x * size, -90 + c.y * size, -180 + (c.x + 1) * size, -90 + (c.y + 1) * size];
}

/** The ancestor of a cell at a coarser level. */
export const ancestorOf = (c: Cell, z: number): Cell => ({ z, x: Math.floor(c.x / 2 ** (c.z - z)), y: Math.floor(c.y / 2 ** (c.z - z)) });

/** The four children, in Morton order (x bit first): SW, SE, NW, NE. */
export const childrenOf = (c: Cell): Cell[] =>
  [0, 1, 2, 3].map((i) => ({ z: c.z + 1, x: c.x * 2 + (i & 1), y: c.y * 2 + (i >> 1) }));

/** The smallest cell holding every given cell (all of one level); null for none. */
export function commonAncestor(cells: readonly Cell[]): Cell | null {
  if (cells.length === 0) return null;
  const z0 = cells[0]!.z;
  for (let z = z0; z >= 0; z--) {
    const a = ancestorOf(cells[0]!, z);
    if (cells.every((c) => { const b = ancestorOf(c, z); return b.x === a.x && b.y === a.y; })) return a;
  }
  throw new Error('commonAncestor: cells of the two hemispheres have no common cell');
}

/** A cell relative to an ancestor: its implicit-tiling coordinates (level below the root, x, y within it). */
export function relativeTo(c: Cell, root: Cell): Cell {
  const k = c.z - root.z;
  return { z: k, x: c.x - root.x * 2 ** k, y: c.y - root.y * 2 ** k };
}

/** Morton index of (x, y) in its level: x's bits in the even positions, y's in the odd (3D Tiles, Appendix A). */
export function mortonIndex(x: number, y: number): number {
  let m = 0;
  for (let b = 0; b < 26; b++) {
    m += ((x >> b) & 1) * 2 ** (2 * b) + ((y >> b) & 1) * 2 ** (2 * b + 1);
  }
  return m;
}

export const cellKey = (c: Cell): string => `${c.z}/${c.x}/${c.y}`;
