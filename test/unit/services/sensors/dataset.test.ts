/**
 * The simulated dataset: entity ids, determinism for a seed and start time, and plausible values (temperature
 * against height and time of day, pollution in towns against mountain stations, gaps).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, loadStationsFile, observationId, type SensorDataset } from '../../../../services/sensors/dataset';
import { centralEuropeanOffsetH, diurnalShape, HOUR_MS } from '../../../../services/sensors/simulation';
import type { StationsFile } from '../../../../pipeline/sensors/stations';

const STATIONS = path.resolve(import.meta.dirname, '../../../../tilesets/sensors/stations.json');
const WINTER_NOW = Date.parse('2025-01-20T10:25:00Z');
const SUMMER_NOW = Date.parse('2025-07-15T16:40:00Z');

let file: StationsFile;
beforeAll(async () => {
  file = await loadStationsFile(STATIONS);
});

const build = (seed: number, nowMs: number): SensorDataset => buildDataset(file, { seed, nowMs, liveIntervalMs: 60_000 });

function series(d: SensorDataset, dsId: number): Array<{ t: number; v: number }> {
  const out: Array<{ t: number; v: number }> = [];
  for (let t = d.historyStartMs; t < d.historyEndMs; t += HOUR_MS) {
    const o = d.historyObservation(dsId, t);
    if (o) out.push({ t, v: o.result });
  }
  return out;
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const byCode = (d: SensorDataset, stationId: string, key: string): number => {
  const ds = d.datastreams.find((x) => x.properties.stationId === stationId && x.key === key);
  if (!ds) throw new Error(`no ${key} datastream at ${stationId}`);
  return ds.id;
};

describe('sensor dataset entities', () => {
  it('has one Thing and Location per station and one Datastream per station and property, with the id scheme', () => {
    const d = build(1, WINTER_NOW);
    expect(d.things).toHaveLength(file.stations.length);
    expect(d.locations).toHaveLength(file.stations.length);
    expect(d.datastreams).toHaveLength(file.stations.reduce((n, s) => n + s.properties.length, 0));
    expect(d.observedProperties.map((o) => [o.id, o.key])).toEqual([[1, 'PM10'], [2, 'NO2'], [3, 'temperature']]);
    for (const ds of d.datastreams) {
      expect(ds.id).toBe(ds.thingId * 10 + ds.observedPropertyId);
      expect(ds.properties).toMatchObject({ simulated: true, liveIntervalS: 60 });
      expect(ds.observationType).toBe('http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement');
    }
    expect(new Set(d.datastreams.map((x) => x.id)).size).toBe(d.datastreams.length);
    const slovany = d.things.find((t) => t.properties.code === 'PPLAA');
    expect(slovany?.properties).toMatchObject({ network: 'CHMI', country: 'CZ', simulated: true });
    expect(d.location.get(slovany!.id)?.location.coordinates.slice(0, 2)).toEqual([13.402281, 49.732449]);
  });

  it('gives every CHMI station PM10, NO2 and temperature and every DWD station temperature', () => {
    const d = build(1, WINTER_NOW);
    for (const t of d.things) {
      const keys = t.datastreamIds.map((id) => d.datastream.get(id)!.key).toSorted();
      expect(keys).toEqual(t.properties.network === 'CHMI' ? ['NO2', 'PM10', 'temperature'] : ['temperature']);
    }
  });

  it('covers the 14 days before the current hour, hour-aligned, with observation ids ordered like time', () => {
    const d = build(1, WINTER_NOW);
    expect(new Date(d.historyEndMs).toISOString()).toBe('2025-01-20T10:00:00.000Z');
    expect(d.historyEndMs - d.historyStartMs).toBe(14 * 24 * HOUR_MS);
    const ds = d.datastreams[0]!.id;
    const s = series(d, ds);
    for (let i = 1; i < s.length; i++) expect(observationId(ds, s[i]!.t)).toBeGreaterThan(observationId(ds, s[i - 1]!.t));
    expect(d.historyObservation(ds, d.historyEndMs)).toBeNull();
    expect(d.historyObservation(ds, d.historyStartMs - HOUR_MS)).toBeNull();
  });
});

describe('simulated values', () => {
  it('are the same for the same seed and start time and differ for another seed', () => {
    const a = build(42, WINTER_NOW);
    const b = build(42, WINTER_NOW + 10 * 60_000); // same hour
    const c = build(43, WINTER_NOW);
    for (const ds of [a.datastreams[0]!, a.datastreams[5]!, a.datastreams.at(-1)!]) {
      expect(series(b, ds.id)).toEqual(series(a, ds.id));
      expect(series(c, ds.id)).not.toEqual(series(a, ds.id));
    }
    // Live values are a function of time too.
    const t = WINTER_NOW + 3 * HOUR_MS + 17_000;
    expect(b.simulatedValue(a.datastreams[1]!.id, t)).toBe(a.simulatedValue(a.datastreams[1]!.id, t));
  });

  it.each([['winter', WINTER_NOW], ['summer', SUMMER_NOW]] as const)('stay in plausible ranges (%s)', (_season, now) => {
    const d = build(7, now);
    for (const ds of d.datastreams) {
      const vals = series(d, ds.id).map((x) => x.v);
      expect(vals.length).toBeGreaterThan(300);
      expect(vals.every(Number.isFinite)).toBe(true);
      const [lo, hi] = [Math.min(...vals), Math.max(...vals)];
      if (ds.key === 'temperature') {
        expect(lo).toBeGreaterThan(now === WINTER_NOW ? -30 : -5);
        expect(hi).toBeLessThan(now === WINTER_NOW ? 18 : 38);
        expect(hi - lo).toBeGreaterThan(4);
      } else {
        expect(lo).toBeGreaterThan(0);
        expect(hi).toBeLessThan(ds.key === 'PM10' ? 300 : 250);
        expect(hi / lo).toBeGreaterThan(2);
      }
    }
  });

  it('is colder on mountains, warmer in the afternoon than at dawn, and warmer in summer', () => {
    for (const seed of [1, 2, 3]) {
      const w = build(seed, WINTER_NOW);
      const s = build(seed, SUMMER_NOW);
      const arber = (d: SensorDataset): number => mean(series(d, byCode(d, 'DWD-01832', 'temperature')).map((x) => x.v));
      const regensburg = (d: SensorDataset): number => mean(series(d, byCode(d, 'DWD-04104', 'temperature')).map((x) => x.v));
      expect(arber(w)).toBeLessThan(regensburg(w));
      expect(arber(s)).toBeLessThan(regensburg(s) - 4);
      expect(regensburg(s)).toBeGreaterThan(regensburg(w) + 10);
      const at = (d: SensorDataset, utcHour: number): number => mean(series(d, byCode(d, 'DWD-04104', 'temperature')).filter((x) => new Date(x.t).getUTCHours() === utcHour).map((x) => x.v));
      expect(at(s, 13)).toBeGreaterThan(at(s, 4) + 4); // 15 vs 06 CEST
      expect(at(w, 14)).toBeGreaterThan(at(w, 5) + 2); // 15 vs 06 CET
    }
  });

  it('has more PM10 and NO2 in towns than at mountain stations', () => {
    for (const seed of [1, 2, 3]) {
      const d = build(seed, WINTER_NOW);
      for (const key of ['PM10', 'NO2']) {
        const town = mean(['CHMI-PPLAA', 'CHMI-KSOMA'].flatMap((id) => series(d, byCode(d, id, key)).map((x) => x.v)));
        const mountain = mean(['CHMI-PPRMA', 'CHMI-CCHUA'].flatMap((id) => series(d, byCode(d, id, key)).map((x) => x.v)));
        expect(town).toBeGreaterThan(2 * mountain);
      }
    }
  });

  it('piles up pollution in the valleys during the winter inversion episode', () => {
    const d = build(5, WINTER_NOW);
    const { startMs, endMs } = d.simulation.episode;
    expect(endMs - startMs).toBeGreaterThanOrEqual(48 * HOUR_MS);
    const s = series(d, byCode(d, 'CHMI-PPLAA', 'PM10'));
    const during = mean(s.filter((x) => x.t >= startMs + 12 * HOUR_MS && x.t < endMs - 12 * HOUR_MS).map((x) => x.v));
    const outside = mean(s.filter((x) => x.t < startMs || x.t >= endMs).map((x) => x.v));
    expect(during).toBeGreaterThan(1.5 * outside);
  });

  it('leaves a few gaps: some station is offline for some hours', () => {
    const d = build(1, WINTER_NOW);
    const missing = d.datastreams.map((ds) => 336 - series(d, ds.id).length);
    expect(missing.some((n) => n >= 3)).toBe(true);
    expect(missing.filter((n) => n === 0).length).toBeGreaterThan(d.datastreams.length / 2);
  });
});

describe('calendar', () => {
  it('switches to summer time on the last Sundays of March and October at 01:00 UTC', () => {
    expect(centralEuropeanOffsetH(Date.parse('2025-03-30T00:59:00Z'))).toBe(1);
    expect(centralEuropeanOffsetH(Date.parse('2025-03-30T01:00:00Z'))).toBe(2);
    expect(centralEuropeanOffsetH(Date.parse('2025-10-26T00:59:00Z'))).toBe(2);
    expect(centralEuropeanOffsetH(Date.parse('2025-10-26T01:00:00Z'))).toBe(1);
  });
  it('has the diurnal minimum at 06 and maximum at 15 local time', () => {
    expect(diurnalShape(6)).toBeCloseTo(-1, 9);
    expect(diurnalShape(15)).toBeCloseTo(1, 9);
    for (let h = 0; h < 24; h += 0.25) {
      expect(diurnalShape(h)).toBeGreaterThanOrEqual(-1 - 1e-12);
      expect(diurnalShape(h)).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});
