/**
 * Bench page for the reprojection pool: `window.reprojectBench.run(mode, jobs, pointsPerJob, frameWorkMs)`
 * submits `jobs` toEcef jobs of S-JTSK points with Bpv heights at once and times them until the last one is
 * back, while a requestAnimationFrame loop stands in for the render loop (busy for `frameWorkMs` per frame) and
 * records the frame intervals. The pool is created and warmed up (worker start, geoid init, JIT) before the
 * clock starts and disposed afterwards.
 */
import { coordBuffer } from '../../../core/geo/buffers';
import type { GeoidGridJson } from '../../../core/geo/geoid';
import { createReprojectPool } from '../../../src/services/reproject-pool';
import geoidJson from '../../../tilesets/geodesy/egm96-region.json';
import { sjtskPoints } from '../points';

export type BenchMode = 'inline' | 1 | 2;
export interface BenchRun {
  /** Wall time from submitting the jobs to the last result, ms. */
  readonly ms: number;
  /** 95th percentile and longest interval between animation frames meanwhile, ms (16.7 at 60 Hz). */
  readonly p95FrameMs: number;
  readonly maxFrameMs: number;
  readonly mode: 'inline' | 'worker';
  readonly workers: number;
}

const geoid = geoidJson as GeoidGridJson;


let template: Float64Array | null = null;

async function run(mode: BenchMode, jobs: number, pointsPerJob: number, frameWorkMs: number): Promise<BenchRun> {
  if (!template || template.length !== pointsPerJob * 3) template = sjtskPoints(pointsPerJob, 5514);
  const pool = createReprojectPool({
    mode: mode === 'inline' ? 'inline' : 'worker',
    size: mode === 'inline' ? 1 : mode,
    loadInit: () => Promise.resolve({ geoid }),
  });
  try {
    await pool.ready();
    const stats = pool.stats();
    const slots = stats.mode === 'inline' ? 1 : stats.workers;
    // One small job per slot, so module start-up and JIT are not what is measured.
    await Promise.all(Array.from({ length: slots }, (_, i) => pool.run('toEcef', `warm-up ${i}`, { input: coordBuffer(5514, 'Bpv', template!.slice(0, 60_000)) })));
    const inputs = Array.from({ length: jobs }, () => template!.slice());
    const frames: number[] = [];
    let last = -1;
    let animating = true;
    const frame = (t: number): void => {
      if (last >= 0) frames.push(t - last);
      last = t;
      const until = performance.now() + frameWorkMs;
      while (performance.now() < until) {
        // the render work this frame stands for
      }
      if (animating) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const t0 = performance.now();
    const results = await Promise.all(inputs.map((xyz, i) => pool.run('toEcef', `job ${i}`, { input: coordBuffer(5514, 'Bpv', xyz) })));
    const ms = performance.now() - t0;
    animating = false;
    const failed = results.reduce((n, r) => n + r.failed, 0);
    if (failed > 0) throw new Error(`${failed} points failed`);
    const sorted = frames.toSorted((a, b) => a - b);
    const p95FrameMs = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? ms;
    return { ms, p95FrameMs, maxFrameMs: sorted.at(-1) ?? ms, mode: stats.mode, workers: stats.workers };
  } finally {
    pool.dispose();
  }
}

(window as unknown as { reprojectBench: { run: typeof run } }).reprojectBench = { run };
