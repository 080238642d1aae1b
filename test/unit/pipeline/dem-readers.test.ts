import { describe, it, expect } from 'vitest';
import { zipSync } from 'fflate';
import { fromArrayBuffer, writeArrayBuffer } from 'geotiff';
import { converter } from '../../../core/geo/crs';
import { countVoids, fillVoids, sampleBilinear } from '../../../pipeline/terrain/grid';
import { parseHgt, parseHgtName, sampleHgt, unzipHgt } from '../../../pipeline/terrain/hgt';
import { demFromImage, georefFootprint, readGeoref, sampleGeoTiffDem } from '../../../pipeline/terrain/geotiff-dem';

/** A synthetic 3″ tile: h = row * 2 + col (rows from the north), big-endian, with chosen voids. */
function syntheticHgt(voids: number[] = []): Uint8Array {
  const size = 1201;
  const bytes = new Uint8Array(size * size * 2);
  const v = new DataView(bytes.buffer);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) v.setInt16((r * size + c) * 2, r * 2 + c, false);
  for (const i of voids) v.setInt16(i * 2, -32768, false);
  return bytes;
}

describe('SRTM .hgt', () => {
  it('takes the south-west corner from the name', () => {
    expect(parseHgtName('N49E011.hgt')).toEqual({ latSwDeg: 49, lonSwDeg: 11 });
    expect(parseHgtName('/x/y/s12w077.hgt.zip')).toEqual({ latSwDeg: -12, lonSwDeg: -77 });
    expect(() => parseHgtName('dem.hgt')).toThrow(/not an SRTM tile name/);
  });

  it('reads size, rows north to south and voids', () => {
    const t = parseHgt(syntheticHgt([5]), 'N50E011.hgt');
    expect([t.cols, t.rows, t.arcSec, t.latSwDeg, t.lonSwDeg]).toEqual([1201, 1201, 3, 50, 11]);
    expect(t.values[1]).toBe(1);
    expect(t.values[1201]).toBe(2);
    expect(Number.isNaN(t.values[5]!)).toBe(true);
    expect(countVoids(t)).toBe(1);
    // North-west corner is row 0, col 0; the south-east corner is the last post.
    expect(sampleHgt(t, 11, 51)).toBe(0);
    expect(sampleHgt(t, 12, 50)).toBe(1200 * 2 + 1200);
    // Halfway between posts: bilinear.
    expect(sampleHgt(t, 11 + 10.5 / 1200, 51 - 20.5 / 1200)).toBeCloseTo(20.5 * 2 + 10.5, 9);
    expect(sampleHgt(t, 10.999, 50.5)).toBeNull();
    expect(sampleHgt(t, 11 + 5 / 1200, 51)).toBeNull();
  });

  it('rejects sizes that are not SRTM', () => {
    expect(() => parseHgt(new Uint8Array(1000 * 1000 * 2), 'N49E011.hgt')).toThrow(/neither/);
  });

  it('unzips a .hgt.zip', () => {
    const raw = syntheticHgt();
    const zip = zipSync({ 'N49E011.hgt': raw, 'readme.txt': new Uint8Array([65]) });
    const t = parseHgt(unzipHgt(zip, 'N49E011.hgt.zip'), 'N49E011.hgt.zip');
    expect(t.values[1202]).toBe(3);
    expect(() => unzipHgt(zipSync({ 'a.txt': new Uint8Array(1) }), 'x.zip')).toThrow(/no .hgt/);
  });
});

describe('height grid helpers', () => {
  it('fills voids from their rim and renormalises bilinear weights around a void', () => {
    const g = { cols: 3, rows: 3, values: Float32Array.from([1, 1, 1, 1, Number.NaN, 1, 1, 1, 5]) };
    expect(sampleBilinear(g, 1, 1)).toBeNull();
    expect(sampleBilinear(g, 0.4, 0.4)).toBeCloseTo(1, 9);
    const f = fillVoids(g);
    expect(f.values[4]).toBe(1);
    expect(countVoids(f)).toBe(0);
    const two = fillVoids({ cols: 4, rows: 1, values: Float32Array.from([2, Number.NaN, Number.NaN, 6]) });
    expect(Array.from(two.values)).toEqual([2, 2, 6, 6]);
  });
});

const at = (e: number, n: number): [number, number] => converter(32633, 4326).forward([e, n]) as [number, number];

describe('GeoTIFF DEM georeferencing', () => {
  // A plane h = (E - E0) / 10 on a 40 x 40 grid of 30 m pixels in UTM 33N near Plzeň.
  const E0 = 380000, N0 = 5515000, S = 30, W = 40;
  const values = Float32Array.from({ length: W * W }, (_, i) => (i % W) * 3);
  async function dem(rasterType: 1 | 2) {
    const buf = writeArrayBuffer(values, {
      width: W,
      height: W,
      ModelPixelScale: [S, S, 0],
      ModelTiepoint: [0, 0, 0, E0, N0, 0],
      ProjectedCSTypeGeoKey: 32633,
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: rasterType,
    });
    const image = await (await fromArrayBuffer(buf)).getImage();
    return demFromImage(image, readGeoref(image, 'synthetic'));
  }

  it('puts the first pixel centre half a pixel inside the tiepoint for PixelIsArea', async () => {
    const d = await dem(1);
    expect([d.georef.originX, d.georef.originY, d.georef.pixelIsArea, d.georef.epsg]).toEqual([E0, N0, true, 32633]);
    // Centre of column 10 is E0 + 10.5 px; h there = 30.
    expect(sampleGeoTiffDem(d, ...at(E0 + 10.5 * S, N0 - 7.5 * S))).toBeCloseTo(30, 3);
    expect(sampleGeoTiffDem(d, ...at(E0 + 20 * S, N0 - 20 * S))).toBeCloseTo(58.5, 3);
  });

  it('puts the first pixel centre on the tiepoint for PixelIsPoint', async () => {
    const d = await dem(2);
    expect([d.georef.originX, d.georef.originY, d.georef.pixelIsArea]).toEqual([E0 - S / 2, N0 + S / 2, false]);
    expect(sampleGeoTiffDem(d, ...at(E0 + 10 * S, N0 - 7 * S))).toBeCloseTo(30, 3);
    expect(sampleGeoTiffDem(d, ...at(E0 + 20 * S, N0 - 20 * S))).toBeCloseTo(60, 3);
    expect(sampleGeoTiffDem(d, ...at(E0 - 2 * S, N0))).toBeNull();
  });

  it('outlines the raster as a closed counter-clockwise lon/lat ring', async () => {
    const d = await dem(1);
    const ring = georefFootprint(d.georef, 8);
    expect(ring.length).toBe(33);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    let area2 = 0;
    for (let i = 0; i + 1 < ring.length; i++) area2 += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    expect(area2).toBeGreaterThan(0);
  });
});
