import { afterEach, describe, expect, it } from 'vitest';
import { coordBuffer } from '../../../../core/geo/buffers';
import type { JobEvent, PoolEvent } from '../../../../src/services/pool';
import { type ReprojectPool, createReprojectPool } from '../../../../src/services/reproject-pool';
import { type ReprojectApi, createReprojectApi } from '../../../../workers/reproject/api';
import { toEcef } from '../../../../core/reproject/reproject';
import { GEOID, GEOID_JSON } from '../../core/reproject/fixtures';
import { type ChannelWorker, channelWorker } from './channel-worker';

const pools: ReprojectPool[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.dispose();
});

const lonLat = (n: number): Float64Array => {
  const xyz = new Float64Array(n * 3);
  for (let p = 0; p < n; p++) xyz.set([12.2 + (p % 300) * 1e-3, 49.2 + Math.floor(p / 300) * 1e-3, 350], p * 3);
  return xyz;
};

const smallInput = (): ReturnType<typeof coordBuffer<4326>> => coordBuffer(4326, 'DHHN2016', lonLat(5));

describe('reprojection pool', () => {
  it('in node (no Worker) falls back to inline, reports it, and runs toEcef', async () => {
    const poolEvents: PoolEvent[] = [];
    const pool = createReprojectPool({ loadInit: async () => ({ geoid: GEOID_JSON }), onPoolEvent: (e) => poolEvents.push(e) });
    pools.push(pool);
    expect(pool.mode).toBe('inline');
    expect(poolEvents[0]).toMatchObject({ pool: 'reproject', kind: 'fallback-inline' });
    expect(poolEvents[0]!.message).toMatch(/Worker/);
    const input = coordBuffer(4326, 'DHHN2016', lonLat(100));
    const r = await pool.run('toEcef', 'terrain', { input });
    expect(r.failed).toBe(0);
    expect(Array.from(r.buffer.xyz)).toEqual(Array.from((await toEcef(input, GEOID)).buffer.xyz));
  });

  it('with workers: loads the init data once for all of them, transfers the input, reports progress', async () => {
    const workers: ChannelWorker[] = [];
    const jobEvents: JobEvent[] = [];
    let loads = 0;
    const pool = createReprojectPool({
      size: 2,
      loadInit: async () => {
        loads++;
        return { geoid: GEOID_JSON };
      },
      createWorker: () => {
        const w = channelWorker(createReprojectApi());
        workers.push(w);
        return w.worker;
      },
      onJobEvent: (e) => jobEvents.push(e),
    });
    pools.push(pool);
    await pool.ready();
    expect(loads).toBe(1);
    expect(pool.mode).toBe('worker');
    const xyz = lonLat(3000);
    const expected = await toEcef(coordBuffer(4326, 'DHHN2016', xyz.slice()), GEOID);
    const progress: number[] = [];
    const r = await pool.run('toEcef', 'buildings', { input: coordBuffer(4326, 'DHHN2016', xyz), options: { chunkPoints: 1000 } }, { onProgress: (f) => progress.push(f) });
    expect(xyz.byteLength).toBe(0);
    expect(Array.from(r.buffer.xyz)).toEqual(Array.from(expected.buffer.xyz));
    expect(jobEvents.map((e) => e.status)[0]).toBe('queued');
    expect(jobEvents.at(-1)).toMatchObject({ status: 'done', progress: 1, method: 'toEcef', key: 'buildings' });
    expect(progress.every((f) => f > 0 && f <= 1)).toBe(true);
  });

  it('superseding a running reprojection stops it in the worker', async () => {
    const workerSide: string[] = [];
    const pool = createReprojectPool({
      size: 1,
      loadInit: async () => ({ geoid: GEOID_JSON }),
      createWorker: () => {
        const api = createReprojectApi();
        // records how each job ended on the worker's side of the channel
        const observed: ReprojectApi = {
          ...api,
          reproject: (id, job, onProgress) =>
            api.reproject(id, job, onProgress).then(
              (r) => {
                workerSide.push('finished');
                return r;
              },
              (e: unknown) => {
                workerSide.push((e as Error).name);
                throw e;
              },
            ),
        };
        return channelWorker(observed).worker;
      },
    });
    pools.push(pool);
    const big = coordBuffer(4326, 'ellipsoidal', lonLat(200_000));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = pool.run('reproject', 'layer', { input: big, to: 5514, options: { chunkPoints: 2000 } }, { onProgress: () => started() }).catch((e: unknown) => e);
    // Superseded once it runs in the worker (its first progress says so), not while it still waits for one.
    await running;
    const second = await pool.run('reproject', 'layer', { input: coordBuffer(4326, 'ellipsoidal', lonLat(10)), to: 25833 });
    expect(await first).toMatchObject({ name: 'JobSuperseded' });
    expect(second.buffer.epsg).toBe(25833);
    expect(workerSide).toEqual(['JobCancelled', 'finished']);
  });

  it('retries a failed init load for the next job', async () => {
    let attempt = 0;
    const pool = createReprojectPool({
      mode: 'inline',
      loadInit: async () => {
        attempt++;
        if (attempt < 2) throw new Error('geoid.json: 503');
        return { geoid: GEOID_JSON };
      },
    });
    pools.push(pool);
    // the first job waits on the pre-start load and fails with it; the next job loads again
    await expect(pool.run('toEcef', 'a', { input: smallInput() })).rejects.toThrow(/503/);
    await expect(pool.run('toEcef', 'a', { input: smallInput() })).resolves.toMatchObject({ failed: 0 });
    expect(attempt).toBe(2);
  });
});
