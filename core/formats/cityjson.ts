/**
 * CityJSON (1.1 / 2.0) -> per-object surface records; the planar-polygon triangulation shared by every buildings
 * source (`polygon.ts`) and the AdV code labels (`adv-codes.ts`) are re-exported from here. Pure and DOM-free: the tileset pipeline (buildings step) and the page's file import
 * (workers/import) both read CityJSON through this module. No file access, no CRS knowledge beyond reading what
 * the document declares.
 */
import { cleanRing, newellNormal, type Vec3 } from './polygon';

export { cleanRing, newellNormal, triangulatePolygon, type Triangulation, type TriangulationResult, type Vec3 } from './polygon';
export { FUNCTION_LABELS, ROOF_TYPES, functionLabel, roofTypeLabel } from './adv-codes';

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
export function kindFromNormal(ring: readonly Vec3[]): SurfaceKind {
  const n = newellNormal(ring);
  const len = Math.hypot(n[0], n[1], n[2]);
  if (len === 0) return 'wall';
  const up = n[2] / len;
  return up > 0.5 ? 'roof' : up < -0.5 ? 'ground' : 'wall';
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
