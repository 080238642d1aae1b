/**
 * From the EPSG:3035 grid to what Cesium drapes: an equirectangular WGS84 (EPSG:4326) RGBA image over a lon/lat
 * rectangle (layout in `types.ts`). Each output pixel is mapped back to EPSG:3035 and takes the colour of the
 * cell it falls in (nearest cell: a heatmap's cells are its data, so their edges stay sharp and no colour is
 * invented between two cells).
 *
 * The inverse mapping does not call proj4 per pixel (a million calls, about a second): it transforms a coarse
 * lattice of pixels exactly through the CRS registry and interpolates bilinearly between lattice nodes, as
 * GDAL's approximate transformer does. LAEA is smooth, so the interpolation error is small and grows with the
 * square of the node spacing: over the region (lon 11.8–14.5°, lat 48.5–50.5°) with pixels of about 250 m it is
 * 0.38 m with a node every 16 px (4 km), 6 m every 64 px (test/unit/workers/aggregate/warp.test.ts measures it
 * against exact per-pixel transforms). 16 px keeps it at 1/250 of the smallest (100 m) cell for 2,000 proj4 calls
 * instead of 480,000 (800 × 600 px).
 */
import { converter } from '../geo/crs';
import { colourize } from './colour';
import type { ColourSpec, Extent3035, GridSpec3035, LonLatImageSpec, LonLatRect } from './types';

/** Pixels between lattice nodes. */
export const DEFAULT_LATTICE_PX = 16;
/** Largest side of a lon/lat image: a texture size practically every GPU takes (WebGL 2 guarantees 2048, the default size's cap). */
export const MAX_IMAGE_PX = 4096;

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

function checkSpec(spec: LonLatImageSpec): void {
  const { westDeg, southDeg, eastDeg, northDeg, width, height } = spec;
  if (![westDeg, southDeg, eastDeg, northDeg].every(Number.isFinite) || !(eastDeg > westDeg) || !(northDeg > southDeg)) {
    throw new RangeError(`lon/lat rectangle ${westDeg}, ${southDeg}, ${eastDeg}, ${northDeg} is not valid`);
  }
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width <= MAX_IMAGE_PX && height <= MAX_IMAGE_PX)) {
    throw new RangeError(`image size ${width}×${height} is not within 1..${MAX_IMAGE_PX}`);
  }
}

/** Points along the boundary of a rectangle, `perEdge` per side, as [a0, b0, a1, b1, …]. */
function boundary(a0: number, b0: number, a1: number, b1: number, perEdge: number): number[] {
  const pts: number[] = [];
  for (let k = 0; k <= perEdge; k++) {
    const f = k / perEdge;
    const a = a0 + (a1 - a0) * f;
    const b = b0 + (b1 - b0) * f;
    pts.push(a, b0, a, b1, a0, b, a1, b);
  }
  return pts;
}

/**
 * The lon/lat rectangle enclosing a grid. Straight grid edges are curves in lon/lat (the northern edge bows
 * north in the middle), so each edge is sampled at `perEdge` points; between samples 4 km apart the curve strays
 * from its chord by well under a metre.
 */
export function lonLatBoundsOfGrid(grid: GridSpec3035, perEdge = 64): LonLatRect {
  const c = converter(3035, 4326);
  const x1 = grid.xMinM + grid.width * grid.cellM;
  const y0 = grid.yMaxM - grid.height * grid.cellM;
  const pts = boundary(grid.xMinM, y0, x1, grid.yMaxM, perEdge);
  let westDeg = Infinity;
  let southDeg = Infinity;
  let eastDeg = -Infinity;
  let northDeg = -Infinity;
  for (let k = 0; k < pts.length; k += 2) {
    const [lon, lat] = c.forward([pts[k]!, pts[k + 1]!]) as [number, number];
    westDeg = Math.min(westDeg, lon);
    eastDeg = Math.max(eastDeg, lon);
    southDeg = Math.min(southDeg, lat);
    northDeg = Math.max(northDeg, lat);
  }
  return { westDeg, southDeg, eastDeg, northDeg };
}

/** The EPSG:3035 rectangle enclosing a lon/lat rectangle (for `gridForExtent` from the camera's view rectangle). */
export function extentOfLonLatRect(rect: LonLatRect, perEdge = 64): Extent3035 {
  const c = converter(4326, 3035);
  const pts = boundary(rect.westDeg, rect.southDeg, rect.eastDeg, rect.northDeg, perEdge);
  let xMinM = Infinity;
  let yMinM = Infinity;
  let xMaxM = -Infinity;
  let yMaxM = -Infinity;
  for (let k = 0; k < pts.length; k += 2) {
    const [x, y] = c.forward([pts[k]!, pts[k + 1]!]) as [number, number];
    xMinM = Math.min(xMinM, x);
    xMaxM = Math.max(xMaxM, x);
    yMinM = Math.min(yMinM, y);
    yMaxM = Math.max(yMaxM, y);
  }
  return { xMinM, yMinM, xMaxM, yMaxM };
}

/**
 * The lon/lat image for a grid: its enclosing rectangle with about `pxPerCell` pixels per cell across (at the
 * rectangle's middle latitude), at most `maxPx` on a side. One pixel per cell keeps the image as small as the
 * data; two make the stair-steps of cell edges in the reprojected image finer.
 */
export function imageSpecForGrid(grid: GridSpec3035, pxPerCell = 1, maxPx = 2048): LonLatImageSpec {
  const rect = lonLatBoundsOfGrid(grid);
  const midLat = ((rect.southDeg + rect.northDeg) / 2) * DEG;
  const ewM = (rect.eastDeg - rect.westDeg) * DEG * EARTH_RADIUS_M * Math.cos(midLat);
  const nsM = (rect.northDeg - rect.southDeg) * DEG * EARTH_RADIUS_M;
  const side = (m: number): number => Math.max(1, Math.min(maxPx, MAX_IMAGE_PX, Math.ceil((m / grid.cellM) * pxPerCell)));
  return { ...rect, width: side(ewM), height: side(nsM) };
}

/**
 * The exactly transformed lattice: node (k, l) is the centre of pixel (k·step, l·step), clamped to the last
 * pixel so the lattice always spans the image. Node EPSG:3035 x at [2(l·nx + k)], y at [2(l·nx + k) + 1].
 */
export interface WarpLattice {
  readonly nx: number;
  readonly ny: number;
  readonly step: number;
  readonly xy: Float64Array;
  /** Pixel column / row of each node column / row. */
  readonly cols: Float64Array;
  readonly rows: Float64Array;
}

function nodePositions(size: number, step: number): Float64Array {
  const n = Math.max(2, Math.ceil((size - 1) / step) + 1);
  return Float64Array.from({ length: n }, (_, k) => Math.min(k * step, size - 1));
}

export function warpLattice(spec: LonLatImageSpec, latticePx = DEFAULT_LATTICE_PX): WarpLattice {
  checkSpec(spec);
  const step = Math.max(1, Math.floor(latticePx));
  const cols = nodePositions(spec.width, step);
  const rows = nodePositions(spec.height, step);
  const nx = cols.length;
  const ny = rows.length;
  const dLon = (spec.eastDeg - spec.westDeg) / spec.width;
  const dLat = (spec.northDeg - spec.southDeg) / spec.height;
  const c = converter(4326, 3035);
  const xy = new Float64Array(nx * ny * 2);
  for (let l = 0; l < ny; l++) {
    const lat = spec.northDeg - (rows[l]! + 0.5) * dLat;
    for (let k = 0; k < nx; k++) {
      const [x, y] = c.forward([spec.westDeg + (cols[k]! + 0.5) * dLon, lat]) as [number, number];
      xy[2 * (l * nx + k)] = x;
      xy[2 * (l * nx + k) + 1] = y;
    }
  }
  return { nx, ny, step, xy, cols, rows };
}

/**
 * EPSG:3035 x, y of every pixel of row `j`, bilinear between lattice nodes, into `outX`/`outY` (width long);
 * `nodeX`/`nodeY` (nx long) are scratch. Shared by the warp and its accuracy test.
 */
export function latticeRow(lat: WarpLattice, j: number, width: number, outX: Float64Array, outY: Float64Array, nodeX: Float64Array, nodeY: Float64Array): void {
  const { nx, ny, xy, cols, rows, step } = lat;
  const l = Math.min(Math.floor(j / step), ny - 2);
  // A one-pixel image has both nodes on the same pixel: no span to interpolate over.
  const rowSpan = rows[l + 1]! - rows[l]!;
  const fy = rowSpan > 0 ? (j - rows[l]!) / rowSpan : 0;
  const a = 2 * l * nx;
  const b = 2 * (l + 1) * nx;
  for (let k = 0; k < nx; k++) {
    nodeX[k] = xy[a + 2 * k]! + (xy[b + 2 * k]! - xy[a + 2 * k]!) * fy;
    nodeY[k] = xy[a + 2 * k + 1]! + (xy[b + 2 * k + 1]! - xy[a + 2 * k + 1]!) * fy;
  }
  for (let k = 0; k < nx - 1; k++) {
    const i0 = cols[k]!;
    const i1 = k === nx - 2 ? width : cols[k + 1]!;
    const span = cols[k + 1]! - i0;
    const x0 = nodeX[k]!;
    const y0 = nodeY[k]!;
    const dx = span > 0 ? (nodeX[k + 1]! - x0) / span : 0;
    const dy = span > 0 ? (nodeY[k + 1]! - y0) / span : 0;
    for (let i = i0; i < i1; i++) {
      outX[i] = x0 + dx * (i - i0);
      outY[i] = y0 + dy * (i - i0);
    }
  }
}

function sampleRow(
  px: Float64Array, py: Float64Array, width: number, cells: Uint32Array,
  x0: number, y0: number, inv: number, gw: number, gh: number, out: Uint32Array, o: number,
): void {
  for (let i = 0; i < width; i++) {
    const fx = (px[i]! - x0) * inv;
    const fy = (y0 - py[i]!) * inv;
    out[o + i] = fx >= 0 && fx < gw && fy >= 0 && fy < gh ? cells[(fy | 0) * gw + (fx | 0)]! : 0;
  }
}

export interface WarpOptions {
  /** Needed when the source is GridValues: the values are coloured first. */
  colour?: ColourSpec;
  latticePx?: number;
  /** Write into this (width·height·4) instead of a new array. */
  out?: Uint8ClampedArray;
}

/**
 * The grid's colours (RGBA on the grid, or GridValues with `colour`) as a lon/lat image over `spec`; pixels
 * outside the grid are transparent.
 */
export function warpToLonLat(src: Uint8ClampedArray | Float32Array, grid: GridSpec3035, spec: LonLatImageSpec, options: WarpOptions = {}): Uint8ClampedArray {
  checkSpec(spec);
  const cellsN = grid.width * grid.height;
  let rgba: Uint8ClampedArray;
  if (src instanceof Float32Array) {
    if (!options.colour) throw new RangeError('warping GridValues needs a colour spec');
    if (src.length !== cellsN) throw new RangeError('values do not match the grid');
    rgba = colourize(src, options.colour);
  } else {
    if (src.length !== cellsN * 4) throw new RangeError('rgba does not match the grid');
    rgba = src;
  }
  const cells = rgba.byteOffset % 4 === 0 ? new Uint32Array(rgba.buffer, rgba.byteOffset, cellsN) : new Uint32Array(Uint8Array.from(rgba).buffer);
  const { width, height } = spec;
  const out = options.out ?? new Uint8ClampedArray(width * height * 4);
  if (out.length !== width * height * 4 || out.byteOffset % 4 !== 0) throw new RangeError('output does not match the image size');
  const words = new Uint32Array(out.buffer, out.byteOffset, width * height);
  const lat = warpLattice(spec, options.latticePx);
  const px = new Float64Array(width);
  const py = new Float64Array(width);
  const nodeX = new Float64Array(lat.nx);
  const nodeY = new Float64Array(lat.nx);
  const inv = 1 / grid.cellM;
  for (let j = 0; j < height; j++) {
    latticeRow(lat, j, width, px, py, nodeX, nodeY);
    sampleRow(px, py, width, cells, grid.xMinM, grid.yMaxM, inv, grid.width, grid.height, words, j * width);
  }
  return out;
}
