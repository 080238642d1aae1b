/** Box-shaped buildings for the tiling tests: a flat roof and four walls around a centre, in ECEF. */
import { enuToEcefMatrix } from '../../../../../core/geo/ellipsoid';
import type { TileSurface } from '../../../../../pipeline/buildings/glb';
import type { BuildingRecord } from '../../../../../pipeline/buildings/towns';

const QUAD = new Uint32Array([0, 1, 2, 0, 2, 3]);

/** A `w` × `d` m box, `h` m high, on ground `g` m above the ellipsoid, rotated `angleDeg` from east. */
export function boxRecord(id: string, lon: number, lat: number, w = 10, d = 8, h = 9, g = 400, angleDeg = 0): BuildingRecord {
  const m = enuToEcefMatrix(lon, lat, g);
  const a = (angleDeg * Math.PI) / 180;
  const at = (e: number, n: number, u: number): number[] => {
    const re = e * Math.cos(a) - n * Math.sin(a), rn = e * Math.sin(a) + n * Math.cos(a);
    return [0, 1, 2].map((k) => m[12 + k]! + re * m[k]! + rn * m[4 + k]! + u * m[8 + k]!);
  };
  const c = [[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]] as const;
  const surfaces: TileSurface[] = [{ kind: 'roof', ecef: new Float64Array(c.flatMap(([e, n]) => at(e, n, h))), indices: QUAD }];
  for (let k = 0; k < 4; k++) {
    const [e0, n0] = c[k]!, [e1, n1] = c[(k + 1) % 4]!;
    surfaces.push({ kind: 'wall', ecef: new Float64Array([...at(e0, n0, 0), ...at(e1, n1, 0), ...at(e1, n1, h), ...at(e0, n0, h)]), indices: QUAD });
  }
  const dLat = d / 111_000, dLon = w / (111_000 * Math.cos((lat * Math.PI) / 180));
  return {
    props: {
      id, source: 'test', licence: 'CC0', heightM: h, heightEstimated: false, roofType: '', function: '',
      groundHeightM: g, groundHeightDatum: 'EGM96', name: '', address: '',
    },
    surfaces,
    west: lon - dLon, south: lat - dLat, east: lon + dLon, north: lat + dLat, minH: g, maxH: g + h, groundEllipsoidalM: g,
  };
}
