/**
 * Single-band GeoTIFF DEMs, and the raster helpers the imagery step shares. The georeferencing itself (tiepoint +
 * pixel scale, the EPSG code from the GeoKeys, PixelIsArea / PixelIsPoint) is `core/geo/georef.ts`, which
 * the coverage import reads rasters with too. Sampling goes WGS84 -> raster CRS with the registry's proj4
 * converter, then bilinear between pixel centres.
 */
import { readFileSync } from 'node:fs';
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { converter, crsInfo } from '../../core/geo/crs';
import { georefOf, noDataOf, type RasterGeoref } from '../../core/geo/georef';
import { type HeightGrid, sampleBilinear } from './grid';

/** Metres per degree of latitude on the mean-radius sphere (only for stating resolutions). */
const M_PER_DEG = (6371008.8 * Math.PI) / 180;

export type { RasterGeoref };

export type TiffKind = 'dem' | 'imagery' | 'other';

export interface OpenedTiff {
  readonly image: GeoTIFFImage;
  readonly georef: RasterGeoref;
  readonly kind: TiffKind;
  readonly samplesPerPixel: number;
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  const ab = new ArrayBuffer(b.byteLength);
  new Uint8Array(ab).set(b);
  return ab;
}

/** Read the georeferencing of a GeoTIFF image; throws on rotated rasters or a CRS the registry lacks. */
export function readGeoref(image: GeoTIFFImage, name: string): RasterGeoref {
  const r = georefOf(image);
  if (!r.ok) throw new Error(`${name}: ${r.message}`);
  return r.georef;
}

function classify(image: GeoTIFFImage): TiffKind {
  const spp = image.getSamplesPerPixel();
  if (spp === 1) return 'dem';
  const bits = image.fileDirectory.getValue('BitsPerSample') as ArrayLike<number> | undefined;
  const allBytes = bits !== undefined && Array.from(bits).every((b) => b === 8);
  return spp >= 3 && allBytes ? 'imagery' : 'other';
}

export async function openGeoTiff(path: string): Promise<OpenedTiff> {
  const tiff = await fromArrayBuffer(toArrayBuffer(readFileSync(path)));
  const image = await tiff.getImage(0);
  return { image, georef: readGeoref(image, path), kind: classify(image), samplesPerPixel: image.getSamplesPerPixel() };
}

/** Map coordinates of a raster-corner coordinate (u = 0 west edge of column 0, v = 0 north edge of row 0). */
export function rasterToMap(g: RasterGeoref, u: number, v: number): [number, number] {
  return [g.originX + u * g.scaleX, g.originY - v * g.scaleY];
}

/** Fractional pixel-centre indices (0 = centre of the first column / row) of a map coordinate. */
export function mapToPixel(g: RasterGeoref, x: number, y: number): [number, number] {
  return [(x - g.originX) / g.scaleX - 0.5, (g.originY - y) / g.scaleY - 0.5];
}

/** Inside the raster's pixel area (the half pixel beyond the outer centres included). */
export function pixelInside(g: RasterGeoref, col: number, row: number): boolean {
  return col >= -0.5 && row >= -0.5 && col <= g.width - 0.5 && row <= g.height - 0.5;
}

/** WGS84 lon/lat -> fractional pixel-centre indices. */
export function lonLatToPixel(g: RasterGeoref, lonDeg: number, latDeg: number): [number, number] {
  const [x, y] = converter(4326, g.epsg).forward([lonDeg, latDeg]) as [number, number];
  return mapToPixel(g, x, y);
}

/**
 * The raster's outline as a closed, counter-clockwise WGS84 ring: the pixel-area boundary sampled every
 * 1/`perEdge` of a side, because a projected square is not a lon/lat rectangle (meridian convergence).
 */
export function georefFootprint(g: RasterGeoref, perEdge = 32): Array<[number, number]> {
  const inv = converter(g.epsg, 4326);
  const ring: Array<[number, number]> = [];
  const push = (u: number, v: number): void => {
    const [lon, lat] = inv.forward(rasterToMap(g, u, v)) as [number, number];
    ring.push([Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7]);
  };
  // Raster order with rows running south: NW -> SW -> SE -> NE is counter-clockwise on the map.
  for (let k = 0; k < perEdge; k++) push(0, (g.height * k) / perEdge);
  for (let k = 0; k < perEdge; k++) push((g.width * k) / perEdge, g.height);
  for (let k = 0; k < perEdge; k++) push(g.width, g.height - (g.height * k) / perEdge);
  for (let k = 0; k < perEdge; k++) push(g.width - (g.width * k) / perEdge, 0);
  ring.push([ring[0]![0], ring[0]![1]]);
  return ring;
}

/** Approximate ground pixel size in metres (for choosing tile levels and output resolutions). */
export function georefResolutionM(g: RasterGeoref): number {
  return crsInfo(g.epsg).geographic ? g.scaleY * M_PER_DEG : Math.sqrt(g.scaleX * g.scaleY);
}

export interface GeoTiffDem extends HeightGrid {
  readonly georef: RasterGeoref;
  readonly noData: number | null;
}

/** The first band as heights (GDAL_NODATA -> NaN). Throws if the file is not a single-band raster. */
export async function readGeoTiffDem(path: string): Promise<GeoTiffDem> {
  const { image, georef, kind } = await openGeoTiff(path);
  if (kind !== 'dem') throw new Error(`${path}: not a single-band DEM`);
  return demFromImage(image, georef);
}

export async function demFromImage(image: GeoTIFFImage, georef: RasterGeoref): Promise<GeoTiffDem> {
  const rasters = await image.readRasters({ interleave: false });
  const band = rasters[0];
  if (!band) throw new Error('GeoTIFF DEM: no band');
  const noData = noDataOf(image);
  const values = new Float32Array(band.length);
  for (let i = 0; i < band.length; i++) {
    const h = Number(band[i]);
    values[i] = h === noData || !Number.isFinite(h) ? Number.NaN : h;
  }
  return { cols: georef.width, rows: georef.height, values, georef, noData };
}

/** Bilinear height between pixel centres; the outer half pixel takes the edge value. Null outside or void. */
export function sampleGeoTiffDem(d: GeoTiffDem, lonDeg: number, latDeg: number): number | null {
  const [c, r] = lonLatToPixel(d.georef, lonDeg, latDeg);
  if (!pixelInside(d.georef, c, r)) return null;
  return sampleBilinear(d, Math.min(Math.max(c, 0), d.cols - 1), Math.min(Math.max(r, 0), d.rows - 1));
}

export function geoTiffDemCovers(d: GeoTiffDem, lonDeg: number, latDeg: number): boolean {
  const [c, r] = lonLatToPixel(d.georef, lonDeg, latDeg);
  return pixelInside(d.georef, c, r);
}
