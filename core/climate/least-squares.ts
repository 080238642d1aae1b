/**
 * Ordinary least squares of y on x, one pair at a time (no arrays): the decade trend of a station's anomalies
 * and the lapse rate over a month's stations are both this line.
 */
export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  readonly n: number;
}

export interface LineAccumulator {
  add(x: number, y: number): void;
  /** The fitted line, or null when the x values do not vary (or there are none). */
  fit(): LineFit | null;
  readonly n: number;
}

export function lineAccumulator(): LineAccumulator {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  return {
    add(x, y) {
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    },
    fit() {
      const den = n * sxx - sx * sx;
      if (n === 0 || den <= 0) return null;
      const slope = (n * sxy - sx * sy) / den;
      return { slope, intercept: (sy - slope * sx) / n, n };
    },
    get n() {
      return n;
    },
  };
}
