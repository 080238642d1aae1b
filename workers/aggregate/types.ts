/**
 * The aggregator contract: every heatmap, whatever its source, is `readings → grid → colours` on one European
 * grid (ETRS89-LAEA, EPSG:3035), so frames of different layers and times line up cell for cell.
 *
 * Layouts (all flat typed arrays, transferred, never cloned):
 *   Readings3035   x[i], y[i]  EPSG:3035 easting/northing in metres; value[i] in the layer's unit;
 *                  tMs[i] (optional) phenomenon time, ms since the Unix epoch (UTC).
 *   GridSpec3035   cells of `cellM` metres; the origin is the north-west corner (xMinM, yMaxM); row 0 is the
 *                  northernmost row, so cell (col, row) covers x ∈ [xMinM + col·cellM, xMinM + (col+1)·cellM),
 *                  y ∈ (yMaxM − (row+1)·cellM, yMaxM − row·cellM]; index = row·width + col (image order).
 *   GridValues     Float32Array(width·height) in the layer's unit, NaN where the operation has no value.
 *   Colour LUT     Uint8Array(256·4) RGBA; entry k is the colour of domain[0] + k/255·(domain[1] − domain[0]).
 *   RGBA image     Uint8ClampedArray(width·height·4), same cell order as GridValues; no-value cells transparent.
 */

export interface GridSpec3035 {
  readonly xMinM: number;
  readonly yMaxM: number;
  readonly cellM: number;
  readonly width: number;
  readonly height: number;
}

export interface Readings3035 {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly value: Float32Array;
  readonly tMs?: Float64Array;
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
  /** kde: kernel standard deviation in metres. */
  readonly sigmaM?: number;
  /** kde: minimum summed kernel weight for a cell to get a value (default 0.05). */
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

export interface AggregateJob {
  readonly grid: GridSpec3035;
  readonly readings: Readings3035;
  readonly params: AggregateParams;
  readonly colour: ColourSpec;
  /** Only readings with tMs in [t0Ms, t1Ms) count; without a window every reading counts. */
  readonly window?: { readonly t0Ms: number; readonly t1Ms: number };
}

export interface AggregateResult {
  readonly grid: GridSpec3035;
  readonly values: Float32Array;
  readonly rgba: Uint8ClampedArray;
  /** Readings that fell inside the grid (and window). */
  readonly count: number;
  /** Of the cells with a value; NaN when none has. */
  readonly min: number;
  readonly max: number;
}
