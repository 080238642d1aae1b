/**
 * An imported layer -> GeoJSON text in a chosen CRS, so a file read in one CRS can be handed on in another.
 *
 * - WGS84 (4326/4979): RFC 7946, no `crs` member, longitude/latitude rounded to 1e-7° (about 1 cm).
 * - Any other CRS: the 2008 `crs` member ("urn:ogc:def:crs:EPSG::<code>"), which GDAL, QGIS and this importer
 *   read, coordinates in the CRS's axis order rounded to 1 mm.
 * - Heights: layers placed on the ground are written 2D; otherwise z is converted from ellipsoidal to the target
 *   CRS's usual height datum (Bpv for S-JTSK, DHHN2016 for UTM/Gauss-Krüger, ellipsoidal for WGS84), the datum
 *   the importer assumes when reading such a file back, rounded to 1 mm.
 * - Triangles (CityJSON surfaces) become a MultiPolygon of triangles; a feature with several kinds of geometry a
 *   GeometryCollection. Empty property values (NaN, '') are written as null.
 */
import { converter, crsInfo, type Converter, type Epsg } from '../../geo/crs';
import type { GeoidGrid } from '../../geo/geoid';
import { toEllipsoidalHeightM } from '../../geo/heights';
import { JobCancelledError, yieldToEventLoop, type ChunkHooks } from '../../reproject/reproject';
import { ImportError, type ImportLayer } from './types';

export interface ExportHooks extends ChunkHooks {
  /** Features per chunk. */
  chunkFeatures?: number;
}

const isWgs84 = (e: Epsg): boolean => e === 4326 || e === 4979;

/** Rounds to `step` and prints without trailing noise ("13.3775", not "13.377500000000001"). */
function rounder(decimals: number): (v: number) => string {
  const k = 10 ** decimals;
  return (v) => {
    const r = Math.round(v * k) / k;
    return Object.is(r, -0) ? '0' : String(r);
  };
}

/** First index i >= from with arr[i] !== f (the arrays are sorted by feature). */
function runEnd(arr: Uint32Array, from: number, f: number): number {
  let i = from;
  while (i < arr.length && arr[i] === f) i++;
  return i;
}

/** A layer vertex (WGS84 lon/lat, ellipsoidal h) -> its GeoJSON position text in the target CRS. */
type VertexText = (xyz: Float64Array, i: number) => string;

/** `at.feature` names the feature being written in error messages. */
function vertexWriter(epsg: Epsg, fromWgs: Converter | null, withZ: boolean, geoid: GeoidGrid | null, at: { feature: number }): VertexText {
  const info = crsInfo(epsg);
  const xy = rounder(info.geographic ? 7 : 3);
  const zr = rounder(3);
  const datum = info.usualVerticalDatum;
  const scratch = [0, 0];
  return (xyz, i) => {
    const lon = xyz[i * 3]!, lat = xyz[i * 3 + 1]!, h = xyz[i * 3 + 2]!;
    let x = lon, y = lat;
    if (fromWgs) {
      scratch[0] = lon;
      scratch[1] = lat;
      const p = fromWgs.forward(scratch);
      x = p[0]!;
      y = p[1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new ImportError(`feature ${at.feature}: lon ${lon}, lat ${lat} cannot be expressed in EPSG:${epsg}`);
    }
    if (!withZ) return `[${xy(x)},${xy(y)}]`;
    let z = h;
    if (datum !== 'ellipsoidal') {
      try {
        // toEllipsoidalHeightM is H + offset(lon, lat): the offset at height 0 is what to take off again.
        z = h - toEllipsoidalHeightM(datum, 0, lon, lat, geoid!);
      } catch (e) {
        throw new ImportError(`feature ${at.feature}: its height cannot be written in ${datum}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return `[${xy(x)},${xy(y)},${zr(z)}]`;
  };
}

function ringText(vertex: VertexText, xyz: Float64Array, start: number, end: number): string {
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(vertex(xyz, i));
  if (end > start) parts.push(parts[0]!); // GeoJSON rings repeat their first position
  return `[${parts.join(',')}]`;
}

/** Where the next feature's points, lines, polygons, rings and triangles start in the layer's arrays. */
interface Cursor { p: number; l: number; g: number; r: number; t: number }

/** Feature f's geometry as GeoJSON text (its parts from `cursor` on, which moves past them). */
function geometryText(layer: ImportLayer, f: number, cursor: Cursor, vertex: VertexText): string {
  const { points, lines, polygons, triangles } = layer;
  const geoms: string[] = [];
  const pEnd = runEnd(points.feature, cursor.p, f);
  if (pEnd > cursor.p) {
    const coords: string[] = [];
    for (let i = cursor.p; i < pEnd; i++) coords.push(vertex(points.xyz, i));
    geoms.push(coords.length === 1 ? `{"type":"Point","coordinates":${coords[0]}}` : `{"type":"MultiPoint","coordinates":[${coords.join(',')}]}`);
    cursor.p = pEnd;
  }
  const lEnd = runEnd(lines.feature, cursor.l, f);
  if (lEnd > cursor.l) {
    const ls: string[] = [];
    for (let i = cursor.l; i < lEnd; i++) {
      const c: string[] = [];
      for (let v = lines.offsets[i]!; v < lines.offsets[i + 1]!; v++) c.push(vertex(lines.xyz, v));
      ls.push(`[${c.join(',')}]`);
    }
    geoms.push(ls.length === 1 ? `{"type":"LineString","coordinates":${ls[0]}}` : `{"type":"MultiLineString","coordinates":[${ls.join(',')}]}`);
    cursor.l = lEnd;
  }
  const polys: string[] = [];
  const gEnd = runEnd(polygons.polygonFeature, cursor.g, f);
  for (let g = cursor.g; g < gEnd; g++) {
    const rs: string[] = [];
    while (cursor.r < polygons.ringPolygon.length && polygons.ringPolygon[cursor.r] === g) {
      rs.push(ringText(vertex, polygons.xyz, polygons.ringOffsets[cursor.r]!, polygons.ringOffsets[cursor.r + 1]!));
      cursor.r++;
    }
    polys.push(`[${rs.join(',')}]`);
  }
  cursor.g = gEnd;
  const tEnd = runEnd(triangles.feature, cursor.t, f);
  const hasTriangles = tEnd > cursor.t;
  for (let t = cursor.t; t < tEnd; t++) {
    const a = triangles.indices[t * 3]!, b = triangles.indices[t * 3 + 1]!, c = triangles.indices[t * 3 + 2]!;
    const va = vertex(triangles.xyz, a);
    polys.push(`[[${va},${vertex(triangles.xyz, b)},${vertex(triangles.xyz, c)},${va}]]`);
  }
  cursor.t = tEnd;
  if (polys.length > 0) {
    geoms.push(polys.length === 1 && !hasTriangles ? `{"type":"Polygon","coordinates":${polys[0]}}` : `{"type":"MultiPolygon","coordinates":[${polys.join(',')}]}`);
  }
  return geoms.length === 0 ? 'null' : geoms.length === 1 ? geoms[0]! : `{"type":"GeometryCollection","geometries":[${geoms.join(',')}]}`;
}

/** Feature f's properties as the members of a JSON object; `names` already JSON strings. */
function propertiesText(properties: ImportLayer['properties'], names: readonly string[], f: number): string {
  const props: string[] = [];
  properties.columns.forEach((col, c) => {
    const v = col[f];
    let text: string;
    if (typeof v === 'number') text = Number.isFinite(v) ? String(v) : 'null';
    else text = v === undefined || v === '' ? 'null' : JSON.stringify(v);
    props.push(`${names[c]}:${text}`);
  });
  return props.join(',');
}

export async function exportGeoJson(layer: ImportLayer, epsg: Epsg, geoid: GeoidGrid | null, hooks: ExportHooks = {}): Promise<string> {
  const info = crsInfo(epsg);
  let fromWgs: Converter | null = null;
  try {
    if (!isWgs84(epsg)) fromWgs = converter(4326, epsg);
  } catch (e) {
    throw new ImportError(`cannot write EPSG:${epsg}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const withZ = layer.heights.mode === 'ellipsoidal';
  const datum = info.usualVerticalDatum;
  if (withZ && datum !== 'ellipsoidal' && !geoid) throw new ImportError(`writing ${datum} heights needs the geoid grid: init() has not run`);
  const at = { feature: 0 };
  const vertex = vertexWriter(epsg, fromWgs, withZ, geoid, at);
  const names = layer.properties.names.map((n) => JSON.stringify(n));
  const cursor: Cursor = { p: 0, l: 0, g: 0, r: 0, t: 0 };
  const featureText = (f: number): string => {
    at.feature = f;
    const geometry = geometryText(layer, f, cursor, vertex);
    return `{"type":"Feature","geometry":${geometry},"properties":{${propertiesText(layer.properties, names, f)}}}`;
  };

  const out: string[] = [];
  const size = Math.max(1, Math.floor(hooks.chunkFeatures ?? 20_000));
  const pause = hooks.yieldBetweenChunks ?? yieldToEventLoop;
  const n = layer.featureCount;
  for (let start = 0; start < n || start === 0; start += size) {
    if (hooks.isCancelled?.()) throw new JobCancelledError();
    const end = Math.min(n, start + size);
    for (let f = start; f < end; f++) out.push(featureText(f));
    hooks.onProgress?.(n === 0 ? 1 : end / n);
    if (end >= n) break;
    await pause();
  }
  const crs = isWgs84(epsg) ? '' : `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${epsg}"}},`;
  return `{"type":"FeatureCollection",${crs}"features":[\n${out.join(',\n')}\n]}\n`;
}
