import { describe, expect, it } from 'vitest';
import { newellNormal, triangulatePolygon, type Vec2 } from '../../../../pipeline/buildings/cityjson';
import {
  DEFAULT_HEIGHT_RULE,
  HEIGHT_TABLE,
  estimateHeight,
  extrudeFootprint,
  supersededFootprints,
  type FootprintFeature,
} from '../../../../pipeline/buildings/footprints';

const square = (x0: number, y0: number, s: number): Vec2[] => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];

describe('extrudeFootprint', () => {
  it('gives one wall per edge and a flat roof at base + height', () => {
    const { surfaces, degenerateRings } = extrudeFootprint([[square(0, 0, 10)]], 100, 7);
    expect(degenerateRings).toBe(0);
    expect(surfaces.filter((s) => s.kind === 'wall')).toHaveLength(4);
    const roofs = surfaces.filter((s) => s.kind === 'roof');
    expect(roofs).toHaveLength(1);
    expect(roofs[0]!.rings[0]!.every((p) => p[2] === 107)).toBe(true);
    const tris = surfaces.map((s) => triangulatePolygon(s.rings)).reduce((n, r) => n + (r.ok ? r.value.indices.length / 3 : 0), 0);
    expect(tris).toBe(4 * 2 + 2);
  });

  it('counts walls around holes and faces every surface outwards whatever the source winding', () => {
    // Outer ring clockwise and hole counter-clockwise: both the "wrong" way round.
    const outer = square(0, 0, 10).toReversed();
    const hole = square(3, 3, 4);
    const { surfaces } = extrudeFootprint([[outer, hole]], 0, 5);
    expect(surfaces.filter((s) => s.kind === 'wall')).toHaveLength(8);
    const roof = surfaces.find((s) => s.kind === 'roof')!;
    expect(roof.rings).toHaveLength(2);
    expect(newellNormal(roof.rings[0]!)[2]).toBeGreaterThan(0);
    const r = triangulatePolygon(roof.rings);
    expect(r.ok && r.value.triangleArea).toBeCloseTo(100 - 16, 9);
    // Outward = away from the building's centre (5, 5) for outer walls, towards it for the courtyard walls.
    for (const w of surfaces.filter((s) => s.kind === 'wall')) {
      const n = newellNormal(w.rings[0]!);
      const mid = w.rings[0]!.reduce<[number, number]>((m, p) => [m[0] + p[0] / 4, m[1] + p[1] / 4], [0, 0]);
      const away = (mid[0] - 5) * n[0] + (mid[1] - 5) * n[1];
      const courtyard = Math.abs(mid[0] - 5) <= 2 && Math.abs(mid[1] - 5) <= 2;
      expect(courtyard ? away < 0 : away > 0).toBe(true);
      expect(n[2]).toBeCloseTo(0, 9);
    }
  });

  it('handles MultiPolygons and drops degenerate rings with a count', () => {
    const { surfaces, degenerateRings } = extrudeFootprint([[square(0, 0, 4)], [square(10, 0, 2)], [[[0, 0], [1, 1], [2, 2], [0, 0]]]], 0, 3);
    expect(degenerateRings).toBe(1);
    expect(surfaces.filter((s) => s.kind === 'roof')).toHaveLength(2);
    expect(surfaces.filter((s) => s.kind === 'wall')).toHaveLength(8);
  });
});

describe('estimateHeight', () => {
  it('uses the table by building type, with amenity refining a generic tag', () => {
    expect(estimateHeight({ building: 'house' })).toEqual({ heightM: HEIGHT_TABLE.house!.heightM, estimated: true, rule: 'building=house' });
    expect(estimateHeight({ building: 'church' }).heightM).toBeGreaterThan(15);
    expect(estimateHeight({ building: 'garage' }).heightM).toBeLessThanOrEqual(3);
    expect(estimateHeight({ building: 'house', amenity: 'townhall' }).rule).toBe('amenity=townhall');
    expect(estimateHeight({ building: '599' })).toEqual({ heightM: DEFAULT_HEIGHT_RULE.heightM, estimated: true, rule: 'default' });
  });

  it('prefers building:levels, and a height tag is not an estimate', () => {
    expect(estimateHeight({ building: 'yes', 'building:levels': '4' })).toMatchObject({ estimated: true, rule: 'building:levels=4' });
    expect(estimateHeight({ building: 'yes', 'building:levels': '4' }).heightM).toBeCloseTo(4 * 3.2 + 1.5, 9);
    expect(estimateHeight({ building: 'yes', height: '12.5' })).toEqual({ heightM: 12.5, estimated: false, rule: 'height' });
  });
});

const f = (id: string, start: string | undefined, x0: number, s = 0.0001): FootprintFeature => ({
  type: 'Feature',
  id,
  properties: start ? { start_date: start } : {},
  geometry: { type: 'Polygon', coordinates: [[[x0, 50], [x0 + s, 50], [x0 + s, 50 + s], [x0, 50 + s], [x0, 50]]] },
});

describe('supersededFootprints', () => {
  it('drops the earlier of two overlapping footprints and keeps neighbours and undated ones', () => {
    const features = [f('old', '1843', 13.5), f('new', '1936', 13.50002), f('neighbour', '1843', 13.5003), f('undated', undefined, 13.50001)];
    expect([...supersededFootprints(features)]).toEqual([0]);
  });
});
