/** Shared test data: a small synthetic geoid over the region and helpers for metre-level comparisons. */
import type { GeoidGridJson } from '../../../../core/geo/geoid';
import { geoidFromJson } from '../../../../core/geo/geoid';

/** 1-degree posts over 10..16 E, 47..52 N, N rising 0.1 m per post eastwards from 46.5 m: simple but not constant. */
export const GEOID_JSON: GeoidGridJson = (() => {
  const cols = 7;
  const rows = 6;
  const undulationM: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) undulationM.push(46.5 + 0.1 * c + 0.05 * r);
  return { model: 'test-geoid', lon0Deg: 10, lat0Deg: 47, dLonDeg: 1, dLatDeg: 1, cols, rows, undulationM };
})();
export const GEOID = geoidFromJson(GEOID_JSON);

const R = 6_371_000;
/** Horizontal distance between two lon/lat points, metres (small distances). */
export function metresBetween(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = ((lat2 - lat1) * Math.PI) / 180;
  const dLon = ((lon2 - lon1) * Math.PI) / 180 * Math.cos((lat1 * Math.PI) / 180);
  return R * Math.hypot(dLat, dLon);
}

/** Towns of the border region, lon/lat degrees. */
export const TOWNS: ReadonlyArray<readonly [string, number, number]> = [
  ['Plzen', 13.3775, 49.7477],
  ['Cheb', 12.3739, 50.0796],
  ['Domazlice', 12.9298, 49.4405],
  ['Karlovy Vary', 12.871, 50.231],
];
