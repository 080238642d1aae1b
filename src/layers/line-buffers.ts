/**
 * GeoJSON positions of one line or ring as a flat lon/lat/height buffer (stride 3, degrees and metres), ready for
 * reprojection to ECEF in a worker. Positions that are not two finite numbers are skipped; a missing height is 0.
 * Null when fewer than two positions remain. Shared by the boundary and municipality layers.
 */
export function lonLatHeightBuffer(positions: unknown): Float64Array | null {
  if (!Array.isArray(positions)) return null;
  const buf = new Float64Array(positions.length * 3);
  let n = 0;
  for (const p of positions) {
    if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
    buf[n++] = p[0] as number;
    buf[n++] = p[1] as number;
    buf[n++] = Number.isFinite(p[2]) ? (p[2] as number) : 0;
  }
  return n >= 6 ? buf.slice(0, n) : null;
}
