/**
 * One tiling run of the scale bench in a process of its own, so its peak memory is its own:
 * `node --import tsx bench/scale/child.ts <folder> <out> <hlod|add>` prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { geoidFromJson, type GeoidGridJson } from '../../core/geo/geoid';
import { buildFolderTileset } from '../../pipeline/buildings/folder';

const [folder, out, tiling] = process.argv.slice(2) as [string, string, 'hlod' | 'add'];
const repoRoot = path.resolve(import.meta.dirname, '../..');
const geoid = geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
const t0 = performance.now();
const r = await buildFolderTileset({ folder, outDir: out, geoid, tiling, log: () => {} });
const ms = performance.now() - t0;
console.log(JSON.stringify({
  buildings: r.town.stats.buildings, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024,
  tiles: r.tiles, triangles: r.triangles, bytes: r.bytes, depth: r.hlod?.depth ?? null, spillBytes: r.hlod?.spillBytes ?? 0,
}));
