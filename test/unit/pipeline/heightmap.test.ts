import { describe, it, expect } from 'vitest';
import { Cartographic, GeographicTilingScheme, HeightmapTerrainData, TileAvailability } from 'cesium';
import {
  CHILD_NE,
  CHILD_NW,
  CHILD_SE,
  CHILD_SW,
  HEIGHTMAP_SIZE,
  HEIGHTMAP_TILE_BYTES,
  type TileId,
  availableRanges,
  childMaskOf,
  childrenOf,
  decodeHeight,
  decodeHeightmapTile,
  encodeHeight,
  encodeHeightmapTile,
  flipY,
  pointInRing,
  postLonLat,
  rectIntersectsRing,
  sampleTileBilinear,
  tileAt,
  tileRect,
  tilesX,
  tilesY,
} from '../../../pipeline/terrain/heightmap';
import { maxLevelForResolution, planTiles, postSpacingM } from '../../../pipeline/terrain/step';

const N = HEIGHTMAP_SIZE * HEIGHTMAP_SIZE;
const DEG = Math.PI / 180;

/** Cesium's default heightmap-1.0 structure (CesiumTerrainProvider, format "heightmap-1.0"). */
const STRUCTURE = { heightScale: 1 / 5, heightOffset: -1000, elementsPerHeight: 1, stride: 1, elementMultiplier: 256, isBigEndian: false, lowestEncodedHeight: 0, highestEncodedHeight: 65535 };

/** What CesiumTerrainProvider does with a tile file. */
function cesiumTile(bytes: Uint8Array): HeightmapTerrainData {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const heights = new Uint16Array(ab, 0, N);
  return new HeightmapTerrainData({
    buffer: heights,
    childTileMask: new Uint8Array(ab, heights.byteLength, 1)[0]!,
    waterMask: new Uint8Array(ab, heights.byteLength + 1, ab.byteLength - heights.byteLength - 1),
    width: HEIGHTMAP_SIZE,
    height: HEIGHTMAP_SIZE,
    structure: STRUCTURE,
  });
}

describe('heightmap-1.0 encoding', () => {
  it('encodes (h + 1000) x 5 as uint16 and clamps to the format range', () => {
    expect(encodeHeight(0)).toBe(5000);
    expect(encodeHeight(-1000)).toBe(0);
    expect(encodeHeight(491.33)).toBe(7457);
    expect(encodeHeight(-5000)).toBe(0);
    expect(encodeHeight(20000)).toBe(65535);
    expect(decodeHeight(7457)).toBeCloseTo(491.4, 9);
  });

  it('round-trips a tile within the 0.1 m quantisation and keeps the masks', () => {
    const h = Float64Array.from({ length: N }, (_, i) => -500 + ((i * 7919) % 40000) / 7.3);
    const bytes = encodeHeightmapTile(h, CHILD_NW | CHILD_SE);
    expect(bytes.byteLength).toBe(HEIGHTMAP_TILE_BYTES);
    expect(bytes.byteLength).toBe(65 * 65 * 2 + 2);
    const d = decodeHeightmapTile(bytes);
    expect(d.childMask).toBe(CHILD_NW | CHILD_SE);
    expect(Array.from(d.waterMask)).toEqual([0]);
    let worst = 0;
    for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(d.heightsM[i]! - h[i]!));
    expect(worst).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('writes the north-west post first, rows west to east, little-endian', () => {
    const h = Float64Array.from({ length: N }, (_, i) => Math.floor(i / 65) * 10 + (i % 65) * 0.2);
    const bytes = encodeHeightmapTile(h, 0);
    const v = new DataView(bytes.buffer);
    expect(v.getUint16(0, true)).toBe(5000);
    expect(v.getUint16(2, true)).toBe(5001);
    expect(v.getUint16(65 * 2, true)).toBe(5050);
    expect(bytes[0]).toBe(5000 & 255);
  });

  it('reads back through Cesium HeightmapTerrainData at the same place our bilinear puts it', () => {
    const t: TileId = { level: 12, x: 4367, y: 3192 };
    const r = tileRect(t);
    // A plane: Cesium's triangle interpolation and our bilinear agree exactly on it.
    const plane = (lon: number, lat: number): number => 400 + (lon - r.west) * 9000 - (lat - r.south) * 4000;
    const h = new Float64Array(N);
    for (let row = 0; row < 65; row++) for (let col = 0; col < 65; col++) h[row * 65 + col] = plane(...postLonLat(r, col, row));
    const bytes = encodeHeightmapTile(h, 0);
    const ts = new GeographicTilingScheme();
    const rect = ts.tileXYToRectangle(t.x, flipY(t.level, t.y), t.level);
    expect(rect.west / DEG).toBeCloseTo(r.west, 9);
    expect(rect.north / DEG).toBeCloseTo(r.north, 9);
    const decoded = decodeHeightmapTile(bytes).heightsM;
    for (const [fx, fy] of [[0.1, 0.2], [0.77, 0.9], [0.5, 0.01]] as const) {
      const lon = r.west + fx * (r.east - r.west);
      const lat = r.south + fy * (r.north - r.south);
      const cesium = cesiumTile(bytes).interpolateHeight(rect, lon * DEG, lat * DEG);
      expect(cesium).toBeCloseTo(plane(lon, lat), 0);
      expect(sampleTileBilinear(decoded, r, lon, lat)).toBeCloseTo(cesium!, 1);
    }
  });
});

describe('geographic tiling maths (TMS y)', () => {
  it('has 2 x 1 level-0 tiles of 180°, the western one first', () => {
    expect([tilesX(0), tilesY(0), tilesX(12), tilesY(12)]).toEqual([2, 1, 8192, 4096]);
    expect(tileRect({ level: 0, x: 0, y: 0 })).toEqual({ west: -180, south: -90, east: 0, north: 90 });
    expect(tileRect({ level: 0, x: 1, y: 0 })).toEqual({ west: 0, south: -90, east: 180, north: 90 });
  });

  it('puts a point in the tile that contains it, y counted from the south', () => {
    for (const [lon, lat] of [[11.9128, 50.3135], [13.3775, 49.7477], [-70.1, -33.4], [179.99, 89.99], [-180, -90]] as const) {
      for (const level of [0, 3, 12, 13]) {
        const t = tileAt(level, lon, lat);
        const r = tileRect(t);
        expect(lon).toBeGreaterThanOrEqual(r.west);
        expect(lon).toBeLessThanOrEqual(r.east);
        expect(lat).toBeGreaterThanOrEqual(r.south);
        expect(lat).toBeLessThanOrEqual(r.north);
      }
    }
    expect(tileAt(12, 11.9128, 50.3135)).toEqual({ level: 12, x: 4367, y: 3192 });
  });

  it('agrees with Cesium on tile positions once y is flipped', () => {
    const ts = new GeographicTilingScheme();
    for (const [lon, lat] of [[11.9128, 50.3135], [13.3775, 49.7477], [-3.2, 40.1]] as const) {
      for (const level of [1, 7, 13]) {
        const c = ts.positionToTileXY(Cartographic.fromDegrees(lon, lat), level)!;
        const t = tileAt(level, lon, lat);
        expect([t.x, flipY(level, t.y)]).toEqual([c.x, c.y]);
      }
    }
  });

  it('places posts on the tile edges, north-west first', () => {
    const r = tileRect({ level: 2, x: 4, y: 2 });
    expect(postLonLat(r, 0, 0)).toEqual([r.west, r.north]);
    expect(postLonLat(r, 64, 64)).toEqual([r.east, r.south]);
  });

  it('has post spacings that give level 12 for SRTM 3″ and the capped level 13 for 1″', () => {
    expect(postSpacingM(12)).toBeCloseTo(76.35, 2);
    expect(maxLevelForResolution(92.7)).toBe(12);
    expect(maxLevelForResolution(26.06)).toBe(13);
    expect(maxLevelForResolution(1000)).toBe(9);
  });
});

describe('child mask and availability', () => {
  it('uses the bit order of HeightmapTerrainData.isChildAvailable', () => {
    const parent: TileId = { level: 5, x: 34, y: 20 };
    const [sw, se, nw, ne] = childrenOf(parent);
    expect([sw, se, nw, ne].map((c) => [c.x, c.y])).toEqual([[68, 40], [69, 40], [68, 41], [69, 41]]);
    expect(tileRect(nw).north).toBe(tileRect(parent).north);
    expect(tileRect(se).east).toBe(tileRect(parent).east);
    const h = new Float64Array(N);
    for (const [bit, child] of [[CHILD_SW, sw], [CHILD_SE, se], [CHILD_NW, nw], [CHILD_NE, ne]] as const) {
      const mask = childMaskOf(parent, (c) => c.x === child.x && c.y === child.y);
      expect(mask).toBe(bit);
      const td = cesiumTile(encodeHeightmapTile(h, mask));
      const py = flipY(parent.level, parent.y);
      for (const other of [sw, se, nw, ne]) {
        expect(td.isChildAvailable(parent.x, py, other.x, flipY(other.level, other.y))).toBe(other === child);
      }
    }
  });

  it('lists exactly the written tiles, as Cesium reads the ranges back', () => {
    const ring: Array<[number, number]> = [[13.225, 49.68], [13.48, 49.672], [13.49, 49.83], [13.233, 49.836], [13.225, 49.68]];
    const plan = planTiles([{ ring, maxLevel: 11 }]);
    expect(plan[0]!.map((t) => t.x)).toEqual([0, 1]);
    const ts = new GeographicTilingScheme();
    const av = new TileAvailability(ts, plan.length);
    plan.forEach((tiles, level) => {
      for (const r of availableRanges(tiles)) {
        // CesiumTerrainProvider: yStart = yTiles - endY - 1, yEnd = yTiles - startY - 1.
        av.addAvailableTileRange(level, r.startX, tilesY(level) - r.endY - 1, r.endX, tilesY(level) - r.startY - 1);
      }
    });
    const written = new Set(plan.flat().map((t) => `${t.level}/${t.x}/${t.y}`));
    for (let level = 1; level < plan.length; level++) {
      const t0 = plan[level]![0]!;
      for (let y = Math.max(0, t0.y - 2); y <= Math.min(tilesY(level) - 1, t0.y + 8); y++) {
        for (let x = Math.max(0, t0.x - 2); x <= Math.min(tilesX(level) - 1, t0.x + 8); x++) {
          expect(av.isTileAvailable(level, x, flipY(level, y))).toBe(written.has(`${level}/${x}/${y}`));
        }
      }
    }
    for (const t of plan.flat()) {
      const mask = childMaskOf(t, (c) => written.has(`${c.level}/${c.x}/${c.y}`));
      if (t.level < plan.length - 1) expect(mask).toBe(av.computeChildMaskForTile(t.level, t.x, flipY(t.level, t.y)));
    }
  });

  it('builds row runs and merges equal runs of consecutive rows', () => {
    const tiles = [
      { x: 5, y: 1 }, { x: 6, y: 1 }, { x: 9, y: 1 },
      { x: 5, y: 2 }, { x: 6, y: 2 },
      { x: 5, y: 4 }, { x: 6, y: 4 },
    ];
    expect(availableRanges(tiles)).toEqual([
      { startX: 5, startY: 1, endX: 6, endY: 2 },
      { startX: 9, startY: 1, endX: 9, endY: 1 },
      { startX: 5, startY: 4, endX: 6, endY: 4 },
    ]);
  });
});

describe('footprint geometry', () => {
  const square: Array<[number, number]> = [[11, 49], [12, 49], [12, 50], [11, 50], [11, 49]];
  it('counts overlap but not a shared edge', () => {
    expect(rectIntersectsRing({ west: 11.5, south: 49.5, east: 13, north: 51 }, square)).toBe(true);
    expect(rectIntersectsRing({ west: 12, south: 49, east: 13, north: 50 }, square)).toBe(false);
    expect(rectIntersectsRing({ west: 0, south: 0, east: 180, north: 90 }, square)).toBe(true);
    expect(rectIntersectsRing({ west: 11.2, south: 49.2, east: 11.3, north: 49.3 }, square)).toBe(true);
  });
  it('tests points against a ring', () => {
    expect(pointInRing(11.5, 49.5, square)).toBe(true);
    expect(pointInRing(12.5, 49.5, square)).toBe(false);
  });
});
