import { describe, it, expect } from 'vitest';
import { Cartographic, GeographicTilingScheme, TileAvailability } from 'cesium';
import { type TileId, availableRanges, childrenOf, flipY, pointInRing, rectIntersectsRing, tileAt, tileRect, tilesX, tilesY } from '../../../../pipeline/terrain/tiling';
import { FADE_DEG, LEAF_ERROR_M, maxErrorM, maxLevelForResolution, planTiles, postSpacingM } from '../../../../pipeline/terrain/step';

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

  it('has post spacings (129² a tile) that give level 11 for SRTM 3″ and level 13 for 1″', () => {
    expect(postSpacingM(11)).toBeCloseTo(76.35, 2);
    expect(maxLevelForResolution(92.7)).toBe(11);
    expect(maxLevelForResolution(26.06)).toBe(13);
    expect(maxLevelForResolution(1000)).toBe(8);
  });
});

describe('children and availability', () => {
  it('orders children SW, SE, NW, NE with TMS y', () => {
    const parent: TileId = { level: 5, x: 34, y: 20 };
    const [sw, se, nw, ne] = childrenOf(parent);
    expect([sw, se, nw, ne].map((c) => [c.x, c.y])).toEqual([[68, 40], [69, 40], [68, 41], [69, 41]]);
    expect(tileRect(nw).north).toBe(tileRect(parent).north);
    expect(tileRect(se).east).toBe(tileRect(parent).east);
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

describe('error bounds per level', () => {
  it('uses the leaf bound where a child is missing and a quarter of Cesium\'s level error above', () => {
    expect(maxErrorM(11, false)).toBe(LEAF_ERROR_M);
    expect(maxErrorM(10, true)).toBeCloseTo(77067.34 / 1024 / 4, 1);
    expect(maxErrorM(20, true)).toBe(LEAF_ERROR_M);
    expect(FADE_DEG).toBeGreaterThan(0);
  });
});
