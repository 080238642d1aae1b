/** Reading a tile GLB back, for validation and tests. */
import type { StructuralMetadata } from '@gltf-transform/extensions';
import { MeshoptDecoder } from 'meshoptimizer';
import { BUILDING_PROPERTIES, createIo, type BuildingProperties } from './glb-schema';

/** Decoded contents of a tile GLB, for validation and tests. */
export interface DecodedTile {
  readonly properties: BuildingProperties[];
  /** Feature ID of every vertex, as read from _FEATURE_ID_0. */
  readonly featureIds: Uint32Array;
  /** glTF-space vertex positions with the node transform applied (x east, y up, z south). */
  readonly positions: Float64Array;
  readonly triangles: number;
  readonly extensionsUsed: string[];
}

/** Read a tile GLB back (decompressing meshopt, dequantizing through the node transform) and decode its table. */
export async function readTileGlb(glb: Uint8Array): Promise<DecodedTile> {
  await MeshoptDecoder.ready;
  const doc = await createIo().readBinary(glb);
  const root = doc.getRoot();
  const metadata = root.getExtension<StructuralMetadata>('EXT_structural_metadata');
  if (!metadata) throw new Error('tile GLB has no EXT_structural_metadata');
  const table = metadata.listPropertyTables()[0];
  if (!table) throw new Error('tile GLB has no property table');
  const count = table.getCount();
  const columns = new Map<string, unknown[]>();
  const utf8 = new TextDecoder();
  for (const p of BUILDING_PROPERTIES) {
    const col = table.getProperty(p.key);
    if (!col) {
      if (p.required) throw new Error(`property table lacks ${p.key}`);
      columns.set(p.key, Array.from({ length: count }, () => ''));
      continue;
    }
    const bytes = col.getValues();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: unknown[] = [];
    if (p.type === 'STRING') {
      const off = col.getStringOffsets();
      if (!off) throw new Error(`${p.key}: no string offsets`);
      const ov = new DataView(off.buffer, off.byteOffset, off.byteLength);
      for (let i = 0; i < count; i++) out.push(utf8.decode(bytes.subarray(ov.getUint32(i * 4, true), ov.getUint32((i + 1) * 4, true))));
    } else if (p.type === 'FLOAT32') {
      for (let i = 0; i < count; i++) out.push(view.getFloat32(i * 4, true));
    } else {
      for (let i = 0; i < count; i++) out.push(((bytes[i >> 3]! >> (i & 7)) & 1) === 1);
    }
    columns.set(p.key, out);
  }
  const properties: BuildingProperties[] = [];
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = {};
    for (const p of BUILDING_PROPERTIES) row[p.key] = columns.get(p.key)![i];
    properties.push(row as unknown as BuildingProperties);
  }
  const node = root.listNodes().find((n) => n.getMesh());
  const prim = node?.getMesh()?.listPrimitives()[0];
  if (!node || !prim) throw new Error('tile GLB has no mesh');
  const fidAcc = prim.getAttribute('_FEATURE_ID_0');
  const posAcc = prim.getAttribute('POSITION');
  if (!fidAcc || !posAcc) throw new Error('tile GLB lacks POSITION or _FEATURE_ID_0');
  const featureIds = new Uint32Array(fidAcc.getCount());
  const el: number[] = [];
  for (let i = 0; i < featureIds.length; i++) featureIds[i] = fidAcc.getScalar(i);
  const m = node.getWorldMatrix();
  const positions = new Float64Array(posAcc.getCount() * 3);
  for (let i = 0; i < posAcc.getCount(); i++) {
    posAcc.getElement(i, el); // normalized values come back as floats in [-1, 1]
    const x = el[0]!, y = el[1]!, z = el[2]!;
    positions[i * 3] = m[0] * x + m[4] * y + m[8] * z + m[12];
    positions[i * 3 + 1] = m[1] * x + m[5] * y + m[9] * z + m[13];
    positions[i * 3 + 2] = m[2] * x + m[6] * y + m[10] * z + m[14];
  }
  const idx = prim.getIndices();
  return {
    properties,
    featureIds,
    positions,
    triangles: (idx ? idx.getCount() : posAcc.getCount()) / 3,
    extensionsUsed: root.listExtensionsUsed().map((e) => e.extensionName).toSorted(),
  };
}
