/**
 * GeoTIFF georeferencing, shared by the tileset pipeline (DEMs, imagery) and the coverage import: tiepoint + pixel
 * scale (or a north-up ModelTransformation), the EPSG code from the GeoKeys, and the PixelIsArea / PixelIsPoint
 * convention, normalised to the outer corner of the first pixel. Pure: reads tags from a geotiff.js image.
 */
import type { GeoTIFFImage } from 'geotiff';
import { isKnownEpsg, type Epsg } from './crs';

/** GTRasterTypeGeoKey (1025) values. */
const RASTER_PIXEL_IS_AREA = 1;
const RASTER_PIXEL_IS_POINT = 2;
/** ProjectedCSTypeGeoKey / GeographicTypeGeoKey value of a CRS defined in the file itself, not by an EPSG code. */
const USER_DEFINED = 32767;

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

/**
 * Why a raster has no usable georeference:
 *   no-position   no ModelTiepoint + ModelPixelScale and no ModelTransformation;
 *   no-crs        a position but no ProjectedCSTypeGeoKey / GeographicTypeGeoKey;
 *   unknown-crs   an EPSG code the registry lacks, or a user-defined CRS;
 *   unsupported   rotated or south-up rasters, an unknown raster type.
 */
export type GeorefFailure = { readonly ok: false; readonly reason: 'no-position' | 'no-crs' | 'unknown-crs' | 'unsupported'; readonly message: string; readonly code?: number };
export type GeorefResult = { readonly ok: true; readonly georef: RasterGeoref } | GeorefFailure;

/** The georeference of a GeoTIFF image, or why there is none. */
export function georefOf(image: GeoTIFFImage): GeorefResult {
  const fd = image.fileDirectory;
  const keys = image.getGeoKeys() ?? {};
  const tie = fd.getValue('ModelTiepoint') as ArrayLike<number> | undefined;
  const scale = fd.getValue('ModelPixelScale') as ArrayLike<number> | undefined;
  const mt = fd.getValue('ModelTransformation') as ArrayLike<number> | undefined;
  let i0: number, j0: number, x0: number, y0: number, sx: number, sy: number;
  if (tie && tie.length >= 6 && scale && scale.length >= 2) {
    [i0, j0, x0, y0, sx, sy] = [tie[0]!, tie[1]!, tie[3]!, tie[4]!, scale[0]!, scale[1]!];
  } else if (mt && mt.length >= 16) {
    if (mt[1] !== 0 || mt[4] !== 0) return { ok: false, reason: 'unsupported', message: 'rotated ModelTransformation is not supported' };
    [i0, j0, x0, y0, sx, sy] = [0, 0, mt[3]!, mt[7]!, mt[0]!, -mt[5]!];
  } else {
    return { ok: false, reason: 'no-position', message: 'no ModelTiepoint/ModelPixelScale or ModelTransformation' };
  }
  const raw: unknown = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey;
  if (raw === undefined || raw === null) return { ok: false, reason: 'no-crs', message: 'no ProjectedCSTypeGeoKey or GeographicTypeGeoKey: the CRS is not stated' };
  const code = Number(raw);
  if (code === USER_DEFINED) return { ok: false, reason: 'unknown-crs', code, message: 'a user-defined CRS (GeoKey 32767), not an EPSG code' };
  if (!isKnownEpsg(code)) return { ok: false, reason: 'unknown-crs', code, message: `EPSG:${code} (from the GeoKeys) is not in the CRS registry` };
  const rasterType = Number(keys.GTRasterTypeGeoKey ?? RASTER_PIXEL_IS_AREA);
  if (rasterType !== RASTER_PIXEL_IS_AREA && rasterType !== RASTER_PIXEL_IS_POINT) return { ok: false, reason: 'unsupported', message: `unknown GTRasterTypeGeoKey ${rasterType}` };
  if (!(sx > 0 && sy > 0)) return { ok: false, reason: 'unsupported', message: `expected a north-up raster (positive pixel scales), got ${sx}, ${sy}` };
  const pixelIsArea = rasterType === RASTER_PIXEL_IS_AREA;
  // In PixelIsPoint raster space (0, 0) is the centre of the first pixel, i.e. half a pixel inside its corner.
  const half = pixelIsArea ? 0 : 0.5;
  return {
    ok: true,
    georef: {
      epsg: code,
      width: image.getWidth(),
      height: image.getHeight(),
      originX: x0 - (i0 + half) * sx,
      originY: y0 + (j0 + half) * sy,
      scaleX: sx,
      scaleY: sy,
      pixelIsArea,
    },
  };
}

/** The GDAL_NODATA tag as a number, null when absent or not numeric. */
export function noDataOf(image: GeoTIFFImage): number | null {
  const fd = image.fileDirectory;
  if (!fd.hasTag('GDAL_NODATA')) return null;
  const nd = Number.parseFloat(String(fd.getValue('GDAL_NODATA')));
  return Number.isFinite(nd) ? nd : null;
}
