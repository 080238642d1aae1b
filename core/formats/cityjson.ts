/**
 * CityJSON (1.1 / 2.0) -> per-object surface records, and the planar-polygon triangulation shared by every
 * buildings source. Pure and DOM-free: the tileset pipeline (buildings step) and the page's file import
 * (workers/import) both read CityJSON through this module. No file access, no CRS knowledge beyond reading what
 * the document declares.
 */
import earcut from 'earcut';

export type Vec3 = readonly [number, number, number];
export type Vec2 = readonly [number, number];
export type SurfaceKind = 'roof' | 'wall' | 'ground';

/** One planar polygon of a building shell: rings[0] is the outer ring, the rest are holes; no closing vertex. */
export interface Surface {
  readonly kind: SurfaceKind;
  readonly rings: readonly (readonly Vec3[])[];
}

export interface CityBuilding {
  /** The CityObject key of the Building (parts are folded into it). */
  readonly id: string;
  /** Its CityObject type: always 'Building' unless parsed with `objects: 'all'`. */
  readonly type: string;
  readonly surfaces: readonly Surface[];
  /** The Building's own attributes, with those of its parts filling gaps. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly name: string;
  readonly address: string;
  readonly partCount: number;
}

export interface CityJsonReport {
  cityObjects: number;
  /** Root objects parsed: Buildings, or with `objects: 'all'` root CityObjects of every type. */
  buildings: number;
  /** Children folded into them: BuildingParts (and Buildings), or with `objects: 'all'` children of every type. */
  buildingParts: number;
  /** Buildings (with their parts) that carried no usable geometry. */
  buildingsWithoutGeometry: number;
  /** GeometryInstance (template) geometries, not expanded. */
  skippedTemplates: number;
  polygons: number;
  /** Rings dropped for having fewer than 3 distinct vertices (a dropped outer ring drops its polygon). */
  degenerateRings: number;
}

export interface ParsedCityJson {
  readonly version: string;
  /** `metadata.referenceSystem` as written, or null when the document does not say. */
  readonly referenceSystem: string | null;
  readonly buildings: readonly CityBuilding[];
  readonly report: CityJsonReport;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ParseCityJsonOptions {
  /**
   * 'buildings' (default): Building roots with their BuildingParts, what the buildings tileset draws.
   * 'all': every root CityObject (one listing no existing parent) of any type, with all its children folded in,
   * for a file dropped into the twin, where bridges, vegetation or city furniture matter as much as buildings.
   */
  objects?: 'buildings' | 'all';
}

/** Parse a CityJSON document (already JSON.parse'd). Throws on anything that is not CityJSON. */
export function parseCityJson(doc: unknown, options: ParseCityJsonOptions = {}): ParsedCityJson {
  const all = options.objects === 'all';
  if (!isObj(doc) || doc.type !== 'CityJSON') throw new Error('not a CityJSON document (type != "CityJSON")');
  const objects = doc.CityObjects;
  const rawVerts = doc.vertices;
  if (!isObj(objects) || !Array.isArray(rawVerts)) throw new Error('CityJSON without CityObjects or vertices');
  const tr = isObj(doc.transform) ? doc.transform : null;
  const scale = tr && Array.isArray(tr.scale) ? (tr.scale as number[]) : [1, 1, 1];
  const translate = tr && Array.isArray(tr.translate) ? (tr.translate as number[]) : [0, 0, 0];
  const sx = scale[0] ?? 1, sy = scale[1] ?? 1, sz = scale[2] ?? 1;
  const tx = translate[0] ?? 0, ty = translate[1] ?? 0, tz = translate[2] ?? 0;
  const vertex = (i: number): Vec3 => {
    const v = rawVerts[i] as number[] | undefined;
    if (!v || v.length < 3) throw new Error(`CityJSON vertex index ${i} out of range`);
    return [v[0]! * sx + tx, v[1]! * sy + ty, v[2]! * sz + tz];
  };

  const report: CityJsonReport = {
    cityObjects: 0, buildings: 0, buildingParts: 0, buildingsWithoutGeometry: 0, skippedTemplates: 0, polygons: 0, degenerateRings: 0,
  };
  const metadata = isObj(doc.metadata) ? doc.metadata : {};
  const referenceSystem = typeof metadata.referenceSystem === 'string' ? metadata.referenceSystem : null;

  const buildings: CityBuilding[] = [];
  // Sorted keys: the output order must not depend on how the file happened to list its objects.
  const keys = Object.keys(objects).toSorted();
  report.cityObjects = keys.length;
  for (const id of keys) {
    const obj = objects[id];
    if (!isObj(obj) || (!all && obj.type !== 'Building')) continue;
    // A Building listed as the child of another Building is drawn as part of its parent (with 'all': any child of any existing object).
    const parents = Array.isArray(obj.parents) ? (obj.parents as string[]) : [];
    if (parents.some((p) => isObj(objects[p]) && (all || (objects[p] as Json).type === 'Building'))) continue;
    report.buildings++;
    const surfaces: Surface[] = [];
    const attributes: Record<string, unknown> = { ...(isObj(obj.attributes) ? obj.attributes : {}) };
    let partCount = 0;
    const addresses: string[] = [];
    const visit = (o: Json, depth: number): void => {
      collectSurfaces(o, vertex, surfaces, report);
      addresses.push(...formatAddresses(o.address));
      if (depth > 8 || !Array.isArray(o.children)) return;
      for (const childId of (o.children as string[]).toSorted()) {
        const child = objects[childId];
        if (!isObj(child) || (!all && child.type !== 'BuildingPart' && child.type !== 'Building')) continue;
        partCount++;
        report.buildingParts++;
        if (isObj(child.attributes)) {
          for (const [k, v] of Object.entries(child.attributes)) if (!(k in attributes)) attributes[k] = v;
        }
        visit(child, depth + 1);
      }
    };
    visit(obj, 0);
    if (surfaces.length === 0) {
      report.buildingsWithoutGeometry++;
      continue;
    }
    const name = typeof attributes.name === 'string' ? attributes.name : '';
    buildings.push({ id, type: String(obj.type), surfaces, attributes, name, address: [...new Set(addresses)].join('; '), partCount });
  }
  return { version: String(doc.version ?? ''), referenceSystem, buildings, report };
}

/** CityJSON 2.0 `address` (array of xAL-like objects) -> "Street 12, 93047 Town". */
function formatAddresses(a: unknown): string[] {
  if (!Array.isArray(a)) return [];
  const out: string[] = [];
  for (const entry of a) {
    if (!isObj(entry)) continue;
    const s = (k: string): string => (typeof entry[k] === 'string' || typeof entry[k] === 'number' ? String(entry[k]).trim() : '');
    const street = [s('ThoroughfareName'), s('ThoroughfareNumber')].filter(Boolean).join(' ');
    const town = [s('PostalCode'), s('Locality')].filter(Boolean).join(' ');
    const text = [street, town].filter(Boolean).join(', ');
    if (text) out.push(text);
  }
  return out;
}

const ROOF_SEMANTICS = new Set(['RoofSurface']);
/** `values[i]` of a semantics array at any nesting depth, undefined where the array is missing or short. */
const at = (v: unknown, i: number): unknown => (Array.isArray(v) ? v[i] : undefined);
const GROUND_SEMANTICS = new Set(['GroundSurface']);

/** Pick the object's highest-LoD geometry and append its polygons as surfaces. */
function collectSurfaces(obj: Json, vertex: (i: number) => Vec3, out: Surface[], report: CityJsonReport): void {
  if (!Array.isArray(obj.geometry)) return;
  let best: Json | null = null;
  let bestLod = -Infinity;
  for (const g of obj.geometry) {
    if (!isObj(g)) continue;
    if (g.type === 'GeometryInstance') {
      report.skippedTemplates++;
      continue;
    }
    // LoDs of one object describe the same building; drawing two would double it.
    const lod = Number.parseFloat(String(g.lod ?? '0'));
    if (lod > bestLod) {
      bestLod = lod;
      best = g;
    }
  }
  if (!best) return;
  const semantics = isObj(best.semantics) ? best.semantics : null;
  const semSurfaces = semantics && Array.isArray(semantics.surfaces) ? (semantics.surfaces as unknown[]) : [];
  const kindOf = (value: unknown): SurfaceKind | null => {
    if (typeof value !== 'number') return null;
    const s = semSurfaces[value];
    const t = isObj(s) ? s.type : undefined;
    if (typeof t !== 'string') return null;
    if (ROOF_SEMANTICS.has(t)) return 'roof';
    if (GROUND_SEMANTICS.has(t)) return 'ground';
    return 'wall';
  };
  const addPolygon = (poly: unknown, sem: unknown): void => {
    if (!Array.isArray(poly)) return;
    report.polygons++;
    const rings: Vec3[][] = [];
    for (let r = 0; r < poly.length; r++) {
      const ring = cleanRing((poly[r] as number[]).map(vertex));
      if (ring.length < 3) {
        report.degenerateRings++;
        if (r === 0) return;
        continue;
      }
      rings.push(ring);
    }
    out.push({ kind: kindOf(sem) ?? kindFromNormal(rings[0]!), rings });
  };
  const b = best.boundaries;
  const values = semantics ? semantics.values : undefined;
  if (!Array.isArray(b)) return;
  switch (best.type) {
    case 'MultiSurface':
    case 'CompositeSurface':
      b.forEach((poly, i) => addPolygon(poly, at(values, i)));
      break;
    case 'Solid':
      b.forEach((shell, s) => (shell as unknown[]).forEach((poly, i) => addPolygon(poly, at(at(values, s), i))));
      break;
    case 'MultiSolid':
    case 'CompositeSolid':
      b.forEach((solid, k) =>
        (solid as unknown[]).forEach((shell, s) => (shell as unknown[]).forEach((poly, i) => addPolygon(poly, at(at(at(values, k), s), i)))),
      );
      break;
    default:
      break;
  }
}

/** Without a semantic, a surface facing mostly up is roof, mostly down is ground, anything else wall. */
function kindFromNormal(ring: readonly Vec3[]): SurfaceKind {
  const n = newellNormal(ring);
  const len = Math.hypot(n[0], n[1], n[2]);
  if (len === 0) return 'wall';
  const up = n[2] / len;
  return up > 0.5 ? 'roof' : up < -0.5 ? 'ground' : 'wall';
}

/** Drop the closing vertex and consecutive duplicates (exact, after the integer transform). */
export function cleanRing(ring: readonly Vec3[]): Vec3[] {
  const out: Vec3[] = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (q && q[0] === p[0] && q[1] === p[1] && q[2] === p[2]) continue;
    out.push(p);
  }
  while (out.length > 1) {
    const a = out[0]!, z = out[out.length - 1]!;
    if (a[0] === z[0] && a[1] === z[1] && a[2] === z[2]) out.pop();
    else break;
  }
  return out;
}

/** Newell's normal of a ring (not normalised; its length is twice the ring's area). Centred on the first vertex for precision. */
export function newellNormal(ring: readonly Vec3[]): Vec3 {
  let nx = 0, ny = 0, nz = 0;
  const o = ring[0];
  if (!o) return [0, 0, 0];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!, b = ring[(i + 1) % ring.length]!;
    const ax = a[0] - o[0], ay = a[1] - o[1], az = a[2] - o[2];
    const bx = b[0] - o[0], by = b[1] - o[1], bz = b[2] - o[2];
    nx += (ay - by) * (az + bz);
    ny += (az - bz) * (ax + bx);
    nz += (ax - bx) * (ay + by);
  }
  return [nx, ny, nz];
}

export interface Triangulation {
  /** Ring vertices in order (outer ring, then holes), xyz. */
  readonly positions: Float64Array;
  /** Triangles, counter-clockwise about `normal`. */
  readonly indices: Uint32Array;
  /** Unit normal of the polygon's plane (Newell, outer ring). */
  readonly normal: Vec3;
  /** Area of the polygon (outer minus holes) and of the triangles, m²: they differ when earcut gave up on part of it. */
  readonly polygonArea: number;
  readonly triangleArea: number;
}

export type TriangulationResult =
  | { readonly ok: true; readonly value: Triangulation }
  | { readonly ok: false; readonly reason: 'degenerate' | 'no-triangles' };

/** Below this area (m²) a polygon is a sliver with no defined plane; its normal would be noise. */
const MIN_POLYGON_AREA_M2 = 1e-4;

/**
 * Triangulate a planar polygon with holes in 3D: project onto the plane of its Newell normal and ear-cut there.
 * Rings must already be cleaned (no closing vertex); an outer ring with no area is reported as degenerate.
 */
export function triangulatePolygon(allRings: readonly (readonly Vec3[])[]): TriangulationResult {
  const rings = allRings.filter((r, i) => i === 0 || r.length >= 3);
  const outer = rings[0];
  if (!outer || outer.length < 3) return { ok: false, reason: 'degenerate' };
  const n = newellNormal(outer);
  const len = Math.hypot(n[0], n[1], n[2]);
  if (!(len / 2 > MIN_POLYGON_AREA_M2)) return { ok: false, reason: 'degenerate' };
  const normal: Vec3 = [n[0] / len, n[1] / len, n[2] / len];
  // u: any unit vector in the plane, built from the axis the normal is least aligned with; v = n x u keeps (u, v, n) right-handed.
  const ax = Math.abs(normal[0]), ay = Math.abs(normal[1]), az = Math.abs(normal[2]);
  const helper: Vec3 = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  const u = normalise(cross(helper, normal));
  const v = cross(normal, u);
  const o = outer[0]!;
  let count = 0;
  for (const r of rings) count += r.length;
  const positions = new Float64Array(count * 3);
  const flat = new Float64Array(count * 2);
  const holes: number[] = [];
  let k = 0;
  rings.forEach((ring, ri) => {
    if (ri > 0) holes.push(k);
    for (const p of ring) {
      positions[k * 3] = p[0];
      positions[k * 3 + 1] = p[1];
      positions[k * 3 + 2] = p[2];
      const dx = p[0] - o[0], dy = p[1] - o[1], dz = p[2] - o[2];
      flat[k * 2] = dx * u[0] + dy * u[1] + dz * u[2];
      flat[k * 2 + 1] = dx * v[0] + dy * v[1] + dz * v[2];
      k++;
    }
  });
  const tri = earcut(flat, holes.length ? holes : null, 2);
  if (tri.length === 0) return { ok: false, reason: 'no-triangles' };
  const indices = new Uint32Array(tri.length);
  let triangleArea = 0;
  for (let t = 0; t < tri.length; t += 3) {
    const a = tri[t]!, b = tri[t + 1]!, c = tri[t + 2]!;
    const cr = (flat[b * 2]! - flat[a * 2]!) * (flat[c * 2 + 1]! - flat[a * 2 + 1]!) - (flat[b * 2 + 1]! - flat[a * 2 + 1]!) * (flat[c * 2]! - flat[a * 2]!);
    triangleArea += Math.abs(cr) / 2;
    indices[t] = a;
    // Counter-clockwise in (u, v) is counter-clockwise about the normal: glTF front faces then face outwards.
    indices[t + 1] = cr >= 0 ? b : c;
    indices[t + 2] = cr >= 0 ? c : b;
  }
  let polygonArea = 0;
  let start = 0;
  rings.forEach((ring, ri) => {
    const a = Math.abs(signedArea2d(flat, start, ring.length));
    polygonArea += ri === 0 ? a : -a;
    start += ring.length;
  });
  return { ok: true, value: { positions, indices, normal, polygonArea, triangleArea } };
}

function signedArea2d(flat: Float64Array, start: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const j = start + i, k = start + ((i + 1) % n);
    s += flat[j * 2]! * flat[k * 2 + 1]! - flat[k * 2]! * flat[j * 2 + 1]!;
  }
  return s / 2;
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function normalise(a: Vec3): Vec3 {
  const l = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / l, a[1] / l, a[2] / l];
}

/** The AdV roof-form code list (Dachform, used by ALKIS and the SIG3D LoD2 profile), in English. */
export const ROOF_TYPES: Readonly<Record<string, string>> = {
  '1000': 'flat',
  '2100': 'mono-pitch',
  '2200': 'split mono-pitch',
  '3100': 'gable',
  '3200': 'hipped',
  '3300': 'half-hipped',
  '3400': 'mansard',
  '3500': 'pyramid',
  '3600': 'conical',
  '3700': 'dome',
  '3800': 'sawtooth',
  '3900': 'arched',
  '4000': 'tower',
  '5000': 'mixed',
  '9999': 'other',
};

/** "3100" -> "gable (3100)"; an unknown code is passed through so nothing is lost. */
export function roofTypeLabel(code: unknown): string {
  if (code === undefined || code === null || code === '') return '';
  const c = String(code);
  const label = ROOF_TYPES[c];
  return label ? `${label} (${c})` : c;
}

/**
 * English names of the AdV building-function codes ("<object type>_<function>"): 31001 is the ALKIS object type
 * Building (its second part the Gebäudefunktion), 51009 other structure, 53001 traffic structure. The common ones
 * and everything that occurs in the Bavarian tiles; unknown codes keep just the code.
 */
export const FUNCTION_LABELS: Readonly<Record<string, string>> = {
  '31001_1000': 'residential building',
  '31001_1010': 'house',
  '31001_1020': 'residential home',
  '31001_1100': 'mixed use with residential',
  '31001_1120': 'residential with shops and services',
  '31001_1310': 'recreational building',
  '31001_1313': 'garden house',
  '31001_2000': 'commercial or industrial building',
  '31001_2010': 'retail and services',
  '31001_2020': 'office building',
  '31001_2050': 'commercial building',
  '31001_2071': 'hotel or guesthouse',
  '31001_2081': 'restaurant or inn',
  '31001_2100': 'trade and industry',
  '31001_2110': 'production building',
  '31001_2113': 'brewery',
  '31001_2120': 'workshop',
  '31001_2130': 'petrol station',
  '31001_2140': 'storage building',
  '31001_2143': 'storage hall or shed',
  '31001_2460': 'parking building',
  '31001_2461': 'multi-storey car park',
  '31001_2463': 'garage',
  '31001_2500': 'utility building',
  '31001_2513': 'water tank',
  '31001_2522': 'transformer station',
  '31001_2523': 'electrical converter building',
  '31001_2700': 'agricultural or forestry building',
  '31001_2721': 'barn',
  '31001_2723': 'shed',
  '31001_2724': 'stable',
  '31001_2740': 'greenhouse',
  '31001_3000': 'public building',
  '31001_3010': 'administrative building',
  '31001_3012': 'town hall',
  '31001_3020': 'education and research',
  '31001_3021': 'school',
  '31001_3040': 'religious building',
  '31001_3041': 'church',
  '31001_3042': 'synagogue',
  '31001_3043': 'chapel',
  '31001_3044': 'parish hall',
  '31001_3048': 'monastery',
  '31001_3051': 'hospital',
  '31001_3052': 'nursing home',
  '31001_3065': 'kindergarten',
  '31001_3071': 'police station',
  '31001_3072': 'fire station',
  '31001_3211': 'sports hall',
  '31001_9998': 'not specified in the source',
  '51009_1610': 'canopy',
  '51009_1611': 'carport',
  '51009_1700': 'wall',
  '53001_1800': 'bridge',
};

/** "31001_1000" -> "31001_1000 residential building". */
export function functionLabel(code: unknown): string {
  if (code === undefined || code === null || code === '') return '';
  const c = String(code);
  const label = FUNCTION_LABELS[c];
  return label ? `${c} ${label}` : c;
}

/**
 * EPSG codes in a CityJSON `referenceSystem` ("https://www.opengis.net/def/crs/EPSG/0/25832",
 * "urn:ogc:def:crs:EPSG::25832", ".../EPSG/0/7415", or a compound "25832+7837"), in order of appearance.
 */
export function epsgCodesOf(referenceSystem: string): number[] {
  const m = /EPSG(?:\/\d+\/|::?|\/)([\d+]+)/i.exec(referenceSystem);
  if (!m?.[1]) return [];
  return m[1].split('+').filter(Boolean).map(Number);
}
