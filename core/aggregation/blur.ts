/**
 * Gaussian blur by three successive box filters per axis, the smoothing kernel of `kde.ts`.
 */

/**
 * Radii of the three box filters whose succession approximates a Gaussian of `sigmaCells` (W. Jarosz, I. Kutskir:
 * two neighbouring odd widths, as many of each as brings the summed variance closest to σ²). Box widths are odd
 * whole cells, so the kernel's σ is a little off: at most 9% at 2 cells, 6% from 3 cells up (a smoothing length
 * chosen by eye, so this goes unseen). Below about half a cell every radius is 0 and the blur does nothing.
 */
export function boxRadiiForGauss(sigmaCells: number): [number, number, number] {
  const n = 3;
  const s2 = sigmaCells * sigmaCells;
  const wIdeal = Math.sqrt((12 * s2) / n + 1);
  let wl = Math.floor(wIdeal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * s2 - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  const r = (i: number): number => ((i < m ? wl : wu) - 1) / 2;
  return [r(0), r(1), r(2)];
}

/** The 1D kernel the boxes make, centred (each box sums to 1, so the kernel does too). */
export function boxKernel(radii: readonly number[]): number[] {
  let k = [1];
  for (const r of radii) {
    const width = 2 * r + 1;
    const next = Array.from({ length: k.length + width - 1 }, () => 0);
    for (let i = 0; i < k.length; i++) for (let j = 0; j < width; j++) next[i + j]! += k[i]! / width;
    k = next;
  }
  return k;
}

/** The centre value of `boxKernel(radii)`. */
export function boxKernelPeak(radii: readonly number[]): number {
  const k = boxKernel(radii);
  return k[(k.length - 1) / 2]!;
}

/**
 * Box filter of radius r along one row of `n` values `stride` apart: src[so + k·stride] → dst[dof + k·stride],
 * zero outside the row. The running sum is a float64 local, so it does not drift across the row. Split into
 * the stretch where the box only gains values, the middle, and the stretch where it only loses them, so the
 * loops carry no bounds tests (a short row, 2r + 1 > n, takes the tested loop).
 */
function boxRow(src: Float32Array, so: number, dst: Float32Array, dof: number, n: number, r: number, stride: number): void {
  if (r === 0) {
    for (let i = 0; i < n; i++) dst[dof + i * stride] = src[so + i * stride]!;
    return;
  }
  const scale = 1 / (2 * r + 1);
  let acc = 0;
  const lim = Math.min(r, n - 1);
  for (let i = 0; i <= lim; i++) acc += src[so + i * stride]!;
  if (2 * r + 1 > n) {
    for (let i = 0; i < n; i++) {
      dst[dof + i * stride] = acc * scale;
      if (i + r + 1 < n) acc += src[so + (i + r + 1) * stride]!;
      if (i - r >= 0) acc -= src[so + (i - r) * stride]!;
    }
    return;
  }
  const add = (r + 1) * stride;
  let i = 0;
  for (; i < r; i++) {
    const k = i * stride;
    dst[dof + k] = acc * scale;
    acc += src[so + k + add]!;
  }
  const sub = r * stride;
  for (; i < n - r - 1; i++) {
    const k = i * stride;
    dst[dof + k] = acc * scale;
    acc += src[so + k + add]! - src[so + k - sub]!;
  }
  for (; i < n; i++) {
    const k = i * stride;
    dst[dof + k] = acc * scale;
    acc -= src[so + k - sub]!;
  }
}

/**
 * Box filter of radius r down the columns, src → dst (w values per row), with one float64 running sum per
 * column (`acc`, w long): the image is walked row by row, so memory is read in order rather than a column at a
 * time.
 */
function boxColumns(src: Float32Array, dst: Float32Array, w: number, h: number, r: number, acc: Float64Array): void {
  if (r === 0) {
    dst.set(src.subarray(0, w * h));
    return;
  }
  const scale = 1 / (2 * r + 1);
  acc.fill(0);
  const lim = Math.min(r, h - 1);
  for (let row = 0; row <= lim; row++) {
    const o = row * w;
    for (let c = 0; c < w; c++) acc[c]! += src[o + c]!;
  }
  for (let row = 0; row < h; row++) {
    const o = row * w;
    const a = row + r + 1;
    const s = row - r;
    const ao = a * w;
    const so = s * w;
    if (a < h && s >= 0) {
      for (let c = 0; c < w; c++) {
        dst[o + c] = acc[c]! * scale;
        acc[c]! += src[ao + c]! - src[so + c]!;
      }
    } else if (a < h) {
      for (let c = 0; c < w; c++) {
        dst[o + c] = acc[c]! * scale;
        acc[c]! += src[ao + c]!;
      }
    } else if (s >= 0) {
      for (let c = 0; c < w; c++) {
        dst[o + c] = acc[c]! * scale;
        acc[c]! -= src[so + c]!;
      }
    } else {
      for (let c = 0; c < w; c++) dst[o + c] = acc[c]! * scale;
    }
  }
}

/**
 * Blurs a w×h image of `channels` interleaved values per cell (1, or 2 for cell sums) with three box filters
 * per axis, approximating a Gaussian of σ = `sigmaCells`; zero is assumed outside the image, so the total is
 * kept except for what spills over the edges. Reads `src`, writes `dst` (may be `src`); `scratch` is one more
 * image of the same size. Cost does not depend on σ.
 */
export function gaussBlur(
  src: Float32Array, dst: Float32Array, w: number, h: number, sigmaCells: number, channels = 1,
  scratch: Float32Array = new Float32Array(w * h * channels),
): void {
  const len = w * h * channels;
  if (src.length !== len || dst.length !== len || scratch.length < len || scratch === src || scratch === dst) {
    throw new RangeError('blur buffers do not match the image size');
  }
  const [r1, r2, r3] = boxRadiiForGauss(sigmaCells);
  if (r1 === 0 && r2 === 0 && r3 === 0) {
    if (dst !== src) dst.set(src);
    return;
  }
  const rowLen = w * channels;
  // Down the columns (channels interleaved are just more columns): src → scratch → dst → scratch.
  const acc = new Float64Array(rowLen);
  boxColumns(src, scratch, rowLen, h, r1, acc);
  boxColumns(scratch, dst, rowLen, h, r2, acc);
  boxColumns(dst, scratch, rowLen, h, r3, acc);
  // Along the rows, each row through two row buffers while it is in cache: scratch → dst.
  const a = new Float32Array(rowLen);
  const b = new Float32Array(rowLen);
  for (let row = 0; row < h; row++) {
    const o = row * rowLen;
    for (let ch = 0; ch < channels; ch++) {
      boxRow(scratch, o + ch, a, ch, w, r1, channels);
      boxRow(a, ch, b, ch, w, r2, channels);
      boxRow(b, ch, dst, o + ch, w, r3, channels);
    }
  }
}
