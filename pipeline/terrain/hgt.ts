/**
 * SRTM .hgt tiles: a square of big-endian int16 posts, rows north -> south, columns west -> east, posts on the
 * tile's edges (shared with the neighbours), -32768 = void. Nothing in the file says where it is: the name
 * (N49E011 = south-west corner 49 N 11 E) does, and the byte length gives the post count.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { unzipSync } from 'fflate';
import { type HeightGrid, sampleBilinear } from './grid';

export const HGT_VOID = -32768;

export interface HgtTile extends HeightGrid {
  /** South-west corner, whole degrees. */
  readonly latSwDeg: number;
  readonly lonSwDeg: number;
  /** Post spacing in arc-seconds: 3 (1201 posts) or 1 (3601 posts). */
  readonly arcSec: 1 | 3;
}

/** South-west corner from a name like "N49E011.hgt", "s12w077.hgt.zip" or a path ending in one. */
export function parseHgtName(fileName: string): { latSwDeg: number; lonSwDeg: number } {
  const m = /([NS])(\d{1,2})([EW])(\d{1,3})/i.exec(basename(fileName));
  if (!m) throw new Error(`${fileName}: not an SRTM tile name (expected e.g. N49E011.hgt)`);
  const lat = Number(m[2]) * (m[1]!.toUpperCase() === 'S' ? -1 : 1);
  const lon = Number(m[4]) * (m[3]!.toUpperCase() === 'W' ? -1 : 1);
  if (lat < -90 || lat > 89 || lon < -180 || lon > 179) throw new Error(`${fileName}: tile corner ${lat}, ${lon} out of range`);
  return { latSwDeg: lat, lonSwDeg: lon };
}

/** Parse the raw .hgt bytes; `fileName` supplies the position. */
export function parseHgt(bytes: Uint8Array, fileName: string): HgtTile {
  const posts = bytes.byteLength / 2;
  const size = Math.round(Math.sqrt(posts));
  if (size * size !== posts || (size !== 1201 && size !== 3601)) {
    throw new Error(`${fileName}: ${bytes.byteLength} bytes is neither a 1201² (3″) nor a 3601² (1″) SRTM tile`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(posts);
  for (let i = 0; i < posts; i++) {
    const h = view.getInt16(i * 2, false);
    values[i] = h === HGT_VOID ? Number.NaN : h;
  }
  return { ...parseHgtName(fileName), arcSec: size === 1201 ? 3 : 1, cols: size, rows: size, values };
}

/** The .hgt entry of a zip (SRTM mirrors ship one tile per zip). */
export function unzipHgt(zipBytes: Uint8Array, zipName: string): Uint8Array {
  const entries = unzipSync(zipBytes, { filter: (f) => /\.hgt$/i.test(f.name) });
  const names = Object.keys(entries).toSorted();
  const first = names[0];
  if (first === undefined) throw new Error(`${zipName}: no .hgt file inside the zip`);
  if (names.length > 1) throw new Error(`${zipName}: ${names.length} .hgt files inside, expected one`);
  return entries[first]!;
}

/** Read a .hgt or .hgt.zip from disk. The outer file name gives the position (the inner one usually agrees). */
export function readHgtFile(path: string): HgtTile {
  const raw = new Uint8Array(readFileSync(path));
  const bytes = /\.zip$/i.test(path) ? unzipHgt(raw, path) : raw;
  return parseHgt(bytes, path);
}

/** Bilinear source height (metres, as stored) or null outside the tile or in a void. */
export function sampleHgt(t: HgtTile, lonDeg: number, latDeg: number): number | null {
  const n = t.cols - 1;
  return sampleBilinear(t, (lonDeg - t.lonSwDeg) * n, (t.latSwDeg + 1 - latDeg) * n);
}

export function hgtCovers(t: HgtTile, lonDeg: number, latDeg: number): boolean {
  return lonDeg >= t.lonSwDeg && lonDeg <= t.lonSwDeg + 1 && latDeg >= t.latSwDeg && latDeg <= t.latSwDeg + 1;
}
