import { describe, expect, it } from 'vitest';
import { buildBuildingGeometry, buildingGlb } from '../../../../core/scenario/geometry';
import { buildingVolumeM3, orientedRect, ringAreaM2, roofPlan } from '../../../../core/scenario/roof';
import { createScenarioApi } from '../../../../workers/scenario/api';

/** A 20 m × 10 m rectangle, long side east–west, counter-clockwise. */
const RECT: Array<[number, number]> = [[-10, -5], [10, -5], [10, 5], [-10, 5]];
const L_SHAPE: Array<[number, number]> = [[0, 0], [20, 0], [20, 8], [8, 8], [8, 20], [0, 20]];

const zRange = (positions: ArrayLike<number>): [number, number] => {
  let lo = Infinity, hi = -Infinity;
  for (let i = 2; i < positions.length; i += 3) {
    lo = Math.min(lo, positions[i]!);
    hi = Math.max(hi, positions[i]!);
  }
  return [lo, hi];
};

// Node has Blob but no FileReader; three's GLTFExporter reads its Blob through one (as a worker would).
class NodeFileReader {
  result: ArrayBuffer | string | null = null;
  onloadend: (() => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    void blob.arrayBuffer().then((b) => ((this.result = b), this.onloadend?.()));
  }
  readAsDataURL(blob: Blob): void {
    void blob.arrayBuffer().then((b) => ((this.result = `data:application/octet-stream;base64,${Buffer.from(b).toString('base64')}`), this.onloadend?.()));
  }
}
(globalThis as unknown as { FileReader: unknown }).FileReader ??= NodeFileReader;

describe('proposed building geometry', () => {
  it('extrudes a flat-roofed rectangle: 12 triangles (2 per cap, 2 per wall), from 0 to the full height', () => {
    const g = buildBuildingGeometry({ ring: RECT, heightM: 12, roof: 'flat' });
    const pos = g.walls.getAttribute('position');
    expect(g.roof).toBeNull();
    expect(g.roofApplied).toBe('flat');
    expect(pos.count).toBe(36);
    expect(zRange(pos.array)).toEqual([0, 12]);
  });

  it('puts a gable roof on the rectangle: walls to the eaves, 6 roof triangles up to the ridge along the long side', () => {
    const g = buildBuildingGeometry({ ring: RECT, heightM: 12, roof: 'gable' });
    expect(g.roofApplied).toBe('gable');
    // rise = min(40 % of 12, 5 m · tan 40°) = 4.195…
    expect(g.eavesM).toBeCloseTo(12 - 5 * Math.tan((40 * Math.PI) / 180), 6);
    expect(zRange(g.walls.getAttribute('position').array)[1]).toBeCloseTo(g.eavesM, 5);
    const roof = g.roof!.getAttribute('position');
    expect(roof.count).toBe(18);
    expect(zRange(roof.array)).toEqual([expect.closeTo(g.eavesM, 5), 12]);
    // The ridge runs east–west (the long side): both ridge ends at y = 0, x = ±10.
    const ridge = new Set<string>();
    for (let i = 0; i < roof.count; i++) if (Math.abs(roof.getZ(i) - 12) < 1e-4) ridge.add(`${roof.getX(i).toFixed(3)},${roof.getY(i).toFixed(3)}`);
    expect([...ridge].toSorted()).toEqual(['-10.000,0.000', '10.000,0.000']);
    // Every roof face looks up or outwards.
    const n = g.roof!.getAttribute('normal');
    for (let i = 0; i < n.count; i++) expect(n.getZ(i)).toBeGreaterThanOrEqual(-1e-6);
  });

  it('builds a hip roof with a ridge shortened by half the width at each end; over a square it is a pyramid', () => {
    const g = buildBuildingGeometry({ ring: RECT, heightM: 12, roof: 'hip' });
    const roof = g.roof!.getAttribute('position');
    const ridgeX = new Set<number>();
    for (let i = 0; i < roof.count; i++) if (Math.abs(roof.getZ(i) - 12) < 1e-4) ridgeX.add(Math.round(roof.getX(i) * 1000) / 1000);
    expect([...ridgeX].toSorted((a, b) => a - b)).toEqual([-5, 5]);
    const square = buildBuildingGeometry({ ring: [[0, 0], [10, 0], [10, 10], [0, 10]], heightM: 8, roof: 'hip' });
    expect(square.roof!.getAttribute('position').count).toBe(12); // 4 triangles: the two degenerate ones dropped
  });

  it('gives a footprint far from its rectangle a flat roof instead of an overhanging pitched one', () => {
    const g = buildBuildingGeometry({ ring: L_SHAPE, heightM: 9, roof: 'gable' });
    expect(g.roofApplied).toBe('flat');
    expect(g.roof).toBeNull();
    expect(zRange(g.walls.getAttribute('position').array)).toEqual([0, 9]);
  });

  it('accepts clockwise rings and measures footprint, rectangle and volume', () => {
    expect(ringAreaM2(RECT)).toBe(200);
    expect(ringAreaM2(RECT.toReversed())).toBe(-200);
    expect(ringAreaM2(L_SHAPE)).toBe(20 * 8 + 8 * 12);
    const r = orientedRect(RECT.toReversed());
    expect([r.lengthM, r.widthM]).toEqual([20, 10]);
    expect(buildBuildingGeometry({ ring: RECT.toReversed(), heightM: 6, roof: 'flat' }).walls.getAttribute('position').count).toBe(36);
    expect(buildingVolumeM3(RECT, 12, 'flat')).toBe(2400);
    const plan = roofPlan(RECT, 12, 'gable');
    expect(buildingVolumeM3(RECT, 12, 'gable')).toBeCloseTo(200 * plan.eavesM + (20 * 10 * (12 - plan.eavesM)) / 2, 6);
    const sq = roofPlan([[0, 0], [10, 0], [10, 10], [0, 10]], 8, 'hip');
    expect(buildingVolumeM3([[0, 0], [10, 0], [10, 10], [0, 10]], 8, 'hip')).toBeCloseTo(100 * sq.eavesM + (100 * (8 - sq.eavesM)) / 3, 6);
  });

  it('writes a binary glTF (y-up: the height on +y) with a walls and a roof mesh, through the worker API', async () => {
    const { glb, roofApplied } = await buildingGlb({ ring: RECT, heightM: 12, roof: 'gable' });
    expect(roofApplied).toBe('gable');
    const view = new DataView(glb);
    expect(view.getUint32(0, true)).toBe(0x46546c67); // 'glTF'
    const jsonLength = view.getUint32(12, true);
    const json = JSON.parse(new TextDecoder().decode(new Uint8Array(glb, 20, jsonLength))) as { meshes: unknown[]; accessors: Array<{ max?: number[]; min?: number[] }> };
    expect(json.meshes).toHaveLength(2);
    const maxY = Math.max(...json.accessors.map((a) => a.max?.[1] ?? -Infinity));
    expect(maxY).toBeCloseTo(12, 4);
    const api = createScenarioApi();
    const r = await api.buildBuilding(1, { ringM: new Float64Array(RECT.flat()), heightM: 10, roof: 'flat' });
    expect(r.glb.byteLength).toBeGreaterThan(500);
    expect(r.eavesM).toBe(10);
  });
});
