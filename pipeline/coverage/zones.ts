/**
 * Zones on the analysis grid: each polygon unit (a region, and each side of the state border) is rasterised at
 * the cell centres by scanline with the even-odd rule, so holes and multi-part units come out right. Polygons are
 * projected vertex by vertex to EPSG:3035; their edges are then straight in the grid, which differs from edges
 * straight in lon/lat by far less than a 200 m cell for the ≤ 10 m generalised outlines used here.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { GridSpec3035 } from '../../core/aggregation/types';
import type { ZoneRaster } from '../../core/coverage/types';

/** Rings of one unit in EPSG:3035, each a flat [x0, y0, x1, y1, …] (closed or not: the closing edge is implied). */
export type Rings3035 = readonly Float64Array[];

/** 6 decimals ≈ 0.1 m. */
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Every ring of a Polygon / MultiPolygon feature, projected. */
export function ringsOf(f: Feature<Polygon | MultiPolygon>, toLaea: (lonDeg: number, latDeg: number) => [number, number]): Float64Array[] {
  const polygons: Position[][][] = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const out: Float64Array[] = [];
  for (const poly of polygons) {
    for (const ring of poly) {
      const xy = new Float64Array(ring.length * 2);
      ring.forEach((p, i) => ([xy[2 * i], xy[2 * i + 1]] = toLaea(p[0]!, p[1]!)));
      out.push(xy);
    }
  }
  return out;
}

/**
 * Writes `value` into `plane` at every cell whose centre lies inside `rings` (even-odd) and that is still 0:
 * where two units overlap (outlines of one level generalised separately), the earlier one keeps the cell.
 * Returns how many cells it wrote and how many it found taken.
 */
export function rasteriseUnit(grid: GridSpec3035, rings: Rings3035, plane: ZoneRaster, value: number): { cells: number; overlaps: number } {
  const { xMinM, yMaxM, cellM, width, height } = grid;
  let edges = 0;
  for (const r of rings) edges += r.length / 2;
  // Edges as flat arrays (x0, y0, x1, y1), and the unit's northing range to skip rows it cannot touch.
  const e = new Float64Array(edges * 4);
  let k = 0;
  let yLo = Infinity, yHi = -Infinity;
  for (const r of rings) {
    const n = r.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      e[k++] = r[2 * i]!;
      e[k++] = r[2 * i + 1]!;
      e[k++] = r[2 * j]!;
      e[k++] = r[2 * j + 1]!;
      yLo = Math.min(yLo, r[2 * i + 1]!);
      yHi = Math.max(yHi, r[2 * i + 1]!);
    }
  }
  const rowFirst = Math.max(0, Math.floor((yMaxM - yHi) / cellM - 0.5));
  const rowLast = Math.min(height - 1, Math.ceil((yMaxM - yLo) / cellM - 0.5));
  const xs: number[] = [];
  let cells = 0;
  let overlaps = 0;
  for (let row = rowFirst; row <= rowLast; row++) {
    const yc = yMaxM - (row + 0.5) * cellM;
    xs.length = 0;
    for (let i = 0; i < e.length; i += 4) {
      const y0 = e[i + 1]!;
      const y1 = e[i + 3]!;
      // Half-open in y: a vertex exactly on the scanline counts for one of its two edges only.
      if (y0 <= yc !== y1 <= yc) xs.push(e[i]! + ((yc - y0) * (e[i + 2]! - e[i]!)) / (y1 - y0));
    }
    if (xs.length < 2) continue;
    xs.sort((a, b) => a - b);
    for (let p = 0; p + 1 < xs.length; p += 2) {
      // Centres x_c = xMinM + (col + 0.5)·cellM with xs[p] ≤ x_c < xs[p + 1].
      const c0 = Math.max(0, Math.ceil((xs[p]! - xMinM) / cellM - 0.5));
      const c1 = Math.min(width, Math.ceil((xs[p + 1]! - xMinM) / cellM - 0.5));
      const base = row * width;
      for (let col = c0; col < c1; col++) {
        if (plane[base + col] === 0) {
          plane[base + col] = value;
          cells++;
        } else if (plane[base + col] !== value) overlaps++;
      }
    }
  }
  return { cells, overlaps };
}

/** The block of cells holding `value` in `plane`, or null when none does. */
export function cellBlockOf(grid: GridSpec3035, plane: ZoneRaster, value: number): { col0: number; row0: number; col1: number; row1: number } | null {
  let col0 = Infinity, row0 = Infinity, col1 = -Infinity, row1 = -Infinity;
  for (let row = 0; row < grid.height; row++) {
    const base = row * grid.width;
    for (let col = 0; col < grid.width; col++) {
      if (plane[base + col] !== value) continue;
      col0 = Math.min(col0, col);
      col1 = Math.max(col1, col + 1);
      row0 = Math.min(row0, row);
      row1 = Math.max(row1, row + 1);
    }
  }
  return Number.isFinite(col0) ? { col0, row0, col1, row1 } : null;
}

/** WGS84 bbox of a Polygon / MultiPolygon, 6 decimals. */
export function lonLatBbox(f: Feature<Polygon | MultiPolygon>): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polygons: Position[][][] = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const poly of polygons) {
    for (const ring of poly) {
      for (const p of ring) {
        w = Math.min(w, p[0]!);
        e = Math.max(e, p[0]!);
        s = Math.min(s, p[1]!);
        n = Math.max(n, p[1]!);
      }
    }
  }
  return [r6(w), r6(s), r6(e), r6(n)];
}
