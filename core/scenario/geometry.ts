/**
 * A proposed building as 3D geometry (three.js), in a local east-north-up frame in metres around the footprint's
 * centre, and as binary glTF for Cesium.
 *
 * - Walls: the footprint extruded (ExtrudeGeometry, no bevel) up to the eaves; with a flat roof, up to the top.
 * - Gable and hip roofs sit on the footprint's minimum-area bounding rectangle, with the ridge along its long
 *   side. That is exact for a rectangular footprint; a footprint that fills less than 95 % of its rectangle
 *   would get a roof overhanging it, so it gets a flat roof and the result says so (`roofApplied`).
 * - The roof rises 40 % of the height at most, and never steeper than 40°.
 * - glTF is y-up: (east, north, up) is written as (x, y, z) = (east, up, −north); the page loads it with
 *   `forwardAxis: Axis.X`, so Cesium turns it back without its usual +z-forward turn.
 * - Colours are deliberately saturated (magenta walls, dark magenta roof): a proposed building must never be
 *   mistaken for an existing one (white or amber in the scene).
 */
import { BufferGeometry, ExtrudeGeometry, Float32BufferAttribute, Group, Mesh, MeshStandardMaterial, Shape, Vector2 } from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';
import { ringAreaM2, roofPlan, type OrientedRect, type RoofForm } from './roof';

export type { RoofForm };

export interface BuildingShape {
  /** Footprint corners, [east, north] metres around the frame origin, not closed. */
  readonly ring: ReadonlyArray<readonly [number, number]>;
  readonly heightM: number;
  readonly roof: RoofForm;
}

export interface BuildingGeometry {
  readonly walls: BufferGeometry;
  /** Null for a flat roof (the walls' top cap is the roof). */
  readonly roof: BufferGeometry | null;
  readonly roofApplied: RoofForm;
  readonly eavesM: number;
}

export const WALL_COLOUR = 0xe0218a;
export const ROOF_COLOUR = 0x8e1457;
type V3 = readonly [number, number, number];

/** Roof triangles over a rectangle, each wound to face outwards (up or away from the ridge). */
function pitchedRoof(rect: OrientedRect, form: 'gable' | 'hip', eavesM: number, ridgeM: number): Float32Array {
  const { cx, cy, ax, ay } = rect;
  const hl = rect.lengthM / 2, hw = rect.widthM / 2;
  // (u, v) in the rectangle's frame -> east, north.
  const at = (u: number, v: number, z: number): V3 => [cx + u * ax - v * ay, cy + u * ay + v * ax, z];
  const ridgeHalf = form === 'gable' ? hl : Math.max(0, hl - hw);
  const c00 = at(-hl, -hw, eavesM), c10 = at(hl, -hw, eavesM), c11 = at(hl, hw, eavesM), c01 = at(-hl, hw, eavesM);
  const r0 = at(-ridgeHalf, 0, ridgeM), r1 = at(ridgeHalf, 0, ridgeM);
  const tris: Array<[V3, V3, V3]> = [
    [c00, c10, r1], [c00, r1, r0], // slope on the −v side
    [c11, c01, r0], [c11, r0, r1], // slope on the +v side
    [c01, c00, r0], // −u end: a gable wall, or a hip
    [c10, c11, r1], // +u end
  ];
  const mid: V3 = [cx, cy, (eavesM + ridgeM) / 2 - 1e3];
  const out: number[] = [];
  for (const [a, b, c] of tris) {
    const ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
    const vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    if (Math.hypot(nx, ny, nz) < 1e-9) continue; // a hip roof over a square: the ridge is a point
    // Outward: away from a point far below the roof's middle (every roof face looks up or sideways).
    const gx = (a[0] + b[0] + c[0]) / 3 - mid[0], gy = (a[1] + b[1] + c[1]) / 3 - mid[1], gz = (a[2] + b[2] + c[2]) / 3 - mid[2];
    const outward = nx * gx + ny * gy + nz * gz >= 0;
    for (const p of outward ? [a, b, c] : [a, c, b]) out.push(p[0], p[1], p[2]);
  }
  return new Float32Array(out);
}

export function buildBuildingGeometry(shape: BuildingShape): BuildingGeometry {
  const ring = ringAreaM2(shape.ring) >= 0 ? shape.ring : shape.ring.toReversed();
  if (ring.length < 3) throw new Error('a footprint needs at least 3 corners');
  if (!(shape.heightM > 0)) throw new Error('a building needs a height');
  const { roofApplied, eavesM, rect } = roofPlan(ring, shape.heightM, shape.roof);
  const outline = new Shape(ring.map(([x, y]) => new Vector2(x, y)));
  // Extruded along +z: (x, y, z) is (east, north, up) until the final turn to glTF's y-up.
  const walls = new ExtrudeGeometry(outline, { depth: eavesM, bevelEnabled: false, steps: 1, curveSegments: 1 });
  let roof: BufferGeometry | null = null;
  if (roofApplied !== 'flat' && rect) {
    roof = new BufferGeometry();
    roof.setAttribute('position', new Float32BufferAttribute(pitchedRoof(rect, roofApplied, eavesM, shape.heightM), 3));
    roof.computeVertexNormals();
  }
  return { walls, roof, roofApplied, eavesM };
}

/** (east, north, up) -> glTF's y-up (east, up, −north). */
function toYUp(g: BufferGeometry): BufferGeometry {
  return g.rotateX(-Math.PI / 2);
}

const material = (colour: number): MeshStandardMaterial => new MeshStandardMaterial({ color: colour, roughness: 0.85, metalness: 0 });

/** The building as a GLB (one mesh for the walls, one for the roof), ready for Cesium's `Model.fromGltfAsync`. */
export async function buildingGlb(shape: BuildingShape): Promise<{ glb: ArrayBuffer; roofApplied: RoofForm; eavesM: number }> {
  const g = buildBuildingGeometry(shape);
  const group = new Group();
  group.add(new Mesh(toYUp(g.walls), material(WALL_COLOUR)));
  if (g.roof) group.add(new Mesh(toYUp(g.roof), material(ROOF_COLOUR)));
  const glb = await new GLTFExporter().parseAsync(group, { binary: true });
  g.walls.dispose();
  g.roof?.dispose();
  if (!(glb instanceof ArrayBuffer)) throw new Error('the glTF exporter did not return binary glTF');
  return { glb, roofApplied: g.roofApplied, eavesM: g.eavesM };
}
