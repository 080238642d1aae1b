import { describe, expect, it } from 'vitest';
import { gradientStops, scaleBarLabel, scaleBarMetres } from '../../../../src/ui/picture-layout';

describe('a saved picture’s scale bar and legend bars', () => {
  it('takes the longest 1, 2 or 5 × 10ⁿ metres that fits', () => {
    expect(scaleBarMetres(1234)).toBe(1000);
    expect(scaleBarMetres(4999)).toBe(2000);
    expect(scaleBarMetres(5000)).toBe(5000);
    expect(scaleBarMetres(73)).toBe(50);
    expect(scaleBarMetres(0.5)).toBeNull();
    expect(scaleBarMetres(Number.NaN)).toBeNull();
    expect(scaleBarLabel(2000, String)).toBe('2 km');
    expect(scaleBarLabel(500, String)).toBe('500 m');
  });

  it('reads the colour stops the legends write', () => {
    expect(gradientStops('linear-gradient(to right, rgb(255, 0, 0) 0%, #00ff00 50%, rgba(0, 0, 255, 0.5) 100%)')).toEqual([
      { colour: 'rgb(255, 0, 0)', at: 0 }, { colour: '#00ff00', at: 0.5 }, { colour: 'rgba(0, 0, 255, 0.5)', at: 1 },
    ]);
    expect(gradientStops('linear-gradient(to right, transparent 0%, transparent 37.5%, rgb(1, 2, 3) 37.5%)')).toHaveLength(3);
  });
});
