/**
 * One tiling run of the scale bench in a process of its own, so its peak memory is its own:
 * `node --import tsx bench/scale/child.ts <folder> <out> <hlod|add>` prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { geoidFromJson, type GeoidGridJson } from '../../core/geo/geoid';
import { buildFolderTileset } from '../../pipeline/buildings/folder';

/**
 * This process's peak resident memory: VmHWM, which starts afresh at exec. Not `resourceUsage().maxRSS`: Linux
 * carries ru_maxrss over fork and exec, so a child of a big parent reports the parent's peak.
 */
function peakRssMiB(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : process.resourceUsage().maxRSS / 1024;
}

const [folder, out, tiling] = process.argv.slice(2) as [string, string, 'hlod' | 'add'];
const repoRoot = path.resolve(import.meta.dirname, '../..');
const geoid = geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
const t0 = performance.now();
const r = await buildFolderTileset({ folder, outDir: out, geoid, tiling, log: () => {} });
const ms = performance.now() - t0;
console.log(JSON.stringify({
  buildings: r.town.stats.buildings, ms, maxRssMiB: peakRssMiB(),
  tiles: r.tiles, triangles: r.triangles, bytes: r.bytes, depth: r.hlod?.depth ?? null, spillBytes: r.hlod?.spillBytes ?? 0,
}));
