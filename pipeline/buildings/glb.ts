/**
 * One building tile -> one GLB: a single triangle primitive in a local ENU frame (glTF y-up), flat normals,
 * per-surface vertex colours, one feature ID per building (EXT_mesh_features) resolving into a property table
 * (EXT_structural_metadata), quantized and meshopt-compressed. Deterministic: the same input gives the same bytes.
 */
import { Document, Logger, NodeIO, type Accessor } from '@gltf-transform/core';
import {
  EXTMeshFeatures,
  EXTMeshoptCompression,
  EXTStructuralMetadata,
  KHRMeshQuantization,
  type PropertyTable,
  type StructuralMetadata,
} from '@gltf-transform/extensions';
import { quantize, reorder } from '@gltf-transform/functions';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import type { SurfaceKind } from './cityjson';

/** The per-building row of the property table; the names are the schema's property ids. */
export interface BuildingProperties {
  readonly id: string;
  readonly source: string;
  readonly licence: string;
  /** Building height above its ground, m (measured, or estimated when heightEstimated). */
  readonly heightM: number;
  readonly heightEstimated: boolean;
  readonly roofType: string;
  readonly function: string;
  /** Ground height in the source's vertical datum (groundHeightDatum), m; 0 when the datum is 'none'. */
  readonly groundHeightM: number;
  readonly groundHeightDatum: string;
  readonly name: string;
  readonly address: string;
}

type PropertyKind = 'STRING' | 'FLOAT32' | 'BOOLEAN';
/**
 * Schema order is table order; descriptions end up in the GLB for anyone inspecting it. A property that is not
 * `required` is left out of a tile's table where every building of the tile has it empty (a column of no bytes
 * would be a buffer view of length 0, which glTF forbids); readers then get its `default`, the empty string.
 */
export const BUILDING_PROPERTIES: readonly { readonly key: keyof BuildingProperties; readonly type: PropertyKind; readonly required: boolean; readonly description: string }[] = [
  { key: 'id', type: 'STRING', required: true, description: 'Identifier of the building in its source' },
  { key: 'source', type: 'STRING', required: true, description: 'Data source (and file) of the building' },
  { key: 'licence', type: 'STRING', required: true, description: 'Licence of the source data' },
  { key: 'heightM', type: 'FLOAT32', required: true, description: 'Height above ground, metres' },
  { key: 'heightEstimated', type: 'BOOLEAN', required: true, description: 'True when the height is estimated from the building type' },
  { key: 'roofType', type: 'STRING', required: false, description: 'Roof form in English, with the AdV Dachform code where known' },
  { key: 'function', type: 'STRING', required: false, description: 'Building function: AdV/ALKIS code and English label, or the mapped building tag' },
  { key: 'groundHeightM', type: 'FLOAT32', required: true, description: 'Ground height in groundHeightDatum, metres' },
  { key: 'groundHeightDatum', type: 'STRING', required: true, description: "Vertical datum of groundHeightM ('none' when the ground height is unknown)" },
  { key: 'name', type: 'STRING', required: false, description: 'Name, empty when unknown' },
  { key: 'address', type: 'STRING', required: false, description: 'Address, empty when unknown' },
];
export const SCHEMA_ID = 'sddi_buildings';
export const CLASS_ID = 'building';

/** A triangulated surface in ECEF metres; indices are counter-clockwise seen from outside. */
export interface TileSurface {
  readonly kind: SurfaceKind;
  readonly ecef: Float64Array;
  readonly indices: Uint32Array;
}
export interface TileBuilding {
  readonly props: BuildingProperties;
  readonly surfaces: readonly TileSurface[];
}

export interface TileGlb {
  readonly glb: Uint8Array;
  readonly triangles: number;
  readonly vertices: number;
  /** 3D Tiles `box` of the content in the tile's ENU frame (z up), padded for quantization. */
  readonly box: number[];
}

/** sRGB display colours; glTF vertex colours are linear. */
export const SURFACE_COLOURS_SRGB: Readonly<Record<SurfaceKind, readonly [number, number, number]>> = {
  roof: [0xb5, 0x55, 0x3a], // terracotta
  wall: [0xd9, 0xd6, 0xcf], // light grey
  ground: [0x40, 0x40, 0x40], // dark
};
const srgbToLinear = (c: number): number => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};
const LINEAR: Record<SurfaceKind, [number, number, number]> = {
  roof: SURFACE_COLOURS_SRGB.roof.map(srgbToLinear) as [number, number, number],
  wall: SURFACE_COLOURS_SRGB.wall.map(srgbToLinear) as [number, number, number],
  ground: SURFACE_COLOURS_SRGB.ground.map(srgbToLinear) as [number, number, number],
};

/** 16 bits over a tile of ~1 km: about 1.5 cm, finer than LoD2's stated accuracy. */
const POSITION_BITS = 16;
/** Quantization moves a vertex by half a step at most; the box grows by this much so it still holds the content. */
const BOX_PAD_M = 0.05;

export function createIo(): NodeIO {
  return new NodeIO()
    .registerExtensions([EXTMeshFeatures, EXTStructuralMetadata, EXTMeshoptCompression, KHRMeshQuantization])
    .registerDependencies({ 'meshopt.encoder': MeshoptEncoder, 'meshopt.decoder': MeshoptDecoder });
}

/**
 * Build the GLB of one tile. `enuToEcef` is the tile's column-major ENU->ECEF matrix (its tileset `transform`);
 * vertices are written as glTF y-up (x = east, y = up, z = -north), which 3D Tiles turns back into z-up.
 */
export async function writeTileGlb(buildings: readonly TileBuilding[], enuToEcef: readonly number[]): Promise<TileGlb> {
  if (buildings.length === 0) throw new Error('writeTileGlb: a tile needs at least one building');
  const ex = enuToEcef[0]!, ey = enuToEcef[1]!, ez = enuToEcef[2]!;
  const nx = enuToEcef[4]!, ny = enuToEcef[5]!, nz = enuToEcef[6]!;
  const ux = enuToEcef[8]!, uy = enuToEcef[9]!, uz = enuToEcef[10]!;
  const ox = enuToEcef[12]!, oy = enuToEcef[13]!, oz = enuToEcef[14]!;

  let vertexCount = 0, indexCount = 0;
  for (const b of buildings) for (const s of b.surfaces) {
    vertexCount += s.ecef.length / 3;
    indexCount += s.indices.length;
  }
  const position = new Float32Array(vertexCount * 3);
  const normal = new Float32Array(vertexCount * 3);
  const colour = new Float32Array(vertexCount * 3);
  const featureId = new Uint16Array(vertexCount);
  const indices = vertexCount > 65535 ? new Uint32Array(indexCount) : new Uint16Array(indexCount);
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  let v = 0, t = 0;
  buildings.forEach((b, fid) => {
    if (fid > 65535) throw new Error('writeTileGlb: more than 65536 buildings in one tile');
    for (const s of b.surfaces) {
      const n = s.ecef.length / 3;
      const base = v;
      // ECEF -> ENU (e, n, u) relative to the tile origin, in float64 before the float32 store.
      const enu = new Float64Array(n * 3);
      for (let i = 0; i < n; i++) {
        const dx = s.ecef[i * 3]! - ox, dy = s.ecef[i * 3 + 1]! - oy, dz = s.ecef[i * 3 + 2]! - oz;
        const e = dx * ex + dy * ey + dz * ez;
        const no = dx * nx + dy * ny + dz * nz;
        const u = dx * ux + dy * uy + dz * uz;
        enu[i * 3] = e; enu[i * 3 + 1] = no; enu[i * 3 + 2] = u;
        if (e < lo[0]!) lo[0] = e; if (e > hi[0]!) hi[0] = e;
        if (no < lo[1]!) lo[1] = no; if (no > hi[1]!) hi[1] = no;
        if (u < lo[2]!) lo[2] = u; if (u > hi[2]!) hi[2] = u;
      }
      // Flat normal: the area-weighted sum of the triangle normals (Newell's normal for a planar polygon), in ENU.
      let sx = 0, sy = 0, sz = 0;
      for (let k = 0; k < s.indices.length; k += 3) {
        const a = s.indices[k]! * 3, bb = s.indices[k + 1]! * 3, c = s.indices[k + 2]! * 3;
        const abx = enu[bb]! - enu[a]!, aby = enu[bb + 1]! - enu[a + 1]!, abz = enu[bb + 2]! - enu[a + 2]!;
        const acx = enu[c]! - enu[a]!, acy = enu[c + 1]! - enu[a + 1]!, acz = enu[c + 2]! - enu[a + 2]!;
        sx += aby * acz - abz * acy;
        sy += abz * acx - abx * acz;
        sz += abx * acy - aby * acx;
      }
      const len = Math.hypot(sx, sy, sz) || 1;
      const [r, g, bl] = LINEAR[s.kind];
      for (let i = 0; i < n; i++) {
        const o = (base + i) * 3;
        position[o] = enu[i * 3]!;
        position[o + 1] = enu[i * 3 + 2]!;
        position[o + 2] = -enu[i * 3 + 1]!;
        normal[o] = sx / len;
        normal[o + 1] = sz / len;
        normal[o + 2] = -sy / len;
        colour[o] = r; colour[o + 1] = g; colour[o + 2] = bl;
        featureId[base + i] = fid;
      }
      for (let k = 0; k < s.indices.length; k++) indices[t++] = base + s.indices[k]!;
      v += n;
    }
  });

  // Warnings only: the pipeline log should not carry a prune line per tile.
  const doc = new Document().setLogger(new Logger(Logger.Verbosity.WARN));
  const buffer = doc.createBuffer();
  const acc = (type: 'VEC3' | 'SCALAR', array: Float32Array | Uint16Array | Uint32Array): Accessor =>
    doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const material = doc.createMaterial('building')
    .setBaseColorFactor([1, 1, 1, 1])
    .setMetallicFactor(0)
    .setRoughnessFactor(0.9)
    // LoD2 shells are not always consistently oriented; a flipped polygon must not open a hole.
    .setDoubleSided(true);
  const prim = doc.createPrimitive()
    .setAttribute('POSITION', acc('VEC3', position))
    .setAttribute('NORMAL', acc('VEC3', normal))
    .setAttribute('COLOR_0', acc('VEC3', colour))
    .setAttribute('_FEATURE_ID_0', acc('SCALAR', featureId))
    .setIndices(acc('SCALAR', indices))
    .setMaterial(material);
  const mesh = doc.createMesh('buildings').addPrimitive(prim);
  doc.createScene().addChild(doc.createNode('buildings').setMesh(mesh));

  const metadataExt = doc.createExtension(EXTStructuralMetadata);
  const featuresExt = doc.createExtension(EXTMeshFeatures);
  const table = buildPropertyTable(doc, metadataExt, buildings.map((b) => b.props));
  const featureIdDef = featuresExt.createFeatureID().setFeatureCount(buildings.length).setAttribute(0).setPropertyTable(table);
  prim.setExtension('EXT_mesh_features', featuresExt.createFeatures().addFeatureID(featureIdDef));

  await MeshoptEncoder.ready;
  // Not `meshopt()`: it quantizes again and would re-fit the node transform to already-quantized positions.
  // Its steps are spelled out instead, with the feature IDs kept out of quantization (they must stay integers).
  await doc.transform(
    reorder({ encoder: MeshoptEncoder, target: 'size' }),
    quantize({ pattern: /^(POSITION|NORMAL|COLOR_0)$/, quantizePosition: POSITION_BITS, quantizeNormal: 8, quantizeColor: 8 }),
  );
  doc.createExtension(EXTMeshoptCompression).setRequired(true).setEncoderOptions({ method: EXTMeshoptCompression.EncoderMethod.QUANTIZE });
  const glb = alignPropertyTableViews(await createIo().writeBinary(doc));

  const box = [
    (lo[0]! + hi[0]!) / 2, (lo[1]! + hi[1]!) / 2, (lo[2]! + hi[2]!) / 2,
    (hi[0]! - lo[0]!) / 2 + BOX_PAD_M, 0, 0,
    0, (hi[1]! - lo[1]!) / 2 + BOX_PAD_M, 0,
    0, 0, (hi[2]! - lo[2]!) / 2 + BOX_PAD_M,
  ];
  return { glb, triangles: indexCount / 3, vertices: vertexCount, box };
}

function buildPropertyTable(doc: Document, ext: EXTStructuralMetadata, rows: readonly BuildingProperties[]): PropertyTable {
  const cls = ext.createClass().setName('Building').setDescription('A building of the SDDI twin');
  const table = ext.createPropertyTable().setName('buildings').setClass(CLASS_ID).setCount(rows.length);
  const utf8 = new TextEncoder();
  for (const p of BUILDING_PROPERTIES) {
    const classProperty = ext.createClassProperty()
      .setType(p.type === 'STRING' ? 'STRING' : p.type === 'BOOLEAN' ? 'BOOLEAN' : 'SCALAR')
      .setComponentType(p.type === 'FLOAT32' ? 'FLOAT32' : null)
      .setDescription(p.description);
    if (p.required) classProperty.setRequired(true);
    else if (p.type === 'STRING') classProperty.setDefault('');
    cls.setProperty(p.key, classProperty);
    // Every column holds exactly its values: count × size, string offsets count + 1. Alignment is the layout's
    // business (alignPropertyTableViews), never padding inside a column.
    const column = ext.createPropertyTableProperty();
    if (p.type === 'STRING') {
      const parts = rows.map((r) => utf8.encode(String(r[p.key])));
      const offsets = new Uint32Array(rows.length + 1);
      let total = 0;
      parts.forEach((b, i) => { offsets[i] = total; total += b.byteLength; });
      offsets[rows.length] = total;
      if (total === 0) {
        if (p.required) throw new Error(`writeTileGlb: required property ${p.key} is empty for every building of the tile`);
        continue;
      }
      const values = new Uint8Array(total);
      parts.forEach((b, i) => values.set(b, offsets[i]!));
      column.setValues(values).setStringOffsets(new Uint8Array(offsets.buffer)).setStringOffsetType('UINT32');
    } else if (p.type === 'FLOAT32') {
      const values = Float32Array.from(rows, (r) => Number(r[p.key]));
      column.setValues(new Uint8Array(values.buffer));
    } else {
      // Booleans are a bitstream, least significant bit first.
      const bits = new Uint8Array(Math.ceil(rows.length / 8));
      rows.forEach((r, i) => { if (r[p.key]) bits[i >> 3]! |= 1 << (i & 7); });
      column.setValues(bits);
    }
    table.setProperty(p.key, column);
  }
  const schema = ext.createSchema().setId(SCHEMA_ID).setClass(CLASS_ID, cls);
  const metadata = ext.createStructuralMetadata().setSchema(schema).addPropertyTable(table);
  // Tables are written only when reachable from the root's extension.
  doc.getRoot().setExtension('EXT_structural_metadata', metadata);
  return table;
}

/** Byte alignment of every property-table buffer view (and of the GLB's binary chunk in the file). */
export const TABLE_VIEW_ALIGNMENT = 8;

const align = (n: number): number => Math.ceil(n / TABLE_VIEW_ALIGNMENT) * TABLE_VIEW_ALIGNMENT;

const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

/** The parts of a glTF JSON the layout below reads and rewrites. */
export interface GltfJson {
  buffers?: { byteLength: number; uri?: string }[];
  bufferViews?: { buffer: number; byteOffset?: number; byteLength: number; extensions?: Record<string, { buffer?: number; byteOffset?: number; byteLength?: number }> }[];
  extensions?: { EXT_structural_metadata?: { propertyTables?: { properties?: Record<string, { values: number; arrayOffsets?: number; stringOffsets?: number }> }[] } };
}

/** Split a GLB into its JSON and its binary chunk. */
export function parseGlb(glb: Uint8Array): { json: GltfJson; bin: Uint8Array } {
  const dv = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  if (dv.getUint32(0, true) !== GLB_MAGIC || dv.getUint32(4, true) !== 2) throw new Error('not a glTF 2.0 GLB');
  const jsonLength = dv.getUint32(12, true);
  if (dv.getUint32(16, true) !== CHUNK_JSON) throw new Error('GLB: first chunk is not JSON');
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as GltfJson;
  const binAt = 20 + jsonLength;
  const hasBin = binAt + 8 <= glb.byteLength && dv.getUint32(binAt + 4, true) === CHUNK_BIN;
  return { json, bin: hasBin ? glb.subarray(binAt + 8, binAt + 8 + dv.getUint32(binAt, true)) : glb.subarray(0, 0) };
}

/** Indices of the buffer views an EXT_structural_metadata property table reads, in table order. */
export function propertyTableViews(json: GltfJson): number[] {
  const out: number[] = [];
  for (const t of json.extensions?.EXT_structural_metadata?.propertyTables ?? []) {
    for (const p of Object.values(t.properties ?? {})) {
      out.push(p.values);
      if (p.arrayOffsets !== undefined) out.push(p.arrayOffsets);
      if (p.stringOffsets !== undefined) out.push(p.stringOffsets);
    }
  }
  return out;
}

/**
 * The writer packs the property-table columns back to back after the mesh data; this lays them out again so
 * each one starts on an 8-byte boundary of the buffer, with the padding between views (zero bytes no view
 * covers) and every view's byteLength still its exact size. The JSON chunk is padded with spaces so the binary
 * chunk, too, starts on an 8-byte boundary of the file. Everything else stays byte for byte.
 */
export function alignPropertyTableViews(glb: Uint8Array): Uint8Array {
  const { json, bin } = parseGlb(glb);
  const views = json.bufferViews ?? [];
  const tableViews = [...new Set(propertyTableViews(json))].toSorted((a, b) => (views[a]!.byteOffset ?? 0) - (views[b]!.byteOffset ?? 0));
  const binBuffer = (json.buffers ?? []).findIndex((b) => b.uri === undefined);
  if (tableViews.length === 0 || binBuffer < 0) return glb;
  if (tableViews.some((i) => views[i]!.buffer !== binBuffer)) throw new Error('property-table columns outside the GLB binary chunk');
  // Everything else the binary chunk holds (plain views and meshopt streams) must end before the first column.
  let head = 0;
  views.forEach((v, i) => {
    if (tableViews.includes(i)) return;
    if (v.buffer === binBuffer) head = Math.max(head, (v.byteOffset ?? 0) + v.byteLength);
    for (const e of Object.values(v.extensions ?? {})) {
      if (e.buffer === binBuffer) head = Math.max(head, (e.byteOffset ?? 0) + (e.byteLength ?? 0));
    }
  });
  if ((views[tableViews[0]!]!.byteOffset ?? 0) < head) throw new Error('property-table columns interleaved with other data');
  let size = align(head);
  const placed = tableViews.map((i) => {
    const v = views[i]!;
    const at = size;
    size = align(at + v.byteLength);
    return { v, from: v.byteOffset ?? 0, at };
  });
  const out = new Uint8Array(size);
  out.set(bin.subarray(0, head));
  let end = head;
  for (const { v, from, at } of placed) {
    out.set(bin.subarray(from, from + v.byteLength), at);
    v.byteOffset = at;
    end = at + v.byteLength;
  }
  json.buffers![binBuffer]!.byteLength = end;
  return assembleGlb(json, out.subarray(0, end));
}

function assembleGlb(json: GltfJson, bin: Uint8Array): Uint8Array {
  // Header (12) + JSON chunk header (8) + JSON + BIN chunk header (8): the binary data starts 8-aligned when the
  // JSON's byte length is 4 more than a multiple of 8 (glTF pads the JSON chunk with spaces).
  const raw = new TextEncoder().encode(JSON.stringify(json));
  const jsonBytes = new Uint8Array(raw.byteLength + ((12 - (raw.byteLength % 8)) % 8)).fill(0x20);
  jsonBytes.set(raw);
  const binLength = Math.ceil(bin.byteLength / 4) * 4;
  const total = 12 + 8 + jsonBytes.byteLength + (bin.byteLength > 0 ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, GLB_MAGIC, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonBytes.byteLength, true);
  dv.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  if (bin.byteLength > 0) {
    const at = 20 + jsonBytes.byteLength;
    dv.setUint32(at, binLength, true);
    dv.setUint32(at + 4, CHUNK_BIN, true);
    out.set(bin, at + 8);
  }
  return out;
}

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
