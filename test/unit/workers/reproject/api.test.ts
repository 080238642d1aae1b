import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coordBuffer } from '../../../../core/geo/buffers';
import { type ReprojectApi, createReprojectApi, transferListOf } from '../../../../workers/reproject/api';
import { toEcef } from '../../../../core/reproject/reproject';
import { channelWorker, type ChannelWorker } from '../../src/services/channel-worker';
import { GEOID, GEOID_JSON } from '../../core/reproject/fixtures';

const lonLatGrid = (n: number): Float64Array => {
  const xyz = new Float64Array(n * 3);
  for (let p = 0; p < n; p++) {
    xyz[p * 3] = 12 + (p % 1000) * 1e-4;
    xyz[p * 3 + 1] = 49 + Math.floor(p / 1000) * 1e-4;
    xyz[p * 3 + 2] = 400;
  }
  return xyz;
};

describe('reproject API, called directly (inline mode)', () => {
  it('needs init for normal heights, then matches the pure function', async () => {
    const api = createReprojectApi();
    const input = coordBuffer(4326, 'DHHN2016', lonLatGrid(10));
    await expect(api.toEcef(1, { input })).rejects.toThrow(/geoid/);
    expect(await api.init({ geoid: GEOID_JSON })).toEqual({ geoidModel: 'test-geoid', beta2007: false });
    const r = await api.toEcef(2, { input });
    const ref = await toEcef(input, GEOID);
    expect(Array.from(r.buffer.xyz)).toEqual(Array.from(ref.buffer.xyz));
    const re = await api.reproject(3, { input, to: 25833, heights: 'ellipsoidal' });
    expect(re.buffer.epsg).toBe(25833);
    expect(re.buffer.verticalDatum).toBe('ellipsoidal');
  });

  it('cancel(jobId) stops that job only; unknown ids are ignored', async () => {
    const api = createReprojectApi();
    api.cancel(999);
    const input = coordBuffer(4326, 'ellipsoidal', lonLatGrid(20_000));
    const seen: number[] = [];
    const a = api.toEcef(7, { input, options: { chunkPoints: 1000 } }, (f) => {
      seen.push(f);
      if (seen.length === 2) api.cancel(7);
    });
    const b = api.toEcef(8, { input, options: { chunkPoints: 1000 } });
    await expect(a).rejects.toMatchObject({ name: 'JobCancelled' });
    expect(seen).toHaveLength(2);
    expect((await b).failed).toBe(0);
  });

  it('transfers only whole-buffer views', () => {
    const whole = new Float64Array(9);
    expect(transferListOf({ input: coordBuffer(4326, 'ellipsoidal', whole) })).toEqual([whole.buffer]);
    expect(transferListOf({ input: coordBuffer(4326, 'ellipsoidal', whole.subarray(3)) })).toEqual([]);
  });
});

describe('reproject API over a MessageChannel (as in a worker)', () => {
  let ch: ChannelWorker | null = null;
  afterEach(() => ch?.worker.terminate());

  it('moves the input in and the result out as transfers, with progress through a proxy', async () => {
    ch = channelWorker(createReprojectApi());
    const remote = Comlink.wrap<ReprojectApi>(ch.worker);
    await remote.init({ geoid: GEOID_JSON });
    const xyz = lonLatGrid(5000);
    const expected = await toEcef(coordBuffer(4326, 'DHHN2016', xyz.slice()), GEOID);
    const input = coordBuffer(4326, 'DHHN2016', xyz);
    const progress: number[] = [];
    const r = await remote.toEcef(
      1,
      Comlink.transfer({ input, options: { chunkPoints: 1000, inPlace: true } }, [xyz.buffer]),
      Comlink.proxy((f: number) => void progress.push(f)),
    );
    expect(xyz.byteLength).toBe(0); // moved, not copied
    expect(r.buffer.xyz).toBeInstanceOf(Float64Array);
    expect(Array.from(r.buffer.xyz)).toEqual(Array.from(expected.buffer.xyz));
    // the worker side posted the result with its buffer in the transfer list, which detached it there
    const withBuffers = ch.sentTransfers.filter((t) => t.some((x) => x instanceof ArrayBuffer));
    expect(withBuffers).toHaveLength(1);
    expect((withBuffers[0]![0] as ArrayBuffer).byteLength).toBe(0);
    // progress messages travel on their own port: wait for the last one
    await vi.waitFor(() => expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]));
  });

  it('a cancel message lands between chunks and the error keeps its name', async () => {
    ch = channelWorker(createReprojectApi());
    const remote = Comlink.wrap<ReprojectApi>(ch.worker);
    const input = coordBuffer(4326, 'ellipsoidal', lonLatGrid(50_000));
    let started!: () => void;
    const firstProgress = new Promise<void>((resolve) => (started = resolve));
    const job = remote.toEcef(5, { input, options: { chunkPoints: 500 } }, Comlink.proxy(() => started()));
    await firstProgress;
    await remote.cancel(5);
    await expect(job).rejects.toMatchObject({ name: 'JobCancelled' });
  });
});
