/**
 * The sensors worker's climate record: read through the sample SensorThings service (over a real socket) it gives
 * the same station values as the record file; a service that does not answer falls back to the file, and says so.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lutFromInterpolator } from '../../../../core/aggregation/colour';
import { DEFAULT_CLIMATE_FILE, startSensorService, type SensorService } from '../../../../services/sensors/service';
import { createClimateApi } from '../../../../workers/sensors/climate-api';

const RECORD_URL = 'http://twin.test/tilesets/sensors/climate-record.json';
const recordText = readFileSync(DEFAULT_CLIMATE_FILE, 'utf8');
/** The page's fetch: the record file from the app's origin, everything else over the network. */
const fetchFn = ((url: string | URL) => (String(url) === RECORD_URL ? Promise.resolve(new Response(recordText)) : fetch(url))) as typeof fetch;
const colour = { domain: [-12, 22] as const, lut: lutFromInterpolator(() => '#888') };
const july1976 = { kind: 'month', month: 15 * 12 + 6 } as const;

let svc: SensorService;
beforeAll(async () => {
  svc = await startSensorService({ port: 0, liveIntervalMs: 0 });
});
afterAll(async () => {
  await svc.close();
});

describe('the climate record in the sensors worker', () => {
  it('reads the same values through SensorThings as from the record file', async () => {
    const viaSta = createClimateApi(fetchFn);
    const viaFile = createClimateApi(fetchFn);
    const staUrl = svc.httpUrl.replace('/sta/v1.1', '/sta-climate/v1.1');
    const progress: number[] = [];
    const a = await viaSta.openClimate({ staUrl, recordUrl: RECORD_URL }, 'temperature', null, (f) => progress.push(f));
    const b = await viaFile.openClimate({ staUrl: null, recordUrl: RECORD_URL }, 'temperature', null, () => {});
    expect(a.via).toBe('sensorthings');
    expect(b.via).toBe('file');
    expect(a.stationIds).toEqual(b.stationIds);
    expect(a.stationIds).toContain('C1CHUR01');
    expect(progress.at(-1)).toBe(1);
    const fa = await viaSta.climateFrame('temperature', { selection: july1976, anomaly: true, useElevation: false, colour });
    const fb = await viaFile.climateFrame('temperature', { selection: july1976, anomaly: true, useElevation: false, colour });
    expect(Array.from(fa.stationValues)).toEqual(Array.from(fb.stationValues));
    expect(fa.stationsWithValue).toBeGreaterThan(20);
    const series = await viaSta.climateSeries('temperature', a.stationIds.indexOf('C1CHUR01'));
    expect(series.values.filter((v) => !Number.isNaN(v))).toHaveLength(708);
    expect(series.trend.perDecade).toBeGreaterThan(0);
  });

  it('falls back to the record file when the service does not answer, and says why', async () => {
    const api = createClimateApi(fetchFn);
    const m = await api.openClimate({ staUrl: 'http://127.0.0.1:9/sta-climate/v1.1', recordUrl: RECORD_URL }, 'precipitation', null, () => {});
    expect(m.via).toBe('file');
    expect(m.fallback).toMatch(/unreachable/);
    expect(m.stationIds).toHaveLength(240);
  });
});
