/**
 * Single-band GeoTIFF DEMs (and the georeferencing shared with the imagery step): tiepoint + pixel scale,
 * the EPSG code from the GeoKeys, and the PixelIsArea / PixelIsPoint convention. Sampling goes WGS84 ->
 * raster CRS with the registry's proj4 converter, then bilinear between pixel centres.
 */
import { readFileSync } from 'node:fs';
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { type Epsg, converter, crsInfo, isKnownEpsg } from '../../../src/geo/crs';
import { type HeightGrid, sampleBilinear } from './grid';

/** GTRasterTypeGeoKey (1025) values. */
const RASTER_PIXEL_IS_AREA = 1;
const RASTER_PIXEL_IS_POINT = 2;
/** Metres per degree of latitude on the mean-radius sphere (only for stating resolutions). */
const M_PER_DEG = (6371008.8 * Math.PI) / 180;

/**
 * North-up raster georeferencing, normalised to the outer corner of the first pixel so PixelIsPoint files
 * (whose tiepoint names the first pixel's centre) and PixelIsArea files (its corner) are handled alike.
 */
export interface RasterGeoref {
  readonly epsg: Epsg;
  readonly width: number;
  readonly height: number;
  /** Map coordinates of the north-west corner of pixel (0, 0). */
  readonly originX: number;
  readonly originY: number;
  /** Pixel size in map units, both positive (rows run southwards). */
  readonly scaleX: number;
  readonly scaleY: number;
  readonly pixelIsArea: boolean;
}

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
  const fd = image.fileDirectory;
  const keys = image.getGeoKeys() ?? {};
  const code = Number(keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey);
  if (!isKnownEpsg(code)) throw new Error(`${name}: EPSG:${code} (from the GeoKeys) is not in the CRS registry`);
  const rasterType = Number(keys.GTRasterTypeGeoKey ?? RASTER_PIXEL_IS_AREA);
  if (rasterType !== RASTER_PIXEL_IS_AREA && rasterType !== RASTER_PIXEL_IS_POINT) {
    throw new Error(`${name}: unknown GTRasterTypeGeoKey ${rasterType}`);
  }
  const pixelIsArea = rasterType === RASTER_PIXEL_IS_AREA;
  const tie = fd.getValue('ModelTiepoint') as ArrayLike<number> | undefined;
  const scale = fd.getValue('ModelPixelScale') as ArrayLike<number> | undefined;
  const mt = fd.getValue('ModelTransformation') as ArrayLike<number> | undefined;
  let i0: number, j0: number, x0: number, y0: number, sx: number, sy: number;
  if (tie && tie.length >= 6 && scale && scale.length >= 2) {
    [i0, j0, x0, y0, sx, sy] = [tie[0]!, tie[1]!, tie[3]!, tie[4]!, scale[0]!, scale[1]!];
  } else if (mt && mt.length >= 16) {
    if (mt[1] !== 0 || mt[4] !== 0) throw new Error(`${name}: rotated ModelTransformation is not supported`);
    [i0, j0, x0, y0, sx, sy] = [0, 0, mt[3]!, mt[7]!, mt[0]!, -mt[5]!];
  } else {
    throw new Error(`${name}: no ModelTiepoint/ModelPixelScale or ModelTransformation`);
  }
  if (!(sx > 0 && sy > 0)) throw new Error(`${name}: expected a north-up raster (positive pixel scales), got ${sx}, ${sy}`);
  // In PixelIsPoint raster space (0, 0) is the centre of the first pixel, i.e. half a pixel inside its corner.
  const half = pixelIsArea ? 0 : 0.5;
  return {
    epsg: code,
    width: image.getWidth(),
    height: image.getHeight(),
    originX: x0 - (i0 + half) * sx,
    originY: y0 + (j0 + half) * sy,
    scaleX: sx,
    scaleY: sy,
    pixelIsArea,
  };
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
  const nd = image.fileDirectory.hasTag('GDAL_NODATA') ? Number.parseFloat(String(image.fileDirectory.getValue('GDAL_NODATA'))) : Number.NaN;
  const noData = Number.isFinite(nd) ? nd : null;
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
