/** The pure parts of a saved picture: the scale bar's length and a legend bar's colour stops. */

/** The longest 1, 2 or 5 × 10ⁿ metres not over `maxMetres` (a scale bar's length), or null. */
export function scaleBarMetres(maxMetres: number): number | null {
  if (!(maxMetres >= 1) || !Number.isFinite(maxMetres)) return null;
  const p = 10 ** Math.floor(Math.log10(maxMetres));
  return [5, 2, 1].map((m) => m * p).find((v) => v <= maxMetres) ?? p;
}

export function scaleBarLabel(metres: number, formatNumber: (v: number) => string): string {
  return metres >= 1000 ? `${formatNumber(metres / 1000)} km` : `${formatNumber(metres)} m`;
}

/**
 * The colour stops of a legend bar's CSS `linear-gradient(to right, …)` as the twin writes them (colours as
 * rgb()/rgba()/#hex/named, each with a percentage), for drawing the same bar into a picture.
 */
export function gradientStops(css: string): Array<{ colour: string; at: number }> {
  const out: Array<{ colour: string; at: number }> = [];
  for (const m of css.matchAll(/(rgba?\([^)]*\)|#[0-9a-f]{3,8}|[a-z]+)\s+(-?[\d.]+)%/gi)) {
    if (m[1] === 'to') continue;
    out.push({ colour: m[1]!, at: Math.min(1, Math.max(0, Number(m[2]) / 100)) });
  }
  return out;
}
