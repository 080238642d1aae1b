/**
 * Subtree files of 3D Tiles 1.1 implicit tiling (specification/ImplicitTiling): for every subtree, which tiles
 * exist, which have content, and which child subtrees exist, as bitstreams in Morton order, packed
 * least-significant bit first. Written against the specification; read back by an independent decoder in the tests.
 */
import { childrenOf, mortonIndex, type Cell } from './cells';

const SUBTREE_MAGIC = 0x74627573; // 'subt'
const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

type Availability = { bitstream: number; availableCount: number } | { constant: 0 | 1; availableCount?: number };

/** Tiles at relative level `level` (0 = the subtree's root) in a subtree of a quadtree: 4^level, before it 4^level−1 / 3. */
const levelOffset = (level: number): number => (4 ** level - 1) / 3;

export interface SubtreeInput {
  /** The subtree's root, in implicit coordinates of the tileset root. */
  readonly root: Cell;
  readonly subtreeLevels: number;
  /** Whether a tile (implicit coordinates) exists; every tile that exists has content here. */
  readonly has: (c: Cell) => boolean;
}

/** The subtree file of one subtree, and the roots of its child subtrees that exist. */
export function writeSubtree({ root, subtreeLevels, has }: SubtreeInput): { bytes: Uint8Array; childSubtrees: Cell[] } {
  const tileBits = levelOffset(subtreeLevels);
  const tiles = new Uint8Array(Math.ceil(tileBits / 8));
  let tileCount = 0;
  // Breadth first over the existing tiles only: a sparse district stays cheap however deep the subtree.
  let level: Cell[] = [root];
  for (let l = 0; l < subtreeLevels && level.length > 0; l++) {
    const next: Cell[] = [];
    for (const c of level) {
      if (!has(c)) continue;
      const k = levelOffset(l) + mortonIndex(c.x - root.x * 2 ** l, c.y - root.y * 2 ** l);
      tiles[k >> 3]! |= 1 << (k & 7);
      tileCount++;
      next.push(...childrenOf(c));
    }
    level = next;
  }
  const childBits = 4 ** subtreeLevels;
  const children = new Uint8Array(Math.ceil(childBits / 8));
  const childSubtrees = level.filter(has);
  for (const c of childSubtrees) {
    const k = mortonIndex(c.x - root.x * 2 ** subtreeLevels, c.y - root.y * 2 ** subtreeLevels);
    children[k >> 3]! |= 1 << (k & 7);
  }

  const views: Uint8Array[] = [];
  const bufferViews: { buffer: 0; byteOffset: number; byteLength: number }[] = [];
  let offset = 0;
  const view = (bytes: Uint8Array): number => {
    bufferViews.push({ buffer: 0, byteOffset: offset, byteLength: bytes.byteLength });
    views.push(bytes);
    offset = pad8(offset + bytes.byteLength);
    return bufferViews.length - 1;
  };
  const tileAvailability: Availability = tileCount === tileBits ? { constant: 1 } : { bitstream: view(tiles), availableCount: tileCount };
  // Every tile that exists has content: the content bitstream is the tile bitstream, one view shared.
  const contentAvailability: Availability = 'bitstream' in tileAvailability ? { bitstream: tileAvailability.bitstream, availableCount: tileCount } : { constant: 1 };
  const childSubtreeAvailability: Availability = childSubtrees.length === 0 ? { constant: 0 } : childSubtrees.length === childBits ? { constant: 1 } : { bitstream: view(children), availableCount: childSubtrees.length };
  const json: Record<string, unknown> = { tileAvailability, contentAvailability: [contentAvailability], childSubtreeAvailability };
  if (views.length > 0) {
    json.buffers = [{ byteLength: offset }];
    json.bufferViews = bufferViews;
  }
  const jsonText = JSON.stringify(json);
  const jsonLength = pad8(Buffer.byteLength(jsonText));
  const out = new Uint8Array(24 + jsonLength + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, SUBTREE_MAGIC, true);
  dv.setUint32(4, 1, true);
  dv.setBigUint64(8, BigInt(jsonLength), true);
  dv.setBigUint64(16, BigInt(offset), true);
  out.fill(0x20, 24, 24 + jsonLength);
  out.set(new TextEncoder().encode(jsonText), 24);
  bufferViews.forEach((v, i) => out.set(views[i]!, 24 + jsonLength + v.byteOffset));
  return { bytes: out, childSubtrees };
}
