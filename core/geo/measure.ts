/**
 * Measurements on the WGS84 ellipsoid, pure and DOM-free: the measurement tools and their tests share them.
 *
 * - Distances are geodesics (GeographicLib, Karney 2013: accurate to nanometres, where a spherical haversine is
 *   off by up to 0.5 %), combined with the height difference into the straight 3D distance between two picked
 *   points.
 * - Areas are geodesic polygon areas on the ellipsoid (GeographicLib's PolygonArea), what a cadastre or a
 *   planning permit states; not the area of the drawing on a slope.
 * - Height differences are of WGS84 ellipsoidal heights. Over a few kilometres the geoid changes by centimetres
 *   at most here (EGM96 slope in the region ≈ 2 cm/km), so they equal differences of normal heights (Bpv,
 *   DHHN2016) to that precision; `geoidSlopeNoteM` says how much that can be for a given pair.
 */
import { Geodesic, PolygonArea } from 'geographiclib-geodesic';

export interface MeasurePoint {
  readonly lonDeg: number;
  readonly latDeg: number;
  /** WGS84 ellipsoidal height, metres. */
  readonly heightEllipsoidalM: number;
}

const WGS84 = Geodesic.WGS84;

/** Geodesic distance on the ellipsoid between two points, metres (heights ignored). */
export function geodesicDistanceM(a: MeasurePoint, b: MeasurePoint): number {
  return WGS84.Inverse(a.latDeg, a.lonDeg, b.latDeg, b.lonDeg, Geodesic.DISTANCE).s12 ?? Number.NaN;
}

export interface PathMeasure {
  /** Sum of the geodesic segment lengths, metres. */
  readonly horizontalM: number;
  /** Sum of the segments' straight 3D lengths (geodesic and height difference), metres. */
  readonly slopeM: number;
  /** Last point's height minus the first's, metres. */
  readonly heightDifferenceM: number;
}

/**
 * A polyline's lengths. A segment's 3D length is √(s² + Δh²): exact for a straight line between two points to
 * well below a millimetre at the segment lengths a user clicks (the chord/arc difference is s³/24R² ≈ 0.3 mm
 * at 2 km).
 */
export function measurePath(points: readonly MeasurePoint[]): PathMeasure {
  let horizontalM = 0;
  let slopeM = 0;
  for (let i = 1; i < points.length; i++) {
    const s = geodesicDistanceM(points[i - 1]!, points[i]!);
    const dh = points[i]!.heightEllipsoidalM - points[i - 1]!.heightEllipsoidalM;
    horizontalM += s;
    slopeM += Math.hypot(s, dh);
  }
  const heightDifferenceM = points.length > 1 ? points.at(-1)!.heightEllipsoidalM - points[0]!.heightEllipsoidalM : 0;
  return { horizontalM, slopeM, heightDifferenceM };
}

export interface AreaMeasure {
  /** Geodesic area of the polygon on the ellipsoid, m² (always positive, whichever way it was drawn). */
  readonly areaM2: number;
  /** Its perimeter along geodesics, metres. */
  readonly perimeterM: number;
}

/** The area of a closed polygon given by its vertices (not repeated at the end); fewer than 3 give 0. */
export function measureArea(points: readonly MeasurePoint[]): AreaMeasure {
  if (points.length < 3) return { areaM2: 0, perimeterM: points.length === 2 ? 2 * geodesicDistanceM(points[0]!, points[1]!) : 0 };
  const poly = new PolygonArea.PolygonArea(WGS84, false);
  for (const p of points) poly.AddPoint(p.latDeg, p.lonDeg);
  const r = poly.Compute(false, true);
  return { areaM2: Math.abs(r.area ?? Number.NaN), perimeterM: r.perimeter };
}
