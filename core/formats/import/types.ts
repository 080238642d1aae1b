/**
 * Types of the import worker: what `inspect` reports about a dropped file and the layer `convert` builds from it.
 *
 * ## Layer layout (`ImportLayer`)
 *
 * Every typed array owns its whole `ArrayBuffer` (offset 0, exact length), so a result crosses from the worker as
 * a transfer, never a copy; `layerTransferList` lists the buffers.
 *
 * Positions, in every part: `Float64Array`, stride 3, vertex i at `[3i, 3i + 1, 3i + 2]` =
 * longitude °, latitude ° (WGS84), height in metres. With `heights.mode === 'ellipsoidal'` the height is above
 * the WGS84 ellipsoid (the file's heights converted from `heights.sourceDatum`); with `'ground'` the file had no
 * heights, every height is 0 and means "on the terrain" (clamp to ground), not the ellipsoid.
 *
 * Features are numbered 0 .. featureCount - 1 in file order, counting only the features that were kept. Each
 * `…feature` array maps an element to its feature, and along each of them the feature number never decreases:
 * the elements of one feature are contiguous.
 *
 * - `points`: `xyz` [3 × pointCount]; `feature` Uint32Array [pointCount].
 * - `lines`: the `packLines` layout (core/geo/buffers.ts): `xyz` [3 × vertexCount], `offsets` Uint32Array
 *   [lineCount + 1], line i = vertices `[offsets[i], offsets[i + 1])`; `feature` Uint32Array [lineCount].
 * - `polygons`: rings packed the same way: `xyz`, `ringOffsets` Uint32Array [ringCount + 1], ring r = vertices
 *   `[ringOffsets[r], ringOffsets[r + 1])`, stored open (the closing vertex is not repeated);
 *   `ringPolygon` Uint32Array [ringCount]: ring -> polygon, a polygon's outer ring first, then its holes;
 *   `polygonFeature` Uint32Array [polygonCount]: polygon -> feature.
 * - `triangles` (CityJSON surfaces): `xyz` vertices, `indices` Uint32Array [3 × triangleCount] into them, wound
 *   counter-clockwise seen from outside the surface (from the side its normal points to, east-north-up);
 *   `feature` Uint32Array [triangleCount]; `kind` Uint8Array [triangleCount]: `TRIANGLE_KIND` codes.
 * - `properties`: columnar, one row per feature: `names[c]` and `columns[c]`, either a `Float64Array`
 *   [featureCount] (NaN = empty) or a `string[]` [featureCount] ('' = empty). A column is numeric when every
 *   non-empty value is a number (in CSV: a numeral without a leading zero, so "04109" stays text).
 * - `featureSource` Uint32Array [featureCount]: where each feature came from: the 1-based line number of its
 *   row (CSV), its 0-based index in `features` (GeoJSON), or the 0-based index of its CityObject among the
 *   document's object ids sorted (CityJSON).
 */
import type { PackedLines } from '../../geo/buffers';
import type { Epsg, VerticalDatum } from '../../geo/crs';

export type ImportFormat = 'geojson' | 'cityjson' | 'csv';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Stable codes, so the page can translate and group problems; `message` is the English text. */
export type ProblemCode =
  | 'binary-file'
  | 'not-a-table'
  | 'malformed-json'
  | 'unrecognised-json'
  | 'invalid-cityjson'
  | 'encoding'
  | 'extension-mismatch'
  | 'no-coordinate-columns'
  | 'no-features'
  | 'csv-syntax'
  | 'field-count'
  | 'empty-cell'
  | 'not-a-number'
  | 'zero-coordinates'
  | 'invalid-geometry'
  | 'no-geometry'
  | 'unclosed-ring'
  | 'non-finite'
  | 'out-of-range'
  | 'missing-height'
  | 'heights-all-zero'
  | 'transform-failed'
  | 'outside-europe'
  | 'height-not-converted'
  | 'degenerate-surfaces'
  | 'skipped-templates'
  | 'crs-none-fits'
  | 'crs-unsupported'
  | 'crs-unreadable'
  | 'crs-mismatch'
  | 'crs-ambiguous'
  | 'crs-partial-fit'
  | 'axes-swapped'
  | 'vertical-datum';

export interface ImportProblem {
  readonly code: ProblemCode;
  /** 'error': the file, or the feature or row named, could not be used (it was skipped); 'warning': used, check it; 'info': how something was read. */
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** 1-based line in the file: CSV rows, JSON syntax errors. */
  readonly line?: number;
  /** 0-based index of the feature in the file: GeoJSON `features`, CityJSON objects (ids sorted). */
  readonly feature?: number;
  /** CityJSON object id. */
  readonly objectId?: string;
}

/** CSV columns that hold the coordinates (names as in the header, after making them unique). */
export interface CoordinateColumns {
  readonly x: string;
  readonly y: string;
  /** Height column, null when there is none. */
  readonly z: string | null;
}

export interface CrsCandidate {
  readonly epsg: Epsg;
  /** The strongest evidence: the file says so ('declared'), its column names do ('columns'), or only the value ranges fit ('range'). */
  readonly source: 'declared' | 'columns' | 'range';
  /** Why, in one sentence, for the page to show. */
  readonly reason: string;
  /** The file's first coordinate is the CRS's second axis (e.g. latitude before longitude): pass it on to `convert`. */
  readonly swapAxes: boolean;
  /** Share (0..1) of the sampled coordinates inside this CRS's range over the twin's region (Europe for degrees). */
  readonly fit: number;
  /** CSV: the columns this reading uses. */
  readonly columns?: CoordinateColumns;
  /** The height datum `convert` will assume for this candidate: declared by the file, else the CRS's usual one. */
  readonly verticalDatum: VerticalDatum;
}

export interface InspectResult {
  /** null: none of the three formats (see `problems`). */
  readonly format: ImportFormat | null;
  readonly featureCount: number;
  /** True when `featureCount` is extrapolated from the first rows of a large CSV. */
  readonly featureCountEstimated: boolean;
  /** Best first; empty when no CRS fits (then `problems` says why). */
  readonly crsCandidates: CrsCandidate[];
  /** CSV: the header, unique names. */
  readonly columns?: string[];
  /** CSV: the delimiter used. */
  readonly delimiter?: string;
  /** The file carries heights (GeoJSON: some coordinate has a non-zero z; CSV: a height column; CityJSON: always). */
  readonly hasHeights: boolean;
  readonly problems: ImportProblem[];
  readonly problemCount: number;
}

export const TRIANGLE_KIND = { wall: 0, roof: 1, ground: 2 } as const;

export interface PointPart {
  readonly xyz: Float64Array;
  readonly feature: Uint32Array;
}
export interface LinePart extends PackedLines {
  readonly feature: Uint32Array;
}
export interface PolygonPart {
  readonly xyz: Float64Array;
  readonly ringOffsets: Uint32Array;
  readonly ringPolygon: Uint32Array;
  readonly polygonFeature: Uint32Array;
}
export interface TrianglePart {
  readonly xyz: Float64Array;
  readonly indices: Uint32Array;
  readonly feature: Uint32Array;
  readonly kind: Uint8Array;
}
export interface PropertyTable {
  readonly names: string[];
  readonly columns: (Float64Array | string[])[];
}

export type HeightInfo =
  /** Heights from the file, converted from `sourceDatum` to WGS84 ellipsoidal. */
  | { readonly mode: 'ellipsoidal'; readonly sourceDatum: VerticalDatum }
  /** No heights in the file: every height is 0, meaning "on the terrain". */
  | { readonly mode: 'ground' };

/** The geometry and attributes of an imported file: what the page draws and `exportGeoJson` writes. */
export interface ImportLayer {
  readonly featureCount: number;
  readonly heights: HeightInfo;
  readonly points: PointPart;
  readonly lines: LinePart;
  readonly polygons: PolygonPart;
  readonly triangles: TrianglePart;
  readonly properties: PropertyTable;
  readonly featureSource: Uint32Array;
}

export interface ImportCounts {
  readonly features: number;
  /** Features (or CSV rows) in the file that were not kept; each has a problem. */
  readonly skippedFeatures: number;
  readonly points: number;
  readonly lines: number;
  readonly polygons: number;
  readonly rings: number;
  readonly triangles: number;
  /** All vertices placed: points + line vertices + ring vertices + triangle vertices. */
  readonly vertices: number;
}

export interface ImportResult extends ImportLayer {
  readonly format: ImportFormat;
  readonly fileName: string;
  /** How the file was read: the CRS, axis order, height datum and (CSV) columns used. */
  readonly source: {
    readonly epsg: Epsg;
    readonly swapAxes: boolean;
    readonly verticalDatum: VerticalDatum;
    readonly columns?: CoordinateColumns;
  };
  /** [west, south, east, north] degrees of everything placed; null when nothing was. */
  readonly bbox: [number, number, number, number] | null;
  /** [min, max] of the heights placed, metres; null when nothing was. */
  readonly heightRange: [number, number] | null;
  readonly counts: ImportCounts;
  /** Vertices placed although outside the source CRS's area of use (their accuracy is not known). */
  readonly outsideAreaOfUse: number;
  /** Vertices outside Europe (lon -25..45, lat 34..72): not placed, their features skipped. */
  readonly outsideEurope: number;
  /** The first `MAX_PROBLEMS` problems: file-level ones (encoding, summaries) first, then rows and features in file order. */
  readonly problems: ImportProblem[];
  /** How many problems there were in all. */
  readonly problemCount: number;
}

/** Problems kept per job; the rest are only counted. */
export const MAX_PROBLEMS = 100;

/** A file-level failure of `convert` (nothing could be imported): the message says why, `problems` has the details. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly problems: ImportProblem[] = [],
  ) {
    super(message);
  }
}

/** The buffers of a layer, for `Comlink.transfer`. */
export function layerTransferList(layer: ImportLayer): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [
    layer.points.xyz,
    layer.points.feature,
    layer.lines.xyz,
    layer.lines.offsets,
    layer.lines.feature,
    layer.polygons.xyz,
    layer.polygons.ringOffsets,
    layer.polygons.ringPolygon,
    layer.polygons.polygonFeature,
    layer.triangles.xyz,
    layer.triangles.indices,
    layer.triangles.feature,
    layer.triangles.kind,
    layer.featureSource,
    ...layer.properties.columns.filter((c): c is Float64Array => c instanceof Float64Array),
  ];
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) out.add(a.buffer);
  }
  return [...out];
}
