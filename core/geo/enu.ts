/**
 * A local east-north-up frame at a point of the WGS84 ellipsoid, exact (through ECEF), for placing proposed
 * buildings: their geometry is built in metres around a local origin and the page puts the origin back on the
 * globe. A flat-earth shortcut would be 1 cm off within a few hundred metres; this is not.
 */
import { ecefToGeodetic, geodeticToEcef } from './ellipsoid';

const DEG = Math.PI / 180;

export interface EnuFrame {
  readonly lonDeg: number;
  readonly latDeg: number;
  /** lon/lat degrees (height 0) -> [east, north] metres in the frame. */
  toLocal(lonDeg: number, latDeg: number): [number, number];
  /** [east, north] metres in the frame (on the ellipsoid) -> lon/lat degrees. */
  toLonLat(eastM: number, northM: number): [number, number];
}

export function enuFrame(lonDeg: number, latDeg: number): EnuFrame {
  const o = geodeticToEcef(new Float64Array([lonDeg, latDeg, 0]));
  const sl = Math.sin(lonDeg * DEG), cl = Math.cos(lonDeg * DEG);
  const sp = Math.sin(latDeg * DEG), cp = Math.cos(latDeg * DEG);
  // Rows of the ECEF -> ENU rotation.
  const e = [-sl, cl, 0];
  const n = [-sp * cl, -sp * sl, cp];
  const scratch = new Float64Array(3);
  return {
    lonDeg,
    latDeg,
    toLocal(lon, lat) {
      scratch[0] = lon;
      scratch[1] = lat;
      scratch[2] = 0;
      const p = geodeticToEcef(scratch, scratch);
      const dx = p[0]! - o[0]!, dy = p[1]! - o[1]!, dz = p[2]! - o[2]!;
      return [e[0]! * dx + e[1]! * dy, n[0]! * dx + n[1]! * dy + n[2]! * dz];
    },
    toLonLat(east, north) {
      // The point on the local tangent plane, then straight down onto the ellipsoid (height dropped).
      scratch[0] = o[0]! + e[0]! * east + n[0]! * north;
      scratch[1] = o[1]! + e[1]! * east + n[1]! * north;
      scratch[2] = o[2]! + n[2]! * north;
      const g = ecefToGeodetic(scratch, scratch);
      return [g[0]!, g[1]!];
    },
  };
}

/** The mean of a ring's vertices: the frame origin for a footprint (close to its centre, cheap, stable). */
export function ringCentre(ring: ReadonlyArray<readonly [number, number]>): [number, number] {
  let x = 0, y = 0;
  for (const [lon, lat] of ring) {
    x += lon;
    y += lat;
  }
  return [x / ring.length, y / ring.length];
}
