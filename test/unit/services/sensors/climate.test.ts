/**
 * The measured ČHMÚ climate record through the sample SensorThings service: every station-month the source has is
 * served with the source's value unchanged and its month as the phenomenon time; a month the source lacks is absent.
 * Checked against a committed excerpt of the source always, and against the whole source where ../shared is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthNumber, monthStartMs, parseClimateRecord } from '../../../../core/climate/record';
import { buildClimateService } from '../../../../services/sensors/climate';
import { DEFAULT_CLIMATE_FILE, startSensorService, type SensorService } from '../../../../services/sensors/service';

const here = import.meta.dirname;
const rawDir = path.resolve(here, '../../../../../shared/data/sensors/chmi_observations/chmi_monthly_1961_2019');
const haveRaw = existsSync(rawDir);
const record = parseClimateRecord(JSON.parse(readFileSync(DEFAULT_CLIMATE_FILE, 'utf8')));
const service = buildClimateService(record);
const START = monthNumber(record.startMonth);

interface Row { station: string; month: string; raw: string }
function rows(file: string, column: string): Row[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: 'greedy' });
  return parsed.data.map((r) => ({ station: r['station_id']!, month: r['month']!, raw: r[column]! }));
}
const thingOf = (stationId: string): number => record.stations.findIndex((s) => s.id === stationId) + 1;
const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

let svc: SensorService;
let base: string;
beforeAll(async () => {
  svc = await startSensorService({ port: 0, liveIntervalMs: 0 });
  base = svc.httpUrl.replace('/sta/v1.1', '/sta-climate/v1.1');
});
afterAll(async () => {
  await svc.close();
});

async function monthOf(datastreamId: number, month: string): Promise<Array<Record<string, unknown>>> {
  const n = monthNumber(month);
  const filter = `phenomenonTime ge ${iso(monthStartMs(n))} and phenomenonTime lt ${iso(monthStartMs(n + 1))}`;
  const res = await fetch(`${base}/Datastreams(${datastreamId})/Observations?$filter=${encodeURIComponent(filter)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Array<Record<string, unknown>> }).value;
}

describe('the climate record as SensorThings', () => {
  it('says at its root that the values are measured, and why it is no warning service', async () => {
    const body = (await (await fetch(base)).json()) as Record<string, unknown>;
    expect(body['measured']).toBe(true);
    expect(String(body['note'])).toMatch(/ČHMÚ.*not a warning service/);
  });

  it('serves each excerpt month with the source value unchanged and the month as an interval', async () => {
    for (const [file, column, k] of [['chmi-t-mean-excerpt.csv', 't_mean_C', 1], ['chmi-precip-excerpt.csv', 'precip_mm', 2]] as const) {
      for (const r of rows(path.join(here, 'fixtures', file), column)) {
        const obs = await monthOf(thingOf(r.station) * 10 + k, r.month);
        expect(obs, `${r.station} ${r.month}`).toHaveLength(1);
        expect(obs[0]!['result']).toBe(Number(r.raw));
        const n = monthNumber(r.month);
        expect(String(obs[0]!['phenomenonTime']).split('/').map(Date.parse)).toEqual([monthStartMs(n), monthStartMs(n + 1)]);
      }
    }
  });

  it('leaves a month the source lacks out, never as zero', async () => {
    const [stationId, series] = Object.entries(record.monthly.temperature.series).find(([, s]) => s.values.includes(null))!;
    const gap = series.first + series.values.indexOf(null);
    const month = `${Math.floor((START + gap) / 12)}-${String(((START + gap) % 12) + 1).padStart(2, '0')}`;
    expect(await monthOf(thingOf(stationId) * 10 + 1, month)).toEqual([]);
  });

  it('describes stations with their elevation and datastreams with unit and resolution', async () => {
    const ds = (await (await fetch(`${base}/Datastreams(${thingOf('C1CHUR01') * 10 + 1})?$expand=Thing/Locations,ObservedProperty`)).json()) as Record<string, any>;
    expect(ds['unitOfMeasurement'].symbol).toBe('°C');
    expect(ds['properties'].timeResolution).toBe('P1M');
    expect(ds['properties'].measured).toBe(true);
    expect(ds['ObservedProperty'].name).toBe('Air temperature');
    expect(ds['Thing'].name).toMatch(/Churáňov/);
    expect(ds['Thing'].Locations[0].location.coordinates[2]).toBeGreaterThan(1000);
  });
});

describe.skipIf(!haveRaw)(`the whole source${haveRaw ? '' : ' (skipped: ../shared/data is not next to the repo)'}`, () => {
  it('has every source station-month exactly once, unchanged, and nothing else', () => {
    for (const [file, column, k] of [['chmi_monthly_t_mean_C_aoi.csv', 't_mean_C', 1], ['chmi_monthly_precip_mm_aoi.csv', 'precip_mm', 2]] as const) {
      const source = rows(path.join(rawDir, file), column);
      for (const r of source) {
        const dsId = thingOf(r.station) * 10 + k;
        const id = dsId * 2 ** 20 + (monthNumber(r.month) - START);
        const o = service.observations.get(id);
        expect(o?.result, `${r.station} ${r.month}`).toBe(Number(r.raw));
        expect(o?.phenomenonTimeMs).toBe(monthStartMs(monthNumber(r.month)));
      }
      const served = service.catalogue.datastreams
        .filter((d) => d.id % 10 === k)
        .reduce((n, d) => n + service.observations.query({ datastreamIds: [d.id], orderBy: 'id', desc: false, skip: 0, top: 0 }).total, 0);
      expect(served).toBe(source.length);
    }
  });
});
