/**
 * A district of any size -> a 3D Tiles 1.1 tileset with hierarchical levels of detail on an implicit quadtree.
 *
 * Invariants:
 * - Memory is bounded by one spill cell's buildings and one root-to-leaf path of parent blocks, never by the
 *   district: records are parked on disk by cell as they are read (spill.ts) and tiled cell by cell, depth first.
 * - Every building is filed under the cell of its extent's centre, at every level; a building on a seam of the
 *   survey's tiles comes twice with the same geometry, lands in the same cell and is kept once there.
 * - A tile holding at most LEAF_BUILDINGS buildings (or at the deepest level) is a leaf with every LoD2 surface.
 *   Every other tile holds the LoD1 blocks (blocks.ts) of the buildings below it at least half as large as its
 *   geometric error (smaller ones are under half the screen-space error where it is shown), at most
 *   PARENT_BLOCKS of the largest,
 *   and its children REPLACE it: triangles and draw calls in view stay bounded however large the district, and
 *   the upper levels stay small (each level keeps only what can be seen from where it is shown).
 * - Every tile that exists has content, so the subtrees' content availability is their tile availability.
 * - All content is in one east-north-up frame at the district's centre (the root's transform); a tile's
 *   quantization keeps its own offset, so a vertex is within ≈1.5 cm of its LoD2 position anywhere.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { enuToEcefMatrix } from '../../../core/geo/ellipsoid';
import { writeTileGlb, type TileBuilding } from '../glb';
import { metresPerDegree } from '../records';
import type { BuildingRecord } from '../towns';
import { blockBuilding, blockOf, largestBlocks, type Block } from './blocks';
import { ancestorOf, cellBounds, cellKey, cellOf, cellSizeDeg, childrenOf, commonAncestor, relativeTo, type Cell } from './cells';
import { centreOf, Spill } from './spill';
import { writeSubtree } from './subtree';

/** Buildings of a leaf: small enough to stream, large enough to keep the request count low. */
export const LEAF_BUILDINGS = 300;
/** Blocks a parent tile keeps: 15,000 triangles, one draw call. */
export const PARENT_BLOCKS = 1500;
/** Cells of the spill: 0.011° (≈0.8 × 1.2 km here), about a quarter of a survey tile of 2 × 2 km. */
export const SPILL_LEVEL = 14;
/** Below the spill level a crowded cell is split in memory, at most this many times (cells of ≈15 m). */
const MAX_LEVELS_BELOW_SPILL = 6;
/**
 * A parent keeps the blocks at least this share of its geometric error in size: where it gives way to its
 * children (16 px of error), what it left out is under 8 px.
 */
const KEEP_PER_ERROR = 0.5;
/** Levels of the quadtree per subtree file. */
export const SUBTREE_LEVELS = 5;
/**
 * Geometric error of a tile, as a share of its cell's width. At Cesium's 16 px and a 1000 px high view a tile
 * refines within ≈55 errors: a 300 m leaf-parent (12 m) at ≈650 m, where a LoD1 block still reads as the house.
 */
const ERROR_PER_WIDTH = 1 / 25;

const DEG = Math.PI / 180;
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

export interface HlodStats {
  /** Buildings written (after duplicates on survey seams were removed). */
  buildings: number;
  duplicates: number;
  tiles: number;
  leaves: number;
  triangles: number;
  bytes: number;
  /** Deepest level below the root. */
  depth: number;
  spillBytes: number;
}

export interface HlodResult {
  readonly stats: HlodStats;
  readonly extent: { west: number; south: number; east: number; north: number; minH: number; maxH: number };
  readonly groundEllipsoidalM: number;
}

/** Ground heights to the decimetre in a histogram: a median of millions of buildings in constant memory. */
class MedianHistogram {
  readonly #bins = new Map<number, number>();
  #n = 0;
  add(v: number): void {
    const k = Math.round(v * 10);
    this.#bins.set(k, (this.#bins.get(k) ?? 0) + 1);
    this.#n++;
  }
  median(): number {
    let seen = 0;
    for (const k of [...this.#bins.keys()].toSorted((a, b) => a - b)) {
      seen += this.#bins.get(k)!;
      if (seen * 2 >= this.#n) return k / 10;
    }
    return 0;
  }
}

export interface HlodWriterOptions {
  /** Where tileset.json, tiles/ and subtrees/ go. */
  readonly dir: string;
  /** Scratch space for the spill (removed when done). */
  readonly spillDir: string;
  /** `asset.extras.sddi` of the tileset, beside the ground height the writer adds. */
  readonly extras: Record<string, unknown>;
  /** A line now and then while tiles are written. */
  readonly progress?: (line: string) => void;
}

/** Feed buildings with `add` as they are read; `finish` writes the tileset. */
export class HlodWriter {
  readonly #o: HlodWriterOptions;
  readonly #spill: Spill;
  readonly #ground = new MedianHistogram();
  readonly #extent = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity, minH: Infinity, maxH: -Infinity };
  readonly #available = new Set<string>();
  #added = 0;

  constructor(o: HlodWriterOptions) {
    this.#o = o;
    this.#spill = new Spill(o.spillDir, SPILL_LEVEL);
  }

  get added(): number { return this.#added; }

  add(r: BuildingRecord): void {
    this.#spill.add(r);
    this.#ground.add(r.groundEllipsoidalM);
    const x = this.#extent;
    x.west = Math.min(x.west, r.west); x.south = Math.min(x.south, r.south); x.east = Math.max(x.east, r.east); x.north = Math.max(x.north, r.north);
    x.minH = Math.min(x.minH, r.minH); x.maxH = Math.max(x.maxH, r.maxH);
    this.#added++;
  }

  /** Write the tileset; `extras` joins `asset.extras.sddi` (what is only known once every file is read). */
  async finish(extras: Record<string, unknown> = {}): Promise<HlodResult> {
    const o = this.#o;
    this.#spill.flush();
    const spillCells = this.#spill.cells();
    const root = commonAncestor(spillCells.map((c) => c.cell));
    if (!root) throw new Error(`${o.dir}: no buildings to write`);
    rmSync(path.join(o.dir, 'tiles'), { recursive: true, force: true });
    rmSync(path.join(o.dir, 'subtrees'), { recursive: true, force: true });
    rmSync(path.join(o.dir, 'tileset.json'), { force: true });
    mkdirSync(o.dir, { recursive: true });

    const x = this.#extent;
    const ground = round(this.#ground.median(), 2);
    const transform = enuToEcefMatrix(round((x.west + x.east) / 2, 7), round((x.south + x.north) / 2, 7), ground).map((v) => round(v, 12));
    const stats: HlodStats = { buildings: 0, duplicates: 0, tiles: 0, leaves: 0, triangles: 0, bytes: 0, depth: 0, spillBytes: this.#spill.bytes };
    // Buildings per cell at every level from the root down to the spill level: which way the descent goes.
    const counts = new Map<string, number>();
    for (const { cell, count } of spillCells) {
      for (let z = root.z; z <= SPILL_LEVEL; z++) {
        const k = cellKey(ancestorOf(cell, z));
        counts.set(k, (counts.get(k) ?? 0) + count);
      }
    }
    const spillUnder = (c: Cell): Cell[] =>
      spillCells.map((s) => s.cell).filter((s) => { const a = ancestorOf(s, c.z); return a.x === c.x && a.y === c.y; })
        .toSorted((a, b) => a.y - b.y || a.x - b.x);
    const latMid = (x.south + x.north) / 2;
    const widthM = (c: Cell): number => cellSizeDeg(c.z) * metresPerDegree(latMid).lon;
    const rootError = Math.max(1, round(widthM(root) * ERROR_PER_WIDTH, 1));
    let lastReport = 0;
    const t0 = performance.now();

    const writeTile = async (c: Cell, buildings: readonly TileBuilding[], leaf: boolean): Promise<void> => {
      const rel = relativeTo(c, root);
      const tile = await writeTileGlb(buildings, transform);
      const uri = path.join(o.dir, 'tiles', String(rel.z), String(rel.x), `${rel.y}.glb`);
      mkdirSync(path.dirname(uri), { recursive: true });
      writeFileSync(uri, tile.glb);
      this.#available.add(cellKey(rel));
      stats.tiles++;
      if (leaf) stats.leaves++;
      stats.triangles += tile.triangles;
      stats.bytes += tile.glb.byteLength;
      stats.depth = Math.max(stats.depth, rel.z);
      const now = performance.now();
      if (o.progress && now - lastReport > 1000) {
        lastReport = now;
        o.progress(`tiled ${stats.buildings} of ${this.#added} buildings (${Math.round(stats.buildings / ((now - t0) / 1000))}/s), ${stats.tiles} tiles`);
      }
    };

    /** A cell whose buildings are in memory: a leaf, or a parent of blocks over its four quarters. */
    const inMemory = async (c: Cell, records: readonly BuildingRecord[]): Promise<Block[]> => {
      if (records.length <= LEAF_BUILDINGS || c.z >= SPILL_LEVEL + MAX_LEVELS_BELOW_SPILL) {
        await writeTile(c, records, true);
        stats.buildings += records.length;
        return largestBlocks(records.map(blockOf), PARENT_BLOCKS);
      }
      const quarters = childrenOf(c).map((q) => ({ q, records: [] as BuildingRecord[] }));
      for (const r of records) {
        const [lon, lat] = centreOf(r);
        const at = cellOf(lon, lat, c.z + 1);
        quarters[(at.x - c.x * 2) + 2 * (at.y - c.y * 2)]!.records.push(r);
      }
      const blocks: Block[] = [];
      for (const { q, records: rs } of quarters) if (rs.length > 0) blocks.push(...await inMemory(q, rs));
      return parent(c, blocks);
    };

    const errorOf = (c: Cell): number => rootError / 2 ** (c.z - root.z);
    const parent = async (c: Cell, childBlocks: readonly Block[]): Promise<Block[]> => {
      const kept = largestBlocks(childBlocks, PARENT_BLOCKS, errorOf(c) * KEEP_PER_ERROR);
      // A parent with nothing large enough still exists (its children do), drawn as its largest building.
      const shown = kept.length > 0 ? kept : largestBlocks(childBlocks, 1);
      await writeTile(c, shown.map(blockBuilding), false);
      return shown;
    };

    /** A cell above the spill level: read from disk once it is small enough, else descend. */
    const onDisk = async (c: Cell): Promise<Block[]> => {
      const n = counts.get(cellKey(c)) ?? 0;
      if (n === 0) return [];
      if (c.z >= SPILL_LEVEL || n <= LEAF_BUILDINGS) {
        const seen = new Set<string>();
        const records: BuildingRecord[] = [];
        for (const s of spillUnder(c)) {
          for (const r of this.#spill.read(s)) {
            if (seen.has(r.props.id)) { stats.duplicates++; continue; }
            seen.add(r.props.id);
            records.push(r);
          }
        }
        return inMemory(c, records);
      }
      const blocks: Block[] = [];
      for (const q of childrenOf(c)) blocks.push(...await onDisk(q));
      return parent(c, blocks);
    };

    await onDisk(root);
    this.#spill.remove();

    // Subtree files, from the root subtree down through every child subtree that exists.
    const has = (c: Cell): boolean => this.#available.has(cellKey(c));
    const queue: Cell[] = [{ z: 0, x: 0, y: 0 }];
    while (queue.length > 0) {
      const s = queue.shift()!;
      const { bytes, childSubtrees } = writeSubtree({ root: s, subtreeLevels: SUBTREE_LEVELS, has });
      const file = path.join(o.dir, 'subtrees', String(s.z), String(s.x), `${s.y}.subtree`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
      stats.bytes += bytes.byteLength;
      queue.push(...childSubtrees);
    }

    const [w, s, e, n] = cellBounds(root);
    const tileset = {
      asset: { version: '1.1', extras: { sddi: { ...o.extras, ...extras, groundEllipsoidalM: ground } } },
      geometricError: rootError * 2,
      root: {
        transform,
        boundingVolume: { region: [w * DEG, s * DEG, e * DEG, n * DEG, Math.floor(x.minH - 1), Math.ceil(x.maxH + 1)].map((v) => round(v, 10)) },
        geometricError: rootError,
        refine: 'REPLACE',
        content: { uri: 'tiles/{level}/{x}/{y}.glb' },
        implicitTiling: {
          subdivisionScheme: 'QUADTREE',
          subtreeLevels: SUBTREE_LEVELS,
          availableLevels: stats.depth + 1,
          subtrees: { uri: 'subtrees/{level}/{x}/{y}.subtree' },
        },
      },
    };
    const json = `${JSON.stringify(tileset, null, 1)}\n`;
    writeFileSync(path.join(o.dir, 'tileset.json'), json);
    stats.bytes += Buffer.byteLength(json);
    return { stats, extent: { ...x }, groundEllipsoidalM: ground };
  }
}
