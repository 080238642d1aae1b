/**
 * A coverage GeoTIFF, sampled nearest-neighbour at every analysis cell centre (see `import.ts`).
 */
import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import { allCrs, converter, type Epsg } from '../geo/crs';
import { yieldToEventLoop } from '../reproject/reproject';
import { georefOf, noDataOf, type RasterGeoref } from '../geo/georef';
import { DEFAULT_CHUNK_CELLS, RSRP_RANGE_DBM, cancelCheck, cellCount, grdText, type ImportGridHooks, type Warnings } from './import-common';
import { CoverageInputError, FLAG_COVERED_DBM, type GridSpec3035, type ImportedGrid, type ImportGridJob } from './types';

/** Lattice spacing of exact transforms for raster resampling, in analysis cells. */
const LATTICE_STEP = 16;

export const isTiff = (b: Uint8Array): boolean =>
  b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && (b[2] === 42 || b[2] === 43) && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 42 || b[3] === 43)));

function georefOrThrow(image: GeoTIFFImage, fileName: string): RasterGeoref {
  const r = georefOf(image);
  if (r.ok) return r.georef;
  const known = allCrs().map((c) => `EPSG:${c.epsg}`).join(', ');
  if (r.reason === 'no-position' || r.reason === 'no-crs') {
    throw new CoverageInputError('no-georeference', `${fileName} is a TIFF without a usable georeference (${r.message}); save it as a GeoTIFF with its coordinate system, in one of ${known}`);
  }
  if (r.reason === 'unknown-crs') throw new CoverageInputError('unsupported', `${fileName}: ${r.message}; the twin knows ${known}: reproject the raster to one of them`);
  throw new CoverageInputError('unsupported', `${fileName}: ${r.message}`);
}

/** Lattice positions along an axis of n cells: every LATTICE_STEP-th, and the last. */
function latticeNodes(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i += LATTICE_STEP) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * For every analysis cell centre, its raster-CRS coordinates, row by row: exact transforms on a lattice of every
 * `LATTICE_STEP`-th cell (plus the last row and column), bilinear in between. Calls `visit(row, X, Y)` with the
 * row's coordinates in reused arrays.
 */
async function forEachRowInCrs(
  grid: GridSpec3035,
  epsg: Epsg,
  hooks: ImportGridHooks,
  progress: (f: number) => void,
  visit: (row: number, X: Float64Array, Y: Float64Array) => void,
): Promise<void> {
  const { width, height, xMinM, yMaxM, cellM } = grid;
  const cols = latticeNodes(width);
  const rowsAt = latticeNodes(height);
  const conv = epsg === 3035 ? null : converter(3035, epsg);
  const LX = new Float64Array(cols.length * rowsAt.length);
  const LY = new Float64Array(cols.length * rowsAt.length);
  rowsAt.forEach((r, j) => {
    cols.forEach((c, i) => {
      const x = xMinM + (c + 0.5) * cellM;
      const y = yMaxM - (r + 0.5) * cellM;
      const [X, Y] = conv ? (conv.forward([x, y]) as [number, number]) : [x, y];
      LX[j * cols.length + i] = X;
      LY[j * cols.length + i] = Y;
    });
  });
  const rowX = new Float64Array(cols.length);
  const rowY = new Float64Array(cols.length);
  const X = new Float64Array(width);
  const Y = new Float64Array(width);
  const rowsPerChunk = Math.max(1, Math.floor((hooks.chunkCells ?? DEFAULT_CHUNK_CELLS) / width));
  let j = 0;
  for (let row = 0; row < height; row++) {
    if (row > 0 && row % rowsPerChunk === 0) {
      cancelCheck(hooks);
      progress(row / height);
      await yieldToEventLoop();
    }
    while (j + 1 < rowsAt.length - 1 && rowsAt[j + 1]! <= row) j++;
    const r0 = rowsAt[j]!;
    const r1 = rowsAt[Math.min(j + 1, rowsAt.length - 1)]!;
    const t = r1 > r0 ? (row - r0) / (r1 - r0) : 0;
    const a = j * cols.length;
    const b = Math.min(j + 1, rowsAt.length - 1) * cols.length;
    for (let i = 0; i < cols.length; i++) {
      rowX[i] = LX[a + i]! + t * (LX[b + i]! - LX[a + i]!);
      rowY[i] = LY[a + i]! + t * (LY[b + i]! - LY[a + i]!);
    }
    let i = 0;
    for (let col = 0; col < width; col++) {
      while (i + 1 < cols.length - 1 && cols[i + 1]! <= col) i++;
      const c0 = cols[i]!;
      const c1 = cols[Math.min(i + 1, cols.length - 1)]!;
      const s = c1 > c0 ? (col - c0) / (c1 - c0) : 0;
      const i1 = Math.min(i + 1, cols.length - 1);
      X[col] = rowX[i]! + s * (rowX[i1]! - rowX[i]!);
      Y[col] = rowY[i]! + s * (rowY[i1]! - rowY[i]!);
    }
    visit(row, X, Y);
  }
  progress(1);
}

/** The raster window [x0, x1) × [y0, y1), in pixels, that the analysis grid's centres fall in. */
interface PixelWindow { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }

/**
 * Pass 1: the raster window the grid's centres fall in (the lattice's bounding box holds every interpolated point,
 * a convex combination of lattice points). Throws when the raster does not overlap the grid.
 */
async function rasterWindow(grid: GridSpec3035, g: RasterGeoref, fileName: string): Promise<PixelWindow> {
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  await forEachRowInCrs(grid, g.epsg, {}, () => {}, (_row, X, Y) => {
    for (let c = 0; c < X.length; c++) {
      const u = (X[c]! - g.originX) / g.scaleX;
      const v = (g.originY - Y[c]!) / g.scaleY;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
  });
  const wx0 = Math.max(0, Math.floor(u0));
  const wy0 = Math.max(0, Math.floor(v0));
  const wx1 = Math.min(g.width, Math.floor(u1) + 1);
  const wy1 = Math.min(g.height, Math.floor(v1) + 1);
  if (!(wx1 > wx0 && wy1 > wy0)) {
    const [ax, ay] = [g.originX, g.originY];
    const [bx, by] = [g.originX + g.width * g.scaleX, g.originY - g.height * g.scaleY];
    throw new CoverageInputError('outside-grid', `${fileName} (EPSG:${g.epsg}, ${Math.min(ax, bx)} … ${Math.max(ax, bx)}, ${Math.min(ay, by)} … ${Math.max(ay, by)}) does not overlap the analysis grid (${grdText(grid)})`);
  }
  return { x0: wx0, y0: wy0, x1: wx1, y1: wy1 };
}

/** The window's pixels (NaN for nodata) and what they hold. */
interface WindowPixels {
  readonly win: Float32Array;
  readonly noData: number | null;
  readonly finite: number;
  readonly allFlags: boolean;
  readonly vMin: number;
  readonly vMax: number;
}

/** Pass 2: reads the window in strips of whole file blocks, with progress and cancellation between them. */
async function readWindow(image: GeoTIFFImage, w: PixelWindow, hooks: ImportGridHooks): Promise<WindowPixels> {
  const { x0: wx0, y0: wy0, x1: wx1, y1: wy1 } = w;
  const ww = wx1 - wx0;
  const wh = wy1 - wy0;
  const win = new Float32Array(ww * wh);
  const noData = noDataOf(image);
  const block = Math.max(1, image.getTileHeight());
  const stripRows = Math.max(block, Math.floor((hooks.chunkCells ?? DEFAULT_CHUNK_CELLS) / ww / block) * block);
  let finite = 0;
  let allFlags = true;
  let vMin = Infinity, vMax = -Infinity;
  for (let y = wy0; y < wy1; ) {
    cancelCheck(hooks);
    // Strips start on block boundaries so no block is decoded twice.
    const yEnd = Math.min(wy1, (Math.floor(y / block) + 1) * block + stripRows - block);
    const data = await image.readRasters({ window: [wx0, y, wx1, yEnd], samples: [0], interleave: false });
    const band = data[0]!;
    const off = (y - wy0) * ww;
    for (let i = 0; i < band.length; i++) {
      const raw = Number(band[i]);
      const v = raw === noData || !Number.isFinite(raw) ? Number.NaN : raw;
      win[off + i] = v;
      if (Number.isNaN(v)) continue;
      finite++;
      if (v !== 0 && v !== 1) allFlags = false;
      if (v < vMin) vMin = v;
      if (v > vMax) vMax = v;
    }
    hooks.onProgress?.((0.5 * (yEnd - wy0)) / wh);
    y = yEnd;
    await yieldToEventLoop();
  }
  return { win, noData, finite, allFlags, vMin, vMax };
}

export async function importGeoTiff(job: ImportGridJob, hooks: ImportGridHooks, warnings: Warnings): Promise<ImportedGrid> {
  let image: GeoTIFFImage;
  try {
    image = await (await fromArrayBuffer(job.bytes)).getImage(0);
  } catch (e) {
    throw new CoverageInputError('unsupported', `${job.fileName} cannot be read as a TIFF: ${e instanceof Error ? e.message : String(e)}`);
  }
  const g = georefOrThrow(image, job.fileName);
  if (image.getSamplesPerPixel() > 1) warnings.add(`${job.fileName} has ${image.getSamplesPerPixel()} bands; only the first is read`);
  const { grid } = job;
  const w = await rasterWindow(grid, g, job.fileName);
  const { win, noData, finite, allFlags, vMin, vMax } = await readWindow(image, w, hooks);
  if (finite === 0) throw new CoverageInputError('empty', `${job.fileName}: every pixel over the analysis grid is nodata${noData !== null ? ` (${noData})` : ''}`);
  const flags = allFlags;
  if (!flags && (vMax > RSRP_RANGE_DBM[1] || vMin < RSRP_RANGE_DBM[0])) {
    warnings.add(`${job.fileName}: values run from ${vMin} to ${vMax}, which does not look like RSRP in dBm (${RSRP_RANGE_DBM[0]} … ${RSRP_RANGE_DBM[1]}); they are used as they are`);
  }

  // Pass 3: nearest neighbour at every analysis centre.
  const ww = w.x1 - w.x0;
  const wh = w.y1 - w.y0;
  const values = new Float32Array(cellCount(grid)).fill(Number.NaN);
  let placed = 0;
  await forEachRowInCrs(grid, g.epsg, hooks, (f) => hooks.onProgress?.(0.5 + 0.5 * f), (row, X, Y) => {
    const base = row * grid.width;
    for (let c = 0; c < grid.width; c++) {
      const px = Math.floor((X[c]! - g.originX) / g.scaleX) - w.x0;
      const py = Math.floor((g.originY - Y[c]!) / g.scaleY) - w.y0;
      if (px < 0 || py < 0 || px >= ww || py >= wh) continue;
      const v = win[py * ww + px]!;
      if (Number.isNaN(v)) continue;
      placed++;
      values[base + c] = flags ? (v === 1 ? FLAG_COVERED_DBM : Number.NaN) : v;
    }
  });
  if (placed === 0) throw new CoverageInputError('outside-grid', `${job.fileName}: no analysis cell centre falls on a pixel with data (${grdText(grid)})`);
  hooks.onProgress?.(1);
  return {
    values,
    operators: [],
    technologies: [],
    sourceCrs: `EPSG:${g.epsg}`,
    valueKind: flags ? 'flag' : 'rsrp',
    cellsRead: finite,
    cellsPlaced: placed,
    warnings: warnings.done(),
    bytes: job.bytes,
  };
}
