/**
 * One CityGML building's geometry as the reader collected it (every polygon of the building and its parts, the
 * gml:ids that name them, the xlink:href references) -> the surfaces the tileset draws, in the shape the CityJSON
 * reader gives: one level of detail per object, each polygon once, semantic kinds kept.
 */
import { cleanRing, kindFromNormal, type Surface, type SurfaceKind, type Vec3 } from '../cityjson';

/** A polygon as read: its raw rings (exterior first, closing vertex still there) and where it sat. */
export interface DraftPolygon {
  readonly rings: Vec3[][];
  /** The LoD of the `lodN…` property it sits under. */
  readonly lod: number;
  /** From the boundary surface (RoofSurface, …) around it; null inside a solid or a plain multi-surface. */
  readonly kind: SurfaceKind | null;
  /** Index of the Building (0) or BuildingPart it belongs to. */
  readonly owner: number;
  readonly srsName: string;
  /** What is wrong with its coordinates, if anything: it breaks the building only when it is drawn. */
  problem: string | null;
}

/** An `xlink:href` under a geometry property: a solid's shell pointing at polygons defined in boundedBy. */
export interface DraftRef {
  readonly target: string;
  readonly lod: number;
  readonly owner: number;
}

/** What one building (with its parts) has collected so far. */
export interface BuildingDraft {
  readonly id: string;
  readonly polygons: DraftPolygon[];
  /** gml:id -> the polygons written inside that element, [start, end) of `polygons` (document order). */
  readonly ids: Map<string, readonly [number, number]>;
  readonly refs: DraftRef[];
}

export type Assembled =
  | { readonly ok: true; readonly surfaces: Surface[]; readonly srsName: string; readonly minZ: number; readonly maxZ: number; readonly degenerateRings: number }
  /** `reason` null: the building has no geometry at all (not broken, just nothing to draw). */
  | { readonly ok: false; readonly reason: string | null };

/**
 * The highest LoD of each object, as the CityJSON reader picks it: LoDs of one object describe the same building,
 * and drawing two would double it. A polygon counts for its object once, whether written inline, in boundedBy,
 * or reached through a reference (Bavarian LoD2 writes each polygon in boundedBy and points at it from lod2Solid).
 */
function chosenPolygons(d: BuildingDraft): { indices: number[] } | { broken: string } {
  const lodOf = new Map<number, number>();
  const raise = (owner: number, lod: number): void => {
    if (lod > (lodOf.get(owner) ?? -1)) lodOf.set(owner, lod);
  };
  for (const p of d.polygons) raise(p.owner, p.lod);
  for (const r of d.refs) raise(r.owner, r.lod);
  const chosen = new Set<number>();
  d.polygons.forEach((p, i) => {
    if (p.lod === lodOf.get(p.owner)) chosen.add(i);
  });
  for (const r of d.refs) {
    if (r.lod !== lodOf.get(r.owner)) continue;
    const range = d.ids.get(r.target);
    // References are resolved within the building: one to another building or another file cannot be drawn here.
    if (!range) return { broken: `xlink:href "#${r.target}" names nothing in the building` };
    for (let i = range[0]; i < range[1]; i++) chosen.add(i);
  }
  return { indices: [...chosen].toSorted((a, b) => a - b) };
}

/** The building's surfaces at its chosen LoD, or why it cannot be drawn. */
export function assembleBuilding(d: BuildingDraft): Assembled {
  const pick = chosenPolygons(d);
  if ('broken' in pick) return { ok: false, reason: pick.broken };
  const surfaces: Surface[] = [];
  let srsName: string | null = null;
  let degenerateRings = 0;
  let minZ = Infinity, maxZ = -Infinity;
  for (const i of pick.indices) {
    const p = d.polygons[i]!;
    if (p.problem) return { ok: false, reason: p.problem };
    if (srsName !== null && p.srsName !== srsName) return { ok: false, reason: `its polygons are in two CRSs ("${srsName}", "${p.srsName}")` };
    srsName = p.srsName;
    const rings: Vec3[][] = [];
    for (let r = 0; r < p.rings.length; r++) {
      const ring = cleanRing(p.rings[r]!);
      if (ring.length < 3) {
        degenerateRings++;
        if (r === 0) break;
        continue;
      }
      rings.push(ring);
    }
    if (rings.length === 0) continue;
    for (const ring of rings) for (const v of ring) { minZ = Math.min(minZ, v[2]); maxZ = Math.max(maxZ, v[2]); }
    surfaces.push({ kind: p.kind ?? kindFromNormal(rings[0]!), rings });
  }
  if (surfaces.length === 0 || srsName === null) return { ok: false, reason: null };
  return { ok: true, surfaces, srsName, minZ, maxZ, degenerateRings };
}

/**
 * A coordinate string (`gml:posList`, `gml:pos`, `gml:coordinates` with its default separators) -> points of
 * `dim` numbers each, as 3D points; a message when it is not that. Two-dimensional rings are refused: a LoD2
 * building without heights would stand at 0 m, which is worse than leaving it out with a warning.
 */
export function parsePoints(text: string, dim: number, out: Vec3[]): string | null {
  const t = text.trim();
  if (t === '') return 'an empty coordinate list';
  const parts = t.split(/[\s,]+/);
  if (dim !== 3) return `srsDimension ${dim} (LoD2 needs x, y and z)`;
  if (parts.length % 3 !== 0) return `a coordinate list of ${parts.length} numbers, not x y z triples`;
  for (let i = 0; i < parts.length; i += 3) {
    const x = Number(parts[i]), y = Number(parts[i + 1]), z = Number(parts[i + 2]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return `a coordinate that is not a number ("${parts[i]} ${parts[i + 1]} ${parts[i + 2]}")`;
    out.push([x, y, z]);
  }
  return null;
}
