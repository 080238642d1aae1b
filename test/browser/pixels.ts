/** Screenshot comparisons shared by the browser tests. */
import { PNG } from 'pngjs';

/** A part of the screen as fractions of its width and height: [x0, y0, x1, y1]. */
export type Region = readonly [number, number, number, number];

/** Pixels that differ by more than `tol` in any channel, within `region` of two screenshots of one size. */
export function differingPixels(a: Buffer, b: Buffer, region: Region, tol = 24): number {
  const pa = PNG.sync.read(a);
  const pb = PNG.sync.read(b);
  let n = 0;
  for (let y = Math.floor(pa.height * region[1]); y < pa.height * region[3]; y++) {
    for (let x = Math.floor(pa.width * region[0]); x < pa.width * region[2]; x++) {
      const i = (y * pa.width + x) * 4;
      if (Math.abs(pa.data[i]! - pb.data[i]!) > tol || Math.abs(pa.data[i + 1]! - pb.data[i + 1]!) > tol || Math.abs(pa.data[i + 2]! - pb.data[i + 2]!) > tol) n++;
    }
  }
  return n;
}
