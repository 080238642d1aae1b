import { describe, expect, it } from 'vitest';
import { converter } from '../../../../core/geo/crs';
import { geodesicDistanceM, measureArea, measurePath, type MeasurePoint } from '../../../../core/geo/measure';

const p = (lonDeg: number, latDeg: number, heightEllipsoidalM = 0): MeasurePoint => ({ lonDeg, latDeg, heightEllipsoidalM });

describe('measurements on the ellipsoid', () => {
  it('gives geodesic distances as PROJ geod does', () => {
    // `echo "49.7475 13.3776 49.0134 12.1016" | geod +ellps=WGS84 -I +units=m -f "%.4f"` (PROJ 9.1.1): 123490.014 m,
    // Plzeň náměstí Republiky to Regensburg Dom.
    expect(geodesicDistanceM(p(13.3776, 49.7475), p(12.1016, 49.0134))).toBeCloseTo(123_490.014, 2);
    // `echo "50 12 50 12.001" | geod … -f "%.6f"`: 71.696 m (geod prints 3 decimals) for 0.001° of longitude at 50° N.
    expect(geodesicDistanceM(p(12, 50), p(12.001, 50))).toBeCloseTo(71.695_962, 3);
  });

  it('adds height to the segments for the slope distance and reports the height difference', () => {
    const m = measurePath([p(12, 50, 500), p(12.001, 50, 530), p(12.002, 50, 490)]);
    expect(m.horizontalM).toBeCloseTo(2 * 71.695_962, 2);
    expect(m.slopeM).toBeCloseTo(Math.hypot(71.695_962, 30) + Math.hypot(71.695_962, 40), 2);
    expect(m.heightDifferenceM).toBe(-10);
    expect(measurePath([p(12, 50)])).toEqual({ horizontalM: 0, slopeM: 0, heightDifferenceM: 0 });
  });

  it('measures the area of a 1 km square of the equal-area EPSG:3035 grid as 1 km², whichever way it is drawn', () => {
    const fromLaea = converter(3035, 4326);
    const corners = [[4_480_000, 2_900_000], [4_481_000, 2_900_000], [4_481_000, 2_901_000], [4_480_000, 2_901_000]].map((c) => {
      const [lon, lat] = fromLaea.forward(c) as [number, number];
      return p(lon, lat);
    });
    // LAEA keeps areas; its straight edges and the geodesics between the same corners differ by far less than 1 m².
    expect(measureArea(corners).areaM2).toBeCloseTo(1e6, -1);
    expect(measureArea(corners.toReversed()).areaM2).toBeCloseTo(1e6, -1);
    expect(measureArea(corners).perimeterM).toBeCloseTo(4000, 0);
    expect(measureArea(corners.slice(0, 2)).areaM2).toBe(0);
  });
});
