/**
 * Coverage in node:
 * (a) A − B difference and classes at 4096² (16.8 M cells; target ≤ 50 ms): `diffAndClasses` (WebAssembly SIMD)
 *     into kept outputs and into fresh ones, its scalar loop, and a naive version (two passes with a callback per
 *     cell: `Float32Array.map`, `Uint8Array.from`); no-data cells in large areas and scattered at random;
 * (b) modelled best-server coverage of 100 masts (30 m, one 65° sector each, 3.5 GHz, RMa, 10 km range) on a
 *     1000 × 1000 grid of 100 m cells over a seeded ridged-fractal terrain, with line of sight and knife-edge loss
 *     for every pair that can matter: the 64 tiles of 125² cells handed to 1 and to 2 node worker threads running
 *     the app's `modelTile` (what the app's coverage pool does with its module workers), wall time for the whole
 *     grid; cells/s, (site, cell) pairs/s and the 2-vs-1 ratio.
 * BENCH_RUNS (default 5 for (a), 3 for (b)) runs of each after one warm-up; 1 and 2 workers alternate.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { valueRange } from '../../core/aggregation/colour';
import { diffAndClasses } from '../../core/coverage/compare';
import { simdDiffKernel } from '../../core/coverage/simd-diff';
import { tilesOfGrid } from '../../core/coverage/model';
import type { GridSpec3035, ModelParams } from '../../core/coverage/types';
import { prng } from '../../core/prng';
import { median, report } from '../lib';
import { syntheticDem, syntheticSites } from './data';
import type { FromWorker, ToWorker } from './worker';

const RUNS_A = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5));
const RUNS_B = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));
const SIDE = 4096;
const THRESHOLD_DBM = -110;

/**
 * Two RSRP grids as a comparison sees them: smooth fields of −140..−60 dBm, no prediction in a few large areas
 * (beyond every mast's reach, outside an imported file), about 10 % of the cells each. `speckled` scatters the
 * no-data cells at random instead: no real grid looks like that, but it is the worst case for branch prediction.
 */
function rsrpGrids(speckled: boolean): { a: Float32Array; b: Float32Array } {
  const n = SIDE * SIDE;
  const rand = prng(42);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = (i % SIDE) / SIDE;
    const y = Math.floor(i / SIDE) / SIDE;
    const noA = speckled ? rand() < 0.1 : Math.hypot(x - 0.2, y - 0.3) < 0.18;
    const noB = speckled ? rand() < 0.1 : Math.hypot(x - 0.8, y - 0.7) < 0.18;
    a[i] = noA ? Number.NaN : -100 + 40 * Math.sin(9 * x) * Math.cos(7 * y) + 4 * (rand() - 0.5);
    b[i] = noB ? Number.NaN : -100 + 40 * Math.cos(8 * x + 1) * Math.sin(6 * y) + 4 * (rand() - 0.5);
  }
  return { a, b };
}

function naiveDiffAndClasses(a: Float32Array, b: Float32Array, t: number): { diffDb: Float32Array; classes: Uint8Array } {
  const diffDb = a.map((v, i) => (Number.isNaN(v) || Number.isNaN(b[i]!) ? Number.NaN : v - b[i]!));
  const classes = Uint8Array.from(a, (v, i) => {
    const w = b[i]!;
    if (Number.isNaN(v) || Number.isNaN(w)) return 255;
    return (v >= t ? 1 : 0) + (w >= t ? 2 : 0);
  });
  return { diffDb, classes };
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function benchCompare(): void {
  if (!simdDiffKernel()) throw new Error('WebAssembly SIMD is not available in this node');
  const rows = new Map<string, number[]>();
  const push = (k: string, v: number): void => void rows.set(k, [...(rows.get(k) ?? []), v]);
  for (const speckled of [false, true]) {
    const { a, b } = rsrpGrids(speckled);
    const diffOut = new Float32Array(a.length);
    const classesOut = new Uint8Array(a.length);
    // Same answer first (NaN-aware), so the rows compare like with like.
    const ours = diffAndClasses(a, b, THRESHOLD_DBM);
    const naive = naiveDiffAndClasses(a, b, THRESHOLD_DBM);
    for (let i = 0; i < a.length; i++) {
      if (ours.classes[i] !== naive.classes[i] || !Object.is(ours.diffDb[i], naive.diffDb[i])) throw new Error(`cell ${i} differs from the naive version`);
    }
    const tag = speckled ? ' speckled' : '';
    for (let run = -1; run < RUNS_A; run++) {
      const simd = time(() => diffAndClasses(a, b, THRESHOLD_DBM, diffOut, classesOut));
      const scalar = time(() => diffAndClasses(a, b, THRESHOLD_DBM, diffOut, classesOut, false));
      const fresh = speckled ? 0 : time(() => diffAndClasses(a, b, THRESHOLD_DBM));
      const slow = speckled ? 0 : time(() => naiveDiffAndClasses(a, b, THRESHOLD_DBM));
      if (run < 0) continue;
      push(`simd${tag}`, simd);
      push(`scalar${tag}`, scalar);
      if (!speckled) {
        push('fresh', fresh);
        push('naive', slow);
      }
    }
  }
  const get = (k: string): number[] => rows.get(k) ?? [];
  report(`(a) A − B and classes at ${SIDE}² = ${(SIDE * SIDE).toLocaleString('en')} cells, ~10 % no data in each (ms, lower is better; target ≤ 50 ms)`, [
    { name: 'WebAssembly SIMD, kept outputs', unit: 'ms', runs: get('simd') },
    { name: 'WebAssembly SIMD, new outputs', unit: 'ms', runs: get('fresh') },
    { name: 'scalar loop, kept outputs', unit: 'ms', runs: get('scalar') },
    { name: 'naive: map + from, callbacks', unit: 'ms', runs: get('naive') },
    { name: 'SIMD, no data speckled', unit: 'ms', runs: get('simd speckled') },
    { name: 'scalar, no data speckled', unit: 'ms', runs: get('scalar speckled') },
  ], 'WebAssembly SIMD, kept outputs');
  console.log(
    'no data in large areas as real grids have them; "speckled" scatters it at random (the worst case for the scalar ' +
      'loop\'s branches). "new outputs" includes allocating 84 MB of results; the pool answer always has new ones.',
  );
}

const GRID: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 3_000_000, cellM: 100, width: 1000, height: 1000 };
const SITES = 100;
const TILE = 125;
const PARAMS: ModelParams = { model: 'tr38901-rma' };

interface ModelRun {
  readonly ms: number;
  readonly pairs: number;
  readonly profiles: number;
  readonly noValue: number;
}

/**
 * The worker is TypeScript like this process, but a worker thread does not inherit tsx's module hooks (passing
 * `--import tsx` in its execArgv is not enough on Node 20): a two-line bootstrap registers them, then loads it.
 */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); });`;

async function startWorkers(n: number, setup: ToWorker): Promise<Worker[]> {
  const workers = Array.from({ length: n }, () => new Worker(WORKER_BOOT, { eval: true }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
          // The DEM is copied to each worker (no transfer), as the app pool's `init` does.
          w.postMessage(setup, []);
        }),
    ),
  );
  return workers;
}

/** Every tile of the grid through the workers, each taking the next tile as it finishes one. */
function modelGrid(workers: readonly Worker[]): Promise<ModelRun> {
  const tiles = tilesOfGrid(GRID, TILE);
  const out = new Float32Array(GRID.width * GRID.height);
  let next = 0;
  let done = 0;
  let pairs = 0;
  let profiles = 0;
  const feed = (w: Worker): void => {
    if (next < tiles.length) {
      const id = next++;
      w.postMessage({ kind: 'tile', id, tile: tiles[id]! } satisfies ToWorker, []);
    }
  };
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    for (const w of workers) {
      w.removeAllListeners('message');
      w.on('error', reject);
      w.on('message', (r: FromWorker) => {
        pairs += r.pairs;
        profiles += r.profiles;
        for (let row = 0; row < r.tile.height; row++) out.set(r.rsrpDbm.subarray(row * r.tile.width, (row + 1) * r.tile.width), (r.tile.row0 + row) * GRID.width + r.tile.col0);
        if (++done === tiles.length) {
          const ms = performance.now() - t0;
          let noValue = 0;
          for (const v of out) if (Number.isNaN(v)) noValue++;
          resolve({ ms, pairs, profiles, noValue });
        } else feed(w);
      });
      feed(w);
    }
  });
}

async function benchModel(): Promise<void> {
  const dem = syntheticDem(GRID);
  const sites = syntheticSites(GRID, SITES);
  const setup: ToWorker = { kind: 'setup', dem, grid: GRID, sites, params: PARAMS };
  const one = await startWorkers(1, setup);
  const two = await startWorkers(2, setup);
  const runs = new Map<1 | 2, ModelRun[]>([[1, []], [2, []]]);
  try {
    for (let run = -1; run < RUNS_B; run++) {
      for (const [n, ws] of [[1, one], [2, two]] as const) {
        const r = await modelGrid(ws);
        if (run >= 0) runs.get(n)!.push(r);
      }
    }
  } finally {
    for (const w of [...one, ...two]) await w.terminate();
  }
  const cellsN = GRID.width * GRID.height;
  const heightRange = valueRange(dem.heightM);
  const r1 = runs.get(1)!;
  const r2 = runs.get(2)!;
  const first = r1[0]!;
  console.log(
    `\nnode worker_threads (${availableParallelism()} logical cores), ${SITES} masts on ${GRID.width}×${GRID.height} cells of ${GRID.cellM} m, ` +
      `tiles of ${TILE}², terrain ${heightRange.map(Math.round).join('–')} m; ` +
      `${first.pairs.toLocaleString('en')} (site, cell) pairs within range, ${first.profiles.toLocaleString('en')} terrain profiles traced ` +
      `(${((100 * first.profiles) / first.pairs).toFixed(0)} %), ${first.noValue.toLocaleString('en')} cells out of every mast's reach`,
  );
  report('(b) modelled coverage, whole grid, wall time (ms, lower is better)', [
    { name: '1 worker', unit: 'ms', runs: r1.map((r) => r.ms) },
    { name: '2 workers', unit: 'ms', runs: r2.map((r) => r.ms) },
  ], '1 worker');
  report('(b) modelled coverage, cells per second (higher is better)', [
    { name: '1 worker', unit: 'k cells/s', runs: r1.map((r) => cellsN / r.ms) },
    { name: '2 workers', unit: 'k cells/s', runs: r2.map((r) => cellsN / r.ms) },
  ], '1 worker');
  report('(b) modelled coverage, (site, cell) pairs per second (higher is better)', [
    { name: '1 worker', unit: 'k pairs/s', runs: r1.map((r) => r.pairs / r.ms) },
    { name: '2 workers', unit: 'k pairs/s', runs: r2.map((r) => r.pairs / r.ms) },
  ], '1 worker');
  console.log(`2 workers vs 1 (wall time, medians): ${(median(r1.map((r) => r.ms)) / median(r2.map((r) => r.ms))).toFixed(2)}× faster`);
}

export async function benchCoverage(): Promise<void> {
  benchCompare();
  await benchModel();
}
