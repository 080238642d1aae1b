/** @here/quantized-mesh-decoder ships no types: what the terrain step and its tests read back. */
declare module '@here/quantized-mesh-decoder' {
  export interface DecodedQuantizedMesh {
    header: Record<string, number>;
    vertexData: Uint16Array;
    triangleIndices: Uint16Array | Uint32Array;
    westIndices: Uint16Array | Uint32Array;
    southIndices: Uint16Array | Uint32Array;
    eastIndices: Uint16Array | Uint32Array;
    northIndices: Uint16Array | Uint32Array;
    extensions: { vertexNormals?: Uint8Array; waterMask?: ArrayBuffer; metadata?: unknown };
  }
  export default function decode(data: ArrayBuffer, options?: { maxDecodingStep?: number }): DecodedQuantizedMesh;
}
