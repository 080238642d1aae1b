import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecordedFeed } from '../../../../core/sensors/recorded-feed';
import { parseRecorded, RecordedFileError } from '../../../../core/sensors/recorded';

const fixture = (name: string): string => readFileSync(path.resolve(import.meta.dirname, '../../../fixtures/sensors', name), 'utf8');
const bytes = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;
const H = 3600_000;
const DAY = Date.UTC(2025, 9, 25);

describe('recorded sensor files (replay)', () => {
  it('NDJSON: one stream per station and quantity; bad lines reported with their numbers', () => {
    const r = parseRecorded('day.ndjson', fixture('recorded-day.ndjson'));
    expect(r.datastreams.map((d) => d.name)).toEqual(['Cheb PM10', 'Weiden i.d.OPf. PM10', 'Plzeň-Slovany PM10']);
    expect(r.datastreams.every((d) => d.simulated && d.unitSymbol === 'µg/m³')).toBe(true);
    expect(r.problems).toEqual([
      { line: 6, message: 'not valid JSON' },
      { line: 10, message: 'missing or unreadable: time (ISO 8601 with zone)' },
    ]);
    expect(r.skipped).toBe(2);
    expect(r.tMs.length).toBe(3 * 24 + 1); // the duplicate line is still a row here; the store drops it
  });

  it('CSV with semicolons and decimal commas; a station without a position is skipped, not put at 0,0', () => {
    const r = parseRecorded('day.csv', fixture('recorded-day.csv'));
    expect(r.datastreams.map((d) => d.thingName)).toEqual(['Cheb', 'Weiden i.d.OPf.', 'Plzeň-Slovany']);
    expect(r.skipped).toBe(1);
    expect(r.problems[0]).toEqual({ line: 4, message: 'station “Nowhere” has no usable lon/lat' });
    expect(r.value[0]).toBeCloseTo(2.5, 5);
    expect(r.datastreams[0]!.property).toBe('Air temperature');
  });

  it('a file without any usable reading is a clear error', () => {
    expect(() => parseRecorded('x.csv', 'a,b\n1,2\n')).toThrow(RecordedFileError);
    expect(() => parseRecorded('x.ndjson', '{}\n[1]\n')).toThrow(/no usable reading \(line 1: missing or unreadable: station, property/);
  });

  it('replays as a feed: the same windows and series a live feed answers, duplicates dropped', () => {
    const events: string[] = [];
    const f = openRecordedFeed('day.ndjson', bytes(fixture('recorded-day.ndjson')), (e) => events.push(e.kind));
    expect(f.stats()).toMatchObject({ total: 72, duplicates: 1, connection: 'replay' });
    expect(f.extent).toEqual([DAY, DAY + 23 * H]);
    expect(events).toEqual(['connection', 'progress', 'data']);
    const w = f.window('PM10', DAY + 11 * H + 1, DAY + 12 * H + 1, 'mean');
    expect(w.value.length).toBe(3);
    expect(f.series('file-0', DAY, DAY + 24 * H).tMs.length).toBe(24);
    // At a station's own position the interpolated series is the station's series.
    const at = f.seriesAt('PM10', w.x3035[0]!, w.y3035[0]!, DAY, DAY + 24 * H, H, 40_000);
    const own = f.series(f.datastreams[w.stream[0]!]!.id, DAY, DAY + 24 * H);
    expect(Array.from(at.value)).toEqual(Array.from(own.value));
  });

  it('a 60-day recording replays whole: history is not cut to the live feed\'s retention', () => {
    const start = Date.UTC(2025, 7, 1);
    const lines = ['station;lon;lat;property;time;value'];
    for (let i = 0; i < 60 * 24; i++) lines.push(`Cheb;12.37;50.08;PM10;${new Date(start + i * H).toISOString()};${i % 40}`);
    const f = openRecordedFeed('60-days.csv', bytes(lines.join('\n')), () => {});
    expect(f.stats().total).toBe(1440);
    expect(f.extent).toEqual([start, start + 1439 * H]);
    expect(f.series('file-0', start, start + 2 * H).tMs.length).toBe(2);
  });

  it('a value beyond Float32 is a problem line, not an Infinity in the store', () => {
    const lines = ['station,lon,lat,property,time,value', 'Cheb,12.37,50.08,PM10,2025-10-25T00:00:00Z,12', 'Cheb,12.37,50.08,PM10,2025-10-25T01:00:00Z,1e300'];
    const f = openRecordedFeed('big.csv', bytes(lines.join('\n')), () => {});
    expect(f.problems).toEqual([{ line: 3, message: 'value out of range' }]);
    expect(f.skipped).toBe(1);
    expect(f.stats().total).toBe(1);
  });
});
