/**
 * GeoJSON (RFC 7946, and the 2008 form with a `crs` member) -> features for the layer builder. Every geometry is
 * checked before any of it is placed: wrong nesting, non-numbers, overflowing numbers (1e999 parses to Infinity)
 * and unclosed rings make a problem naming the feature, and the feature is skipped; nothing throws past here.
 */
import { emptyGeometry, type SourceGeometry } from './builder';
import type { ProblemCode } from './types';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A FeatureCollection, a Feature or a bare geometry. */
export function isGeoJson(doc: unknown): boolean {
  if (!isObj(doc) || typeof doc.type !== 'string') return false;
  return doc.type === 'FeatureCollection' || doc.type === 'Feature' || GEOMETRY_TYPES.has(doc.type);
}

/** The features of a document: a Feature or a geometry counts as a collection of one. */
export function featuresOf(doc: Json): unknown[] | { error: string } {
  if (doc.type === 'FeatureCollection') {
    return Array.isArray(doc.features) ? doc.features : { error: 'a FeatureCollection whose "features" is not an array' };
  }
  if (doc.type === 'Feature') return [doc];
  return [{ type: 'Feature', geometry: doc, properties: null }];
}

/** Calls `fn` for every position-like array (an array whose first element is a number), tolerating bad nesting. */
function forEachPosition(coords: unknown, fn: (p: unknown[]) => boolean | void, depth = 0): boolean {
  if (!Array.isArray(coords) || depth > 6) return false;
  if (typeof coords[0] === 'number') return fn(coords) === true;
  for (const c of coords) if (forEachPosition(c, fn, depth + 1)) return true;
  return false;
}

function forEachGeometryPosition(geom: unknown, fn: (p: unknown[]) => boolean | void, depth = 0): boolean {
  if (!isObj(geom) || depth > 8) return false;
  if (geom.type === 'GeometryCollection') {
    if (!Array.isArray(geom.geometries)) return false;
    for (const g of geom.geometries) if (forEachGeometryPosition(g, fn, depth + 1)) return true;
    return false;
  }
  return forEachPosition(geom.coordinates, fn);
}

const geometryOf = (f: unknown): unknown => (isObj(f) ? f.geometry : undefined);

/**
 * Whether the file carries heights: 'heights' when some position has a non-zero z, 'zeros' when positions have
 * a z but every one is 0 (exporters write 0 for "no height"; placing that as a height would bury the data by the
 * terrain height), 'none' when no position has a z.
 */
export function scanHeights(features: readonly unknown[]): 'heights' | 'zeros' | 'none' {
  let sawZ = false;
  for (const f of features) {
    const found = forEachGeometryPosition(geometryOf(f), (p) => {
      if (p.length < 3 || typeof p[2] !== 'number') return false;
      sawZ = true;
      return p[2] !== 0;
    });
    if (found) return 'heights';
  }
  return sawZ ? 'zeros' : 'none';
}

/** Up to `max` (x, y) pairs for CRS detection, from features spread over the whole file. */
export function samplePositions(features: readonly unknown[], max = 2000): Float64Array {
  const perFeature = 4;
  const step = Math.max(1, Math.floor(features.length / Math.ceil(max / perFeature)));
  const out: number[] = [];
  for (let i = 0; i < features.length && out.length < max * 2; i += step) {
    let taken = 0;
    forEachGeometryPosition(geometryOf(features[i]), (p) => {
      const x = p[0], y = p[1];
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) && !(x === 0 && y === 0)) {
        out.push(x, y);
        taken++;
      }
      return taken >= perFeature;
    });
  }
  return Float64Array.from(out);
}

export type GeometryError = { code: ProblemCode; message: string };

class Invalid extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
  }
}

/** A position -> x, y, z (z NaN when absent), appended to `out`. */
function position(p: unknown, path: string, out: number[]): void {
  if (!Array.isArray(p)) throw new Invalid('invalid-geometry', `${path} is not a position (an array of numbers)`);
  if (p.length < 2) throw new Invalid('invalid-geometry', `${path} has ${p.length} value(s), a position needs at least 2`);
  const n = Math.min(p.length, 3);
  for (let i = 0; i < n; i++) {
    const v: unknown = p[i];
    if (Array.isArray(v)) throw new Invalid('invalid-geometry', `${path} is nested one level too deep`);
    if (typeof v !== 'number') throw new Invalid('non-finite', `${path}[${i}] is ${JSON.stringify(v)}, not a number`);
    if (!Number.isFinite(v)) throw new Invalid('non-finite', `${path}[${i}] is not a finite number`);
  }
  out.push(p[0] as number, p[1] as number, n === 3 ? (p[2] as number) : NaN);
}

function positions(list: unknown, path: string, min: number, what: string): number[] {
  if (!Array.isArray(list)) throw new Invalid('invalid-geometry', `${path} is not an array of positions`);
  if (list.length > 0 && typeof list[0] === 'number') throw new Invalid('invalid-geometry', `${path} is a single position where ${what} needs an array of them`);
  if (list.length < min) throw new Invalid('invalid-geometry', `${path} has ${list.length} position(s), ${what} needs at least ${min}`);
  const out: number[] = [];
  list.forEach((p, i) => position(p, `${path}[${i}]`, out));
  return out;
}

/** A polygon's rings -> open rings (closing vertex dropped). */
function rings(list: unknown, path: string): number[][] {
  if (!Array.isArray(list) || list.length === 0) throw new Invalid('invalid-geometry', `${path} is not an array of rings`);
  return list.map((ring, r) => {
    const xyz = positions(ring, `${path}[${r}]`, 4, 'a polygon ring');
    const n = xyz.length;
    if (xyz[0] !== xyz[n - 3] || xyz[1] !== xyz[n - 2]) {
      throw new Invalid('unclosed-ring', `${path}[${r}] is not closed (its last position differs from its first)`);
    }
    return xyz.slice(0, n - 3);
  });
}

function readInto(geom: unknown, path: string, out: SourceGeometry, depth: number): void {
  if (!isObj(geom)) throw new Invalid('invalid-geometry', `${path} is not a geometry object`);
  const c = geom.coordinates;
  switch (geom.type) {
    case 'Point':
      position(c, `${path}.coordinates`, out.points);
      return;
    case 'MultiPoint':
      out.points.push(...positions(c, `${path}.coordinates`, 0, 'a MultiPoint'));
      return;
    case 'LineString':
      out.lines.push(positions(c, `${path}.coordinates`, 2, 'a LineString'));
      return;
    case 'MultiLineString':
      if (!Array.isArray(c)) throw new Invalid('invalid-geometry', `${path}.coordinates is not an array of lines`);
      c.forEach((l, i) => out.lines.push(positions(l, `${path}.coordinates[${i}]`, 2, 'a line')));
      return;
    case 'Polygon':
      out.polygons.push(rings(c, `${path}.coordinates`));
      return;
    case 'MultiPolygon':
      if (!Array.isArray(c)) throw new Invalid('invalid-geometry', `${path}.coordinates is not an array of polygons`);
      c.forEach((p, i) => out.polygons.push(rings(p, `${path}.coordinates[${i}]`)));
      return;
    case 'GeometryCollection':
      if (!Array.isArray(geom.geometries)) throw new Invalid('invalid-geometry', `${path}.geometries is not an array`);
      if (depth > 8) throw new Invalid('invalid-geometry', `${path} nests GeometryCollections too deeply`);
      geom.geometries.forEach((g, i) => readInto(g, `${path}.geometries[${i}]`, out, depth + 1));
      return;
    default:
      throw new Invalid('invalid-geometry', `${path} has an unknown type ${JSON.stringify(geom.type)}`);
  }
}

export type FeatureRead =
  | { ok: true; geometry: SourceGeometry; properties: Json }
  | { ok: false; error: GeometryError; severity: 'error' | 'warning' };

/** One element of `features` -> its geometry in source coordinates and its properties, or why it cannot be used. */
export function readFeature(f: unknown): FeatureRead {
  if (!isObj(f) || f.type !== 'Feature') {
    return { ok: false, severity: 'error', error: { code: 'invalid-geometry', message: 'not a Feature object' } };
  }
  if (f.geometry === null || f.geometry === undefined) {
    return { ok: false, severity: 'warning', error: { code: 'no-geometry', message: 'the feature has no geometry (null); skipped' } };
  }
  const geometry = emptyGeometry();
  try {
    readInto(f.geometry, 'geometry', geometry, 0);
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, severity: 'error', error: { code: e.code, message: `${e.message}; the feature is skipped` } };
    throw e;
  }
  if (geometry.points.length === 0 && geometry.lines.length === 0 && geometry.polygons.length === 0) {
    return { ok: false, severity: 'warning', error: { code: 'no-geometry', message: 'the geometry is empty; skipped' } };
  }
  const props = isObj(f.properties) ? { ...f.properties } : {};
  // The feature's own id is kept as a property unless a property already has that name.
  if ((typeof f.id === 'string' || typeof f.id === 'number') && !('id' in props)) props.id = f.id;
  return { ok: true, geometry, properties: props };
}
