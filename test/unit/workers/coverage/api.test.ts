import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { type CoveragePool, createCoveragePool } from '../../../../src/services/coverage-pool';
import type { PoolEvent } from '../../../../src/services/pool';
import { imageSpecForGrid, warpToLonLat } from '../../../../core/aggregation/warp';
import { type CoverageApi, createCoverageApi, transferListOf } from '../../../../workers/coverage/api';
import { compareCoverage } from '../../../../core/coverage/compare';
import { modelTile, tilesOfGrid } from '../../../../core/coverage/model';
import { zonalStats } from '../../../../core/coverage/stats';
import type { CompareJob, GridSpec3035, ModelTileJob, StatsJob } from '../../../../core/coverage/types';
import { channelWorker, type ChannelWorker } from '../../src/services/channel-worker';
import { GREY_LUT } from '../../core/aggregation/helpers';
import { centreOf, demOf, sitesOf } from '../../core/coverage/helpers';

const GRID: GridSpec3035 = { xMinM: 4_530_000, yMaxM: 2_970_000, cellM: 100, width: 64, height: 48 };
const DEM = demOf(GRID, (c, r) => 400 + 40 * Math.sin(c / 5) + 30 * Math.cos(r / 7));
const SITES = sitesOf([
  { ...centreOf(GRID, 10, 10), azimuthDeg: 120 },
  { ...centreOf(GRID, 50, 30) },
  { ...centreOf(GRID, 30, 40), azimuthDeg: 300, eirpDbm: 45 },
]);
const modelJob = (tile = { col0: 0, row0: 0, width: GRID.width, height: GRID.height }): ModelTileJob => ({ grid: GRID, tile, sites: SITES, params: { model: 'tr38901-rma', maxRangeM: 3000 } });
const cells = GRID.width * GRID.height;
const gridOf = (f: (i: number) => number): Float32Array => Float32Array.from({ length: cells }, (_, i) => f(i));
const compareJob = (): CompareJob => ({
  grid: GRID,
  a: gridOf((i) => -125 + (i % 40)),
  b: gridOf((i) => (i % 9 === 0 ? Number.NaN : -90 - (i % 33))),
  thresholds: { coveredDbm: -110, goodDbm: -95 },
  diffColour: { domain: [-30, 30], lut: GREY_LUT },
});

describe('coverage API, called directly (inline mode)', () => {
  it('models a tile on the terrain given to init', async () => {
    const api = createCoverageApi();
    await api.init(DEM);
    const r = await api.modelTile(1, modelJob());
    const ref = await modelTile(modelJob(), DEM);
    expect(Array.from(r.rsrpDbm)).toEqual(Array.from(ref.rsrpDbm));
    expect(r.profiles).toBeGreaterThan(0);
    await api.init(null);
    expect((await api.modelTile(2, modelJob())).profiles).toBe(0);
  });

  it('refuses a DEM whose heights do not fit its grid', async () => {
    await expect(createCoverageApi().init({ grid: GRID, heightM: new Float32Array(10) })).rejects.toThrow(RangeError);
  });

  it('render, compare and stats give what their functions give, with the inputs back', async () => {
    const api = createCoverageApi();
    const values = gridOf((i) => -120 + (i % 60));
    const colour = { domain: [-120, -60] as const, lut: GREY_LUT };
    const rendered = await api.render(1, { grid: GRID, values, colour });
    expect(rendered.values).toBe(values);
    expect(rendered.imageSpec).toEqual(imageSpecForGrid(GRID));
    expect(Array.from(rendered.image)).toEqual(Array.from(warpToLonLat(values, GRID, rendered.imageSpec, { colour })));
    await expect(api.render(2, { grid: GRID, values: values.subarray(1), colour })).rejects.toThrow(RangeError);

    const job = compareJob();
    const c = await api.compare(3, job);
    expect(Array.from(c.classes)).toEqual(Array.from(compareCoverage(compareJob()).classes));
    expect(c.a).toBe(job.a);

    const stats: StatsJob = { a: job.a, b: job.b, zones: Uint8Array.from({ length: cells }, (_, i) => 1 + (i % 3)), zoneCount: 3, thresholds: job.thresholds, cellAreaM2: 1e4 };
    expect(await api.stats(4, stats)).toEqual(zonalStats(stats));
  });

  it('importGrid goes to the importer (an empty file is refused with its code)', async () => {
    await expect(createCoverageApi().importGrid(1, { bytes: new ArrayBuffer(0), fileName: 'empty.csv', grid: GRID })).rejects.toMatchObject({ name: 'CoverageInputError', code: 'empty' });
  });

  it('transfers the grids of render and compare and the bytes of importGrid; sites and stats grids are copied', () => {
    const job = compareJob();
    expect(transferListOf('compare', job)).toEqual([job.a.buffer, job.b.buffer]);
    expect(transferListOf('compare', { ...job, b: job.a })).toEqual([job.a.buffer]);
    expect(transferListOf('render', { values: job.a })).toEqual([job.a.buffer]);
    expect(transferListOf('render', { values: job.a.subarray(1) })).toEqual([]);
    const bytes = new ArrayBuffer(8);
    expect(transferListOf('importGrid', { bytes })).toEqual([bytes]);
    expect(transferListOf('modelTile', modelJob())).toEqual([]);
    expect(transferListOf('stats', { a: job.a, b: job.b })).toEqual([]);
    expect(transferListOf('cancel', job)).toEqual([]);
  });
});

describe('coverage API over a MessageChannel (as in a worker)', () => {
  let ch: ChannelWorker | null = null;
  afterEach(() => ch?.worker.terminate());

  it('compare moves A and B in and back, and every result array out, as transfers', async () => {
    ch = channelWorker(createCoverageApi());
    const remote = Comlink.wrap<CoverageApi>(ch.worker);
    const job = compareJob();
    const kept = compareJob();
    const r = await remote.compare(1, Comlink.transfer(job, transferListOf('compare', job)));
    expect(job.a.byteLength).toBe(0);
    expect(job.b.byteLength).toBe(0);
    expect(Array.from(r.a)).toEqual(Array.from(kept.a));
    expect(Array.from(r.diffDb)).toEqual(Array.from(compareCoverage(kept).diffDb));
    const withBuffers = ch.sentTransfers.filter((t) => t.some((x) => x instanceof ArrayBuffer));
    expect(withBuffers).toHaveLength(1);
    expect(withBuffers[0]).toHaveLength(6);
  });

  it('a cancel lands in a running tile', async () => {
    ch = channelWorker(createCoverageApi());
    const remote = Comlink.wrap<CoverageApi>(ch.worker);
    const big: GridSpec3035 = { ...GRID, width: 600, height: 600 };
    await remote.init(demOf(big, (c, r) => 400 + 50 * Math.sin(c / 9) * Math.cos(r / 11)));
    const sites = sitesOf(Array.from({ length: 40 }, (_, i) => centreOf(big, (i * 37) % 600, (i * 53) % 600)));
    let started!: () => void;
    const firstProgress = new Promise<void>((resolve) => (started = resolve));
    const running = remote.modelTile(1, { grid: big, tile: { col0: 0, row0: 0, width: 600, height: 600 }, sites, params: { model: 'tr38901-rma' } }, Comlink.proxy(() => started()));
    await firstProgress;
    await remote.cancel(1);
    await expect(running).rejects.toMatchObject({ name: 'JobCancelled' });
  });
});

describe('coverage pool', () => {
  const pools: CoveragePool[] = [];
  afterEach(() => {
    for (const p of pools.splice(0)) p.dispose();
  });

  it('in node (no Worker) falls back to inline and still gets its terrain', async () => {
    const events: PoolEvent[] = [];
    const pool = createCoveragePool({ loadInit: () => Promise.resolve(DEM), onPoolEvent: (e) => events.push(e) });
    pools.push(pool);
    expect(pool.mode).toBe('inline');
    expect(events[0]).toMatchObject({ pool: 'coverage', kind: 'fallback-inline' });
    const r = await pool.run('modelTile', 'coverage:t', modelJob());
    expect(r.profiles).toBeGreaterThan(0);
  });

  it('two workers share the tiles of a grid; stitched, they make the whole', async () => {
    const pool = createCoveragePool({ loadInit: () => Promise.resolve(DEM), createWorker: () => channelWorker(createCoverageApi()).worker });
    pools.push(pool);
    await pool.ready();
    expect(pool.stats()).toMatchObject({ mode: 'worker', workers: 2 });
    const whole = await modelTile(modelJob(), DEM);
    const out = new Float32Array(cells);
    await Promise.all(
      tilesOfGrid(GRID, 16).map(async (tile) => {
        const r = await pool.run('modelTile', `coverage:${tile.col0},${tile.row0}`, modelJob(tile));
        for (let row = 0; row < tile.height; row++) out.set(r.rsrpDbm.subarray(row * tile.width, (row + 1) * tile.width), (tile.row0 + row) * GRID.width + tile.col0);
      }),
    );
    expect(Array.from(out)).toEqual(Array.from(whole.rsrpDbm));
  });
});
