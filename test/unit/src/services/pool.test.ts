import { afterEach, describe, expect, it } from 'vitest';
import {
  type JobEvent,
  JobSupersededError,
  type PoolEvent,
  type PoolOptions,
  PoolBrokenError,
  PoolQueueFullError,
  type WorkerPool,
  WorkerCrashedError,
  createWorkerPool,
  defaultPoolSize,
  isJobSuperseded,
  lazyInlineApi,
} from '../../../../src/services/pool';
import type { JobState } from '../../../../src/state/types';
import { type ChannelWorker, channelWorker } from './channel-worker';
import { type FakeApi, fakeApi, until } from './fake-api';

interface Harness {
  pool: WorkerPool<FakeApi>;
  log: string[];
  jobEvents: JobEvent[];
  poolEvents: PoolEvent[];
  workers: ChannelWorker[];
}

const pools: WorkerPool<FakeApi>[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.dispose();
});

/** A pool over fake API instances: 'worker' runs them behind MessageChannels, 'inline' in-thread. */
function harness(mode: 'worker' | 'inline', extra: Partial<PoolOptions<FakeApi>> = {}): Harness {
  const log: string[] = [];
  const jobEvents: JobEvent[] = [];
  const poolEvents: PoolEvent[] = [];
  const workers: ChannelWorker[] = [];
  const pool = createWorkerPool<FakeApi>({
    name: 'test',
    mode,
    size: 1,
    createWorker: () => {
      const w = channelWorker(fakeApi(log));
      workers.push(w);
      return w.worker;
    },
    inlineApi: () => fakeApi(log),
    onJobEvent: (e) => jobEvents.push(e),
    onPoolEvent: (e) => poolEvents.push(e),
    ...extra,
  });
  pools.push(pool);
  return { pool, log, jobEvents, poolEvents, workers };
}

/** Swallows the rejection of a job the test expects to be dropped, so it is not reported as unhandled. */
const settled = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe.each(['inline', 'worker'] as const)('pool (%s mode)', (mode) => {
  it('runs a job and reports queued, running with progress, done, in order', async () => {
    const h = harness(mode);
    const progress: number[] = [];
    const r = await h.pool.run('work', 'layer-1', { steps: 4, value: 42 }, { onProgress: (f) => progress.push(f) });
    expect(r.value).toBe(42);
    const statuses = h.jobEvents.map((e) => e.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('done');
    expect(statuses.slice(1, -1).every((s) => s === 'running')).toBe(true);
    const ps = h.jobEvents.map((e) => e.progress);
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
    expect(ps.at(-1)).toBe(1);
    expect(h.jobEvents.every((e) => e.key === 'layer-1' && e.pool === 'test' && e.method === 'work')).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    // the events are the store's JobState as they are
    const forStore: JobState = h.jobEvents[0]!;
    expect(forStore.id).toBeGreaterThan(0);
  });

  it('a throwing job fails alone and the next job succeeds on the same worker', async () => {
    const h = harness(mode);
    await expect(h.pool.run('work', 'a', { steps: 1, fail: 'bad input' })).rejects.toThrow('bad input');
    expect(h.jobEvents.at(-1)).toMatchObject({ status: 'failed', message: 'bad input', key: 'a' });
    await expect(h.pool.run('work', 'b', { steps: 1, value: 7 })).resolves.toMatchObject({ value: 7 });
    if (mode === 'worker') expect(h.workers).toHaveLength(1);
  });

  it('latest wins: a queued job with the same key is superseded', async () => {
    const h = harness(mode);
    const a = h.pool.run('work', 'a', { steps: 5 });
    const b1 = settled(h.pool.run('work', 'b', { steps: 1, value: 1 }));
    const b2 = h.pool.run('work', 'b', { steps: 1, value: 2 });
    const r1 = await b1;
    expect(r1.ok).toBe(false);
    if (!r1.ok) {
      expect(isJobSuperseded(r1.error)).toBe(true);
      expect(r1.error).toBeInstanceOf(JobSupersededError);
      expect((r1.error as JobSupersededError).reason).toBe('superseded');
    }
    expect((await b2).value).toBe(2);
    await a;
    // the superseded job never reached the API
    const b1Id = h.jobEvents.find((e) => e.status === 'superseded')!.id;
    expect(h.log).not.toContain(`start:${b1Id}`);
  });

  it('latest wins: a running job is superseded at once and stops cooperatively before the next starts', async () => {
    const h = harness(mode);
    const first = settled(h.pool.run('work', 'x', { steps: 200, stepMs: 2 }));
    await until(() => h.jobEvents.some((e) => e.status === 'running' && e.progress > 0));
    const firstId = h.jobEvents[0]!.id;
    const second = h.pool.run('work', 'x', { steps: 2, value: 9 });
    const r = await first;
    expect(r.ok === false && isJobSuperseded(r.error)).toBe(true);
    expect((await second).value).toBe(9);
    const secondId = firstId + 1;
    expect(h.log.indexOf(`cancel:${firstId}`)).toBeGreaterThanOrEqual(0);
    expect(h.log.indexOf(`stopped:${firstId}`)).toBeGreaterThan(h.log.indexOf(`cancel:${firstId}`));
    expect(h.log.indexOf(`start:${secondId}`)).toBeGreaterThan(h.log.indexOf(`stopped:${firstId}`));
    // after 'superseded' the old job reports nothing more
    const firstEvents = h.jobEvents.filter((e) => e.id === firstId).map((e) => e.status);
    expect(firstEvents.at(-1)).toBe('superseded');
    expect(firstEvents.filter((s) => s === 'superseded')).toHaveLength(1);
  });

  it('bounded queue: refuses with a clear error when full, but a resubmission replaces its older job', async () => {
    const h = harness(mode, { maxQueue: 2 });
    const running = settled(h.pool.run('work', 'a', { steps: 50 }));
    await until(() => h.pool.stats().running === 1);
    const b = settled(h.pool.run('work', 'b', { steps: 1 }));
    const c = settled(h.pool.run('work', 'c', { steps: 1 }));
    const d = h.pool.run('work', 'd', { steps: 1 });
    await expect(d).rejects.toBeInstanceOf(PoolQueueFullError);
    await expect(d).rejects.toThrow(/queue full \(2 jobs waiting\)/);
    expect(h.jobEvents.at(-1)).toMatchObject({ status: 'failed', key: 'd' });
    const c2 = settled(h.pool.run('work', 'c', { steps: 1, value: 3 }));
    expect(h.pool.stats().queued).toBe(2);
    h.pool.cancel('a');
    expect((await running).ok).toBe(false);
    expect((await b).ok).toBe(true);
    expect((await c).ok).toBe(false);
    const r = await c2;
    expect(r.ok && r.value.value).toBe(3);
  });

  it('cancel(key) drops the job as superseded with reason "cancelled"', async () => {
    const h = harness(mode);
    const job = settled(h.pool.run('work', 'k', { steps: 100, stepMs: 2 }));
    await until(() => h.pool.stats().running === 1);
    expect(h.pool.cancel('k')).toBe(true);
    expect(h.pool.cancel('nothing')).toBe(false);
    const r = await job;
    expect(r.ok === false && (r.error as JobSupersededError).reason).toBe('cancelled');
    expect(h.jobEvents.at(-1)).toMatchObject({ status: 'superseded', message: 'cancelled' });
    await expect(h.pool.run('work', 'k', { steps: 1, value: 5 })).resolves.toMatchObject({ value: 5 });
  });

  it('dispose rejects pending jobs as superseded and refuses new ones', async () => {
    const h = harness(mode);
    const a = settled(h.pool.run('work', 'a', { steps: 100, stepMs: 2 }));
    const b = settled(h.pool.run('work', 'b', { steps: 1 }));
    h.pool.dispose();
    for (const r of [await a, await b]) expect(r.ok === false && (r.error as JobSupersededError).reason).toBe('disposed');
    await expect(h.pool.run('work', 'c', { steps: 1 })).rejects.toBeInstanceOf(PoolBrokenError);
    if (mode === 'worker') expect(h.workers.every((w) => w.terminated)).toBe(true);
  });
});

describe('pool: workers', () => {
  it('starts and sets up its workers when created, before any job', async () => {
    const h = harness('worker', { size: 2, setup: (api) => api.init('warm') });
    expect(h.workers).toHaveLength(2);
    await h.pool.ready();
    expect(h.log.filter((l) => l === 'init:warm')).toHaveLength(2);
    expect(h.poolEvents.filter((e) => e.kind === 'worker-ready')).toHaveLength(2);
    expect(h.pool.stats()).toMatchObject({ mode: 'worker', workers: 2, queued: 0, running: 0 });
  });

  it('runs jobs side by side on its workers', async () => {
    const h = harness('worker', { size: 2 });
    await Promise.all([h.pool.run('work', 'a', { steps: 10, stepMs: 2 }), h.pool.run('work', 'b', { steps: 10, stepMs: 2 })]);
    // both started before either ended
    expect(h.log.slice(0, 2).every((l) => l.startsWith('start:'))).toBe(true);
  });

  it('moves transferred buffers instead of copying them', async () => {
    const h = harness('worker', { transferOf: (_m, args) => ((args as { buf?: Float64Array }).buf ? [(args as { buf: Float64Array }).buf.buffer] : []) });
    const buf = new Float64Array([1, 2, 3]);
    expect((await h.pool.run('work', 'a', { steps: 1, buf })).sum).toBe(6);
    expect(buf.byteLength).toBe(0);
    const kept = new Float64Array([4, 5]);
    expect((await h.pool.run('work', 'b', { steps: 1, buf: kept }, { transfer: [] })).sum).toBe(9);
    expect(kept.byteLength).toBe(16);
  });

  it('a dying worker fails its job and is replaced; the next job runs', async () => {
    const h = harness('worker');
    const job = h.pool.run('work', 'a', { steps: 100, stepMs: 2 });
    await until(() => h.log.some((l) => l.startsWith('start:')));
    h.workers[0]!.crash('out of memory');
    await expect(job).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(job).rejects.toThrow(/out of memory/);
    expect(h.workers).toHaveLength(2);
    expect(h.workers[0]!.terminated).toBe(true);
    expect(h.poolEvents.some((e) => e.kind === 'worker-replaced' && /out of memory/.test(e.message ?? ''))).toBe(true);
    expect(h.jobEvents.at(-1)).toMatchObject({ status: 'failed' });
    await expect(h.pool.run('work', 'b', { steps: 2, value: 1 })).resolves.toMatchObject({ value: 1 });
  });

  it('replaces a worker that ignores a cancel beyond the grace period', async () => {
    const h = harness('worker', { cancelGraceMs: 30 });
    const stuck = settled(h.pool.run('work', 'x', { steps: 1000, stepMs: 2, ignoreCancel: true }));
    await until(() => h.pool.stats().running === 1 && h.log.some((l) => l.startsWith('start:')));
    const next = h.pool.run('work', 'x', { steps: 1, value: 4 });
    expect((await stuck).ok).toBe(false);
    expect((await next).value).toBe(4);
    expect(h.workers).toHaveLength(2);
    expect(h.poolEvents.some((e) => e.kind === 'worker-replaced' && /did not stop/.test(e.message ?? ''))).toBe(true);
  });

  it('a worker that never comes up is dropped after repeated deaths and the pool continues inline', async () => {
    const log: string[] = [];
    const poolEvents: PoolEvent[] = [];
    const jobEvents: JobEvent[] = [];
    let created = 0;
    const pool = createWorkerPool<FakeApi>({
      name: 'flaky',
      size: 1,
      maxCrashes: 2,
      setup: (api) => api.init('x'),
      createWorker: () => {
        created++;
        // its script "fails to load": nothing answers and the error event follows
        const w = channelWorker(null);
        setTimeout(() => w.crash('script failed to load'), 5);
        return w.worker;
      },
      inlineApi: () => fakeApi(log),
      onPoolEvent: (e) => poolEvents.push(e),
      onJobEvent: (e) => jobEvents.push(e),
    });
    pools.push(pool);
    // submitted while the worker is still starting: it was never sent, so it survives the deaths
    await expect(pool.run('work', 'a', { steps: 1, value: 3 })).resolves.toMatchObject({ value: 3 });
    expect(created).toBe(2);
    expect(pool.mode).toBe('inline');
    expect(poolEvents.map((e) => e.kind)).toEqual(['worker-started', 'worker-started', 'worker-replaced', 'worker-dropped', 'fallback-inline', 'worker-ready']);
    expect(jobEvents.map((e) => e.status)).toEqual(['queued', 'running', 'queued', 'running', 'queued', 'running', 'running', 'done']);
  });

  it('falls back to inline when a worker cannot be created, and says so', async () => {
    const h = harness('worker', {
      createWorker: () => {
        throw new Error('Worker is not defined');
      },
    });
    expect(h.pool.mode).toBe('inline');
    expect(h.poolEvents).toEqual([{ pool: 'test', kind: 'fallback-inline', message: 'cannot start a worker: Worker is not defined' }]);
    await expect(h.pool.run('work', 'a', { steps: 1, value: 2 })).resolves.toMatchObject({ value: 2 });
  });

  it('without an inline API, a pool that cannot start workers rejects jobs with the reason', async () => {
    const h = harness('worker', {
      inlineApi: undefined,
      createWorker: () => {
        throw new Error('blocked by CSP');
      },
    });
    expect(h.poolEvents.map((e) => e.kind)).toEqual(['broken']);
    await expect(h.pool.run('work', 'a', { steps: 1 })).rejects.toThrow(/blocked by CSP/);
  });

  it('a failing setup fails the job with the reason and is retried for the next one', async () => {
    let ready = false;
    const h = harness('worker', {
      setup: async (api) => {
        if (!ready) throw new Error('geoid not loaded yet');
        await api.init('late');
      },
    });
    await expect(h.pool.run('work', 'a', { steps: 1 })).rejects.toThrow(/setup failed: geoid not loaded yet/);
    expect(h.poolEvents.some((e) => e.kind === 'setup-failed')).toBe(true);
    ready = true;
    await expect(h.pool.run('work', 'b', { steps: 1, value: 8 })).resolves.toMatchObject({ value: 8 });
    expect(h.log).toContain('init:late');
  });

  it('sizes itself from the core count, at least 1 and at most 2', () => {
    const n = defaultPoolSize();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(2);
  });

  it('job ids are unique across pools', async () => {
    const a = harness('inline');
    const b = harness('inline');
    await a.pool.run('work', 'k', { steps: 1 });
    await b.pool.run('work', 'k', { steps: 1 });
    expect(a.jobEvents[0]!.id).not.toBe(b.jobEvents[0]!.id);
  });
});

describe('pool: an inline API fetched on first use', () => {
  it('loads the API with the first job, once per pool, and passes jobs and cancels through', async () => {
    let loads = 0;
    const h = harness('inline', {
      inlineApi: lazyInlineApi(async () => {
        loads++;
        return fakeApi(h.log);
      }, ['init', 'work']),
    });
    await Promise.resolve();
    expect(loads).toBe(0);
    await expect(h.pool.run('work', 'a', { steps: 1, value: 3 })).resolves.toMatchObject({ value: 3 });
    const slow = settled(h.pool.run('work', 'b', { steps: 50, stepMs: 2 }));
    await until(() => h.log.includes(`start:${h.jobEvents.at(-1)!.id}`));
    expect(h.pool.cancel('b')).toBe(true);
    expect((await slow).ok).toBe(false);
    await until(() => h.log.some((l) => l.startsWith('stopped:')));
    expect(loads).toBe(1);
    expect(h.log.some((l) => l.startsWith('cancel:'))).toBe(true);
  });

  it('a pool with a setup loads the API when it falls back, and sets it up before the first job', async () => {
    let loads = 0;
    const log: string[] = [];
    const h = harness('worker', {
      createWorker: () => {
        throw new Error('Worker is not defined');
      },
      inlineApi: lazyInlineApi(async () => {
        loads++;
        return fakeApi(log);
      }, ['init', 'work']),
      setup: async (api) => api.init('lazy'),
    });
    await expect(h.pool.run('work', 'a', { steps: 1, value: 4 })).resolves.toMatchObject({ value: 4 });
    expect(loads).toBe(1);
    expect(log[0]).toBe('init:lazy');
  });

  it('a module that failed to load fails the job and is fetched again by the next', async () => {
    let attempt = 0;
    const h = harness('inline', {
      inlineApi: lazyInlineApi(async () => {
        if (++attempt === 1) throw new Error('chunk failed to load');
        return fakeApi(h.log);
      }, ['init', 'work']),
    });
    await expect(h.pool.run('work', 'a', { steps: 1 })).rejects.toThrow(/chunk failed to load/);
    await expect(h.pool.run('work', 'b', { steps: 1, value: 5 })).resolves.toMatchObject({ value: 5 });
    expect(attempt).toBe(2);
  });
});
