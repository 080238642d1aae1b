/**
 * The quantized-mesh writer read back by an independent decoder (@here/quantized-mesh-decoder) and by Cesium's
 * own terrain data class, on a synthetic relief whose heights and normals are known everywhere.
 */
import { describe, expect, it } from 'vitest';
import * as Cesium from 'cesium';
import { BoundingSphere, Cartesian3, Ellipsoid, QuantizedMeshTerrainData, Rectangle } from 'cesium';
import decoderModule from '@here/quantized-mesh-decoder';
import { encodeQuantizedMesh, octEncode, QM_MAX, type TileMesh } from '../../../../core/formats/quantized-mesh';
import { geodeticToEcef } from '../../../../core/geo/ellipsoid';
import { GRID_SIZE, sampleBorderedGrid, tileMesh } from '../../../../pipeline/terrain/mesh';

// Cesium's own oct decoder and horizon-culling maths: exported at run time, absent from its type declarations.
const { AttributeCompression, EllipsoidalOccluder } = Cesium as unknown as {
  AttributeCompression: { octDecodeInRange(x: number, y: number, rangeMax: number, out: Cartesian3): Cartesian3 };
  EllipsoidalOccluder: new (e: Ellipsoid) => { computeHorizonCullingPoint(c: Cartesian3, points: Cartesian3[]): Cartesian3 | undefined };
};
const decode = (decoderModule as unknown as { default?: typeof decoderModule }).default ?? decoderModule;
const rect = { west: 12.65625, south: 49.21875, east: 12.744140625, north: 49.306640625 }; // level 11, x 2192, y 1584
/** A hill over a tilted plane: 400–700 m. */
const surface = (lon: number, lat: number): number => 400 + 800 * (lon - 12.6) + 200 * Math.exp(-(((lon - 12.7) / 0.02) ** 2) - ((lat - 49.26) / 0.015) ** 2);

function meshAndBytes(maxErrorM = 2): { mesh: TileMesh; bytes: Uint8Array } {
  const mesh = tileMesh(rect, sampleBorderedGrid(surface, rect), maxErrorM);
  return { mesh, bytes: encodeQuantizedMesh(mesh) };
}

function checkEdge(n: number, list: ArrayLike<number>, onEdge: (i: number) => boolean, along: (i: number) => number): void {
  const ids = Array.from(list);
  expect(ids.every(onEdge)).toBe(true);
  expect(ids.length).toBe(Array.from({ length: n }, (_, i) => i).filter(onEdge).length);
  for (let k = 1; k < ids.length; k++) expect(along(ids[k]!)).toBeGreaterThan(along(ids[k - 1]!));
}

describe('quantized-mesh-1.0 writer', () => {
  const { mesh, bytes } = meshAndBytes();
  const n = mesh.uFrac.length;
  const q = decode(bytes.slice().buffer);

  it('writes a header the decoder reads: centre, height range, bounding sphere around every vertex', () => {
    const h = q.header as Record<string, number>;
    expect(h['minHeight']).toBeLessThanOrEqual(Math.min(...mesh.heightM));
    expect(h['maxHeight']).toBeGreaterThanOrEqual(Math.max(...mesh.heightM));
    expect(h['maxHeight']! - Math.max(...mesh.heightM)).toBeLessThan(0.01);
    const geo = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) geo.set([rect.west + (rect.east - rect.west) * mesh.uFrac[i]!, rect.south + (rect.north - rect.south) * mesh.vFrac[i]!, mesh.heightM[i]!], i * 3);
    const ecef = geodeticToEcef(geo);
    for (let i = 0; i < ecef.length; i += 3) {
      const d = Math.hypot(ecef[i]! - h['boundingSphereCenterX']!, ecef[i + 1]! - h['boundingSphereCenterY']!, ecef[i + 2]! - h['boundingSphereCenterZ']!);
      expect(d).toBeLessThanOrEqual(h['boundingSphereRadius']! + 1e-6);
    }
  });

  it('keeps every vertex within the quantisation (u, v to 1/32767 of the tile, heights to range/32767)', () => {
    const verts = q.vertexData;
    expect(verts.length).toBe(n * 3);
    const decoded = new Set<string>();
    const range = (q.header['maxHeight']! - q.header['minHeight']!) / QM_MAX;
    for (let i = 0; i < n; i++) decoded.add(`${verts[i]},${verts[i + n]},${Math.round(verts[i + 2 * n]! * range)}`);
    for (let i = 0; i < n; i++) {
      const key = `${Math.round(mesh.uFrac[i]! * QM_MAX)},${Math.round(mesh.vFrac[i]! * QM_MAX)},${Math.round(Math.round(((mesh.heightM[i]! - q.header['minHeight']!) / (q.header['maxHeight']! - q.header['minHeight']!)) * QM_MAX) * range)}`;
      expect(decoded.has(key), key).toBe(true);
    }
  });

  it('writes the same triangles, counter-clockwise seen from above, with high-water-mark indices', () => {
    const tris = q.triangleIndices;
    expect(tris.length).toBe(mesh.triangles.length);
    const verts = q.vertexData;
    let highest = 0;
    for (let t = 0; t < tris.length; t += 3) {
      const [a, b, c] = [tris[t]!, tris[t + 1]!, tris[t + 2]!];
      const cross = (verts[b]! - verts[a]!) * (verts[c + n]! - verts[a + n]!) - (verts[b + n]! - verts[a + n]!) * (verts[c]! - verts[a]!);
      expect(cross).toBeGreaterThan(0);
      for (const i of [a, b, c]) {
        expect(i).toBeLessThanOrEqual(highest);
        if (i === highest) highest++;
      }
    }
    expect(highest).toBe(n);
  });

  it('lists every edge vertex on its edge, sorted along it, corners on two edges', () => {
    const verts = q.vertexData;
    const u = (i: number): number => verts[i]!;
    const v = (i: number): number => verts[i + n]!;
    checkEdge(n, q.westIndices, (i) => u(i) === 0, v);
    checkEdge(n, q.eastIndices, (i) => u(i) === QM_MAX, v);
    checkEdge(n, q.southIndices, (i) => v(i) === 0, u);
    checkEdge(n, q.northIndices, (i) => v(i) === QM_MAX, u);
    expect(q.westIndices.length).toBeGreaterThanOrEqual(2);
  });

  it('carries oct-encoded normals that decode (as Cesium does) to the surface normal within 1.5°', () => {
    const normals = q.extensions.vertexNormals!;
    expect(normals.length).toBe(n * 2);
    const verts = q.vertexData;
    const out = new Cartesian3();
    for (let i = 0; i < n; i += 7) {
      AttributeCompression.octDecodeInRange(normals[i * 2]!, normals[i * 2 + 1]!, 255, out);
      const lon = rect.west + (rect.east - rect.west) * (verts[i]! / QM_MAX);
      const lat = rect.south + (rect.north - rect.south) * (verts[i + n]! / QM_MAX);
      // The expected normal from the surface by finite differences in ECEF.
      const d = 1e-5;
      const p = (x: number, y: number): Float64Array => geodeticToEcef(Float64Array.of(x, y, surface(x, y)));
      const [w, e, s, nn] = [p(lon - d, lat), p(lon + d, lat), p(lon, lat - d), p(lon, lat + d)];
      const ex = Cartesian3.subtract(new Cartesian3(...e), new Cartesian3(...w), new Cartesian3());
      const ny = Cartesian3.subtract(new Cartesian3(...nn), new Cartesian3(...s), new Cartesian3());
      const expected = Cartesian3.normalize(Cartesian3.cross(ex, ny, new Cartesian3()), new Cartesian3());
      expect(Cartesian3.angleBetween(out, expected) * (180 / Math.PI)).toBeLessThan(1.5);
    }
    expect(octEncode(0, 0, 1)).toEqual([128, 128]);
    expect(octEncode(0, 0, -1)).toEqual([255, 255]);
  });

  it('puts the horizon occlusion point where Cesium computes it', () => {
    const h = q.header;
    const verts = q.vertexData;
    const points: Cartesian3[] = [];
    for (let i = 0; i < n; i++) {
      const lon = rect.west + (rect.east - rect.west) * (verts[i]! / QM_MAX);
      const lat = rect.south + (rect.north - rect.south) * (verts[i + n]! / QM_MAX);
      points.push(Cartesian3.fromDegrees(lon, lat, h['minHeight']! + (verts[i + 2 * n]! / QM_MAX) * (h['maxHeight']! - h['minHeight']!)));
    }
    const centre = new Cartesian3(h['boundingSphereCenterX'], h['boundingSphereCenterY'], h['boundingSphereCenterZ']);
    const cesium = new EllipsoidalOccluder(Ellipsoid.WGS84).computeHorizonCullingPoint(centre, points)!;
    const ours = new Cartesian3(h['horizonOcclusionPointX'], h['horizonOcclusionPointY'], h['horizonOcclusionPointZ']);
    expect(Cartesian3.distance(cesium, ours)).toBeLessThan(1e-6);
    expect(BoundingSphere.fromPoints(points).radius).toBeLessThanOrEqual(h['boundingSphereRadius']! * 1.01);
  });

  it("reads back through Cesium's QuantizedMeshTerrainData: heights inside the tile within the error bound", () => {
    const h = q.header;
    const data = new QuantizedMeshTerrainData({
      quantizedVertices: new Uint16Array(q.vertexData),
      indices: new Uint16Array(q.triangleIndices),
      minimumHeight: h['minHeight']!,
      maximumHeight: h['maxHeight']!,
      boundingSphere: new BoundingSphere(new Cartesian3(h['boundingSphereCenterX'], h['boundingSphereCenterY'], h['boundingSphereCenterZ']), h['boundingSphereRadius']),
      horizonOcclusionPoint: new Cartesian3(h['horizonOcclusionPointX'], h['horizonOcclusionPointY'], h['horizonOcclusionPointZ']),
      westIndices: Array.from(q.westIndices),
      southIndices: Array.from(q.southIndices),
      eastIndices: Array.from(q.eastIndices),
      northIndices: Array.from(q.northIndices),
      westSkirtHeight: 10, southSkirtHeight: 10, eastSkirtHeight: 10, northSkirtHeight: 10,
      encodedNormals: new Uint8Array(q.extensions.vertexNormals!),
    });
    const r = Rectangle.fromDegrees(rect.west, rect.south, rect.east, rect.north);
    const step = (rect.east - rect.west) / (GRID_SIZE - 1);
    let worst = 0;
    for (let k = 0; k < 200; k++) {
      // grid posts (where the bound is stated), spread over the tile
      const lon = rect.west + ((k * 37) % GRID_SIZE) * step;
      const lat = rect.south + ((k * 53) % GRID_SIZE) * step;
      const got = data.interpolateHeight(r, lon * (Math.PI / 180), lat * (Math.PI / 180));
      worst = Math.max(worst, Math.abs(got - surface(lon, lat)));
    }
    expect(worst).toBeLessThan(2 + 0.05);
  });

  it('refuses an empty mesh and vertices no triangle uses', () => {
    expect(() => encodeQuantizedMesh({ ...mesh, triangles: new Uint32Array(0) })).toThrow(/empty/);
    expect(() => encodeQuantizedMesh({ ...mesh, triangles: mesh.triangles.subarray(0, 3) })).toThrow(/in no triangle/);
  });

  it('is deterministic and smaller for a looser bound', () => {
    expect(Buffer.from(meshAndBytes().bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(meshAndBytes(8).bytes.byteLength).toBeLessThan(bytes.byteLength);
  });
});
