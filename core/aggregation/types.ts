/**
 * The aggregator contract: every heatmap, whatever its source, is `readings → grid → colours` on one European
 * grid (ETRS89-LAEA, EPSG:3035), so frames of different layers and times line up cell for cell.
 *
 * Layouts (all flat typed arrays, transferred, never cloned):
 *   Readings3035   x[i], y[i]  EPSG:3035 easting/northing in metres; value[i] in the layer's unit (NaN: no
 *                  measurement, skipped); tMs[i] (optional) phenomenon time, ms since the Unix epoch (UTC).
 *   GridSpec3035   cells of `cellM` metres; the origin is the north-west corner (xMinM, yMaxM); row 0 is the
 *                  northernmost row, so cell (col, row) covers x ∈ [xMinM + col·cellM, xMinM + (col+1)·cellM),
 *                  y ∈ (yMaxM − (row+1)·cellM, yMaxM − row·cellM]; index = row·width + col (image order).
 *                  A reading on a vertical cell edge belongs to the cell east of it, one on a horizontal edge to
 *                  the cell south of it; the grid's east and south edges are outside.
 *   GridValues     Float32Array(width·height) in the layer's unit, NaN where the operation has no value.
 *   Colour LUT     Uint8Array(256·4) RGBA; entry k is the colour of domain[0] + k/255·(domain[1] − domain[0]).
 *   RGBA image     Uint8ClampedArray(width·height·4), same cell order as GridValues; no-value cells transparent.
 *   Series         `steps.count` frames back to back: values Float32Array(count·cells), step s at
 *                  [s·cells, (s+1)·cells); rgba and lon/lat images likewise, 4 bytes per cell or pixel.
 *   Lon/lat image  Uint8ClampedArray(width·height·4) over a `LonLatImageSpec`: equirectangular WGS84, row 0 at
 *                  the north edge, pixel (i, j) covers lon [west + i·Δλ, west + (i+1)·Δλ], lat [north − (j+1)·Δφ,
 *                  north − j·Δφ]; what Cesium drapes with a SingleTileImageryProvider over that rectangle.
 */

export interface GridSpec3035 {
  readonly xMinM: number;
  readonly yMaxM: number;
  readonly cellM: number;
  readonly width: number;
  readonly height: number;
}

/** An EPSG:3035 rectangle, metres. */
export interface Extent3035 {
  readonly xMinM: number;
  readonly yMinM: number;
  readonly xMaxM: number;
  readonly yMaxM: number;
}

/** A WGS84 geographic rectangle, degrees (what Cesium's `Rectangle.fromDegrees` takes). */
export interface LonLatRect {
  readonly westDeg: number;
  readonly southDeg: number;
  readonly eastDeg: number;
  readonly northDeg: number;
}

/** The rectangle and pixel size of a lon/lat image (layout in the module comment). */
export interface LonLatImageSpec extends LonLatRect {
  readonly width: number;
  readonly height: number;
}

export interface Readings3035 {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly value: Float32Array;
  readonly tMs?: Float64Array;
  /**
   * True when tMs is non-decreasing (an observation stream usually arrives so): a time window is then found by
   * binary search and only the readings inside it are visited. Left out, a window scans every reading.
   */
  readonly timeSorted?: boolean;
}

/**
 * mean: arithmetic mean of the readings in each cell (dense data).
 * kde:  Gaussian-kernel weighted mean (Nadaraya–Watson): blur(Σv)/blur(n), σ = `sigmaM`; cells whose kernel
 *       weight falls below `minWeight` have no value.
 * idw:  inverse-distance interpolation (Shepard, power `power`) for sparse stations, limited to `radiusM`.
 */
export type AggregateOp = 'mean' | 'kde' | 'idw';

export interface AggregateParams {
  readonly op: AggregateOp;
  /** kde: kernel standard deviation in metres (default: two cells). */
  readonly sigmaM?: number;
  /**
   * kde: minimum summed kernel weight for a cell to get a value (default 0.05). The kernel is scaled to a peak of
   * 1, so the weight does not depend on the cell size: a lone reading weighs 1 in its own cell and 0.05 about
   * 2.4σ away; the default thus keeps the heat within about 2.4σ of the data.
   */
  readonly minWeight?: number;
  /** idw: distance power (default 2). */
  readonly power?: number;
  /** idw: cells farther than this from every reading have no value (default 40 km). */
  readonly radiusM?: number;
}

/** The value domain is fixed per layer (not per frame), so colours mean the same at every time step. */
export interface ColourSpec {
  readonly domain: readonly [number, number];
  readonly lut: Uint8Array;
}

/** A time window: readings with tMs in [t0Ms, t1Ms). */
export interface TimeWindow {
  readonly t0Ms: number;
  readonly t1Ms: number;
}

export interface AggregateJob {
  readonly grid: GridSpec3035;
  readonly readings: Readings3035;
  readonly params: AggregateParams;
  readonly colour: ColourSpec;
  /** Only readings with tMs in [t0Ms, t1Ms) count (the readings must then have tMs); without a window every reading counts. */
  readonly window?: TimeWindow;
}

export interface AggregateResult {
  readonly grid: GridSpec3035;
  readonly values: Float32Array;
  readonly rgba: Uint8ClampedArray;
  /** Readings that fell inside the grid (and window), NaN values not counted. */
  readonly count: number;
  /** Of the cells with a value; NaN when none has. */
  readonly min: number;
  readonly max: number;
}

/** A frame for the globe: the aggregate plus its colours warped to lon/lat (default `imageSpecForGrid(grid)`). */
export interface FrameJob extends AggregateJob {
  readonly display?: LonLatImageSpec;
}

export interface FrameResult extends AggregateResult {
  /** Lon/lat RGBA image over `imageSpec` (layout in the module comment). */
  readonly image: Uint8ClampedArray;
  readonly imageSpec: LonLatImageSpec;
}

/** Equal time steps: step s holds readings with tMs in [t0Ms + s·stepMs, t0Ms + (s+1)·stepMs). */
export interface TimeSteps {
  readonly t0Ms: number;
  readonly stepMs: number;
  readonly count: number;
}

/** Every step of a time slider in one job: the readings are bucketed by time once, then each step is aggregated. */
export interface SeriesJob {
  readonly grid: GridSpec3035;
  readonly readings: Readings3035;
  readonly params: AggregateParams;
  readonly colour: ColourSpec;
  readonly steps: TimeSteps;
  /** Also warp every step to a lon/lat image over this rectangle. */
  readonly display?: LonLatImageSpec;
}

export interface SeriesResult {
  readonly grid: GridSpec3035;
  readonly steps: TimeSteps;
  /** Layouts in the module comment (Series). */
  readonly values: Float32Array;
  readonly rgba: Uint8ClampedArray;
  /** Readings per step that fell inside the grid. */
  readonly counts: Uint32Array;
  /** Over all steps, of the cells with a value; NaN when none has. */
  readonly min: number;
  readonly max: number;
  readonly images?: Uint8ClampedArray;
  readonly imageSpec?: LonLatImageSpec;
}
