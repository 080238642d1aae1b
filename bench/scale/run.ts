/**
 * `npm run bench -- scale`: the district pipeline at 10 k, 100 k and 1 M buildings (BENCH_SCALE_COPIES, copies of
 * the 1,781 Regensburg-West buildings: 6,57,562 by default), levels of detail (streamed) against the previous
 * ADD-only tiling (all in memory) on the same synthetic set in the same run: throughput and peak memory, each run
 * in a process of its own. The synthetic district lives in the system's temporary folder and is removed after.
 * BENCH_SCALE_TILINGS=hlod leaves the baseline out; BENCH_SCALE_FRAMES=0 the frame-time half.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseGtx } from '../../core/geo/geoid';
import { loadTerrainModel } from '../../pipeline/terrain/model';
import { machine, median } from '../lib';
import { converter } from '../../core/geo/crs';
import { buildFramePage, measureFrames, type FrameResult } from './frames';
import { readSynthSource, writeSynthDistrict } from './synth';

interface ChildResult { buildings: number; ms: number; maxRssMiB: number; tiles: number; triangles: number; bytes: number; depth: number | null; spillBytes: number }

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** One tiling run; its output stays in `out` for the frame-time half (`keep`) or is removed. */
function runChild(folder: string, out: string, tiling: 'hlod' | 'add', keep: boolean): ChildResult | { failed: string } {
  try {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'child.ts'), folder, out, tiling], {
      cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  } catch (e) {
    const err = e as { status?: number; signal?: string; stderr?: string };
    return { failed: `exit ${err.status ?? err.signal}: ${(err.stderr ?? String(e)).trim().split('\n').filter(Boolean).at(-1)}` };
  } finally {
    if (!keep) rmSync(out, { recursive: true, force: true });
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
  // The frame-time half flies from the south-west corner of the original tiles, present at every size.
  const frames = process.env['BENCH_SCALE_FRAMES'] !== '0';
  const tilings = (process.env['BENCH_SCALE_TILINGS'] ?? 'hlod,add').split(',');
  const pageDir = frames ? await buildFramePage() : null;
  const tiles = path.join(work, 'tiles');
  const start = converter(25832, 4326).forward([720300, 5432300]) as [number, number];
  const startGround = terrain.heightEllipsoidalM(start[0], start[1]) ?? 400;
  const frameRows: { size: number; name: 'hlod' | 'add'; f: FrameResult | { error: string } }[] = [];
  for (const n of copies) {
    const folder = path.join(work, `synthetic-${n}`);
    writeSynthDistrict(source, folder, n, (lon, lat) => terrain.heightEllipsoidalM(lon, lat));
    const size = n * source.buildingsPerCopy;
    const hlod = runChild(folder, path.join(tiles, 'hlod'), 'hlod', frames);
    const add = tilings.includes('add') ? runChild(folder, path.join(tiles, 'add'), 'add', frames) : { failed: 'not run (BENCH_SCALE_TILINGS)' };
    rmSync(folder, { recursive: true, force: true });
    rows.push({ size, hlod, add });
    if (frames) {
      for (const name of (['hlod', 'add'] as const).filter((t) => tilings.includes(t))) {
        const f = existsSync(path.join(tiles, name, 'tileset.json')) ? await measureFrames(pageDir!, tiles, name, start[0], start[1], startGround) : { error: 'no tileset' };
        frameRows.push({ size, name, f });
        console.log(`${' '.repeat(19)}  ${frameLine(name === 'hlod' ? 'levels of detail' : 'ADD-only (previous)', f)}`);
      }
      rmSync(tiles, { recursive: true, force: true });
    }
    const line = (name: string, r: ChildResult | { failed: string }): string => 'failed' in r
      ? `${name}: failed (${r.failed})`
      : `${name}: ${r.buildings} buildings in ${(r.ms / 1000).toFixed(1)} s = ${Math.round(r.buildings / (r.ms / 1000))} buildings/s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, ` +
        `${r.tiles} tiles, ${r.triangles} triangles, ${(r.bytes / 1048576).toFixed(1)} MiB${r.depth !== null ? `, ${r.depth + 1} levels, spill ${(r.spillBytes / 1048576).toFixed(0)} MiB` : ''}`;
    console.log(`${String(size).padStart(8)} buildings  ${line('levels of detail', hlod)}`);
    console.log(`${' '.repeat(19)}  ${line('ADD-only (previous)', add)}`);
  }
  rmSync(work, { recursive: true, force: true });
  reportFrames(frameRows);
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

const p95 = (xs: readonly number[]): number => xs.toSorted((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

function frameLine(name: string, f: FrameResult | { error: string }): string {
  if ('error' in f) return `${name}: frames failed (${f.error})`;
  return `${name}: first view loaded in ${Number.isNaN(f.firstViewMs) ? 'more than 300 s (cut short)' : `${(f.firstViewMs / 1000).toFixed(1)} s`}; ${f.times.length} frames, frame time median ${median(f.times).toFixed(0)} ms, ` +
    `p95 ${p95(f.times).toFixed(0)} ms; at most ${f.maxMemoryMiB.toFixed(0)} MiB of tile memory, ${f.maxTriangles} triangles, ${f.maxCommands} draw calls`;
}

/** Each size's frame figures against the smallest size's, per tiling (goal for levels of detail: ≤ 2× at 1 M). */
function reportFrames(rows: readonly { size: number; name: 'hlod' | 'add'; f: FrameResult | { error: string } }[]): void {
  if (rows.length === 0) return;
  console.log('\nframe time and memory along the fixed flight, against the smallest size (goal: ≤ 2× for levels of detail):');
  for (const name of ['hlod', 'add'] as const) {
    const mine = rows.filter((r) => r.name === name);
    const base = mine[0]?.f;
    if (!base || 'error' in base) continue;
    for (const r of mine) {
      if ('error' in r.f) { console.log(`${String(r.size).padStart(8)}  ${name}: failed`); continue; }
      console.log(`${String(r.size).padStart(8)}  ${(name === 'hlod' ? 'levels of detail' : 'ADD-only (previous)').padEnd(20)} ` +
        `median ${(median(r.f.times) / median(base.times)).toFixed(2)}×, p95 ${(p95(r.f.times) / p95(base.times)).toFixed(2)}×, ` +
        `memory ${(r.f.maxMemoryMiB / base.maxMemoryMiB).toFixed(2)}×, triangles ${(r.f.maxTriangles / base.maxTriangles).toFixed(2)}×, first view ${(r.f.firstViewMs / base.firstViewMs).toFixed(2)}×`);
    }
  }
}
