import { Accessor } from '@gltf-transform/core';
import type { FeatureID, Features, PropertyTable, StructuralMetadata } from '@gltf-transform/extensions';
import { validateBytes } from 'gltf-validator';
import { MeshoptDecoder } from 'meshoptimizer';
import { describe, expect, it } from 'vitest';
import { triangulatePolygon } from '../../../../pipeline/buildings/cityjson';
import { extrudeFootprint } from '../../../../pipeline/buildings/footprints';
import { createIo, parseGlb, propertyTableViews, readTileGlb, writeTileGlb, type BuildingProperties, type TileBuilding, type TileSurface } from '../../../../pipeline/buildings/glb';
import { enuToEcefMatrix } from '../../../../core/geo/ellipsoid';

const LON = 12.03, LAT = 49.02, H0 = 380;
const FRAME = enuToEcefMatrix(LON, LAT, H0);

/** A box building x0..x0+w east, 0..d north of the test origin (ENU metres), extruded with the footprint code, in ECEF. */
function boxBuilding(props: BuildingProperties, x0: number, w: number, d: number, h: number): TileBuilding {
  const { surfaces } = extrudeFootprint([[[[x0, 0], [x0 + w, 0], [x0 + w, d], [x0, d]]]], 0, h);
  const out: TileSurface[] = [];
  for (const s of surfaces) {
    const r = triangulatePolygon(s.rings);
    if (!r.ok) throw new Error('test box did not triangulate');
    const p = r.value.positions;
    const ecef = new Float64Array(p.length);
    const m = FRAME;
    for (let i = 0; i < p.length; i += 3) {
      for (let k = 0; k < 3; k++) ecef[i + k] = m[k]! * p[i]! + m[4 + k]! * p[i + 1]! + m[8 + k]! * p[i + 2]! + m[12 + k]!;
    }
    out.push({ kind: s.kind, ecef, indices: r.value.indices });
  }
  return { props, surfaces: out };
}

const propsA: BuildingProperties = {
  id: 'DEBY_LOD2_1', source: 'test', licence: 'CC BY 4.0', heightM: 11.5, heightEstimated: false, roofType: 'gable (3100)',
  function: '31001_1000 residential building', groundHeightM: 334.46, groundHeightDatum: 'DHHN2016', name: '', address: 'Mattinger Straße 29, Regensburg',
};
const propsB: BuildingProperties = {
  id: 'way/1', source: 'test', licence: 'CC0 1.0', heightM: 7.9, heightEstimated: true, roofType: 'flat (assumed)',
  function: 'building=house', groundHeightM: 0, groundHeightDatum: 'none', name: 'Žatecký pivovar', address: 'čp. 81, Žatec',
};

const oneBuildingTile = async (): Promise<Uint8Array> => (await writeTileGlb([boxBuilding(propsA, 0, 10, 8, 11.5)], FRAME)).glb;

describe('writeTileGlb', () => {
  it('round-trips the property table and feature IDs through quantization and meshopt', async () => {
    const tile = await writeTileGlb([boxBuilding(propsA, 0, 10, 8, 11.5), boxBuilding(propsB, 30, 6, 6, 7.9)], FRAME);
    expect(tile.triangles).toBe(2 * (4 * 2 + 2));

    // Read with gltf-transform directly: the extensions must be there and the IDs still integers.
    await MeshoptDecoder.ready;
    const doc = await createIo().readBinary(tile.glb);
    const prim = doc.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
    const fid = prim.getAttribute('_FEATURE_ID_0')!;
    expect(fid.getComponentType()).toBe(Accessor.ComponentType.UNSIGNED_SHORT);
    expect(fid.getNormalized()).toBe(false);
    expect(prim.getAttribute('POSITION')!.getComponentType()).toBe(Accessor.ComponentType.SHORT);
    expect(prim.getAttribute('COLOR_0')).not.toBeNull();
    const features = prim.getExtension<Features>('EXT_mesh_features')!;
    const featureId = features.listFeatureIDs()[0] as FeatureID;
    expect(featureId.getAttribute()).toBe(0);
    expect(featureId.getFeatureCount()).toBe(2);
    const metadata = doc.getRoot().getExtension<StructuralMetadata>('EXT_structural_metadata')!;
    expect(featureId.getPropertyTable()).toBe(metadata.listPropertyTables()[0] as PropertyTable);
    expect(metadata.getSchema()!.getClass('building')!.getProperty('heightM')!.getComponentType()).toBe('FLOAT32');

    const decoded = await readTileGlb(tile.glb);
    expect(decoded.extensionsUsed).toEqual(['EXT_mesh_features', 'EXT_meshopt_compression', 'EXT_structural_metadata', 'KHR_mesh_quantization']);
    expect(decoded.properties).toHaveLength(2);
    const [a, b] = decoded.properties as [BuildingProperties, BuildingProperties];
    expect({ ...a, heightM: 0, groundHeightM: 0 }).toEqual({ ...propsA, heightM: 0, groundHeightM: 0 });
    expect({ ...b, heightM: 0 }).toEqual({ ...propsB, heightM: 0 });
    expect(a.heightM).toBeCloseTo(11.5, 5);
    expect(a.groundHeightM).toBeCloseTo(334.46, 4);
    expect(b.heightM).toBeCloseTo(7.9, 5);

    // The vertices of building 1 (feature 1) lie at 30..36 m east and 0..7.9 m up in the y-up frame.
    let maxUp = -Infinity, minEast = Infinity;
    decoded.featureIds.forEach((f, i) => {
      if (f !== 1) return;
      minEast = Math.min(minEast, decoded.positions[i * 3]!);
      maxUp = Math.max(maxUp, decoded.positions[i * 3 + 1]!);
    });
    // 16-bit positions over this 36 m tile: steps of about a millimetre.
    expect(Math.abs(minEast - 30)).toBeLessThan(0.005);
    expect(Math.abs(maxUp - 7.9)).toBeLessThan(0.005);
    // North is -z in glTF: all content lies north of the origin.
    for (let i = 2; i < decoded.positions.length; i += 3) expect(decoded.positions[i]!).toBeLessThan(0.05);

    // Box (ENU, z up) holds everything.
    expect(tile.box[0]! - tile.box[3]!).toBeLessThanOrEqual(0);
    expect(tile.box[0]! + tile.box[3]!).toBeGreaterThanOrEqual(36);
    expect(tile.box[2]! + tile.box[11]!).toBeGreaterThanOrEqual(11.5);
  });

  it('leaves a column that is empty for every building of the tile out of its table, and lays the others out exactly, 8-aligned', async () => {
    // Neither building has a name: a `name` column would be a buffer view of 0 bytes.
    const tile = await writeTileGlb([boxBuilding(propsA, 0, 10, 8, 11.5), boxBuilding({ ...propsB, name: '' }, 30, 6, 6, 7.9)], FRAME);
    const report = await validateBytes(tile.glb, { maxIssues: 0 });
    expect(report.issues.messages.filter((m) => m.severity <= 1)).toEqual([]);
    const { json } = parseGlb(tile.glb);
    const table = json.extensions!.EXT_structural_metadata!.propertyTables![0]!;
    expect(Object.keys(table.properties!)).not.toContain('name');
    expect(Object.keys(table.properties!)).toContain('address');
    for (const i of propertyTableViews(json)) {
      expect(json.bufferViews![i]!.byteLength).toBeGreaterThan(0);
      expect((json.bufferViews![i]!.byteOffset ?? 0) % 8).toBe(0);
    }
    // Two rows: heights are 2 × 4 bytes, the flag one byte, string offsets 3 × 4 bytes, "DEBY_LOD2_1" + "way/1" 16 bytes.
    const view = (k: string, f: 'values' | 'stringOffsets'): number => json.bufferViews![table.properties![k]![f]!]!.byteLength;
    expect([view('heightM', 'values'), view('heightEstimated', 'values'), view('id', 'stringOffsets'), view('id', 'values')]).toEqual([8, 1, 12, 16]);
    const decoded = await readTileGlb(tile.glb);
    expect(decoded.properties.map((p) => p.name)).toEqual(['', '']);
    expect(decoded.properties.map((p) => p.address)).toEqual([propsA.address, propsB.address]);
  });

  it('is deterministic', async () => {
    expect(Buffer.from(await oneBuildingTile()).equals(Buffer.from(await oneBuildingTile()))).toBe(true);
  });
});
