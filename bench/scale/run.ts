/**
 * `npm run bench -- scale`: the district pipeline at 10 k, 100 k and 1 M buildings (BENCH_SCALE_COPIES, copies of
 * the 1,781 Regensburg-West buildings: 6,57,562 by default), levels of detail (streamed) against the previous
 * ADD-only tiling (all in memory) on the same synthetic set in the same run: throughput and peak memory, each run
 * in a process of its own. The synthetic district lives in the system's temporary folder and is removed after.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseGtx } from '../../core/geo/geoid';
import { loadTerrainModel } from '../../pipeline/terrain/model';
import { machine } from '../lib';
import { readSynthSource, writeSynthDistrict } from './synth';

interface ChildResult { buildings: number; ms: number; maxRssMiB: number; tiles: number; triangles: number; bytes: number; depth: number | null; spillBytes: number }

const repoRoot = path.resolve(import.meta.dirname, '../..');

function runChild(folder: string, out: string, tiling: 'hlod' | 'add'): ChildResult | { failed: string } {
  try {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'child.ts'), folder, out, tiling], {
      cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  } catch (e) {
    const err = e as { status?: number; signal?: string; stderr?: string };
    return { failed: `exit ${err.status ?? err.signal}: ${(err.stderr ?? String(e)).trim().split('\n').filter(Boolean).at(-1)}` };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function benchScale(): Promise<void> {
  const dataDir = path.resolve(process.env['SDDI_DATA_DIR'] ?? path.join(repoRoot, '../shared/data'));
  const src = path.join(dataDir, 'buildings/regensburg_lod2');
  if (!existsSync(src)) throw new Error(`scale bench: needs the Regensburg-West LoD2 tiles at ${src}`);
  const gtx = readFileSync(path.join(dataDir, 'geodesy/egm96_15.gtx'));
  const terrain = await loadTerrainModel(dataDir, parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength), 'EGM96'));
  const source = readSynthSource(src);
  const copies = (process.env['BENCH_SCALE_COPIES'] ?? '6,57,562').split(',').map(Number);
  const work = path.join(os.tmpdir(), 'sddi-scale-bench');
  console.log('\n## scale: a synthetic district (Regensburg-West copied over the real terrain), tiled from CityJSON');
  console.log(`machine: ${machine()}`);
  console.log(`command: npm run bench -- scale (BENCH_SCALE_COPIES=${copies.join(',')})`);
  const rows: { size: number; hlod: ChildResult | { failed: string }; add: ChildResult | { failed: string } }[] = [];
  for (const n of copies) {
    const folder = path.join(work, `synthetic-${n}`);
    writeSynthDistrict(source, folder, n, (lon, lat) => terrain.heightEllipsoidalM(lon, lat));
    const size = n * source.buildingsPerCopy;
    const hlod = runChild(folder, path.join(work, 'out-hlod'), 'hlod');
    const add = runChild(folder, path.join(work, 'out-add'), 'add');
    rmSync(folder, { recursive: true, force: true });
    rows.push({ size, hlod, add });
    const line = (name: string, r: ChildResult | { failed: string }): string => 'failed' in r
      ? `${name}: failed (${r.failed})`
      : `${name}: ${r.buildings} buildings in ${(r.ms / 1000).toFixed(1)} s = ${Math.round(r.buildings / (r.ms / 1000))} buildings/s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, ` +
        `${r.tiles} tiles, ${r.triangles} triangles, ${(r.bytes / 1048576).toFixed(1)} MiB${r.depth !== null ? `, ${r.depth + 1} levels, spill ${(r.spillBytes / 1048576).toFixed(0)} MiB` : ''}`;
    console.log(`${String(size).padStart(8)} buildings  ${line('levels of detail', hlod)}`);
    console.log(`${' '.repeat(19)}  ${line('ADD-only (previous)', add)}`);
  }
  rmSync(work, { recursive: true, force: true });
  const first = rows[0]?.hlod;
  if (!first || 'failed' in first) return;
  const rate = (r: ChildResult): number => r.buildings / (r.ms / 1000);
  console.log('\nratios against the smallest size (goal: throughput ≥ 0.8×, peak memory ≤ 1.5×):');
  for (const r of rows) {
    for (const [name, x] of [['levels of detail', r.hlod], ['ADD-only (previous)', r.add]] as const) {
      if ('failed' in x) { console.log(`${String(r.size).padStart(8)}  ${name}: failed`); continue; }
      const base = name === 'levels of detail' ? first : 'failed' in rows[0]!.add ? null : rows[0]!.add;
      if (!base) continue;
      console.log(`${String(r.size).padStart(8)}  ${name.padEnd(20)} throughput ${(rate(x) / rate(base)).toFixed(2)}×, peak memory ${(x.maxRssMiB / base.maxRssMiB).toFixed(2)}×`);
    }
  }
}
