/**
 * The footprint of an imported 3D object (a CityJSON building or mast, triangulated by the importer): the outline
 * of its ground triangles, so a city model's building, or a scenario written as CityJSON, becomes a proposed
 * building again.
 *
 * - The outline is made of the ground triangles' boundary edges: an edge inside a ground surface is used by two
 *   of its triangles in opposite directions and drops out; what is left is the surfaces' outer boundary. Edges are
 *   matched by their end points' coordinates, so ground surfaces written as separate polygons still join.
 * - Of several loops (parts that do not touch) the largest is the footprint.
 * - It is returned counter-clockwise, starting at the loop's vertex that comes first in the file: a scenario's
 *   own CityJSON writes corner 0 of each footprint first, so its corners come back in their order.
 */
import { TRIANGLE_KIND } from '../formats/import/types';

export interface TriangleSet {
  readonly xyz: Float64Array;
  readonly indices: Uint32Array;
  readonly feature: Uint32Array;
  readonly kind: Uint8Array;
}

export interface FeatureShape {
  /** Lon/lat corners, counter-clockwise, not closed; empty when the feature has no ground surface. */
  readonly outline: Array<[number, number]>;
  /** Mean of the outline's corners (lon/lat). */
  readonly centre: [number, number] | null;
  /** Lowest and highest vertex of the whole feature, metres. */
  readonly zMin: number;
  readonly zMax: number;
}

const keyOf = (xyz: Float64Array, i: number): string => `${xyz[i * 3]},${xyz[i * 3 + 1]}`;

/** Signed area of a lon/lat loop in degrees² scaled by cos(latitude): only its sign and size relative to others matter. */
function loopArea(xyz: Float64Array, loop: readonly number[]): number {
  const k = Math.cos(((xyz[loop[0]! * 3 + 1] ?? 0) * Math.PI) / 180);
  let a = 0;
  for (let i = 0; i < loop.length; i++) {
    const p = loop[i]!, q = loop[(i + 1) % loop.length]!;
    a += xyz[p * 3]! * k * xyz[q * 3 + 1]! - xyz[q * 3]! * k * xyz[p * 3 + 1]!;
  }
  return a / 2;
}

/** Closed loops of boundary edges (vertex indices), from directed edges `from -> to`. */
function boundaryLoops(xyz: Float64Array, edges: ReadonlyArray<readonly [number, number]>): number[][] {
  const directed = new Set(edges.map(([a, b]) => `${keyOf(xyz, a)}>${keyOf(xyz, b)}`));
  const next = new Map<string, [number, number]>();
  for (const [a, b] of edges) {
    if (!directed.has(`${keyOf(xyz, b)}>${keyOf(xyz, a)}`)) next.set(keyOf(xyz, a), [a, b]);
  }
  const loops: number[][] = [];
  const done = new Set<string>();
  // Started from the lowest vertex index first, so each loop begins at its vertex written first.
  const starts = [...next.values()].toSorted((p, q) => p[0] - q[0]);
  for (const [start] of starts) {
    const startKey = keyOf(xyz, start);
    if (done.has(startKey)) continue;
    const loop: number[] = [];
    let at = next.get(startKey);
    while (at && !done.has(keyOf(xyz, at[0]))) {
      done.add(keyOf(xyz, at[0]));
      loop.push(at[0]);
      at = next.get(keyOf(xyz, at[1]));
    }
    if (loop.length >= 3 && at && keyOf(xyz, at[0]) === startKey) loops.push(loop);
  }
  return loops;
}

/** One feature's triangles [from, to) -> its shape. */
function shapeOf(t: TriangleSet, from: number, to: number): FeatureShape {
  let zMin = Infinity, zMax = -Infinity;
  const edges: Array<[number, number]> = [];
  for (let tri = from; tri < to; tri++) {
    const v = [t.indices[tri * 3]!, t.indices[tri * 3 + 1]!, t.indices[tri * 3 + 2]!];
    for (const i of v) {
      zMin = Math.min(zMin, t.xyz[i * 3 + 2]!);
      zMax = Math.max(zMax, t.xyz[i * 3 + 2]!);
    }
    if (t.kind[tri] === TRIANGLE_KIND.ground) edges.push([v[0]!, v[1]!], [v[1]!, v[2]!], [v[2]!, v[0]!]);
  }
  const loops = boundaryLoops(t.xyz, edges);
  let best: number[] = [];
  for (const l of loops) if (Math.abs(loopArea(t.xyz, l)) > Math.abs(loopArea(t.xyz, best))) best = l;
  // Reversed keeping the first corner where the loop runs clockwise.
  const ccw = best.length === 0 || loopArea(t.xyz, best) > 0 ? best : [best[0]!, ...best.slice(1).toReversed()];
  const outline = ccw.map((i): [number, number] => [t.xyz[i * 3]!, t.xyz[i * 3 + 1]!]);
  const centre: [number, number] | null = outline.length
    ? [outline.reduce((s, p) => s + p[0], 0) / outline.length, outline.reduce((s, p) => s + p[1], 0) / outline.length]
    : null;
  return { outline, centre, zMin, zMax };
}

/** The shape of every feature that has triangles, by feature number. */
export function featureShapes(t: TriangleSet): Map<number, FeatureShape> {
  const out = new Map<number, FeatureShape>();
  let from = 0;
  // A feature's triangles are contiguous (the importer's layout).
  while (from < t.feature.length) {
    const f = t.feature[from]!;
    let to = from;
    while (to < t.feature.length && t.feature[to] === f) to++;
    out.set(f, shapeOf(t, from, to));
    from = to;
  }
  return out;
}
