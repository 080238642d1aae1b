/** The byte layout of a tile GLB: its chunks, and property-table buffer views aligned to 8 bytes. */

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
