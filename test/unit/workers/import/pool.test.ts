import { afterEach, describe, expect, it } from 'vitest';
import { createImportPool, type ImportPool } from '../../../../src/services/import-pool';
import { createImportApi } from '../../../../workers/import/api';
import { channelWorker } from '../../src/services/channel-worker';
import { fixture, GEOID_JSON } from '../../core/formats/import/helpers';

describe('import pool', () => {
  let pool: ImportPool | null = null;
  afterEach(() => pool?.dispose());

  it('runs inspect (bytes moved there and back) then convert (bytes moved) in a worker set up with the geoid', async () => {
    pool = createImportPool({ loadInit: () => Promise.resolve({ geoid: GEOID_JSON }), createWorker: () => channelWorker(createImportApi()).worker });
    await pool.ready();
    const original = fixture('bavaria-utm32.geojson');
    const size = original.byteLength;
    const { result: info, bytes } = await pool.run('inspect', 'import:b', { fileName: 'b.geojson', bytes: original });
    expect(original.byteLength).toBe(0);
    expect(bytes.byteLength).toBe(size);
    const c = info.crsCandidates[0]!;
    const layer = await pool.run('convert', 'import:b', { fileName: 'b.geojson', bytes, epsg: c.epsg, swapAxes: c.swapAxes, verticalDatum: c.verticalDatum });
    expect(bytes.byteLength).toBe(0);
    expect(layer.counts.features).toBe(4);
    expect(layer.heights).toEqual({ mode: 'ellipsoidal', sourceDatum: 'DHHN2016' });
    expect(pool.stats()).toMatchObject({ mode: 'worker', workers: 1 });
  });

  it('inline mode runs the same API in the page', async () => {
    pool = createImportPool({ loadInit: () => Promise.resolve({ geoid: GEOID_JSON }), mode: 'inline' });
    const layer = await pool.run('convert', 'import:c', { fileName: 'c.city.json', bytes: fixture('cube-25832.city.json'), epsg: 25832 });
    expect(layer.counts.triangles).toBe(12);
  });
});
