/**
 * The coverage contract: every coverage layer, modelled from cell sites or imported from a grid file, ends as
 * RSRP in dBm on one analysis grid (ETRS89-LAEA, EPSG:3035, `GridSpec3035` from the aggregator contract), so two
 * operators, two countries or two scenarios compare cell for cell.
 *
 * Layouts (flat typed arrays, transferred, never cloned):
 *   Grid values   Float32Array(width·height), image order (row 0 north, index = row·width + col), RSRP in dBm;
 *                 NaN: no prediction (beyond every site's range, outside the file's grid, no data).
 *   Dem3035       Float32Array on its own GridSpec3035 (usually the analysis grid): WGS84 ellipsoidal height of the
 *                 ground in metres at the cell centre; NaN where no elevation source covers the cell.
 *   Sites         `SiteArrays`: one entry per site, struct of arrays (kdbush style), index i across all arrays.
 *   Tile          a window of the analysis grid: cells col0 ≤ col < col0 + width, row0 ≤ row < row0 + height;
 *                 its values are Float32Array(width·height) in the same row-major order.
 *   Classes       Uint8Array per cell: 0 neither covers, 1 only A, 2 only B, 3 both, 255 no data in A or B.
 *   Zones         Uint8Array per cell: 0 outside every zone, k ≥ 1 zone k (an index into a zone list).
 *
 * A "covered" cell has RSRP ≥ `thresholds.coveredDbm`, a "good" one ≥ `thresholds.goodDbm`.
 */
import type { ColourSpec, GridSpec3035, LonLatImageSpec } from '../aggregation/types';

export type { ColourSpec, GridSpec3035, LonLatImageSpec };

export interface Dem3035 {
  readonly grid: GridSpec3035;
  /** Ellipsoidal (WGS84) ground height in metres per cell centre; NaN: no elevation data. */
  readonly heightM: Float32Array;
}

/** Path-loss models; each names its source and validity in `PATH_LOSS_MODELS` (shown in the page). */
export type PathLossModelId = 'tr38901-rma' | 'cost231-hata';

export interface Validity {
  readonly fMHz: readonly [number, number];
  /** 2D distance, metres (for a model with a LOS notion: its LOS range). */
  readonly dM: readonly [number, number];
  /** 2D distance of the NLOS formula where it is shorter than `dM` (RMa: 10 m – 5 km). */
  readonly dNlosM?: readonly [number, number];
  readonly hBsM: readonly [number, number];
  readonly hUtM: readonly [number, number];
}

export interface SiteArrays {
  readonly count: number;
  /** EPSG:3035 easting / northing of the antenna, metres. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /**
   * Ground height at the site, WGS84 ellipsoidal metres; NaN: take it from the DEM. Where the DEM has no data
   * either (or along the path), the terrain term is not evaluated for that pair and the model's own
   * obstructed-path value is used (RMa NLOS; Hata has only one), the conservative choice.
   */
  readonly groundM: Float32Array;
  /** Antenna height above ground, metres (required: a site file without it is rejected, naming the site). */
  readonly antennaAglM: Float32Array;
  /** Main-lobe azimuth, degrees clockwise from grid north; NaN: omnidirectional. */
  readonly azimuthDeg: Float32Array;
  /** Horizontal half-power beamwidth, degrees (ignored for omni sites). */
  readonly beamwidthDeg: Float32Array;
  /** Reference-signal EIRP per resource element in the main lobe, dBm (what RSRP is measured against). */
  readonly eirpDbm: Float32Array;
  /** Carrier frequency, MHz. */
  readonly fMHz: Float32Array;
}

export interface ModelParams {
  readonly model: PathLossModelId;
  /** Receiver (user terminal) height above ground, metres; default 1.5. */
  readonly hUtM?: number;
  /** Cells farther than this from a site get nothing from it (metres); default the model's upper validity. */
  readonly maxRangeM?: number;
  /** Line of sight against the DEM with single knife-edge diffraction; default true. */
  readonly terrain?: boolean;
  /** Effective Earth radius factor for the path profile; default 4/3. */
  readonly kFactor?: number;
}

export interface TileSpec {
  readonly col0: number;
  readonly row0: number;
  readonly width: number;
  readonly height: number;
}

/** Best-server RSRP for one tile of the analysis grid from every site that reaches it. */
export interface ModelTileJob {
  readonly grid: GridSpec3035;
  readonly tile: TileSpec;
  readonly sites: SiteArrays;
  readonly params: ModelParams;
}

export interface ModelTileResult {
  readonly tile: TileSpec;
  /** Best-server RSRP per tile cell, dBm; NaN where no site reaches. */
  readonly rsrpDbm: Float32Array;
  /** Index of the best server in `sites` per tile cell; −1 where none. */
  readonly server: Int32Array;
  /** (site, cell) pairs evaluated, for the bench's cells/s. */
  readonly pairs: number;
  /**
   * Of those, the pairs whose terrain profile was traced; the others were settled without one (no terrain, or
   * even their line-of-sight value could not beat the cell's best server).
   */
  readonly profiles: number;
}

export interface Thresholds {
  /** Covered at or above this RSRP; default −110 dBm. */
  readonly coveredDbm: number;
  /** Good at or above this RSRP; default −95 dBm. */
  readonly goodDbm: number;
}

/** Colour a values grid and warp it to a lon/lat image for an imagery layer. */
export interface RenderJob {
  readonly grid: GridSpec3035;
  readonly values: Float32Array;
  readonly colour: ColourSpec;
  readonly display?: LonLatImageSpec;
}

export interface RenderResult {
  readonly values: Float32Array;
  readonly image: Uint8ClampedArray;
  readonly imageSpec: LonLatImageSpec;
}

/**
 * What a cell without a prediction (NaN) means for the classes: for a modelled network, no site reaches it, so
 * it is not covered ('uncovered'); for an imported file, the file says nothing there ('no-data', class 255).
 * Default 'no-data' for both.
 */
export interface NoPrediction {
  readonly a: 'uncovered' | 'no-data';
  readonly b: 'uncovered' | 'no-data';
}

export interface CompareJob {
  readonly grid: GridSpec3035;
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly thresholds: Thresholds;
  readonly noPrediction?: NoPrediction;
  /** Diverging colours for A − B in dB (e.g. domain [−30, 30]). */
  readonly diffColour: ColourSpec;
  readonly display?: LonLatImageSpec;
}

export interface CompareResult {
  /** A − B in dB; NaN where either is NaN. */
  readonly diffDb: Float32Array;
  readonly classes: Uint8Array;
  /** Lon/lat images of the difference and of the classes. */
  readonly diffImage: Uint8ClampedArray;
  readonly classImage: Uint8ClampedArray;
  readonly imageSpec: LonLatImageSpec;
  /** The inputs, handed back. */
  readonly a: Float32Array;
  readonly b: Float32Array;
}

/** A zone plane: per cell 0 (outside) or the 1-based unit index. */
export type ZoneRaster = Uint8Array | Uint16Array;

export interface StatsJob {
  readonly a: Float32Array;
  readonly b: Float32Array;
  /** Zone of each cell: a Uint8 plane (≤ 255 units) or a Uint16 one (municipalities, ≤ 65,535). */
  readonly zones: ZoneRaster;
  /** Zones 1..zoneCount are reported (zone 0 is outside). */
  readonly zoneCount: number;
  readonly thresholds: Thresholds;
  readonly cellAreaM2: number;
  readonly noPrediction?: NoPrediction;
}

/** One row of the statistics table. Percentages are of the zone's cells inside the analysis grid. */
export interface ZoneStats {
  readonly zone: number;
  readonly cells: number;
  readonly areaKm2: number;
  readonly coveredPctA: number;
  readonly coveredPctB: number;
  /** Mean RSRP over the zone's cells that have a prediction, dBm; NaN when none has. */
  readonly meanDbmA: number;
  readonly meanDbmB: number;
  /** Mean of A − B over cells where both have a prediction, dB; NaN when none. */
  readonly meanDiffDb: number;
  readonly onlyAPct: number;
  readonly onlyBPct: number;
  readonly bothPct: number;
  readonly neitherPct: number;
  /** Cells with no prediction in A or in B (class 255): with the four above, 100 %. */
  readonly noDataPct: number;
}

/** An imported coverage grid file (CSV of cells, GeoTIFF raster), resampled onto the analysis grid. */
export interface ImportGridJob {
  readonly bytes: ArrayBuffer;
  readonly fileName: string;
  readonly grid: GridSpec3035;
  /**
   * CSV: only rows of this operator / technology (as written in the file, case-insensitive). Without them a
   * file of several operators or technologies gives per cell the strongest of their means, with a warning.
   */
  readonly operator?: string;
  readonly technology?: string;
}

export interface ImportedGrid {
  /** RSRP in dBm on the analysis grid; a file of covered flags gives `coveredValueDbm` / NaN. */
  readonly values: Float32Array;
  /** Operators / technologies named in the file (CSV); empty when the file does not say. */
  readonly operators: readonly string[];
  readonly technologies: readonly string[];
  readonly sourceCrs: string;
  /** 'rsrp' for dBm values, 'flag' for covered / not covered. */
  readonly valueKind: 'rsrp' | 'flag';
  /** Source cells (CSV rows, raster pixels) read with a position and a value. */
  readonly cellsRead: number;
  /** Cells of the analysis grid that received a value from the file. */
  readonly cellsPlaced: number;
  readonly warnings: readonly string[];
  /** The input, handed back. */
  readonly bytes: ArrayBuffer;
}

/** A flag "covered" from a file becomes this RSRP, so flags and dBm grids share one pipeline. */
export const FLAG_COVERED_DBM = -80;

/** Errors a user sees: `code` for tests, `message` for the page (over comlink only name and message survive). */
export class CoverageInputError extends Error {
  constructor(
    readonly code: 'unknown-columns' | 'no-georeference' | 'site-no-height' | 'empty' | 'bad-value' | 'unsupported' | 'outside-grid',
    message: string,
  ) {
    super(message);
    this.name = 'CoverageInputError';
  }
}
