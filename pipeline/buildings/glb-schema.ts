/** The property table every building tile carries (EXT_structural_metadata) and the glTF I/O with its extensions. */
import { NodeIO } from '@gltf-transform/core';
import { EXTMeshFeatures, EXTMeshoptCompression, EXTStructuralMetadata, KHRMeshQuantization } from '@gltf-transform/extensions';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';

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

export function createIo(): NodeIO {
  return new NodeIO()
    .registerExtensions([EXTMeshFeatures, EXTStructuralMetadata, EXTMeshoptCompression, KHRMeshQuantization])
    .registerDependencies({ 'meshopt.encoder': MeshoptEncoder, 'meshopt.decoder': MeshoptDecoder });
}
