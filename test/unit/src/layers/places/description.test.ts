import { describe, expect, it } from 'vitest';
import { declutter, labelText, parsePlaces, type LabelBox, type PlaceLabel } from '../../../../../src/layers/places/description';

const feature = (props: Record<string, unknown>, coords: number[][][] = [[[12, 50], [12.1, 50], [12.1, 50.1], [12, 50]]]) => ({ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: coords } });

const box = (index: number, x: number, y: number, rank: 1 | 2 | 3 | 4, population: number | null = null): LabelBox => ({ index, x, y, w: 80, h: 18, rank, population });

describe('places description', () => {
  it('reads outlines and labels, keeping only valid ranks and label points', () => {
    const p = parsePlaces({
      type: 'FeatureCollection',
      features: [
        feature({ code: 'CZ-554481', name: 'Cheb', country: 'CZ', rank: 1, population: 31000, label: [12.37, 50.08, 500], names: { de: 'Eger', xx: 'no' } }),
        feature({ code: 'DE-1', name: 'Nowhere', country: 'DE', rank: 7, label: [12, 50, 0] }),
        feature({ code: 'DE-2', name: 'Broken', country: 'DE', rank: 2, label: [12, 'x', 0] }),
      ],
    });
    expect(p.outlines).toHaveLength(3);
    expect(p.outlines[0]).toEqual(Float64Array.from([12, 50, 0, 12.1, 50, 0, 12.1, 50.1, 0, 12, 50, 0]));
    expect(p.labels.map((l) => l.code)).toEqual(['CZ-554481']);
    expect(p.labels[0]!.names).toEqual({ de: 'Eger' });
    expect(() => parsePlaces({ type: 'Feature' })).toThrow(/FeatureCollection/);
  });

  it('names a town in the UI language with its own name after an exonym', () => {
    const cheb = { name: 'Cheb', names: { de: 'Eger' } } as unknown as PlaceLabel;
    expect(labelText('de', cheb)).toBe('Eger (Cheb)');
    expect(labelText('cs', cheb)).toBe('Cheb');
    expect(labelText('en', cheb)).toBe('Cheb');
  });

  it('declutters in rank, then population order; labels apart all stay', () => {
    // 0 and 1 overlap: rank 1 wins; 2 and 3 overlap with equal rank: more inhabitants wins; 4 is alone.
    const kept = declutter([box(0, 100, 100, 3), box(1, 120, 105, 1), box(2, 400, 300, 2, 500), box(3, 430, 300, 2, 9000), box(4, 700, 500, 4)]);
    expect([...kept].toSorted()).toEqual([1, 3, 4]);
    // Across grid cells: boxes wider than a cell still collide.
    expect(declutter([box(0, 60, 10, 1), box(1, 130, 10, 2)]).size).toBe(1);
    expect(declutter([box(0, 60, 10, 1), box(1, 160, 10, 2)]).size).toBe(2);
  });
});
