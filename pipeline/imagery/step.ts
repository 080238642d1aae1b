/**
 * Imagery step: every 3-band byte GeoTIFF under <data>/dem is warped to a north-up EPSG:4326 PNG over its
 * WGS84 bbox, ready for a Cesium SingleTileImageryProvider (which expects a lon/lat-aligned rectangle).
 * Pixels outside the source raster are transparent: a UTM square is a tilted quadrilateral in lon/lat.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { PNG } from 'pngjs';
import type { ManifestEntry, PipelineContext } from '../context';
import { type RasterGeoref, georefFootprint, georefResolutionM, lonLatToPixel, openGeoTiff } from '../terrain/geotiff-dem';
import { findDemFiles } from '../terrain/model';

const M_PER_DEG = (6371008.8 * Math.PI) / 180;

interface ImageMeta {
  readonly title: string;
  readonly source: string;
  readonly licence: string;
  readonly attribution: string;
}

/** What the data's SOURCES.md says about the images we know by name. */
const KNOWN_IMAGES: Readonly<Record<string, ImageMeta>> = {
  'plzen_landsat8_rgb_utm33.tif': {
    title: 'Landsat 8 true colour, Plzeň, 2024-05-13',
    source: 'USGS Landsat 8 (scene LC08 192/025)',
    licence: 'public domain',
    attribution: 'Landsat 8 imagery courtesy of the U.S. Geological Survey',
  },
};

export interface WarpedImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, row 0 at the north. */
  readonly rgba: Uint8Array;
  /** The exact rectangle of the pixel grid (outer edges), WGS84 degrees [west, south, east, north]. */
  readonly bbox: [number, number, number, number];
}

/**
 * Warp band-separate byte rasters to a lon/lat grid: the output bbox is the source outline's bbox rounded
 * outwards to 1e-6°, the pixel count keeps roughly the source's ground resolution on both axes, and each
 * output pixel centre is sampled bilinearly between source pixel centres (edge pixels clamp).
 */
export function warpToLonLat(g: RasterGeoref, bands: ReadonlyArray<ArrayLike<number>>): WarpedImage {
  const ring = georefFootprint(g, 64);
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const west = Math.floor(Math.min(...lons) * 1e6) / 1e6;
  const east = Math.ceil(Math.max(...lons) * 1e6) / 1e6;
  const south = Math.floor(Math.min(...lats) * 1e6) / 1e6;
  const north = Math.ceil(Math.max(...lats) * 1e6) / 1e6;
  const resM = georefResolutionM(g);
  const midLat = ((south + north) / 2) * (Math.PI / 180);
  const width = Math.max(1, Math.round(((east - west) * M_PER_DEG * Math.cos(midLat)) / resM));
  const height = Math.max(1, Math.round(((north - south) * M_PER_DEG) / resM));
  const dLon = (east - west) / width;
  const dLat = (north - south) / height;
  const rgba = new Uint8Array(width * height * 4);
  const [b0, b1, b2] = [bands[0]!, bands[1]!, bands[2]!];
  for (let row = 0; row < height; row++) {
    const lat = north - (row + 0.5) * dLat;
    for (let col = 0; col < width; col++) {
      const [c, r] = lonLatToPixel(g, west + (col + 0.5) * dLon, lat);
      // Inside the source's pixel area, i.e. within half a pixel of the outer pixel centres.
      if (!(c >= -0.5 && r >= -0.5 && c < g.width - 0.5 && r < g.height - 0.5)) continue;
      const x = Math.min(Math.max(c, 0), g.width - 1);
      const y = Math.min(Math.max(r, 0), g.height - 1);
      const x0 = Math.min(Math.floor(x), g.width - 2);
      const y0 = Math.min(Math.floor(y), g.height - 2);
      const fx = x - x0, fy = y - y0;
      const i = y0 * g.width + x0;
      const o = (row * width + col) * 4;
      [b0, b1, b2].forEach((b, k) => {
        const top = b[i]! * (1 - fx) + b[i + 1]! * fx;
        const bottom = b[i + g.width]! * (1 - fx) + b[i + g.width + 1]! * fx;
        rgba[o + k] = Math.round(top * (1 - fy) + bottom * fy);
      });
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba, bbox: [west, south, east, north] };
}

export function encodePng(img: WarpedImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 6 });
  png.data = Buffer.from(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength);
  return PNG.sync.write(png, { colorType: 6, deflateLevel: 9 });
}

export async function buildImagery(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const outDir = join(ctx.outDir, 'imagery');
  rmSync(outDir, { recursive: true, force: true });
  const entries: ManifestEntry[] = [];
  for (const path of findDemFiles(join(ctx.dataDir, 'dem'))) {
    if (!/\.tiff?$/i.test(path)) continue;
    const t = await openGeoTiff(path);
    if (t.kind !== 'imagery' || t.samplesPerPixel !== 3) continue;
    const bands = await t.image.readRasters({ interleave: false });
    const img = warpToLonLat(t.georef, bands);
    const file = basename(path);
    // The PNG is no longer in the source CRS, so a "_utm33"-style suffix would mislead.
    const name = file.replace(/\.tiff?$/i, '').replace(/_utm\d+$/i, '');
    const png = encodePng(img);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `${name}.png`), png);
    ctx.log(`imagery: ${name}.png ${img.width}x${img.height}, ${png.byteLength} bytes, bbox ${img.bbox.join(', ')}`);
    const rel = relative(ctx.dataDir, path).split(sep).join('/');
    const meta = KNOWN_IMAGES[file] ?? { title: name, source: rel, licence: 'unknown: see the SOURCES.md next to the file', attribution: rel };
    entries.push({
      id: `imagery-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64),
      kind: 'imagery',
      url: `imagery/${name}.png`,
      ...meta,
      sourceCrs: `EPSG:${t.georef.epsg}`,
      sourceVerticalDatum: 'none',
      bbox: [...img.bbox],
      extras: { width: img.width, height: img.height, sourceResolutionM: Math.round(georefResolutionM(t.georef) * 100) / 100 },
    });
  }
  return entries;
}
