import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ImportApi, createImportApi, transferListOf } from '../../../../workers/import/api';
import { convertFile } from '../../../../core/formats/import/import';
import { channelWorker, type ChannelWorker } from '../../src/services/channel-worker';
import { bytesOf, fixture, GEOID, GEOID_JSON } from '../../core/formats/import/helpers';

describe('import API, called directly (inline mode)', () => {
  it('inspect needs no init; convert of normal heights needs the geoid, then matches the pure function', async () => {
    const api = createImportApi();
    const { result: info } = await api.inspect(1, { fileName: 'b.geojson', bytes: fixture('bavaria-utm32.geojson') });
    expect(info.crsCandidates[0]!.epsg).toBe(25832);
    await expect(api.convert(2, { fileName: 'b.geojson', bytes: fixture('bavaria-utm32.geojson'), epsg: 25832 })).rejects.toMatchObject({ name: 'ImportError' });
    expect(await api.init({ geoid: GEOID_JSON })).toEqual({ geoidModel: 'test-geoid', beta2007: false });
    const r = await api.convert(3, { fileName: 'b.geojson', bytes: fixture('bavaria-utm32.geojson'), epsg: 25832 });
    const ref = await convertFile({ fileName: 'b.geojson', bytes: fixture('bavaria-utm32.geojson') }, { epsg: 25832 }, { geoid: GEOID });
    expect(Array.from(r.points.xyz)).toEqual(Array.from(ref.points.xyz));
    expect(await api.exportGeoJson(4, { layer: r, epsg: 25832 })).toContain('urn:ogc:def:crs:EPSG::25832');
  });

  it('transfers the bytes of inspect and convert, nothing of an export', () => {
    const bytes = new ArrayBuffer(8);
    expect(transferListOf('convert', { fileName: 'a', bytes, epsg: 4326 })).toEqual([bytes]);
    expect(transferListOf('inspect', { fileName: 'a', bytes })).toEqual([bytes]);
    expect(transferListOf('exportGeoJson', { layer: {}, epsg: 4326 })).toEqual([]);
  });
});

describe('import API over a MessageChannel (as in a worker)', () => {
  let ch: ChannelWorker | null = null;
  afterEach(() => ch?.worker.terminate());

  it('moves the file in and every layer array out as transfers, with progress through a proxy', async () => {
    ch = channelWorker(createImportApi());
    const remote = Comlink.wrap<ImportApi>(ch.worker);
    await remote.init({ geoid: GEOID_JSON });
    const original = fixture('sjtsk-plzen.csv');
    const size = original.byteLength;
    const { result: info, bytes } = await remote.inspect(1, Comlink.transfer({ fileName: 'sjtsk-plzen.csv', bytes: original }, [original]));
    expect(original.byteLength).toBe(0); // moved to the worker …
    expect(bytes.byteLength).toBe(size); // … and handed back
    ch.sentTransfers.length = 0;
    const c = info.crsCandidates[0]!;
    const progress: number[] = [];
    const r = await remote.convert(
      2,
      Comlink.transfer({ fileName: 'sjtsk-plzen.csv', bytes, epsg: c.epsg, swapAxes: c.swapAxes, columns: c.columns, verticalDatum: c.verticalDatum }, [bytes]),
      Comlink.proxy((f: number) => void progress.push(f)),
    );
    expect(bytes.byteLength).toBe(0); // moved, not copied
    expect(r.points.xyz).toBeInstanceOf(Float64Array);
    expect(r.counts.features).toBe(3);
    const ref = await convertFile({ fileName: 'x.csv', bytes: fixture('sjtsk-plzen.csv') }, c, { geoid: GEOID });
    expect(Array.from(r.points.xyz)).toEqual(Array.from(ref.points.xyz));
    expect(r.properties.columns[2]).toBeInstanceOf(Float64Array);
    // the result went out with its buffers in the transfer list, which detached them on the worker side
    const withBuffers = ch.sentTransfers.filter((t) => t.some((x) => x instanceof ArrayBuffer));
    expect(withBuffers).toHaveLength(1);
    expect(withBuffers[0]!.length).toBeGreaterThanOrEqual(14);
    for (const b of withBuffers[0]!) expect((b as ArrayBuffer).byteLength).toBe(0);
    // progress messages travel on their own port: wait for the last one
    await vi.waitFor(() => expect(progress.at(-1)).toBe(1));

    const text = await remote.exportGeoJson(3, { layer: r, epsg: 5514 });
    expect(text).toContain('urn:ogc:def:crs:EPSG::5514');
    expect(r.points.xyz.length).toBe(9); // the page keeps its layer: export copies it
  });

  it('a cancel message lands between chunks and the error keeps its name', async () => {
    ch = channelWorker(createImportApi());
    const remote = Comlink.wrap<ImportApi>(ch.worker);
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i};${12 + (i % 1000) * 1e-3};${49 + i * 1e-5}`).join('\n');
    let started!: () => void;
    const firstProgress = new Promise<void>((resolve) => (started = resolve));
    const job = remote.convert(5, { fileName: 'big.csv', bytes: bytesOf(`id;lon;lat\n${rows}\n`), epsg: 4326, options: { chunkChars: 4096 } }, Comlink.proxy(() => started()));
    await firstProgress;
    await remote.cancel(5);
    await expect(job).rejects.toMatchObject({ name: 'JobCancelled' });
  });

  it('file-level failures reject with ImportError and their message', async () => {
    ch = channelWorker(createImportApi());
    const remote = Comlink.wrap<ImportApi>(ch.worker);
    await expect(remote.convert(6, { fileName: 'm.geojson', bytes: fixture('malformed.geojson'), epsg: 4326 })).rejects.toMatchObject({
      name: 'ImportError',
      message: expect.stringMatching(/malformed JSON at line 5/),
    });
  });
});
