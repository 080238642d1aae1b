/**
 * Colours for heatmaps: a 256-entry RGBA lookup table built once per layer from a colour scale, and the
 * per-frame mapping of GridValues through it (layouts in `types.ts`). The page builds the LUT from a
 * d3-scale-chromatic interpolator and sends the bytes; the worker never needs d3 or a canvas to parse colours.
 */
import type { ColourSpec } from './types';

/** Entries of a LUT; 256 keeps an 8-bit index and is finer than the eye tells apart on a smooth scale. */
export const LUT_SIZE = 256;

const byte = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));

/**
 * Parses the CSS colours d3 interpolators return: '#rgb', '#rrggbb', 'rgb(r, g, b)' and 'rgba(r, g, b, a)'
 * (alpha 0..1). Returns [r, g, b, a] bytes; throws for anything else, so a scale with another output format
 * fails when the layer is set up rather than painting black.
 */
export function parseCssColour(css: string): [number, number, number, number] {
  const s = css.trim().toLowerCase();
  let m = /^#([0-9a-f]{6})$/.exec(s);
  if (m) {
    const n = parseInt(m[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
  }
  m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (m) return [parseInt(m[1]! + m[1]!, 16), parseInt(m[2]! + m[2]!, 16), parseInt(m[3]! + m[3]!, 16), 255];
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(s);
  if (m) {
    const alpha = m[4] === undefined ? 1 : Number(m[4]);
    return [byte(Number(m[1])), byte(Number(m[2])), byte(Number(m[3])), byte(alpha * 255)];
  }
  throw new RangeError(`cannot read the colour “${css}”`);
}

/**
 * The LUT of a colour scale: entry k is `interpolate(k / 255)`, so entry 0 is the scale's start and entry 255
 * its end (d3's interpolateViridis, interpolateRdBu, …). `opacity` (0..1) multiplies every entry's alpha, for a
 * heatmap the ground shows through.
 */
export function lutFromInterpolator(interpolate: (t: number) => string, opacity = 1): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 4);
  const a = Math.max(0, Math.min(1, opacity));
  for (let k = 0; k < LUT_SIZE; k++) {
    const [r, g, b, alpha] = parseCssColour(interpolate(k / (LUT_SIZE - 1)));
    lut.set([r, g, b, Math.round(alpha * a)], k * 4);
  }
  return lut;
}

/** The same LUT bytes read as one 32-bit word per entry, in the platform's byte order (one store per cell). */
function lutWords(lut: Uint8Array): Uint32Array {
  if (lut.length !== LUT_SIZE * 4) throw new RangeError(`a colour LUT has ${LUT_SIZE * 4} bytes, not ${lut.length}`);
  return new Uint32Array(Uint8Array.from(lut).buffer);
}

/** Colours `values` into `out` (one word per value) and writes their [min, max] into `range`: one pass for both. */
function colourWords(values: Float32Array, words: Uint32Array, d0: number, scale: number, out: Uint32Array, range: Float64Array): void {
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < values.length; c++) {
    const v = values[c]!;
    if (v !== v) {
      out[c] = 0;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    // Clamped to the domain, so values beyond it take the end colours; rounds to the nearest entry.
    let k = (v - d0) * scale + 0.5;
    k = k < 0 ? 0 : k > 255 ? 255 : k;
    out[c] = words[k | 0]!;
  }
  range[0] = min;
  range[1] = max;
}

export interface Coloured {
  readonly rgba: Uint8ClampedArray;
  /** Of the non-NaN values; NaN when there are none. */
  readonly min: number;
  readonly max: number;
}

/**
 * RGBA bytes for GridValues (or any values) through the colour spec, and the values' range found on the way:
 * NaN → transparent (0, 0, 0, 0), values clamped to the domain. A reversed domain ([high, low]) reverses the
 * scale; an empty one ([v, v]) paints everything in entry 0.
 */
export function colourizeWithRange(values: Float32Array, colour: ColourSpec, out?: Uint8ClampedArray): Coloured {
  const [d0, d1] = colour.domain;
  if (!Number.isFinite(d0) || !Number.isFinite(d1)) throw new RangeError(`colour domain ${d0}..${d1} is not finite`);
  const scale = d1 === d0 ? 0 : (LUT_SIZE - 1) / (d1 - d0);
  const rgba = out ?? new Uint8ClampedArray(values.length * 4);
  if (rgba.length !== values.length * 4 || rgba.byteOffset % 4 !== 0) throw new RangeError('rgba output does not match the values');
  const range = new Float64Array(2);
  colourWords(values, lutWords(colour.lut), d0, scale, new Uint32Array(rgba.buffer, rgba.byteOffset, values.length), range);
  const found = range[0]! <= range[1]!;
  return { rgba, min: found ? range[0]! : NaN, max: found ? range[1]! : NaN };
}

/** `colourizeWithRange` without the range. */
export function colourize(values: Float32Array, colour: ColourSpec, out?: Uint8ClampedArray): Uint8ClampedArray {
  return colourizeWithRange(values, colour, out).rgba;
}

/** [min, max] of the non-NaN values; [NaN, NaN] when there are none. */
export function valueRange(values: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < values.length; c++) {
    const v = values[c]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [NaN, NaN];
}
