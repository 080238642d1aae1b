/**
 * Time to the first rendered frame and to a settled scene: the twin (the default workspace: Explore) against a bare Cesium
 * globe with the same imagery and render settings, alternating in one Chromium, lite render settings.
 */
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { launchChromium } from '../../tools/chromium';
import { report } from '../lib';

const root = path.resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

export async function benchFirstFrame(): Promise<void> {
  await build({ root, logLevel: 'warn' });
  await build({ configFile: path.join(import.meta.dirname, 'vite.config.ts'), logLevel: 'warn' });
  const servers: PreviewServer[] = [
    await preview({ root, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } }),
    await preview({ root, logLevel: 'warn', build: { outDir: path.resolve(import.meta.dirname, '../.out/bare') }, preview: { port: 0, host: '127.0.0.1' } }),
  ];
  const [twinUrl, bareUrl] = servers.map((s) => s.resolvedUrls!.local[0]!);
  const browser = await launchChromium();
  const rows = { twinFirst: [] as number[], bareFirst: [] as number[], twinIdle: [] as number[], bareIdle: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [url, first, idle] of [[bareUrl!, rows.bareFirst, rows.bareIdle], [twinUrl!, rows.twinFirst, rows.twinIdle]] as const) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await ctx.newPage();
        await page.goto(`${url}#render=lite`);
        await page.waitForFunction(() => 'sddiTwin' in window, undefined, { timeout: 120_000 });
        const t = await page.evaluate(async () => {
          const api = (window as unknown as { sddiTwin: { firstFrameMs: number | null; whenIdle(t: number): Promise<void> } }).sddiTwin;
          await api.whenIdle(180_000);
          return { first: api.firstFrameMs ?? Number.NaN, idle: performance.now() };
        });
        first.push(t.first);
        idle.push(t.idle);
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    for (const s of servers) await s.close();
  }
  report('first frame (ms since navigation)', [
    { name: 'bare Cesium globe', unit: 'ms', runs: rows.bareFirst },
    { name: 'twin (Explore, the default workspace)', unit: 'ms', runs: rows.twinFirst },
  ], 'bare Cesium globe');
  report('settled scene, all tiles loaded (ms since navigation)', [
    { name: 'bare Cesium globe', unit: 'ms', runs: rows.bareIdle },
    { name: 'twin (Explore, the default workspace)', unit: 'ms', runs: rows.twinIdle },
  ], 'bare Cesium globe');
}
