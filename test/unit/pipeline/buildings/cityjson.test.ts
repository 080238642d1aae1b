import { describe, expect, it } from 'vitest';
import {
  epsgCodesOf,
  functionLabel,
  parseCityJson,
  roofTypeLabel,
  triangulatePolygon,
  type Vec3,
} from '../../../../pipeline/buildings/cityjson';

/** Sum of the triangle areas in 3D. */
function area3d(positions: Float64Array, indices: Uint32Array): number {
  let a = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const i = indices[t]! * 3, j = indices[t + 1]! * 3, k = indices[t + 2]! * 3;
    const ux = positions[j]! - positions[i]!, uy = positions[j + 1]! - positions[i + 1]!, uz = positions[j + 2]! - positions[i + 2]!;
    const vx = positions[k]! - positions[i]!, vy = positions[k + 1]! - positions[i + 1]!, vz = positions[k + 2]! - positions[i + 2]!;
    a += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
  }
  return a;
}

/** Normal of each triangle, for winding checks. */
function triangleNormals(positions: Float64Array, indices: Uint32Array): Vec3[] {
  const out: Vec3[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    const i = indices[t]! * 3, j = indices[t + 1]! * 3, k = indices[t + 2]! * 3;
    const ux = positions[j]! - positions[i]!, uy = positions[j + 1]! - positions[i + 1]!, uz = positions[j + 2]! - positions[i + 2]!;
    const vx = positions[k]! - positions[i]!, vy = positions[k + 1]! - positions[i + 1]!, vz = positions[k + 2]! - positions[i + 2]!;
    out.push([uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx]);
  }
  return out;
}

describe('triangulatePolygon', () => {
  it('keeps the area of a square with a square hole, at UTM-sized coordinates', () => {
    const x0 = 720000, y0 = 5432000, z = 340;
    const outer: Vec3[] = [[x0, y0, z], [x0 + 10, y0, z], [x0 + 10, y0 + 10, z], [x0, y0 + 10, z]];
    const hole: Vec3[] = [[x0 + 3, y0 + 3, z], [x0 + 3, y0 + 7, z], [x0 + 7, y0 + 7, z], [x0 + 7, y0 + 3, z]];
    const r = triangulatePolygon([outer, hole]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.indices.length / 3).toBe(8);
    expect(r.value.polygonArea).toBeCloseTo(84, 6);
    expect(r.value.triangleArea).toBeCloseTo(84, 6);
    expect(area3d(r.value.positions, r.value.indices)).toBeCloseTo(84, 6);
    // Counter-clockwise outer ring seen from above: normal and every triangle point up.
    expect(r.value.normal[2]).toBeCloseTo(1, 12);
    for (const n of triangleNormals(r.value.positions, r.value.indices)) expect(n[2]).toBeGreaterThan(0);
  });

  it('triangulates a vertical wall (a plane the xy projection would collapse) facing its ring normal', () => {
    // Runs east along y = 0; counter-clockwise seen from the south, so it faces south (-y).
    const wall: Vec3[] = [[0, 0, 0], [8, 0, 0], [8, 0, 5], [4, 0, 7], [0, 0, 5]];
    const r = triangulatePolygon([wall]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.normal[1]).toBeCloseTo(-1, 12);
    expect(r.value.indices.length / 3).toBe(3);
    expect(area3d(r.value.positions, r.value.indices)).toBeCloseTo(8 * 5 + (8 * 2) / 2, 9);
    for (const n of triangleNormals(r.value.positions, r.value.indices)) expect(n[1]).toBeLessThan(0);
  });

  it('reports degenerate rings (collinear, too few points) instead of emitting slivers', () => {
    expect(triangulatePolygon([[[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 3]]])).toEqual({ ok: false, reason: 'degenerate' });
    expect(triangulatePolygon([[[0, 0, 0], [1, 0, 0]]])).toEqual({ ok: false, reason: 'degenerate' });
    expect(triangulatePolygon([])).toEqual({ ok: false, reason: 'degenerate' });
  });

  it('ignores a hole that has collapsed to fewer than three points', () => {
    const r = triangulatePolygon([[[0, 0, 0], [4, 0, 0], [4, 4, 0], [0, 4, 0]], [[1, 1, 0], [2, 2, 0]]]);
    expect(r.ok && r.value.triangleArea).toBeCloseTo(16, 9);
  });
});

/** The six faces of a box from its 8 vertex indices (bottom ring, then top ring): ground, roof, four walls. */
function solid(v: number[]): number[][][] {
  const [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
  return [[[a, d, c, b]], [[e, f, g, h]], [[a, b, f, e]], [[b, c, g, f]], [[c, d, h, g]], [[d, a, e, h]]];
}

/** A two-part building: a 10x10x6 box (Building) and a 4x4x3 annex (BuildingPart), with one degenerate ring. */
function sampleCityJson(): Record<string, unknown> {
  const vertices: number[][] = [];
  const box = (x0: number, y0: number, w: number, d: number, h: number): number[] => {
    const base = vertices.length;
    for (const z of [0, h]) for (const [x, y] of [[x0, y0], [x0 + w, y0], [x0 + w, y0 + d], [x0, y0 + d]] as const) vertices.push([x * 1000, y * 1000, z * 1000]);
    return [base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7];
  };
  const main = solid(box(0, 0, 10, 10, 6));
  const annex = solid(box(10, 0, 4, 4, 3));
  const sem = { surfaces: [{ type: 'GroundSurface' }, { type: 'RoofSurface' }, { type: 'WallSurface' }], values: [[0, 1, 2, 2, 2, 2]] };
  return {
    type: 'CityJSON',
    version: '2.0',
    transform: { scale: [0.001, 0.001, 0.001], translate: [700000, 5400000, 300] },
    metadata: { referenceSystem: 'https://www.opengis.net/def/crs/EPSG/0/25832' },
    vertices,
    CityObjects: {
      B1: {
        type: 'Building',
        attributes: { measuredHeight: 6, roofType: '1000', function: '31001_1000', HoeheGrund: '300.000' },
        address: [{ Country: 'Germany', Locality: 'Regensburg', ThoroughfareName: 'Teststraße', ThoroughfareNumber: '1' }],
        children: ['B1-P1'],
        geometry: [
          { type: 'Solid', lod: '1', boundaries: [main.slice(0, 2)] },
          { type: 'Solid', lod: '2', boundaries: [[...main, [[0, 0, 0]]]], semantics: { ...sem, values: [[0, 1, 2, 2, 2, 2, 2]] } },
        ],
      },
      'B1-P1': { type: 'BuildingPart', parents: ['B1'], attributes: { storeysAboveGround: 1 }, geometry: [{ type: 'Solid', lod: '2', boundaries: [annex], semantics: sem }] },
    },
  };
}

describe('parseCityJson', () => {
  it('folds BuildingParts into their Building, keeps the highest LoD and applies the transform', () => {
    const parsed = parseCityJson(sampleCityJson());
    expect(parsed.referenceSystem).toContain('25832');
    expect(parsed.buildings).toHaveLength(1);
    const b = parsed.buildings[0]!;
    expect(b.id).toBe('B1');
    expect(b.partCount).toBe(1);
    // 6 faces of the LoD2 main solid + 6 of the annex; the LoD1 stub and the one-point ring are gone.
    expect(b.surfaces).toHaveLength(12);
    expect(parsed.report.degenerateRings).toBe(1);
    expect(b.surfaces.filter((s) => s.kind === 'roof')).toHaveLength(2);
    expect(b.surfaces.filter((s) => s.kind === 'ground')).toHaveLength(2);
    expect(b.surfaces[1]!.rings[0]![0]).toEqual([700000, 5400000, 306]);
    expect(b.attributes.storeysAboveGround).toBe(1);
    expect(b.address).toBe('Teststraße 1, Regensburg');
  });

  it('rejects what is not CityJSON', () => {
    expect(() => parseCityJson({ type: 'FeatureCollection' })).toThrow(/not a CityJSON/);
  });
});

describe('code lists', () => {
  it('labels roof and function codes and passes unknown codes through', () => {
    expect(roofTypeLabel('3100')).toBe('gable (3100)');
    expect(roofTypeLabel('3300')).toBe('half-hipped (3300)');
    expect(roofTypeLabel('1234')).toBe('1234');
    expect(roofTypeLabel(undefined)).toBe('');
    expect(functionLabel('31001_1000')).toBe('31001_1000 residential building');
    expect(functionLabel('51009_1610')).toBe('51009_1610 canopy');
    expect(functionLabel('31001_4711')).toBe('31001_4711');
  });

  it('reads EPSG codes from the referenceSystem spellings CityJSON uses', () => {
    expect(epsgCodesOf('https://www.opengis.net/def/crs/EPSG/0/25832')).toEqual([25832]);
    expect(epsgCodesOf('urn:ogc:def:crs:EPSG::25833')).toEqual([25833]);
    expect(epsgCodesOf('https://www.opengis.net/def/crs/EPSG/0/25832+7837')).toEqual([25832, 7837]);
    expect(epsgCodesOf('local')).toEqual([]);
  });
});
