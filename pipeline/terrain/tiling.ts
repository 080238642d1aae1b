/**
 * Cesium's geographic tiling, as CesiumTerrainProvider reads a terrain tileset (@cesium/engine Source/Core):
 * - GeographicTilingScheme with 2 x 1 level-0 tiles of 180°; level L has 2^(L+1) x 2^L tiles.
 * - layer.json "scheme": "tms": the y in the URL and in "available" counts from the south
 *   (CesiumTerrainProvider: terrainY = yTiles - y - 1). Every TileId here uses that TMS y.
 */

/** A tile; `y` counts from the south (TMS), as in the file path and in layer.json "available". */
export interface TileId {
  readonly level: number;
  readonly x: number;
  readonly y: number;
}

export interface Rect {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

export const tilesX = (level: number): number => 2 * 2 ** level;
export const tilesY = (level: number): number => 2 ** level;
/** Tile size in degrees (the same in longitude and latitude). */
export const tileSizeDeg = (level: number): number => 180 / 2 ** level;

export function tileRect(t: TileId): Rect {
  const d = tileSizeDeg(t.level);
  return { west: -180 + t.x * d, south: -90 + t.y * d, east: -180 + (t.x + 1) * d, north: -90 + (t.y + 1) * d };
}

/** The tile containing a point (the east / north edges of the world go to the last tile). */
export function tileAt(level: number, lonDeg: number, latDeg: number): TileId {
  const d = tileSizeDeg(level);
  const x = Math.min(Math.max(Math.floor((lonDeg + 180) / d), 0), tilesX(level) - 1);
  const y = Math.min(Math.max(Math.floor((latDeg + 90) / d), 0), tilesY(level) - 1);
  return { level, x, y };
}

/** Cesium's own tile y (from the north) for a TMS y, and back (the same involution). */
export const flipY = (level: number, y: number): number => tilesY(level) - 1 - y;

/** Children SW, SE, NW, NE (TMS: the northern children have y = 2y + 1). */
export function childrenOf(t: TileId): [TileId, TileId, TileId, TileId] {
  const l = t.level + 1, x = t.x * 2, y = t.y * 2;
  return [{ level: l, x, y }, { level: l, x: x + 1, y }, { level: l, x, y: y + 1 }, { level: l, x: x + 1, y: y + 1 }];
}

export interface TileRange {
  readonly startX: number;
  readonly startY: number;
  readonly endX: number;
  readonly endY: number;
}

/**
 * layer.json "available" ranges for one level: exactly the given tiles (Cesium marks every tile inside a
 * range as present, so a bounding box would announce tiles we never wrote). Runs of x per row, with equal
 * runs in consecutive rows merged; ordered by startY then startX.
 */
export function availableRanges(tiles: Iterable<{ readonly x: number; readonly y: number }>): TileRange[] {
  const rows = new Map<number, number[]>();
  for (const t of tiles) {
    const xs = rows.get(t.y);
    if (xs) xs.push(t.x);
    else rows.set(t.y, [t.x]);
  }
  const out: Array<{ startX: number; startY: number; endX: number; endY: number }> = [];
  let open = new Map<string, (typeof out)[number]>();
  for (const y of [...rows.keys()].toSorted((a, b) => a - b)) {
    const xs = [...new Set(rows.get(y)!)].toSorted((a, b) => a - b);
    const next = new Map<string, (typeof out)[number]>();
    let start = xs[0]!;
    for (let i = 1; i <= xs.length; i++) {
      if (i < xs.length && xs[i] === xs[i - 1]! + 1) continue;
      const end = xs[i - 1]!;
      const key = `${start},${end}`;
      const prev = open.get(key);
      if (prev && prev.endY === y - 1) {
        prev.endY = y;
        next.set(key, prev);
      } else {
        const r = { startX: start, startY: y, endX: end, endY: y };
        out.push(r);
        next.set(key, r);
      }
      if (i < xs.length) start = xs[i]!;
    }
    open = next;
  }
  return out.toSorted((a, b) => a.startY - b.startY || a.startX - b.startX);
}

type Pt = readonly [number, number];
/** Where segment a-b crosses the meridian x / the parallel y (the clip edges). */
const atX = (x: number) => (a: Pt, b: Pt): [number, number] => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
const atY = (y: number) => (a: Pt, b: Pt): [number, number] => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];

/**
 * True when a lon/lat ring and a rectangle overlap with positive area (a shared edge or corner is not
 * enough: a tile that only touches a footprint has nothing to show). Sutherland-Hodgman clip + area.
 */
export function rectIntersectsRing(r: Rect, ring: ReadonlyArray<readonly [number, number]>): boolean {
  let poly: Array<readonly [number, number]> = ring.slice(0, -1);
  const clip = (inside: (p: readonly [number, number]) => boolean, cut: (a: readonly [number, number], b: readonly [number, number]) => [number, number]): void => {
    const out: Array<readonly [number, number]> = [];
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!;
      const b = poly[(i + 1) % poly.length]!;
      if (inside(b)) {
        if (!inside(a)) out.push(cut(a, b));
        out.push(b);
      } else if (inside(a)) {
        out.push(cut(a, b));
      }
    }
    poly = out;
  };
  clip((p) => p[0] >= r.west, atX(r.west));
  clip((p) => p[0] <= r.east, atX(r.east));
  clip((p) => p[1] >= r.south, atY(r.south));
  clip((p) => p[1] <= r.north, atY(r.north));
  let area2 = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    area2 += a[0] * b[1] - b[0] * a[1];
  }
  // Relative to the tile's area, so the test means the same at every level.
  return Math.abs(area2) / 2 > 1e-9 * (r.east - r.west) * (r.north - r.south);
}

/** Point in a closed lon/lat ring (even-odd). */
export function pointInRing(lonDeg: number, latDeg: number, ring: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > latDeg !== yj > latDeg && lonDeg < ((xj - xi) * (latDeg - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
