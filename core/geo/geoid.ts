/**
 * Geoid undulation N (metres above the WGS84 ellipsoid) on a regular lon/lat grid, bilinear between posts.
 * Layout: `undulationM[row * cols + col]`, row 0 at `lat0Deg` (south), col 0 at `lon0Deg` (west).
 */
export interface GeoidGrid {
  readonly model: string;
  readonly lon0Deg: number;
  readonly lat0Deg: number;
  readonly dLonDeg: number;
  readonly dLatDeg: number;
  readonly cols: number;
  readonly rows: number;
  readonly undulationM: Float32Array;
}

/** Parse a PROJ .gtx grid (big-endian: 4 float64 origin/step, 2 int32 size, float32 values from the south). */
export function parseGtx(buf: ArrayBuffer, model: string): GeoidGrid {
  const v = new DataView(buf);
  if (buf.byteLength < 40) throw new Error('GTX grid: file shorter than its 40-byte header');
  const lat0Deg = v.getFloat64(0);
  const lon0Deg = v.getFloat64(8);
  const dLatDeg = v.getFloat64(16);
  const dLonDeg = v.getFloat64(24);
  const rows = v.getInt32(32);
  const cols = v.getInt32(36);
  if (buf.byteLength < 40 + rows * cols * 4) throw new Error(`GTX grid: ${rows}x${cols} values announced, file too short`);
  const undulationM = new Float32Array(rows * cols);
  for (let i = 0; i < undulationM.length; i++) undulationM[i] = v.getFloat32(40 + i * 4);
  return { model, lon0Deg: lon0Deg > 180 ? lon0Deg - 360 : lon0Deg, lat0Deg, dLonDeg, dLatDeg, cols, rows, undulationM };
}

/** Cut a window of a grid (for shipping a small regional grid to the browser). */
export function cropGeoid(g: GeoidGrid, west: number, south: number, east: number, north: number): GeoidGrid {
  const c0 = Math.max(0, Math.floor((west - g.lon0Deg) / g.dLonDeg));
  const c1 = Math.min(g.cols - 1, Math.ceil((east - g.lon0Deg) / g.dLonDeg));
  const r0 = Math.max(0, Math.floor((south - g.lat0Deg) / g.dLatDeg));
  const r1 = Math.min(g.rows - 1, Math.ceil((north - g.lat0Deg) / g.dLatDeg));
  const cols = c1 - c0 + 1;
  const rows = r1 - r0 + 1;
  const undulationM = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    undulationM.set(g.undulationM.subarray((r0 + r) * g.cols + c0, (r0 + r) * g.cols + c0 + cols), r * cols);
  }
  return { ...g, lon0Deg: g.lon0Deg + c0 * g.dLonDeg, lat0Deg: g.lat0Deg + r0 * g.dLatDeg, cols, rows, undulationM };
}

/** N at a point, bilinear. Throws outside the grid: a silent 0 would put data ~47 m too low here. */
export function geoidUndulationM(g: GeoidGrid, lonDeg: number, latDeg: number): number {
  const x = (lonDeg - g.lon0Deg) / g.dLonDeg;
  const y = (latDeg - g.lat0Deg) / g.dLatDeg;
  if (!(x >= 0 && y >= 0 && x <= g.cols - 1 && y <= g.rows - 1)) {
    throw new RangeError(`${g.model} grid does not cover lon ${lonDeg}, lat ${latDeg}`);
  }
  const c = Math.min(Math.floor(x), g.cols - 2);
  const r = Math.min(Math.floor(y), g.rows - 2);
  const fx = x - c;
  const fy = y - r;
  const u = g.undulationM;
  const i = r * g.cols + c;
  const south = u[i]! * (1 - fx) + u[i + 1]! * fx;
  const north = u[i + g.cols]! * (1 - fx) + u[i + g.cols + 1]! * fx;
  return south * (1 - fy) + north * fy;
}

/** Serialisable form for the served tileset (JSON numbers; the regional grid is a few hundred posts). */
export interface GeoidGridJson extends Omit<GeoidGrid, 'undulationM'> { undulationM: number[] }
export function geoidToJson(g: GeoidGrid): GeoidGridJson {
  return { ...g, undulationM: Array.from(g.undulationM, (n) => Math.round(n * 1000) / 1000) };
}
export function geoidFromJson(j: GeoidGridJson): GeoidGrid {
  if (j.undulationM.length !== j.rows * j.cols) throw new Error('geoid grid: value count does not match rows x cols');
  return { ...j, undulationM: Float32Array.from(j.undulationM) };
}
