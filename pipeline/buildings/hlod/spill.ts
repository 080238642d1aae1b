/**
 * Buildings parked on disk by grid cell while a district is read: each record is appended, in a flat binary form,
 * to the file of its cell of the global quadtree (cells.ts) at the spill level, so the writer can later take one
 * cell at a time. Memory: the write buffers (flushed at a fixed size) and one count per cell.
 *
 * Record layout, little-endian, every section 8-byte aligned so typed arrays are copied out whole:
 *   u32 byteLength, u32 propsBytes, u32 surfaces, u32 0 | f64 × 7 (west, south, east, north, minH, maxH, ground)
 *   | props JSON (UTF-8, padded) | per surface: u32 kind, u32 vertices, u32 indices, u32 0 | f64 × 3n | u32 × m (padded)
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SurfaceKind } from '../cityjson';
import type { BuildingProperties } from '../glb';
import type { BuildingRecord } from '../towns';
import { cellOf, type Cell } from './cells';

const KINDS: readonly SurfaceKind[] = ['roof', 'wall', 'ground'];
const pad8 = (n: number): number => Math.ceil(n / 8) * 8;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A record in its spill form. */
export function encodeRecord(r: BuildingRecord): Uint8Array {
  const props = utf8.encode(JSON.stringify(r.props));
  let size = 16 + 56 + pad8(props.byteLength);
  for (const s of r.surfaces) size += 16 + s.ecef.byteLength + pad8(s.indices.length * 4);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, size, true);
  dv.setUint32(4, props.byteLength, true);
  dv.setUint32(8, r.surfaces.length, true);
  new Float64Array(out.buffer, 16, 7).set([r.west, r.south, r.east, r.north, r.minH, r.maxH, r.groundEllipsoidalM]);
  out.set(props, 72);
  let at = 72 + pad8(props.byteLength);
  for (const s of r.surfaces) {
    dv.setUint32(at, KINDS.indexOf(s.kind), true);
    dv.setUint32(at + 4, s.ecef.length / 3, true);
    dv.setUint32(at + 8, s.indices.length, true);
    at += 16;
    new Float64Array(out.buffer, at, s.ecef.length).set(s.ecef);
    at += s.ecef.byteLength;
    new Uint32Array(out.buffer, at, s.indices.length).set(s.indices);
    at += pad8(s.indices.length * 4);
  }
  return out;
}

/**
 * Every record of a spill file's bytes. The surfaces' arrays are views into those bytes, not copies: one
 * allocation per cell instead of two per surface, which over millions of buildings is what fragments the
 * allocator and lets resident memory creep up.
 */
export function decodeRecords(bytes: Uint8Array): BuildingRecord[] {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  const buf = bytes.buffer;
  const dv = new DataView(buf, bytes.byteOffset, bytes.byteLength);
  const out: BuildingRecord[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const size = dv.getUint32(at, true);
    const propsBytes = dv.getUint32(at + 4, true);
    const n = dv.getUint32(at + 8, true);
    const [west, south, east, north, minH, maxH, ground] = new Float64Array(buf, bytes.byteOffset + at + 16, 7) as unknown as number[];
    const props = JSON.parse(fromUtf8.decode(bytes.subarray(at + 72, at + 72 + propsBytes))) as BuildingProperties;
    let p = at + 72 + pad8(propsBytes);
    const surfaces = [];
    for (let i = 0; i < n; i++) {
      const kind = KINDS[dv.getUint32(p, true)]!;
      const nv = dv.getUint32(p + 4, true), ni = dv.getUint32(p + 8, true);
      p += 16;
      const ecef = new Float64Array(buf, bytes.byteOffset + p, nv * 3);
      p += nv * 24;
      const indices = new Uint32Array(buf, bytes.byteOffset + p, ni);
      p += pad8(ni * 4);
      surfaces.push({ kind, ecef, indices });
    }
    if (p !== at + size) throw new Error(`spill: a record's length (${size} bytes) does not match its content (${p - at})`);
    out.push({ props, surfaces, west: west!, south: south!, east: east!, north: north!, minH: minH!, maxH: maxH!, groundEllipsoidalM: ground! });
    at += size;
  }
  return out;
}

/** The point a building is filed under everywhere in the tiling: the centre of its geodetic extent. */
export const centreOf = (r: Pick<BuildingRecord, 'west' | 'south' | 'east' | 'north'>): [number, number] => [(r.west + r.east) / 2, (r.south + r.north) / 2];

/** Bytes held in write buffers before they are appended to their files. */
const FLUSH_BYTES = 32 * 1048576;

/** The spill of one district: add records as they are read, then read them back cell by cell. */
export class Spill {
  readonly #dir: string;
  readonly #level: number;
  readonly #pending = new Map<string, Uint8Array[]>();
  readonly #counts = new Map<string, { cell: Cell; count: number }>();
  #pendingBytes = 0;
  #bytes = 0;

  constructor(dir: string, level: number) {
    this.#dir = dir;
    this.#level = level;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  get level(): number { return this.#level; }
  /** Bytes written to the spill so far. */
  get bytes(): number { return this.#bytes; }

  add(r: BuildingRecord): void {
    const [lon, lat] = centreOf(r);
    const cell = cellOf(lon, lat, this.#level);
    const key = `${cell.x}_${cell.y}`;
    const bytes = encodeRecord(r);
    const list = this.#pending.get(key);
    if (list) list.push(bytes);
    else this.#pending.set(key, [bytes]);
    const c = this.#counts.get(key);
    if (c) c.count++;
    else this.#counts.set(key, { cell, count: 1 });
    this.#pendingBytes += bytes.byteLength;
    this.#bytes += bytes.byteLength;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Append every buffered record to its cell's file. */
  flush(): void {
    for (const [key, list] of this.#pending) appendFileSync(path.join(this.#dir, `${key}.bin`), Buffer.concat(list));
    this.#pending.clear();
    this.#pendingBytes = 0;
  }

  /** The cells holding buildings and how many each holds (records, before duplicates are removed). */
  cells(): { cell: Cell; count: number }[] {
    return [...this.#counts.values()];
  }

  /** The records of one spill cell, in the order they were added. */
  read(cell: Cell): BuildingRecord[] {
    const file = path.join(this.#dir, `${cell.x}_${cell.y}.bin`);
    const b = readFileSync(file);
    return decodeRecords(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
