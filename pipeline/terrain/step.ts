/**
 * Terrain step: every DEM under <data>/dem -> Cesium heightmap-1.0 tiles in tilesets/terrain, plus the DEM
 * footprints (coverage.geojson) the app outlines as "real terrain ends here". Where no DEM covers a post the
 * tile holds 0 m, i.e. the ellipsoid, so the globe stays smooth outside the data instead of inventing relief.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestEntry, PipelineContext } from '../context';
import {
  HEIGHTMAP_SIZE,
  type Rect,
  type TileId,
  availableRanges,
  childMaskOf,
  decodeHeightmapTile,
  encodeHeightmapTile,
  pointInRing,
  postLonLat,
  rectIntersectsRing,
  sampleTileBilinear,
  tileAt,
  tileRect,
  tileSizeDeg,
  tilesX,
  tilesY,
} from './heightmap';
import { type TerrainMosaic, loadTerrainModel } from './model';
import { prng } from '../../core/prng';

const M_PER_DEG = (6371008.8 * Math.PI) / 180;
/** Tile posts must be at least this much finer than the source's spacing (north-south, metres). */
export const POST_SPACING_FACTOR = 0.85;
/**
 * Deepest level written. The spacing rule alone would take a 1″ (26 m) source to level 14 (19 m posts), about
 * 3.4 MB more for the 18.7 km Plzeň square, which breaks the ~15 MB budget of a terrain served as plain static
 * files; level 13 posts are 38 m north-south by 25 m east-west at 50° N, the source's spacing east-west.
 */
export const MAX_TERRAIN_LEVEL = 13;
const ERROR_SAMPLES = 500;

/** North-south post spacing of a level in metres. */
export function postSpacingM(level: number): number {
  return (tileSizeDeg(level) / (HEIGHTMAP_SIZE - 1)) * M_PER_DEG;
}

/** The coarsest level whose posts are no coarser than POST_SPACING_FACTOR x the source spacing, capped. */
export function maxLevelForResolution(resolutionM: number): number {
  let level = 0;
  while (level < MAX_TERRAIN_LEVEL && postSpacingM(level) > POST_SPACING_FACTOR * resolutionM) level++;
  return level;
}

const keyOf = (t: TileId): string => `${t.level}/${t.x}/${t.y}`;

/**
 * Which tiles to write per level: both level-0 tiles (Cesium needs the whole globe at the root), then at every
 * level the tiles overlapping the footprint of a source whose own max level reaches that deep. Sorted by y, x.
 */
export function planTiles(footprints: ReadonlyArray<{ ring: ReadonlyArray<readonly [number, number]>; maxLevel: number }>): TileId[][] {
  const top = Math.max(0, ...footprints.map((f) => f.maxLevel));
  const levels: TileId[][] = [[{ level: 0, x: 0, y: 0 }, { level: 0, x: 1, y: 0 }]];
  for (let level = 1; level <= top; level++) {
    const seen = new Map<string, TileId>();
    const d = tileSizeDeg(level);
    for (const f of footprints) {
      if (f.maxLevel < level) continue;
      const lons = f.ring.map((p) => p[0]);
      const lats = f.ring.map((p) => p[1]);
      const x0 = Math.max(0, Math.floor((Math.min(...lons) + 180) / d));
      const x1 = Math.min(tilesX(level) - 1, Math.floor((Math.max(...lons) + 180) / d));
      const y0 = Math.max(0, Math.floor((Math.min(...lats) + 90) / d));
      const y1 = Math.min(tilesY(level) - 1, Math.floor((Math.max(...lats) + 90) / d));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const t = { level, x, y };
          if (!seen.has(keyOf(t)) && rectIntersectsRing(tileRect(t), f.ring)) seen.set(keyOf(t), t);
        }
      }
    }
    levels.push([...seen.values()].toSorted((a, b) => a.y - b.y || a.x - b.x));
  }
  return levels;
}

function rectsOverlap(r: Rect, b: readonly [number, number, number, number]): boolean {
  return r.west <= b[2] && r.east >= b[0] && r.south <= b[3] && r.north >= b[1];
}

/** The 65² ellipsoidal post heights of a tile, north-west first; 0 (the ellipsoid) where no DEM covers. */
export function tileHeights(model: TerrainMosaic, t: TileId): Float64Array {
  const heights = new Float64Array(HEIGHTMAP_SIZE * HEIGHTMAP_SIZE);
  const r = tileRect(t);
  if (!model.demSources.some((s) => rectsOverlap(r, s.bbox))) return heights;
  for (let row = 0; row < HEIGHTMAP_SIZE; row++) {
    for (let col = 0; col < HEIGHTMAP_SIZE; col++) {
      const [lon, lat] = postLonLat(r, col, row);
      heights[row * HEIGHTMAP_SIZE + col] = model.heightEllipsoidalFilledM(lon, lat) ?? 0;
    }
  }
  return heights;
}


export interface ResamplingError {
  readonly file: string;
  readonly level: number;
  readonly samples: number;
  readonly medianM: number;
  readonly p95M: number;
  readonly maxM: number;
}

/**
 * Tile error against the model: random points inside a source's footprint, the tile at the source's max
 * level decoded (so the 0.2 m quantisation counts) and interpolated bilinearly, minus `heightEllipsoidalM`.
 * Points in a tile cell that has a post outside all DEMs are redrawn: there the tile ramps down to the
 * ellipsoid by design and the difference says nothing about resampling.
 */
export function measureResamplingError(model: TerrainMosaic, sourceIndex: number, level: number, decodedTile: (t: TileId) => Float32Array): ResamplingError {
  const src = model.demSources[sourceIndex]!;
  const [w, s, e, n] = src.bbox;
  const rnd = prng(0x5dd1 + sourceIndex);
  const errs: number[] = [];
  const step = tileSizeDeg(level) / (HEIGHTMAP_SIZE - 1);
  for (let tries = 0; errs.length < ERROR_SAMPLES && tries < ERROR_SAMPLES * 100; tries++) {
    const lon = w + (e - w) * rnd();
    const lat = s + (n - s) * rnd();
    if (!pointInRing(lon, lat, src.info.footprint) || !src.covers(lon, lat)) continue;
    const truth = model.heightEllipsoidalM(lon, lat);
    if (truth === null) continue;
    const t = tileAt(level, lon, lat);
    const r = tileRect(t);
    const c0 = r.west + Math.floor((lon - r.west) / step) * step;
    const r0 = r.south + Math.floor((lat - r.south) / step) * step;
    if (!model.covers(c0, r0) || !model.covers(c0 + step, r0) || !model.covers(c0, r0 + step) || !model.covers(c0 + step, r0 + step)) continue;
    errs.push(Math.abs(sampleTileBilinear(decodedTile(t), r, lon, lat) - truth));
  }
  const sorted = errs.toSorted((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { file: src.info.file, level, samples: errs.length, medianM: r2(q(0.5)), p95M: r2(q(0.95)), maxM: r2(sorted[sorted.length - 1] ?? Number.NaN) };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const r2 = (x: number): number => Math.round(x * 100) / 100;

export async function buildTerrain(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const model = await loadTerrainModel(ctx.dataDir, ctx.geoid);
  ctx.terrain = model;
  const maxLevels = model.demSources.map((s) => maxLevelForResolution(s.info.resolutionM));
  model.demSources.forEach((s, i) => {
    ctx.log(`terrain: ${s.info.file}: ${s.info.title}, ${s.info.resolutionM} m, ${s.voidCount} voids, max level ${maxLevels[i]}`);
  });

  const plan = planTiles(model.demSources.map((s, i) => ({ ring: s.info.footprint, maxLevel: maxLevels[i]! })));
  const present = new Set(plan.flat().map(keyOf));
  const outDir = join(ctx.outDir, 'terrain');
  rmSync(outDir, { recursive: true, force: true });

  let totalTiles = 0;
  let totalBytes = 0;
  const perLevel: Array<{ level: number; tiles: number; bytes: number }> = [];
  for (const tiles of plan) {
    let bytes = 0;
    for (const t of tiles) {
      const data = encodeHeightmapTile(tileHeights(model, t), childMaskOf(t, (c) => present.has(keyOf(c))));
      const dir = join(outDir, String(t.level), String(t.x));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${t.y}.terrain`), data);
      bytes += data.byteLength;
    }
    const level = tiles[0]?.level ?? perLevel.length;
    perLevel.push({ level, tiles: tiles.length, bytes });
    ctx.log(`terrain: level ${level}: ${tiles.length} tiles, ${bytes} bytes`);
    totalTiles += tiles.length;
    totalBytes += bytes;
  }

  const attribution = `Terrain: ${[...new Set(model.demSources.map((s) => s.attribution))].join(', ')}`;
  const layer = {
    tilejson: '2.1.0',
    name: 'sddi-twin-terrain',
    description: 'SRTM terrain of the Czech-Bavarian border region, WGS84 ellipsoidal heights (EGM96 + geoid undulation); 0 m = ellipsoid where no DEM exists',
    version: '1.0.0',
    format: 'heightmap-1.0',
    attribution,
    scheme: 'tms',
    tiles: ['{z}/{x}/{y}.terrain'],
    projection: 'EPSG:4326',
    // The two level-0 tiles cover the whole globe, so the tileset's extent is the world.
    bounds: [-180, -90, 180, 90],
    minzoom: 0,
    maxzoom: plan.length - 1,
    available: plan.map((tiles) => availableRanges(tiles)),
  };
  writeFileSync(join(outDir, 'layer.json'), `${JSON.stringify(layer)}\n`);
  const layerBytes = Buffer.byteLength(JSON.stringify(layer)) + 1;

  const coverage = {
    type: 'FeatureCollection',
    features: model.demSources.map((s, i) => ({
      type: 'Feature',
      properties: {
        title: s.info.title,
        licence: s.info.licence,
        resolutionM: s.info.resolutionM,
        verticalDatum: s.info.verticalDatum,
        maxLevel: maxLevels[i],
      },
      geometry: { type: 'Polygon', coordinates: [s.info.footprint.map(([x, y]) => [x, y])] },
    })),
  };
  const coverageJson = `${JSON.stringify(coverage)}\n`;
  writeFileSync(join(outDir, 'coverage.geojson'), coverageJson);
  ctx.log(`terrain: ${totalTiles} tiles, ${totalBytes} tile bytes (+ layer.json ${layerBytes}, coverage.geojson ${Buffer.byteLength(coverageJson)})`);

  const decoded = new Map<string, Float32Array>();
  const decodedTile = (t: TileId): Float32Array => {
    let h = decoded.get(keyOf(t));
    if (!h) {
      h = decodeHeightmapTile(encodeHeightmapTile(tileHeights(model, t), 0)).heightsM;
      decoded.set(keyOf(t), h);
    }
    return h;
  };
  const errors = model.demSources.map((_, i) => measureResamplingError(model, i, maxLevels[i]!, decodedTile));
  for (const e of errors) {
    ctx.log(`terrain: resampling error ${e.file} at level ${e.level} (${e.samples} points): median ${e.medianM} m, p95 ${e.p95M} m, max ${e.maxM} m`);
  }

  const bbox = model.demSources.reduce<[number, number, number, number]>(
    (b, s) => [Math.min(b[0], s.bbox[0]), Math.min(b[1], s.bbox[1]), Math.max(b[2], s.bbox[2]), Math.max(b[3], s.bbox[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  // The manifest schema caps these strings; many dropped-in tiles would overflow a plain list.
  const sourceList = model.sources.map((s) => s.title).join('; ');
  const crsList = [...new Set(model.demSources.map((s) => s.crs))].toSorted().join(', ');
  return [
    {
      id: 'terrain',
      kind: 'terrain',
      // CesiumTerrainProvider.fromUrl takes the folder and appends "/layer.json" itself.
      url: 'terrain',
      title: 'Terrain (real DEM where available, ellipsoid elsewhere)',
      source: sourceList.length <= 500 ? sourceList : `${model.sources.length} DEMs, listed in terrain/coverage.geojson`,
      licence: [...new Set(model.sources.map((s) => s.licence))].join('; '),
      attribution,
      sourceCrs: crsList.length <= 40 ? crsList : 'several (see coverage.geojson)',
      sourceVerticalDatum: 'EGM96',
      bbox: [round6(bbox[0]), round6(bbox[1]), round6(bbox[2]), round6(bbox[3])],
      featureCount: model.sources.length,
      extras: {
        coverage: 'terrain/coverage.geojson',
        maxLevel: plan.length - 1,
        tiles: totalTiles,
        bytes: totalBytes,
        resamplingErrorM: errors.map((e) => ({ file: e.file, level: e.level, median: e.medianM, max: e.maxM })),
      },
    },
  ];
}
