/**
 * The district writer on 2,600 box buildings: every building exactly once among the leaves, parents bounded,
 * the subtree files read back by CesiumJS's own implicit-tiling decoder, the same bytes on a second run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTileGlb } from '../../../../../pipeline/buildings/glb';
import { LEAF_BUILDINGS, PARENT_BLOCKS, SUBTREE_LEVELS, HlodWriter, type HlodResult } from '../../../../../pipeline/buildings/hlod/writer';
import type { BuildingRecord } from '../../../../../pipeline/buildings/towns';
import { boxRecord } from './fixtures';
import { availableTiles } from './implicit-tiles';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hlod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A town of 2,500 houses 25 m apart, a dense block of 100 in one corner, and every tenth house delivered twice. */
function* town(): Generator<BuildingRecord> {
  for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) {
    const r = boxRecord(`H${i}_${j}`, 12.1 + i * 0.00034, 49.0 + j * 0.000225, 10 + (i % 7), 8 + (j % 5), 6 + ((i * j) % 11));
    yield r;
    if ((i * 50 + j) % 10 === 0) yield r;
  }
  for (let k = 0; k < 100; k++) yield boxRecord(`D${k}`, 12.1 + (k % 10) * 0.00005, 49.0 + Math.floor(k / 10) * 0.00004, 3, 3, 4);
}

async function build(out: string): Promise<HlodResult> {
  const w = new HlodWriter({ dir: out, spillDir: path.join(out, '.spill'), extras: { title: 'test' } });
  for (const r of town()) w.add(r);
  return w.finish({ sourceCrs: 'EPSG:25832' });
}

const key = (f: string): string => f.replace(/\.glb$/, '');
const digest = (root: string): string => {
  const h = createHash('sha256');
  for (const f of [...files(root, '.glb'), ...files(root, '.subtree'), 'tileset.json']) h.update(f).update(readFileSync(path.join(root, f)));
  return h.digest('hex');
};
const files = (root: string, ext: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).map((f) => f.split(path.sep).join('/')).toSorted();

interface Tileset { root: { implicitTiling: { subtreeLevels: number; availableLevels: number }; refine: string; content: { uri: string } }; asset: { extras: { sddi: Record<string, unknown> } } }

describe('the district writer (HLOD, implicit quadtree)', () => {
  let result: HlodResult;
  const out = path.join(dir, 'a');
  beforeAll(async () => { result = await build(out); }, 60_000);

  it('writes each building once among the leaves, with all its triangles, and drops the seam duplicates', async () => {
    expect(result.stats).toMatchObject({ buildings: 2600, duplicates: 250 });
    const tiles = files(path.join(out, 'tiles'), '.glb');
    const tileSet = new Set(tiles.map(key));
    const isLeaf = (f: string): boolean => {
      const [z, x, y] = key(f).split('/').map(Number) as [number, number, number];
      return ![0, 1, 2, 3].some((i) => tileSet.has(`${z + 1}/${x * 2 + (i & 1)}/${y * 2 + (i >> 1)}`));
    };
    const ids: string[] = [];
    let leafTriangles = 0;
    for (const f of tiles) {
      const t = await readTileGlb(new Uint8Array(readFileSync(path.join(out, 'tiles', f))));
      const triangles = t.featureIds.length / 2; // 4 vertices and 2 triangles per face, in either kind of tile
      if (isLeaf(f)) {
        expect(t.properties.length).toBeLessThanOrEqual(LEAF_BUILDINGS);
        ids.push(...t.properties.map((p) => p.id));
        leafTriangles += triangles;
      } else {
        // A parent: blocks of five faces, ten triangles each, never more than PARENT_BLOCKS of them.
        expect(t.properties.length).toBeLessThanOrEqual(PARENT_BLOCKS);
        expect(triangles).toBe(t.properties.length * 10);
      }
    }
    expect(ids).toHaveLength(2600);
    expect(new Set(ids).size).toBe(2600);
    expect(leafTriangles).toBe(2600 * 10);
    expect(result.stats.leaves).toBe(tiles.filter(isLeaf).length);
  });

  it('describes the tiles on disk exactly in its subtree files, as CesiumJS reads them', async () => {
    const tileset = JSON.parse(readFileSync(path.join(out, 'tileset.json'), 'utf8')) as Tileset;
    expect(tileset.root).toMatchObject({ refine: 'REPLACE', content: { uri: 'tiles/{level}/{x}/{y}.glb' } });
    expect(tileset.asset.extras.sddi).toMatchObject({ title: 'test', sourceCrs: 'EPSG:25832' });
    const onDisk = files(path.join(out, 'tiles'), '.glb').map(key);
    const { tiles, problems } = await availableTiles(out);
    expect(problems).toEqual([]);
    expect([...tiles].toSorted()).toEqual(onDisk.toSorted());
    expect(tileset.root.implicitTiling.availableLevels).toBe(Math.max(...onDisk.map((k) => Number(k.split('/')[0]))) + 1);
    expect(tileset.root.implicitTiling.subtreeLevels).toBe(SUBTREE_LEVELS);
  });

  it('writes GLBs the Khronos validator passes', async () => {
    for (const f of files(path.join(out, 'tiles'), '.glb')) {
      const report = await validateBytes(new Uint8Array(readFileSync(path.join(out, 'tiles', f))));
      expect(report.issues, f).toMatchObject({ numErrors: 0, numWarnings: 0 });
    }
  });

  it('removes its spill and gives the same bytes on a second run', async () => {
    expect(existsSync(path.join(out, '.spill'))).toBe(false);
    const again = path.join(dir, 'b');
    await build(again);
    expect(digest(again)).toBe(digest(out));
  }, 60_000);
});
