/**
 * The terrain mosaic: every DEM found under <data>/dem (any depth), finest first, so a new SRTM tile or a
 * local GeoTIFF DEM is picked up by dropping the file in. Heights come as EGM96 orthometric (SRTM's datum)
 * and leave here as WGS84 ellipsoidal heights, the only kind Cesium understands.
 */
import { readdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { type GeoidGrid, geoidUndulationM } from '../../core/geo/geoid';
import type { DemSourceInfo, TerrainModel } from '../terrain-model';
import { countVoids, fillVoids, sampleBilinear } from './grid';
import { type HgtTile, hgtCovers, readHgtFile, sampleHgt } from './hgt';
import {
  type GeoTiffDem,
  demFromImage,
  georefFootprint,
  georefResolutionM,
  lonLatToPixel,
  openGeoTiff,
  pixelInside,
} from './geotiff-dem';

const M_PER_DEG = (6371008.8 * Math.PI) / 180;

/** Titles and licences of the GeoTIFF DEMs we know by name (an .hgt tile names itself). */
const KNOWN_TIFFS: Readonly<Record<string, { title: string; licence: string; attribution: string }>> = {
  'plzen_srtm1_utm33.tif': { title: 'SRTM 1″ v3 (USGS), reprojected to UTM 33N', licence: 'public domain', attribution: 'SRTM (NASA/USGS)' },
};

/** One DEM of the mosaic, with what the tiler needs besides the public contract. */
export interface DemSource {
  readonly info: DemSourceInfo;
  /** WGS84 bbox of the footprint [west, south, east, north], a cheap pre-test before projecting. */
  readonly bbox: readonly [number, number, number, number];
  readonly voidCount: number;
  /** Horizontal CRS of the file, e.g. "EPSG:32633". */
  readonly crs: string;
  /** Credit line as the source asks for it. */
  readonly attribution: string;
  covers(lonDeg: number, latDeg: number): boolean;
  /** Source height, null outside or in a void. */
  sample(lonDeg: number, latDeg: number): number | null;
  /** Source height with voids filled from their rim; null only outside. */
  sampleFilled(lonDeg: number, latDeg: number): number | null;
}

export interface TerrainMosaic extends TerrainModel {
  readonly demSources: readonly DemSource[];
  /** True where any source has data (voids included). */
  covers(lonDeg: number, latDeg: number): boolean;
  /** Like `heightEllipsoidalM` but with voids filled (what the terrain tiles show); null only where no source covers. */
  heightEllipsoidalFilledM(lonDeg: number, latDeg: number): number | null;
}

/** Every .hgt, .hgt.zip and .tif/.tiff below `dir`, as sorted absolute paths (sorted: stable output). */
export function findDemFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(hgt|hgt\.zip|tiff?)$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.toSorted();
}

function ringBbox(ring: ReadonlyArray<readonly [number, number]>): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of ring) {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

function inBbox(b: readonly [number, number, number, number], lon: number, lat: number): boolean {
  return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

function hgtSource(tile: HgtTile, file: string): DemSource {
  const filled: HgtTile = { ...tile, values: fillVoids(tile).values };
  const { lonSwDeg: w, latSwDeg: s } = tile;
  const name = basename(file).replace(/\.hgt(\.zip)?$/i, '');
  const footprint: Array<[number, number]> = [[w, s], [w + 1, s], [w + 1, s + 1], [w, s + 1], [w, s]];
  return {
    info: {
      file,
      title: `SRTM ${tile.arcSec}″ ${name} (NASA/USGS)`,
      licence: 'public domain',
      resolutionM: Math.round((tile.arcSec / 3600) * M_PER_DEG * 10) / 10,
      footprint,
      verticalDatum: 'EGM96',
    },
    bbox: [w, s, w + 1, s + 1],
    voidCount: countVoids(tile),
    crs: 'EPSG:4326',
    attribution: 'SRTM (NASA/USGS)',
    covers: (lon, lat) => hgtCovers(tile, lon, lat),
    sample: (lon, lat) => sampleHgt(tile, lon, lat),
    sampleFilled: (lon, lat) => sampleHgt(filled, lon, lat),
  };
}

function tiffSource(dem: GeoTiffDem, file: string): DemSource {
  const g = dem.georef;
  const filled = { ...dem, values: fillVoids(dem).values };
  const footprint = georefFootprint(g);
  const bbox = ringBbox(footprint);
  const known = KNOWN_TIFFS[basename(file)];
  // One projection per query serves both the coverage test and the sample.
  const at = (grid: typeof dem, lon: number, lat: number): number | null => {
    if (!inBbox(bbox, lon, lat)) return null;
    const [c, r] = lonLatToPixel(g, lon, lat);
    if (!pixelInside(g, c, r)) return null;
    return sampleBilinear(grid, Math.min(Math.max(c, 0), grid.cols - 1), Math.min(Math.max(r, 0), grid.rows - 1));
  };
  return {
    info: {
      file,
      title: known?.title ?? `${basename(file)} (GeoTIFF DEM, EPSG:${g.epsg})`,
      licence: known?.licence ?? 'unknown: see the SOURCES.md next to the file',
      resolutionM: Math.round(georefResolutionM(g) * 100) / 100,
      footprint,
      verticalDatum: 'EGM96',
    },
    bbox,
    voidCount: countVoids(dem),
    crs: `EPSG:${g.epsg}`,
    attribution: known?.attribution ?? basename(file),
    covers: (lon, lat) => {
      if (!inBbox(bbox, lon, lat)) return false;
      const [c, r] = lonLatToPixel(g, lon, lat);
      return pixelInside(g, c, r);
    },
    sample: (lon, lat) => at(dem, lon, lat),
    sampleFilled: (lon, lat) => at(filled, lon, lat),
  };
}

/** Build a mosaic from already-loaded sources (finest first is enforced here). */
export function mosaicOf(sources: readonly DemSource[], geoid: GeoidGrid): TerrainMosaic {
  const ordered = sources.toSorted((a, b) => a.info.resolutionM - b.info.resolutionM || a.info.file.localeCompare(b.info.file));
  const first = (lon: number, lat: number, filled: boolean): number | null => {
    for (const s of ordered) {
      if (!inBbox(s.bbox, lon, lat)) continue;
      const h = filled ? s.sampleFilled(lon, lat) : s.sample(lon, lat);
      // A void in a finer source falls through to a coarser one that may have data there.
      if (h !== null) return h;
    }
    return null;
  };
  return {
    sources: ordered.map((s) => s.info),
    demSources: ordered,
    heightSourceM: (lon, lat) => first(lon, lat, false),
    heightEllipsoidalM: (lon, lat) => {
      const h = first(lon, lat, false);
      return h === null ? null : h + geoidUndulationM(geoid, lon, lat);
    },
    heightEllipsoidalFilledM: (lon, lat) => {
      const h = first(lon, lat, true);
      return h === null ? null : h + geoidUndulationM(geoid, lon, lat);
    },
    covers: (lon, lat) => ordered.some((s) => inBbox(s.bbox, lon, lat) && s.covers(lon, lat)),
  };
}

/**
 * Load every DEM under `<dataDir>/dem`. Multi-band byte GeoTIFFs there are imagery (the imagery step's) and
 * are skipped; any other multi-band raster is skipped too, as it cannot be a height grid.
 */
export async function loadTerrainModel(dataDir: string, geoid: GeoidGrid): Promise<TerrainMosaic> {
  const sources: DemSource[] = [];
  for (const path of findDemFiles(join(dataDir, 'dem'))) {
    const file = relative(dataDir, path).split(sep).join('/');
    if (/\.hgt(\.zip)?$/i.test(path)) {
      sources.push(hgtSource(readHgtFile(path), file));
    } else {
      const t = await openGeoTiff(path);
      if (t.kind !== 'dem') continue;
      sources.push(tiffSource(await demFromImage(t.image, t.georef), file));
    }
  }
  if (sources.length === 0) throw new Error(`no DEM (.hgt, .hgt.zip, single-band .tif) found under ${join(dataDir, 'dem')}`);
  return mosaicOf(sources, geoid);
}
