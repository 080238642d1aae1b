/**
 * Terrain step: every DEM under <data>/dem -> quantized-mesh-1.0 tiles with oct-encoded vertex normals in
 * tilesets/terrain (read by Cesium's CesiumTerrainProvider and by cesium-native clients), plus the DEM
 * footprints (coverage.geojson) the app outlines as "real terrain ends here".
 *
 * Invariants:
 * - Heights are WGS84 ellipsoidal: the source's EGM96 height plus the EGM96 undulation.
 * - Outside every DEM the surface fades to the ellipsoid over FADE_DEG (smoothstep of the distance to the data's
 *   box), so the data's edge is a slope, never a cliff; farther out it is the ellipsoid (0 m).
 * - Each tile's mesh keeps within `maxErrorM(level)` of the surface sampled on its 129² grid: the leaf levels
 *   within LEAF_ERROR_M, coarser levels within a quarter of the geometric error Cesium assumes for the level.
 * - Tiles are written gzip-compressed (the server sends them with `Content-Encoding: gzip`); the build is
 *   deterministic (no time stamps in the gzip header).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeQuantizedMesh } from '../../core/formats/quantized-mesh';
import type { ManifestEntry, PipelineContext } from '../context';
import { GRID_SIZE, type SurfaceFn, sampleBorderedGrid, tileMesh } from './mesh';
import { type TerrainMosaic, loadTerrainModel } from './model';
import { measureMeshError, type MeshError } from './accuracy';
import { type TileId, availableRanges, childrenOf, rectIntersectsRing, tileRect, tileSizeDeg, tilesX, tilesY } from './tiling';

const M_PER_DEG = (6371008.8 * Math.PI) / 180;
/** Tile posts must be at least this much finer than the source's spacing (north-south, metres). */
export const POST_SPACING_FACTOR = 0.85;
export const MAX_TERRAIN_LEVEL = 13;
/**
 * Vertical error bound of the deepest tiles against the 129² grid, metres. 4 m keeps the whole region within the
 * 45 MB terrain budget (3 m: ≈ 50 MB); SRTM's own absolute vertical accuracy is ≈ 5–10 m.
 */
export const LEAF_ERROR_M = 4;
/** Width of the slope from the data's edge down to the ellipsoid, degrees (≈ 11 km north-south). */
export const FADE_DEG = 0.1;
/** Cesium's estimate for a level-0 geographic tile (getEstimatedLevelZeroGeometricErrorForAHeightmap, 65 posts, 2 tiles). */
const CESIUM_LEVEL0_ERROR_M = (6378137 * 2 * Math.PI * 0.25) / (65 * 2);
const ACCURACY_POINTS = 1000;

/** North-south post spacing of a level in metres. */
export function postSpacingM(level: number): number {
  return (tileSizeDeg(level) / (GRID_SIZE - 1)) * M_PER_DEG;
}

/** The coarsest level whose posts are no coarser than POST_SPACING_FACTOR × the source spacing, capped. */
export function maxLevelForResolution(resolutionM: number): number {
  let level = 0;
  while (level < MAX_TERRAIN_LEVEL && postSpacingM(level) > POST_SPACING_FACTOR * resolutionM) level++;
  return level;
}

/**
 * The mesh error bound of a tile: a quarter of the error Cesium assumes for its level while all four children
 * exist to replace it, LEAF_ERROR_M where some part of it is shown at the closest zoom (a child is missing).
 */
export function maxErrorM(level: number, hasAllChildren: boolean): number {
  return hasAllChildren ? Math.max(LEAF_ERROR_M, CESIUM_LEVEL0_ERROR_M / 2 ** level / 4) : LEAF_ERROR_M;
}

const keyOf = (t: TileId): string => `${t.level}/${t.x}/${t.y}`;
type Ring = ReadonlyArray<readonly [number, number]>;

/**
 * Which tiles to write per level: both level-0 tiles (Cesium needs the whole globe at the root), then at every
 * level the tiles overlapping a footprint whose own max level reaches that deep. Sorted by y, x.
 */
export function planTiles(footprints: ReadonlyArray<{ ring: Ring; maxLevel: number }>): TileId[][] {
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

/** The box of all DEMs [w, s, e, n]. */
export function dataBox(model: TerrainMosaic): [number, number, number, number] {
  return model.demSources.reduce<[number, number, number, number]>(
    (b, s) => [Math.min(b[0], s.bbox[0]), Math.min(b[1], s.bbox[1]), Math.max(b[2], s.bbox[2]), Math.max(b[3], s.bbox[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

/**
 * The served surface: the DEM (voids filled) where one covers the point; outside, the height at the nearest point
 * of the data's box, faded to 0 over FADE_DEG with a smoothstep; the ellipsoid beyond.
 */
export function surfaceOf(model: TerrainMosaic): SurfaceFn {
  const [w, s, e, n] = dataBox(model);
  const inset = 1e-7;
  return (lon, lat) => {
    const h = model.heightEllipsoidalFilledM(lon, lat);
    if (h !== null) return h;
    const cLon = Math.min(Math.max(lon, w + inset), e - inset);
    const cLat = Math.min(Math.max(lat, s + inset), n - inset);
    const dLon = (lon - cLon) * Math.cos((lat * Math.PI) / 180);
    const d = Math.hypot(dLon, lat - cLat);
    if (d >= FADE_DEG) return 0;
    const edge = model.heightEllipsoidalFilledM(cLon, cLat);
    if (edge === null) return 0;
    const t = 1 - d / FADE_DEG;
    return edge * t * t * (3 - 2 * t);
  };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Which tiles the terrain has, level by level, and which of them are shown at the closest zoom somewhere. */
export interface TerrainPlan {
  readonly maxLevels: readonly number[];
  readonly plan: TileId[][];
  readonly present: ReadonlySet<string>;
  hasAllChildren(t: TileId): boolean;
}

export function terrainPlan(model: TerrainMosaic): TerrainPlan {
  const maxLevels = model.demSources.map((s) => maxLevelForResolution(s.info.resolutionM));
  const [bw, bs, be, bn] = dataBox(model);
  const fadeRing: Ring = [[bw - FADE_DEG * 2, bs - FADE_DEG], [be + FADE_DEG * 2, bs - FADE_DEG], [be + FADE_DEG * 2, bn + FADE_DEG], [bw - FADE_DEG * 2, bn + FADE_DEG], [bw - FADE_DEG * 2, bs - FADE_DEG]];
  const baseLevel = Math.min(...maxLevels);
  const footprints = [...model.demSources.map((s, i) => ({ ring: s.info.footprint, maxLevel: maxLevels[i]! })), { ring: fadeRing, maxLevel: baseLevel }];
  const plan = planTiles(footprints);
  const present = new Set(plan.flat().map(keyOf));
  return { maxLevels, plan, present, hasAllChildren: (t) => childrenOf(t).every((c) => present.has(keyOf(c))) };
}

/** Where a tile's file is, under tilesets/terrain. */
export const tilePath = (outDir: string, t: TileId): string => join(outDir, 'terrain', String(t.level), String(t.x), `${t.y}.terrain`);

/** One tile's bytes as served: the mesh at its bound, quantized-mesh, gzip. */
export function encodeTile(surface: SurfaceFn, t: TileId, maxErrorMetres: number): { raw: Uint8Array; gz: Uint8Array } {
  const r = tileRect(t);
  const raw = encodeQuantizedMesh(tileMesh(r, sampleBorderedGrid(surface, r), maxErrorMetres));
  return { raw, gz: gzipSync(raw, { level: 9 }) };
}

/** What writing the tiles produced: the leaves' raw meshes (for the accuracy check) and the totals. */
interface WrittenTiles {
  readonly leafTiles: Map<string, Uint8Array>;
  readonly totalTiles: number;
  readonly totalBytes: number;
  readonly totalVertices: number;
}

/** Every planned tile, level by level, into tilesets/terrain (cleared first). */
function writeTiles(ctx: PipelineContext, model: TerrainMosaic, { plan, hasAllChildren }: TerrainPlan): WrittenTiles {
  const outDir = join(ctx.outDir, 'terrain');
  rmSync(outDir, { recursive: true, force: true });
  const surface = surfaceOf(model);
  const leafTiles = new Map<string, Uint8Array>();
  let totalTiles = 0;
  let totalBytes = 0;
  let totalVertices = 0;
  const t0 = performance.now();
  for (const tiles of plan) {
    let bytes = 0;
    for (const t of tiles) {
      const full = hasAllChildren(t);
      const { raw, gz } = encodeTile(surface, t, maxErrorM(t.level, full));
      totalVertices += new DataView(raw.buffer).getUint32(88, true);
      if (!full) leafTiles.set(keyOf(t), raw);
      mkdirSync(join(outDir, String(t.level), String(t.x)), { recursive: true });
      writeFileSync(tilePath(ctx.outDir, t), gz);
      bytes += gz.byteLength;
    }
    const level = tiles[0]?.level ?? 0;
    ctx.log(`terrain: level ${level}: ${tiles.length} tiles, ${bytes} bytes gzip, error bound ${maxErrorM(level, true).toFixed(1)} m (${LEAF_ERROR_M} m where a child is missing), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    totalTiles += tiles.length;
    totalBytes += bytes;
  }
  return { leafTiles, totalTiles, totalBytes, totalVertices };
}

/** layer.json (what CesiumTerrainProvider reads first) and coverage.geojson (the DEM footprints). */
function writeLayerFiles(outDir: string, model: TerrainMosaic, { plan, maxLevels }: TerrainPlan, attribution: string): void {
  const layer = {
    tilejson: '2.1.0',
    name: 'sddi-twin-terrain',
    description: `SRTM terrain of the Czech-Bavarian border region, WGS84 ellipsoidal heights (EGM96 + geoid undulation), faded to the ellipsoid over ${FADE_DEG}° outside the DEMs`,
    version: '1.1.0',
    format: 'quantized-mesh-1.0',
    extensions: ['octvertexnormals'],
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

  const coverage = {
    type: 'FeatureCollection',
    features: model.demSources.map((s, i) => ({
      type: 'Feature',
      properties: { title: s.info.title, licence: s.info.licence, resolutionM: s.info.resolutionM, verticalDatum: s.info.verticalDatum, maxLevel: maxLevels[i] },
      geometry: { type: 'Polygon', coordinates: [s.info.footprint.map(([x, y]) => [x, y])] },
    })),
  };
  writeFileSync(join(outDir, 'coverage.geojson'), `${JSON.stringify(coverage)}\n`);
}

/** The served surface against the source DEMs: over all of them, and over the finest on its own. */
function meshErrors(model: TerrainMosaic, leafTiles: ReadonlyMap<string, Uint8Array>, { plan, present }: TerrainPlan, box: [number, number, number, number]): MeshError[] {
  const at = (lon: number, lat: number): TileId => tileFor(present, plan.length - 1, lon, lat);
  const errors: MeshError[] = [measureMeshError(model, leafTiles, at, box, ACCURACY_POINTS, 'all DEMs')];
  // The finest source on its own too, so its figure is not drowned by the 3″ area around it.
  const finest = model.demSources[0]!;
  if (finest.info.resolutionM < model.demSources[model.demSources.length - 1]!.info.resolutionM) {
    errors.push(measureMeshError(model, leafTiles, at, finest.bbox, ACCURACY_POINTS, finest.info.file));
  }
  return errors;
}

export async function buildTerrain(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const model = await loadTerrainModel(ctx.dataDir, ctx.geoid);
  ctx.terrain = model;
  const tp = terrainPlan(model);
  const { maxLevels, plan } = tp;
  model.demSources.forEach((s, i) => {
    ctx.log(`terrain: ${s.info.file}: ${s.info.title}, ${s.info.resolutionM} m, ${s.voidCount} voids, max level ${maxLevels[i]}`);
  });
  const [bw, bs, be, bn] = dataBox(model);
  const { leafTiles, totalTiles, totalBytes, totalVertices } = writeTiles(ctx, model, tp);
  const attribution = `Terrain: ${[...new Set(model.demSources.map((s) => s.attribution))].join(', ')}`;
  writeLayerFiles(join(ctx.outDir, 'terrain'), model, tp, attribution);
  ctx.log(`terrain: ${totalTiles} tiles, ${totalVertices} vertices, ${(totalBytes / 1048576).toFixed(2)} MiB gzip`);

  const errors = meshErrors(model, leafTiles, tp, [bw, bs, be, bn]);
  for (const e of errors) ctx.log(`terrain: served surface vs source DEM, ${e.area} (${e.samples} points): median ${e.medianM} m, p95 ${e.p95M} m, max ${e.maxM} m`);

  const sourceList = model.sources.map((s) => s.title).join('; ');
  const crsList = [...new Set(model.demSources.map((s) => s.crs))].toSorted().join(', ');
  return [
    {
      id: 'terrain',
      kind: 'terrain',
      // CesiumTerrainProvider.fromUrl takes the folder and appends "/layer.json" itself.
      url: 'terrain',
      title: 'Terrain (SRTM, faded to the ellipsoid outside the region)',
      // The manifest schema caps these strings; many dropped-in tiles would overflow a plain list.
      source: sourceList.length <= 500 ? sourceList : `${model.sources.length} DEMs, listed in terrain/coverage.geojson`,
      licence: [...new Set(model.sources.map((s) => s.licence))].join('; '),
      attribution,
      sourceCrs: crsList.length <= 40 ? crsList : 'several (see coverage.geojson)',
      sourceVerticalDatum: 'EGM96',
      bbox: [round6(bw), round6(bs), round6(be), round6(bn)],
      featureCount: model.sources.length,
      extras: {
        coverage: 'terrain/coverage.geojson',
        format: 'quantized-mesh-1.0 + octvertexnormals, gzip',
        maxLevel: plan.length - 1,
        tiles: totalTiles,
        bytes: totalBytes,
        leafErrorBoundM: LEAF_ERROR_M,
        accuracyM: errors.map((e) => ({ area: e.area, points: e.samples, median: e.medianM, p95: e.p95M, max: e.maxM })),
      },
    },
  ];
}

/** The deepest written tile holding a point (the one Cesium shows there at the closest zoom). */
function tileFor(present: ReadonlySet<string>, top: number, lon: number, lat: number): TileId {
  for (let level = top; level >= 0; level--) {
    const d = tileSizeDeg(level);
    const t = { level, x: Math.floor((lon + 180) / d), y: Math.floor((lat + 90) / d) };
    if (present.has(keyOf(t))) return t;
  }
  throw new Error(`no leaf tile at ${lon}, ${lat}`);
}
