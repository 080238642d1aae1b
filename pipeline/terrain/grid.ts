/**
 * A regular height grid, row 0 at the north, column 0 at the west (the order of both SRTM .hgt files and
 * north-up GeoTIFFs), with NaN for voids. Shared by the .hgt and GeoTIFF readers so both interpolate alike.
 */
export interface HeightGrid {
  readonly cols: number;
  readonly rows: number;
  /** `values[row * cols + col]`, metres; NaN = void. */
  readonly values: Float32Array;
}

/**
 * Bilinear height at fractional post coordinates (x = column, y = row), or null outside the grid or in a void.
 * A point counts as void when its nearest post is void; otherwise void neighbours are left out and the
 * remaining weights renormalised, so one void post does not blank out the four cells around it.
 */
export function sampleBilinear(g: HeightGrid, x: number, y: number): number | null {
  if (!(x >= 0 && y >= 0 && x <= g.cols - 1 && y <= g.rows - 1)) return null;
  const c = Math.min(Math.floor(x), g.cols - 2);
  const r = Math.min(Math.floor(y), g.rows - 2);
  const fx = x - c;
  const fy = y - r;
  const i = r * g.cols + c;
  const v = g.values;
  const nearest = v[(fy < 0.5 ? r : r + 1) * g.cols + (fx < 0.5 ? c : c + 1)]!;
  if (Number.isNaN(nearest)) return null;
  const posts = [v[i]!, v[i + 1]!, v[i + g.cols]!, v[i + g.cols + 1]!];
  const weights = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy];
  let sum = 0;
  let wsum = 0;
  for (let k = 0; k < 4; k++) {
    const h = posts[k]!;
    if (Number.isNaN(h)) continue;
    sum += h * weights[k]!;
    wsum += weights[k]!;
  }
  return wsum > 0 ? sum / wsum : null;
}

/**
 * A copy of the grid with every void filled by repeatedly averaging its valid 4-neighbours, working inwards
 * from the void's rim. Used for the terrain tiles only: a void rendered as "no data" would punch a ~500 m
 * deep hole to the ellipsoid. Deterministic (each pass reads the previous pass only).
 */
export function fillVoids(g: HeightGrid): HeightGrid {
  const out = Float32Array.from(g.values);
  let voids: number[] = [];
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i]!)) voids.push(i);
  while (voids.length > 0) {
    const filled: Array<[number, number]> = [];
    const remaining: number[] = [];
    for (const i of voids) {
      const r = Math.floor(i / g.cols);
      const c = i - r * g.cols;
      let sum = 0;
      let n = 0;
      const add = (j: number): void => {
        const h = out[j]!;
        if (!Number.isNaN(h)) {
          sum += h;
          n++;
        }
      };
      if (c > 0) add(i - 1);
      if (c < g.cols - 1) add(i + 1);
      if (r > 0) add(i - g.cols);
      if (r < g.rows - 1) add(i + g.cols);
      if (n > 0) filled.push([i, sum / n]);
      else remaining.push(i);
    }
    // A grid with no valid post at all cannot be filled; leave it void rather than loop forever.
    if (filled.length === 0) break;
    for (const [i, h] of filled) out[i] = h;
    voids = remaining;
  }
  return { cols: g.cols, rows: g.rows, values: out };
}

export function countVoids(g: HeightGrid): number {
  let n = 0;
  for (const h of g.values) if (Number.isNaN(h)) n++;
  return n;
}
