/**
 * Heatmap aggregation in headless Chromium, everything in one page session so the rows are comparable:
 * (a) 1,000,000 readings → one 512² mean frame: through the app's aggregation pool from the page (round trip:
 *     readings in by transfer, values + colours, or the lon/lat frame, and the readings back), and inside a
 *     worker: `aggregate()` against a naive binning (an object per reading, a Map of cells) and against turf
 *     (`collect` of GeoJSON points into the cell polygons; on the 128² corner of the grid and the readings in it,
 *     scaled ×16, since the full frame takes turf seconds a run);
 * (b) a 24-step scrub (one step per hour) over 10,000,000 readings in random time order: bucketing by time first
 *     (`aggregateSeries`, whole and in its two parts), against gathering each step through `bucketByTime`'s
 *     index order, and against scanning all readings for every step;
 * (c) kde at 512² (σ = 2.5 km, 5 cells): the 3-pass box blurs (on the half-resolution level, as from σ = 4 cells)
 *     against an exact separable Gaussian; and at σ = 2 cells, where the boxes run on the full grid.
 * (d, e) the ČHMÚ climate record's frames and a 708-month scrub, in node (see climate.ts).
 * BENCH_RUNS (default 5) runs of each, after one warm-up.
 */
import path from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from '../../tools/chromium';
import { median, report } from '../lib';
import { benchClimate } from './climate';
import type { HeatmapBench } from './page/main';

const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5));
const FRAME_READINGS = 1_000_000;
const SCRUB_READINGS = 10_000_000;

type Name = keyof HeatmapBench;

export async function benchHeatmap(): Promise<void> {
  const configFile = path.join(import.meta.dirname, 'vite.config.ts');
  await build({ configFile, logLevel: 'warn' });
  const server = await preview({ configFile, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await launchChromium();
  const ms = new Map<string, number[]>();
  const push = (k: string, v: number): void => void ms.set(k, [...(ms.get(k) ?? []), v]);
  let turfInfo = { readings: 0, scale: 1, maxDiff: 0 };
  let setup = { mode: '', cores: 0 };
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'heatmapBench' in window, undefined, { timeout: 60_000 });
    const call = <R>(name: Name): Promise<R> =>
      page.evaluate((n) => (window as unknown as { heatmapBench: Record<string, () => Promise<unknown>> }).heatmapBench[n]!(), name) as Promise<R>;
    setup = await page.evaluate(
      ([a, b]) => (window as unknown as { heatmapBench: HeatmapBench }).heatmapBench.setup(a, b),
      [FRAME_READINGS, SCRUB_READINGS] as const,
    );
    if (setup.mode !== 'worker') throw new Error(`the aggregation pool runs ${setup.mode}, not in a worker`);
    for (let run = -1; run < RUNS; run++) {
      const keep = run >= 0; // run -1 warms up (module start, JIT) and is not counted
      const rec = (k: string, v: number): void => {
        if (keep) push(k, v);
      };
      rec('poolAggregate', await call<number>('poolAggregate'));
      rec('poolFrame', await call<number>('poolFrame'));
      rec('ours', await call<number>('ours'));
      const op = await call<{ bin: number; finish: number }>('oursParts');
      rec('oursBin', op.bin);
      rec('oursFinish', op.finish);
      rec('naive', await call<number>('naive'));
      const t = await call<{ ms: number; readings: number; scale: number; maxDiff: number }>('turf');
      turfInfo = t;
      rec('turf', t.ms * t.scale);
      rec('scrubBucketed', await call<number>('scrubBucketed'));
      const parts = await call<{ bucket: number; steps: number }>('scrubParts');
      rec('scrubBucket', parts.bucket);
      rec('scrubSteps', parts.steps);
      rec('scrubByIndex', await call<number>('scrubByIndex'));
      rec('scrubScan', await call<number>('scrubScan'));
      const k = await call<{ box: number; boxFull: number; exact: number }>('kde');
      rec('kdeBox', k.box);
      rec('kdeBoxFull', k.boxFull);
      rec('kdeExact', k.exact);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const get = (k: string): number[] => ms.get(k) ?? [];
  const rate = (k: string): number[] => get(k).map((t) => SCRUB_READINGS / t / 1000); // million readings per second
  console.log(`\nheadless Chromium, ${setup.cores} logical cores; the page, its aggregation worker and the bench worker share them`);
  report(`(a) ${FRAME_READINGS.toLocaleString('en')} readings → one 512² mean frame (ms, lower is better; target ≤ 12 ms in a worker)`, [
    { name: 'pool round trip: aggregate', unit: 'ms', runs: get('poolAggregate') },
    { name: 'pool round trip: frame (+ lon/lat)', unit: 'ms', runs: get('poolFrame') },
    { name: 'in worker: aggregate()', unit: 'ms', runs: get('ours') },
    { name: 'in worker: naive (objects, Map)', unit: 'ms', runs: get('naive') },
    { name: `in worker: turf collect ×${turfInfo.scale}`, unit: 'ms', runs: get('turf') },
  ], 'pool round trip: aggregate');
  console.log(
    `aggregate() in parts (median ms): binning ${median(get('oursBin')).toFixed(1)} (a million readings into 2 MB of cell sums, in random order), ` +
      `means, colours and range ${median(get('oursFinish')).toFixed(1)}`,
  );
  console.log(
    `turf: timed on the 128² corner cells with the ${turfInfo.readings.toLocaleString('en')} readings in them, then ×${turfInfo.scale} ` +
      `rather than run on the whole frame (seconds a run, and 262,144 polygon features); the cell polygons are built once outside the timing; ` +
      `largest difference from aggregate()'s means on those cells: ${turfInfo.maxDiff.toExponential(1)}`,
  );
  report(`(b) 24-step scrub over ${SCRUB_READINGS.toLocaleString('en')} readings in random time order (million readings/s, higher is better; target ≥ 40)`, [
    { name: 'bucket by time first (series)', unit: 'M/s', runs: rate('scrubBucketed') },
    { name: '  the 24 steps once bucketed', unit: 'M/s', runs: rate('scrubSteps') },
    { name: 'bucketByTime order, gather per step', unit: 'M/s', runs: rate('scrubByIndex') },
    { name: 'scan all readings per step', unit: 'M/s', runs: rate('scrubScan') },
  ], 'bucket by time first (series)');
  console.log(
    `bucket by time first, in parts (median ms): bucketing ${median(get('scrubBucket')).toFixed(0)} (stepCells, two passes over the readings), ` +
      `24 steps ${median(get('scrubSteps')).toFixed(0)} (binning and means); the series reuses its 100 MB of per-reading buffers from the run before`,
  );
  report('(c) kde at 512² from binned sums, σ 2.5 km = 5 cells unless noted (ms, lower is better; target ≤ 5 ms)', [
    { name: 'box blur on the ½ level (σ ≥ 4)', unit: 'ms', runs: get('kdeBox') },
    { name: 'box blur at 512² (σ 1 km = 2 cells)', unit: 'ms', runs: get('kdeBoxFull') },
    { name: 'exact separable Gaussian (3σ)', unit: 'ms', runs: get('kdeExact') },
  ], 'box blur on the ½ level (σ ≥ 4)');
  benchClimate(RUNS);
}
