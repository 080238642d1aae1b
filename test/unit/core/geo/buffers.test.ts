import { describe, expect, it } from 'vitest';
import { coordBuffer, packLines, unpackLines } from '../../../../core/geo/buffers';

describe('coordinate buffers', () => {
  it('refuses a buffer that is not whole points', () => {
    expect(() => coordBuffer(5514, 'Bpv', new Float64Array(4))).toThrow(/multiple of 3/);
  });
  it('packs and unpacks lines losslessly', () => {
    const lines = [Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(7, 8, 9)];
    const packed = packLines(lines);
    expect(Array.from(packed.offsets)).toEqual([0, 2, 3]);
    expect(unpackLines(packed).map((l) => Array.from(l))).toEqual(lines.map((l) => Array.from(l)));
  });
});
