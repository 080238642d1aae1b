/**
 * One building tile -> one GLB: a single triangle primitive in a local ENU frame (glTF y-up), flat normals,
 * per-surface vertex colours, one feature ID per building (EXT_mesh_features) resolving into a property table
 * (EXT_structural_metadata), quantized and meshopt-compressed. Deterministic: the same input gives the same bytes.
 */
import { Document, Logger, type Accessor } from '@gltf-transform/core';
import { EXTMeshFeatures, EXTMeshoptCompression, EXTStructuralMetadata, type PropertyTable } from '@gltf-transform/extensions';
import { quantize, reorder } from '@gltf-transform/functions';
import { MeshoptEncoder } from 'meshoptimizer';
import type { SurfaceKind } from './cityjson';
import { alignPropertyTableViews } from './glb-layout';
import { BUILDING_PROPERTIES, CLASS_ID, SCHEMA_ID, createIo, type BuildingProperties } from './glb-schema';

export { BUILDING_PROPERTIES, CLASS_ID, SCHEMA_ID, createIo, type BuildingProperties } from './glb-schema';
export { TABLE_VIEW_ALIGNMENT, alignPropertyTableViews, parseGlb, propertyTableViews, type GltfJson } from './glb-layout';
export { readTileGlb, type DecodedTile } from './glb-read';

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

let io: ReturnType<typeof createIo> | null = null;
/** One writer for every tile: a NodeIO per tile kept ≈8 KB each alive for good (measured over 3,000 tiles). */
const tileIo = (): ReturnType<typeof createIo> => (io ??= createIo());

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


/** A tile's vertex and index arrays (glTF y-up, in the tile's ENU frame) and the ENU box of its vertices. */
interface TileArrays {
  readonly position: Float32Array;
  readonly normal: Float32Array;
  readonly colour: Float32Array;
  readonly featureId: Uint16Array;
  readonly indices: Uint16Array | Uint32Array;
  readonly lo: number[];
  readonly hi: number[];
}

function tileArrays(buildings: readonly TileBuilding[], enuToEcef: readonly number[]): TileArrays {
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
  return { position, normal, colour, featureId, indices, lo, hi };
}

/** The tile's glTF document: one primitive with its feature IDs resolving into the buildings' property table. */
function tileDocument(buildings: readonly TileBuilding[], arrays: TileArrays): Document {
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
    .setAttribute('POSITION', acc('VEC3', arrays.position))
    .setAttribute('NORMAL', acc('VEC3', arrays.normal))
    .setAttribute('COLOR_0', acc('VEC3', arrays.colour))
    .setAttribute('_FEATURE_ID_0', acc('SCALAR', arrays.featureId))
    .setIndices(acc('SCALAR', arrays.indices))
    .setMaterial(material);
  const mesh = doc.createMesh('buildings').addPrimitive(prim);
  doc.createScene().addChild(doc.createNode('buildings').setMesh(mesh));

  const metadataExt = doc.createExtension(EXTStructuralMetadata);
  const featuresExt = doc.createExtension(EXTMeshFeatures);
  const table = buildPropertyTable(doc, metadataExt, buildings.map((b) => b.props));
  const featureIdDef = featuresExt.createFeatureID().setFeatureCount(buildings.length).setAttribute(0).setPropertyTable(table);
  prim.setExtension('EXT_mesh_features', featuresExt.createFeatures().addFeatureID(featureIdDef));
  return doc;
}

/**
 * Build the GLB of one tile. `enuToEcef` is the tile's column-major ENU->ECEF matrix (its tileset `transform`);
 * vertices are written as glTF y-up (x = east, y = up, z = -north), which 3D Tiles turns back into z-up.
 */
export async function writeTileGlb(buildings: readonly TileBuilding[], enuToEcef: readonly number[]): Promise<TileGlb> {
  if (buildings.length === 0) throw new Error('writeTileGlb: a tile needs at least one building');
  const arrays = tileArrays(buildings, enuToEcef);
  const doc = tileDocument(buildings, arrays);

  await MeshoptEncoder.ready;
  // Not `meshopt()`: it quantizes again and would re-fit the node transform to already-quantized positions.
  // Its steps are spelled out instead, with the feature IDs kept out of quantization (they must stay integers).
  await doc.transform(
    reorder({ encoder: MeshoptEncoder, target: 'size' }),
    quantize({ pattern: /^(POSITION|NORMAL|COLOR_0)$/, quantizePosition: POSITION_BITS, quantizeNormal: 8, quantizeColor: 8 }),
  );
  doc.createExtension(EXTMeshoptCompression).setRequired(true).setEncoderOptions({ method: EXTMeshoptCompression.EncoderMethod.QUANTIZE });
  const glb = alignPropertyTableViews(await tileIo().writeBinary(doc));

  const { lo, hi } = arrays;
  const box = [
    (lo[0]! + hi[0]!) / 2, (lo[1]! + hi[1]!) / 2, (lo[2]! + hi[2]!) / 2,
    (hi[0]! - lo[0]!) / 2 + BOX_PAD_M, 0, 0,
    0, (hi[1]! - lo[1]!) / 2 + BOX_PAD_M, 0,
    0, 0, (hi[2]! - lo[2]!) / 2 + BOX_PAD_M,
  ];
  return { glb, triangles: arrays.indices.length / 3, vertices: arrays.featureId.length, box };
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
