/**
 * CityJSON -> triangle features for the layer builder, through the shared reader (core/formats/cityjson.ts): one
 * feature per root CityObject of any type (its children folded in), its highest LoD triangulated in the source
 * CRS, where the surfaces are planar in metres, before the vertices are placed.
 */
import { parseCityJson, triangulatePolygon, type CityBuilding, type ParsedCityJson, type SurfaceKind, type Vec3 } from '../cityjson';
import { crsInfo, type Epsg } from '../../geo/crs';
import { emptyGeometry, type SourceGeometry } from './builder';
import { TRIANGLE_KIND } from './types';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isCityJson(doc: unknown): boolean {
  return isObj(doc) && doc.type === 'CityJSON';
}

const three = (v: unknown): boolean => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * What makes a document typed "CityJSON" unreadable as a whole, or null: `CityObjects` must be an object,
 * `vertices` an array, and a `transform`, if any, must give three numbers each for `scale` and `translate`.
 * Cheap (no object is visited): single broken objects and vertex indices are the conversion's to report.
 */
export function cityJsonStructureProblem(doc: Json): string | null {
  if (!isObj(doc.CityObjects)) return 'CityJSON without a "CityObjects" object';
  if (!Array.isArray(doc.vertices)) return 'CityJSON without a "vertices" array';
  const tr = doc.transform;
  if (tr === undefined || tr === null) return null;
  if (!isObj(tr) || !three(tr.scale) || !three(tr.translate)) return 'CityJSON whose "transform" lacks three numbers for "scale" and "translate"';
  return null;
}

/** `metadata.referenceSystem` as written, or null. */
export function referenceSystemOf(doc: Json): string | null {
  const m = doc.metadata;
  return isObj(m) && typeof m.referenceSystem === 'string' ? m.referenceSystem : null;
}

/** Root CityObjects (those naming no existing parent): the features `convert` will make. */
export function rootObjectCount(doc: Json): number {
  const objects = isObj(doc.CityObjects) ? doc.CityObjects : {};
  let n = 0;
  for (const o of Object.values(objects)) {
    if (!isObj(o)) continue;
    const parents = Array.isArray(o.parents) ? o.parents : [];
    if (!parents.some((p) => typeof p === 'string' && p in objects)) n++;
  }
  return n;
}

/** Up to `max` transformed (x, y) vertex pairs, spread over the vertex list, for CRS detection. */
export function sampleVertices(doc: Json, max = 2000): Float64Array {
  const verts = Array.isArray(doc.vertices) ? doc.vertices : [];
  const tr = isObj(doc.transform) ? doc.transform : null;
  const scale = tr && Array.isArray(tr.scale) ? tr.scale : [1, 1, 1];
  const translate = tr && Array.isArray(tr.translate) ? tr.translate : [0, 0, 0];
  const sx = typeof scale[0] === 'number' ? scale[0] : 1, sy = typeof scale[1] === 'number' ? scale[1] : 1;
  const tx = typeof translate[0] === 'number' ? translate[0] : 0, ty = typeof translate[1] === 'number' ? translate[1] : 0;
  const step = Math.max(1, Math.floor(verts.length / max));
  const out: number[] = [];
  for (let i = 0; i < verts.length; i += step) {
    const v: unknown = verts[i];
    if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number') continue;
    const x = v[0] * sx + tx, y = v[1] * sy + ty;
    if (Number.isFinite(x) && Number.isFinite(y) && !(x === 0 && y === 0)) out.push(x, y);
  }
  return Float64Array.from(out);
}

export function parseCityObjects(doc: unknown): ParsedCityJson {
  return parseCityJson(doc, { objects: 'all' });
}

const KIND: Readonly<Record<SurfaceKind, number>> = { wall: TRIANGLE_KIND.wall, roof: TRIANGLE_KIND.roof, ground: TRIANGLE_KIND.ground };

export interface ObjectTriangles {
  readonly geometry: SourceGeometry;
  /** Surfaces that could not be triangulated (no area, or earcut found no triangles). */
  readonly degenerate: number;
}

/**
 * One parsed object -> triangles in source coordinates. Geographic coordinates are scaled to local metres for
 * the triangulation only (its plane fit and area threshold are metric); the vertices keep their degrees. The
 * winding is flipped where the CRS's axes (or the swap) make the source frame left-handed, so triangles face
 * outwards in east-north-up whatever the file's axis order.
 */
export function objectTriangles(obj: CityBuilding, epsg: Epsg, swapAxes: boolean): ObjectTriangles {
  const geometry = emptyGeometry();
  let degenerate = 0;
  const geographic = crsInfo(epsg).geographic;
  const flip = (epsg === 5513) !== swapAxes;
  const first = obj.surfaces[0]?.rings[0]?.[0];
  const kx = geographic && first ? 111_320 * Math.cos(((swapAxes ? first[0] : first[1]) * Math.PI) / 180) : 1;
  const ky = geographic ? 110_574 : 1;
  const [sx, sy] = swapAxes ? [ky, kx] : [kx, ky];
  for (const surface of obj.surfaces) {
    const rings = geographic ? surface.rings.map((r) => r.map((p): Vec3 => [p[0] * sx, p[1] * sy, p[2]])) : surface.rings;
    const t = triangulatePolygon(rings);
    if (!t.ok) {
      degenerate++;
      continue;
    }
    let xyz = t.value.positions;
    if (geographic) {
      // Back from the scaled copy to degrees: triangulatePolygon keeps the outer ring and holes of three or more
      // vertices, in ring order, so the same filter lines its positions up with the source vertices.
      xyz = new Float64Array(t.value.positions.length);
      let k = 0;
      surface.rings.forEach((ring, ri) => {
        if (ri > 0 && ring.length < 3) return;
        for (const p of ring) {
          xyz[k++] = p[0];
          xyz[k++] = p[1];
          xyz[k++] = p[2];
        }
      });
    }
    const indices = t.value.indices;
    if (flip) {
      for (let i = 0; i < indices.length; i += 3) {
        const b = indices[i + 1]!;
        indices[i + 1] = indices[i + 2]!;
        indices[i + 2] = b;
      }
    }
    geometry.triangles.push({ xyz, indices, kind: new Uint8Array(indices.length / 3).fill(KIND[surface.kind]) });
  }
  return { geometry, degenerate };
}

/** The feature's properties: id, CityObject type, name and address when present, then its attributes. */
export function objectProperties(obj: CityBuilding): Json {
  const props: Json = { id: obj.id, type: obj.type };
  if (obj.name) props.name = obj.name;
  if (obj.address) props.address = obj.address;
  for (const [k, v] of Object.entries(obj.attributes)) if (!(k in props)) props[k] = v;
  return props;
}
