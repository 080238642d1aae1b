/**
 * Reprojection throughput, 1,000,000 S-JTSK points (EPSG:5514, Bpv heights, the regional EGM96 grid) -> ECEF:
 * - node: `toEcef`'s generic path (proj4 to WGS84 lon/lat, then geodetic -> ECEF) against its Helmert fast path,
 *   pure compute (no yielding between chunks), alternating;
 * - headless Chromium: the reprojection pool inline (in the page) against 1 and 2 module workers, the same
 *   points as 4 jobs of 250,000 submitted at once, with the page idle and with a stand-in render loop that
 *   keeps the main thread busy 8 ms per frame; throughput and the 95th-percentile frame interval. This part
 *   is what `defaultPoolSize` in src/services/pool.ts rests on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from '../../tools/chromium';
import { coordBuffer } from '../../core/geo/buffers';
import { geoidFromJson, type GeoidGridJson } from '../../core/geo/geoid';
import { toEcef } from '../../core/reproject/reproject';
import { report } from '../lib';
import type { BenchMode, BenchRun } from './page/main';
import { sjtskPoints } from './points';

const root = path.resolve(import.meta.dirname, '../..');
const RUNS = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
const POINTS = 1_000_000;
const JOBS = 4;


async function benchPaths(): Promise<void> {
  const geoid = geoidFromJson(JSON.parse(readFileSync(path.join(root, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
  const xyz = sjtskPoints(POINTS);
  const noYield = { yieldBetweenChunks: () => Promise.resolve() };
  const once = async (p: 'generic' | 'auto'): Promise<number> => {
    const t0 = performance.now();
    const r = await toEcef(coordBuffer(5514, 'Bpv', xyz), geoid, { ...noYield, path: p });
    const ms = performance.now() - t0;
    if (r.failed > 0) throw new Error(`${r.failed} points failed`);
    return POINTS / ms; // thousand points per second
  };
  await once('generic');
  await once('auto');
  const generic: number[] = [];
  const fast: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    generic.push(await once('generic'));
    fast.push(await once('auto'));
  }
  report(`toEcef in node, ${POINTS.toLocaleString('en')} EPSG:5514 points (thousand points/s, higher is better)`, [
    { name: 'generic path (proj4 via WGS84)', unit: 'k pt/s', runs: generic },
    { name: 'Helmert fast path', unit: 'k pt/s', runs: fast },
  ], 'generic path (proj4 via WGS84)');
}

/** Main-thread work per animation frame in the loaded runs: about what Cesium's frame costs with lite settings. */
const FRAME_WORK_MS = 8;

const name = (c: { mode: BenchMode; frameWorkMs: number }): string =>
  `${c.mode === 'inline' ? 'inline' : `${c.mode} worker${c.mode === 1 ? '' : 's'}`}, ${c.frameWorkMs ? `${c.frameWorkMs} ms/frame` : 'idle page'}`;

async function benchPool(): Promise<void> {
  const configFile = path.join(import.meta.dirname, 'vite.config.ts');
  await build({ configFile, logLevel: 'warn' });
  const server = await preview({ configFile, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await launchChromium();
  const cases = (['inline', 1, 2] as const).flatMap((mode) => [0, FRAME_WORK_MS].map((frameWorkMs) => ({ mode, frameWorkMs })));
  const rate = new Map<string, number[]>(cases.map((c) => [name(c), []]));
  const frames = new Map<string, number[]>(cases.map((c) => [name(c), []]));
  let cores = 0;
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'reprojectBench' in window, undefined, { timeout: 60_000 });
    cores = await page.evaluate(() => navigator.hardwareConcurrency);
    for (let i = 0; i < RUNS; i++) {
      for (const c of cases) {
        const r = await page.evaluate(
          ([m, jobs, per, work]) =>
            (window as unknown as { reprojectBench: { run(m: BenchMode, j: number, p: number, w: number): Promise<BenchRun> } }).reprojectBench.run(m, jobs, per, work),
          [c.mode, JOBS, POINTS / JOBS, c.frameWorkMs] as const,
        );
        if ((c.mode === 'inline') !== (r.mode === 'inline') || (c.mode !== 'inline' && r.workers !== c.mode)) {
          throw new Error(`pool ran as ${r.mode} with ${r.workers} workers, asked for ${c.mode}`);
        }
        rate.get(name(c))!.push(POINTS / r.ms);
        frames.get(name(c))!.push(r.p95FrameMs);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const base = name({ mode: 'inline', frameWorkMs: 0 });
  report(`reprojection pool in headless Chromium (${cores} logical cores), ${JOBS} toEcef jobs x ${(POINTS / JOBS).toLocaleString('en')} EPSG:5514 points (thousand points/s, higher is better)`,
    cases.map((c) => ({ name: name(c), unit: 'k pt/s', runs: rate.get(name(c))! })), base);
  report('95th-percentile animation frame interval while those jobs run (ms, 16.7 is 60 Hz; lower is better)',
    cases.map((c) => ({ name: name(c), unit: 'ms', runs: frames.get(name(c))! })), base);
}

export async function benchReproject(): Promise<void> {
  await benchPaths();
  await benchPool();
}
