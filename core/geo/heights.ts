/**
 * Height datums -> WGS84 ellipsoidal heights, the only heights Cesium understands.
 *
 *   h(ellipsoidal) = H(normal or orthometric) + N(geoid undulation)
 *
 * The twin's geoid model is EGM96 (15' grid). Bpv and DHHN2016 are normal heights over national quasigeoids
 * (CR-2005/QGZU-2013, GCG2016) which differ from EGM96 by up to about 1 m in this region; that is the stated
 * vertical accuracy of every converted height until the national quasigeoids are added. Bpv is Kronstadt-based,
 * DHHN2016 Amsterdam-based: EPSG operations 5202 and 7838 put DHHN2016 = Bpv + 0.10..0.12 m along the border.
 */
import { type GeoidGrid, geoidUndulationM } from './geoid';
import type { VerticalDatum } from './crs';

/** Offset DHHN2016 - Bpv at a point (EPSG:5202 and 7838 "vertical offset and slope", both via EVRF2007). */
export function dhhn2016MinusBpvM(lonDeg: number, latDeg: number): number {
  const bpvToEvrf2007 = verticalOffsetAndSlope(0.13, 0.026, 0, 49.55, 15.15, lonDeg, latDeg);
  const dhhnToEvrf2007 = verticalOffsetAndSlope(0.014, -0.01, 0, 51.03, 10.13, lonDeg, latDeg);
  return bpvToEvrf2007 - dhhnToEvrf2007;
}

/** EPSG method 1046: A + B_lat * rho * dlat + B_lon * nu * cos(lat) * dlon, slopes in arc-seconds. */
function verticalOffsetAndSlope(aM: number, bLatArcsec: number, bLonArcsec: number, lat0: number, lon0: number, lon: number, lat: number): number {
  const a = 6378137, e2 = 0.00669438002290;
  const phi = (lat * Math.PI) / 180;
  const s = Math.sin(phi);
  const rho = (a * (1 - e2)) / (1 - e2 * s * s) ** 1.5;
  const nu = a / Math.sqrt(1 - e2 * s * s);
  const arcsec = Math.PI / 180 / 3600;
  return aM + bLatArcsec * arcsec * rho * ((lat - lat0) * Math.PI) / 180 + bLonArcsec * arcsec * nu * Math.cos(phi) * ((lon - lon0) * Math.PI) / 180;
}

/** Any supported height at a point -> ellipsoidal. Bpv goes to the DHHN2016 level first (one quasigeoid model). */
export function toEllipsoidalHeightM(datum: VerticalDatum, heightM: number, lonDeg: number, latDeg: number, geoid: GeoidGrid): number {
  switch (datum) {
    case 'ellipsoidal':
      return heightM;
    case 'EGM96':
    case 'DHHN2016':
      return heightM + geoidUndulationM(geoid, lonDeg, latDeg);
    case 'Bpv':
      return heightM + dhhn2016MinusBpvM(lonDeg, latDeg) + geoidUndulationM(geoid, lonDeg, latDeg);
  }
}

/** Stated 1-sigma accuracy of `toEllipsoidalHeightM` for a datum, metres (see the module comment). */
export function heightAccuracyM(datum: VerticalDatum): number {
  return datum === 'ellipsoidal' ? 0 : datum === 'EGM96' ? 0.5 : 1;
}
