/**
 * Live ingest over MQTT into the page: the local sensor service (mounted into the preview server, as `npm start`
 * serves it) publishes bursts of SensorThings Observations at a set rate on the real broker (aedes, WebSocket, QoS
 * 1); the twin's sensors worker takes them into its store while the page draws heatmap frames. Measured: the rate
 * the page's store took them in, and main-thread tasks over 50 ms meanwhile (target: none, at ≥ 10,000/s).
 * Production build in headless Chromium, lite render settings.
 */
import path from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from '../../tools/chromium';
import { mountedSensorServices } from '../../services/sensors/vite-plugin';
import { report } from '../lib';

const root = path.resolve(import.meta.dirname, '../..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const MESSAGES = Number(process.env['BENCH_INGEST_MESSAGES'] ?? 50_000);
/** QoS of the published messages (BENCH_INGEST_QOS=0 to compare: no PUBACK round trip per message). */
const QOS = process.env['BENCH_INGEST_QOS'] === '0' ? 0 : 1;
const RATES = (process.env['BENCH_INGEST_RATES'] ?? '10000,20000').split(',').map(Number);

type Twin = { store: { getState(): { layers: Record<string, { sensors?: { readings: number; connection: string; progress: number } }> } } };

export async function benchIngest(): Promise<void> {
  await build({ root, logLevel: 'warn' });
  const server = await preview({ root, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls!.local[0]!;
  const service = mountedSensorServices()[0]!;
  const browser = await launchChromium();
  const taken = new Map<number, number[]>(RATES.map((r) => [r, []]));
  const longTasks = new Map<number, number[]>(RATES.map((r) => [r, []]));
  const published = new Map<number, number[]>(RATES.map((r) => [r, []]));
  let base = Date.now() - 24 * 3600_000;
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const rate of RATES) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await ctx.newPage();
        await page.goto(`${url}#render=lite`);
        await page.waitForFunction(() => {
          const i = (window as unknown as { sddiTwin?: Twin }).sddiTwin?.store.getState().layers['sensors']?.sensors;
          return i !== undefined && i.progress === 1 && i.connection === 'live';
        }, undefined, { timeout: 120_000 });
        await page.evaluate(() => (window as unknown as { sddiTwin: { whenIdle(): Promise<void> } }).sddiTwin.whenIdle());
        await page.evaluate(() => {
          const w = window as unknown as { benchTasks: number[] };
          w.benchTasks = [];
          new PerformanceObserver((list) => list.getEntries().forEach((e) => w.benchTasks.push(e.duration))).observe({ type: 'longtask' });
        });
        const readings = () => page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.readings ?? 0);
        const before = await readings();
        const ids = service.dataset.datastreams.map((d) => d.id);
        // Distinct instants per message (so none is a duplicate), a day back, inside the store's retention.
        const t0 = performance.now();
        const batch = Math.max(1, Math.round(rate / 20)); // one batch every 50 ms
        for (let sent = 0; sent < MESSAGES; sent += batch) {
          const n = Math.min(batch, MESSAGES - sent);
          await Promise.all(Array.from({ length: n }, (_, k) => service.publish(ids[(sent + k) % ids.length]!, { phenomenonTime: new Date(base + sent + k).toISOString(), result: (sent + k) % 90 }, { store: false, qos: QOS })));
          const due = t0 + ((sent + n) / rate) * 1000;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        base += MESSAGES + 1000;
        published.get(rate)!.push(MESSAGES / ((performance.now() - t0) / 1000));
        await page.waitForFunction((n) => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.readings ?? 0) >= n, before + MESSAGES, { timeout: 300_000, polling: 50 });
        const seconds = (performance.now() - t0) / 1000;
        taken.get(rate)!.push(MESSAGES / seconds);
        const tasks = await page.evaluate(() => (window as unknown as { benchTasks: number[] }).benchTasks);
        longTasks.get(rate)!.push(tasks.length);
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  report(`MQTT (QoS ${QOS}) → sensors worker store, ${MESSAGES.toLocaleString('en')} observations, taken in by the page (obs/s)`, RATES.map((r) => ({ name: `published at ${r.toLocaleString('en')}/s`, unit: 'obs/s', runs: taken.get(r)! })), `published at ${RATES[0]!.toLocaleString('en')}/s`);
  report('rate the broker accepted the bursts (obs/s)', RATES.map((r) => ({ name: `published at ${r.toLocaleString('en')}/s`, unit: 'obs/s', runs: published.get(r)! })));
  report('main-thread tasks over 50 ms while ingesting (count)', RATES.map((r) => ({ name: `published at ${r.toLocaleString('en')}/s`, unit: '', runs: longTasks.get(r)! })));
}
