/**
 * Relief tint: the DEM's heights as a hypsometric colour image over the data's box, draped under the Landsat
 * image and over Natural Earth, so lowland basins, uplands and the mountain ridges read apart at every zoom
 * (the shading itself comes from the terrain's vertex normals under the scene's light).
 *
 * Invariants: one pixel every 1/200° (≈ 370 m × 555 m), heights EGM96 (the colours name heights above sea level),
 * transparent where no DEM has data; deterministic PNG.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { ManifestEntry, PipelineContext } from '../context';
import { dataBox } from '../terrain/step';
import type { TerrainMosaic } from '../terrain/model';

export const PIXELS_PER_DEG = 200;
/** Height (m above sea level) → colour: meadow green lowlands, ochre uplands, brown and grey ridges. */
export const TINT_STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [100, 118, 160, 98],
  [300, 152, 182, 112],
  [450, 192, 198, 132],
  [600, 214, 202, 150],
  [800, 200, 172, 128],
  [1000, 178, 148, 114],
  [1200, 160, 138, 120],
  [1500, 214, 210, 204],
];
/** The tint lets the Natural Earth colours show through a little. */
const ALPHA = 170;

export function tintOf(heightM: number): [number, number, number] {
  const s = TINT_STOPS;
  if (heightM <= s[0]![0]) return [s[0]![1], s[0]![2], s[0]![3]];
  for (let i = 1; i < s.length; i++) {
    const [h1, r1, g1, b1] = s[i]!;
    if (heightM <= h1) {
      const [h0, r0, g0, b0] = s[i - 1]!;
      const t = (heightM - h0) / (h1 - h0);
      return [Math.round(r0 + (r1 - r0) * t), Math.round(g0 + (g1 - g0) * t), Math.round(b0 + (b1 - b0) * t)];
    }
  }
  const last = s[s.length - 1]!;
  return [last[1], last[2], last[3]];
}

/** RGBA rows from the north, pixel centres on the 1/PIXELS_PER_DEG grid of the box. */
export function tintImage(model: TerrainMosaic, box: readonly [number, number, number, number]): { width: number; height: number; rgba: Uint8Array } {
  const [w, s, e, n] = box;
  const width = Math.round((e - w) * PIXELS_PER_DEG);
  const height = Math.round((n - s) * PIXELS_PER_DEG);
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const lat = n - (row + 0.5) / PIXELS_PER_DEG;
    for (let col = 0; col < width; col++) {
      const h = model.heightSourceM(w + (col + 0.5) / PIXELS_PER_DEG, lat);
      if (h === null) continue;
      const [r, g, b] = tintOf(h);
      rgba.set([r, g, b, ALPHA], (row * width + col) * 4);
    }
  }
  return { width, height, rgba };
}

export async function buildRelief(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const model = ctx.terrain as TerrainMosaic | undefined;
  if (!model?.demSources) throw new Error('the relief tint needs the terrain model');
  const box = dataBox(model);
  const img = tintImage(model, box);
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.rgba);
  const bytes = PNG.sync.write(png, { colorType: 6, deflateLevel: 9 });
  await mkdir(path.join(ctx.outDir, 'relief'), { recursive: true });
  await writeFile(path.join(ctx.outDir, 'relief', 'hypsometric-tint.png'), bytes);
  ctx.log(`relief: tint ${img.width}×${img.height}, ${bytes.byteLength} bytes`);
  return [
    {
      id: 'relief-tint',
      kind: 'imagery',
      url: 'relief/hypsometric-tint.png',
      title: 'Relief tint (heights above sea level, from SRTM)',
      source: 'SRTM 3″ and 1″ (the terrain model), EGM96 heights',
      licence: 'public domain',
      attribution: 'SRTM (NASA/USGS)',
      sourceCrs: 'EPSG:4326',
      sourceVerticalDatum: 'EGM96',
      bbox: [...box],
      extras: { width: img.width, height: img.height, pixelsPerDeg: PIXELS_PER_DEG, stopsM: TINT_STOPS.map((x) => x[0]) },
    },
  ];
}
