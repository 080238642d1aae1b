import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { colourize, colourizeWithRange, lutFromInterpolator, parseCssColour, valueRange } from '../../../../core/aggregation/colour';
import { GREY_LUT } from './helpers';

const rgbaAt = (rgba: Uint8ClampedArray, i: number): number[] => Array.from(rgba.subarray(i * 4, i * 4 + 4));

describe('colour LUT', () => {
  it('parses the colours d3 interpolators return', () => {
    expect(parseCssColour('#355f8d')).toEqual([0x35, 0x5f, 0x8d, 255]);
    expect(parseCssColour('#fa0')).toEqual([255, 170, 0, 255]);
    expect(parseCssColour('rgb(241, 163, 133)')).toEqual([241, 163, 133, 255]);
    expect(parseCssColour('rgba(10, 20, 30, 0.5)')).toEqual([10, 20, 30, 128]);
    expect(() => parseCssColour('hsl(10, 20%, 30%)')).toThrow(/cannot read/);
  });

  it('builds 256 RGBA entries from viridis (hex output) and RdBu (rgb() output), ends included', () => {
    const v = lutFromInterpolator(interpolateViridis);
    expect(v).toHaveLength(1024);
    expect(Array.from(v.subarray(0, 4))).toEqual(parseCssColour(interpolateViridis(0)));
    expect(Array.from(v.subarray(1020))).toEqual(parseCssColour(interpolateViridis(1)));
    expect(Array.from(v.subarray(100 * 4, 101 * 4))).toEqual(parseCssColour(interpolateViridis(100 / 255)));
    const rdbu = lutFromInterpolator(interpolateRdBu, 0.5);
    expect(Array.from(rdbu.subarray(0, 4))).toEqual([...parseCssColour(interpolateRdBu(0)).slice(0, 3), 128]);
  });
});

describe('colourize', () => {
  const colour = { domain: [10, 20] as const, lut: GREY_LUT };

  it('maps NaN to transparent and clamps values to the domain', () => {
    const rgba = colourize(Float32Array.of(NaN, 10, 20, 15, -1e9, 1e9, 12.5, Infinity, -Infinity), colour);
    expect(rgbaAt(rgba, 0)).toEqual([0, 0, 0, 0]);
    expect(rgbaAt(rgba, 1)).toEqual([0, 255, 7, 255]);
    expect(rgbaAt(rgba, 2)).toEqual([255, 0, 7, 255]);
    expect(rgbaAt(rgba, 3)).toEqual([128, 127, 7, 255]); // 127.5 rounds up
    expect(rgbaAt(rgba, 4)).toEqual([0, 255, 7, 255]);
    expect(rgbaAt(rgba, 5)).toEqual([255, 0, 7, 255]);
    expect(rgbaAt(rgba, 6)).toEqual([64, 191, 7, 255]); // 63.75 → 64
    expect(rgbaAt(rgba, 7)).toEqual([255, 0, 7, 255]);
    expect(rgbaAt(rgba, 8)).toEqual([0, 255, 7, 255]);
  });

  it('reverses with a reversed domain; an empty domain paints entry 0', () => {
    const rev = colourize(Float32Array.of(20, 10), { domain: [20, 10], lut: GREY_LUT });
    expect(rgbaAt(rev, 0)).toEqual([0, 255, 7, 255]);
    expect(rgbaAt(rev, 1)).toEqual([255, 0, 7, 255]);
    expect(rgbaAt(colourize(Float32Array.of(3, 99), { domain: [5, 5], lut: GREY_LUT }), 1)).toEqual([0, 255, 7, 255]);
    expect(() => colourize(Float32Array.of(1), { domain: [0, 1], lut: new Uint8Array(16) })).toThrow(/LUT/);
  });

  it('finds the range of the values, NaN skipped, while colouring or on its own', () => {
    expect(valueRange(Float32Array.of(NaN, 3, -2, NaN, 7))).toEqual([-2, 7]);
    expect(valueRange(Float32Array.of(NaN))).toEqual([NaN, NaN]);
    expect(colourizeWithRange(Float32Array.of(NaN, 3, -2, NaN, 7), colour)).toMatchObject({ min: -2, max: 7 });
    expect(colourizeWithRange(Float32Array.of(NaN, NaN), colour)).toMatchObject({ min: NaN, max: NaN });
  });
});
