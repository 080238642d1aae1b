import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobEvent, PoolEvent } from '../../../../src/services/pool';
import { type AggregatePool, createAggregatePool } from '../../../../src/services/aggregate-pool';
import { aggregate } from '../../../../core/aggregation/aggregate';
import { type AggregateApi, createAggregateApi, transferListOf } from '../../../../workers/aggregate/api';
import type { FrameJob, GridSpec3035, Readings3035, SeriesJob } from '../../../../core/aggregation/types';
import { imageSpecForGrid, warpToLonLat } from '../../../../core/aggregation/warp';
import { channelWorker, type ChannelWorker } from '../../src/services/channel-worker';
import { GREY_LUT, seeded } from '../../core/aggregation/helpers';

const GRID: GridSpec3035 = { xMinM: 4_500_000, yMaxM: 2_990_000, cellM: 1000, width: 40, height: 30 };

function randomReadings(n: number, seed = 1): Readings3035 {
  const rand = seeded(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const value = new Float32Array(n);
  const tMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = GRID.xMinM + rand() * 42_000;
    y[i] = GRID.yMaxM - rand() * 31_000;
    value[i] = 10 + 10 * rand();
    tMs[i] = 1_000_000 + Math.floor(rand() * 3_600_000);
  }
  return { x, y, value, tMs };
}

const copyOf = (r: Readings3035): Readings3035 => ({ x: r.x.slice(), y: r.y.slice(), value: r.value.slice(), tMs: r.tMs!.slice() });
const frameJob = (readings: Readings3035): FrameJob => ({
  grid: GRID,
  readings,
  params: { op: 'mean' },
  colour: { domain: [10, 20], lut: GREY_LUT },
  window: { t0Ms: 1_000_000, t1Ms: 2_800_000 },
});

describe('aggregate API, called directly (inline mode)', () => {
  it('frame = aggregate + the colours warped to lon/lat, and hands the readings back', async () => {
    const api = createAggregateApi();
    const readings = randomReadings(5000);
    const job = frameJob(readings);
    const ref = aggregate(job);
    const f = await api.frame(1, job);
    expect(f.readings).toBe(readings);
    expect(Array.from(f.values)).toEqual(Array.from(ref.values));
    expect(f.count).toBe(ref.count);
    expect(f.imageSpec).toEqual(imageSpecForGrid(GRID));
    expect(Array.from(f.image)).toEqual(Array.from(warpToLonLat(ref.rgba, GRID, f.imageSpec)));
    const a = await api.aggregate(2, job);
    expect(Array.from(a.rgba)).toEqual(Array.from(ref.rgba));
  });

  it('transfers the readings of job methods only, each buffer once and only whole ones', () => {
    const r = randomReadings(10);
    expect(transferListOf('frame', { readings: r })).toEqual([r.x.buffer, r.y.buffer, r.value.buffer, r.tMs!.buffer]);
    const shared = new Float64Array(20);
    const partial = { x: shared.subarray(0, 10), y: shared.subarray(10), value: new Float32Array(10) };
    expect(transferListOf('series', { readings: partial })).toEqual([partial.value.buffer]);
    const same = new Float64Array(10);
    expect(transferListOf('aggregate', { readings: { x: same, y: same, value: new Float32Array(10) } })).toHaveLength(2);
    expect(transferListOf('cancel', { readings: r })).toEqual([]);
  });
});

describe('aggregate API over a MessageChannel (as in a worker)', () => {
  let ch: ChannelWorker | null = null;
  afterEach(() => ch?.worker.terminate());

  it('moves the readings in and back and every result array out as transfers', async () => {
    ch = channelWorker(createAggregateApi());
    const remote = Comlink.wrap<AggregateApi>(ch.worker);
    const readings = randomReadings(20_000);
    const kept = copyOf(readings);
    const ref = aggregate(frameJob(kept));
    const job = frameJob(readings);
    const f = await remote.frame(1, Comlink.transfer(job, transferListOf('frame', job)));
    // moved to the worker, not copied …
    for (const a of [readings.x, readings.y, readings.value, readings.tMs!]) expect(a.byteLength).toBe(0);
    // … and handed back intact
    expect(Array.from(f.readings.value)).toEqual(Array.from(kept.value));
    expect(Array.from(f.readings.tMs!)).toEqual(Array.from(kept.tMs!));
    expect(Array.from(f.values)).toEqual(Array.from(ref.values));
    expect(f.image).toBeInstanceOf(Uint8ClampedArray);
    expect(f.image.length).toBe(f.imageSpec.width * f.imageSpec.height * 4);
    // the answer went out with values, rgba, image and the four reading arrays in its transfer list
    const withBuffers = ch.sentTransfers.filter((t) => t.some((x) => x instanceof ArrayBuffer));
    expect(withBuffers).toHaveLength(1);
    expect(withBuffers[0]).toHaveLength(7);
    for (const b of withBuffers[0]!) expect((b as ArrayBuffer).byteLength).toBe(0);
  });

  it('series: every step with progress, images when asked; a cancel lands between steps', async () => {
    ch = channelWorker(createAggregateApi());
    const remote = Comlink.wrap<AggregateApi>(ch.worker);
    const readings = randomReadings(20_000, 2);
    const display = imageSpecForGrid(GRID);
    const job: SeriesJob = {
      grid: GRID,
      readings,
      params: { op: 'kde', sigmaM: 2000 },
      colour: { domain: [10, 20], lut: GREY_LUT },
      steps: { t0Ms: 1_000_000, stepMs: 600_000, count: 6 },
      display,
    };
    const progress: number[] = [];
    const s = await remote.series(1, job, Comlink.proxy((f: number) => void progress.push(f)));
    const cells = GRID.width * GRID.height;
    expect(s.values).toHaveLength(6 * cells);
    expect(s.rgba).toHaveLength(6 * cells * 4);
    expect(s.images).toHaveLength(6 * display.width * display.height * 4);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(15_000);
    const step3 = aggregate({ ...job, window: { t0Ms: 2_800_000, t1Ms: 3_400_000 } });
    expect(Array.from(s.values.subarray(3 * cells, 4 * cells))).toEqual(Array.from(step3.values));
    // progress messages travel on their own port: wait for the last one
    await vi.waitFor(() => expect(progress.at(-1)).toBe(1));

    // a long series (many kde steps on a bigger grid), cancelled after it started
    const big: SeriesJob = { ...job, grid: { ...GRID, cellM: 100, width: 400, height: 300 }, readings: randomReadings(50_000, 3), steps: { t0Ms: 0, stepMs: 1000, count: 5000 }, display: undefined };
    let started!: () => void;
    const firstStep = new Promise<void>((resolve) => (started = resolve));
    const running = remote.series(2, big, Comlink.proxy(() => started()));
    await firstStep;
    await remote.cancel(2);
    await expect(running).rejects.toMatchObject({ name: 'JobCancelled' });
  });
});

describe('aggregate pool', () => {
  const pools: AggregatePool[] = [];
  afterEach(() => {
    for (const p of pools.splice(0)) p.dispose();
  });

  it('in node (no Worker) falls back to inline and runs frames', async () => {
    const events: PoolEvent[] = [];
    const pool = createAggregatePool({ onPoolEvent: (e) => events.push(e) });
    pools.push(pool);
    expect(pool.mode).toBe('inline');
    expect(events[0]).toMatchObject({ pool: 'aggregate', kind: 'fallback-inline' });
    const f = await pool.run('frame', 'heatmap:a', frameJob(randomReadings(100)));
    expect(f.count).toBeGreaterThan(0);
  });

  it('with a worker: readings go by transfer and come back, and a newer frame of a layer supersedes the older', async () => {
    const jobs: JobEvent[] = [];
    const pool = createAggregatePool({ createWorker: () => channelWorker(createAggregateApi()).worker, onJobEvent: (e) => jobs.push(e) });
    pools.push(pool);
    expect(pool.mode).toBe('worker');
    const first = randomReadings(30_000, 4);
    const second = randomReadings(30_000, 5);
    const older = pool.run('frame', 'heatmap:a', frameJob(first));
    const newer = pool.run('frame', 'heatmap:a', frameJob(second));
    await expect(older).rejects.toMatchObject({ name: 'JobSuperseded' });
    const f = await newer;
    expect(second.x.byteLength).toBe(0);
    expect(f.readings.x).toHaveLength(30_000);
    expect(jobs.filter((e) => e.status === 'done')).toHaveLength(1);
  });
});
