import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, centerOfMass, kinks } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { labelPoint, pragueLabel, rankOf, repaired } from '../../../../pipeline/places/step';
import { EXONYMS } from '../../../../pipeline/places/exonyms';

describe('places step', () => {
  it('ranks German municipalities by kind and Czech ones by population', () => {
    expect(rankOf('DE', 'Kreisfreie Stadt', null)).toBe(1);
    expect(rankOf('DE', 'Stadt', null)).toBe(2);
    expect(rankOf('DE', 'Markt', null)).toBe(3);
    expect(rankOf('DE', 'Gemeinde', null)).toBe(4);
    expect([30_000, 29_999, 5_000, 1_000, 999].map((p) => rankOf('CZ', 'obec', p))).toEqual([1, 2, 2, 3, 4]);
  });

  it('repairs a self-intersecting (bow-tie) outline into valid rings and leaves a valid one alone', () => {
    const bowTie: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } };
    expect(kinks(bowTie).features.length).toBeGreaterThan(0);
    const r = repaired(bowTie);
    expect(r.repaired).toBe(true);
    expect(kinks(r.feature).features.filter((k) => !isVertexTouch(k.geometry.coordinates, r.feature)).length).toBe(0);
    const square: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } };
    expect(repaired(square)).toEqual({ feature: square, repaired: false });
  });

  it('puts the label inside a concave outline', () => {
    // A "C" whose centre of mass lies in its opening.
    const c: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]] } };
    expect(booleanPointInPolygon(centerOfMass(c), c)).toBe(false);
    expect(booleanPointInPolygon(labelPoint(c), c)).toBe(true);
  });

  it('gives the large towns on both sides their neighbour-language names', () => {
    expect(EXONYMS['Cheb']).toEqual({ de: 'Eger' });
    expect(EXONYMS['Domažlice']).toEqual({ de: 'Taus' });
    expect(EXONYMS['Regensburg']).toEqual({ cs: 'Řezno' });
  });
});

/** Polygons meeting at a shared vertex are valid; turf's kinks reports those too. */
function isVertexTouch(p: number[], f: Feature): boolean {
  const g = f.geometry as { coordinates: number[][][] | number[][][][] };
  return JSON.stringify(g.coordinates).includes(`[${p[0]},${p[1]}]`);
}

const district = (name: string, population: number, label: [number, number, number]) => ({
  type: 'Feature' as const,
  properties: { code: `CZ-${name}`, name, country: 'CZ' as const, kind: 'obec', population, rank: 1 as const, label },
  geometry: { type: 'Polygon' as const, coordinates: [[[14, 50], [14.1, 50], [14.1, 50.1], [14, 50]]] },
});

describe('Prague', () => {
  it('labels the city once, above its districts', () => {
    const features = [district('Praha 1', 30_000, [14.42, 50.087, 240]), district('Praha 4', 130_000, [14.44, 50.04, 290]), district('Plzeň', 170_000, [13.37, 49.74, 360])];
    const city = pragueLabel(features)!;
    expect(city.properties).toMatchObject({ name: 'Praha', rank: 1, population: 160_000, names: { de: 'Prag', en: 'Prague' }, label: [14.42, 50.087, 240] });
    expect(city.geometry).toEqual({ type: 'Point', coordinates: [14.42, 50.087] });
    expect(features.map((f) => f.properties.rank)).toEqual([3, 3, 1]);
    expect(pragueLabel([features[2]!])).toBeNull();
  });
});
