import { describe, expect, it } from 'vitest';
import { hourly } from '../../../../src/layers/sensors/description';
import { fallbackRange, formatPragueTime } from '../../../../src/ui/timeline';

describe('timeline times in Europe/Prague, whatever the zone the browser runs in', () => {
  it('the night the clocks go back shows 02:30 twice, with +2 then +1', () => {
    // 26 Oct 2025: 01:00 UTC is when CEST (UTC+2) ends.
    expect(formatPragueTime('en', Date.UTC(2025, 9, 26, 0, 30))).toMatch(/02:30 GMT\+2$/);
    expect(formatPragueTime('en', Date.UTC(2025, 9, 26, 1, 30))).toMatch(/02:30 GMT\+1$/);
  });

  it('the night the clocks go forward has no 02:xx', () => {
    // 30 Mar 2025: 01:00 UTC is 02:00 CET, which becomes 03:00 CEST.
    expect(formatPragueTime('de', Date.UTC(2025, 2, 30, 0, 59))).toMatch(/01:59 GMT\+1$/);
    expect(formatPragueTime('de', Date.UTC(2025, 2, 30, 1, 0))).toMatch(/03:00 GMT\+2$/);
  });

  it('the Prague day of 26 Oct 2025 has 25 hourly buckets, each labelled once', () => {
    // Local midnight to local midnight: 00:00 CEST (22:00 UTC the day before) to 00:00 CET (23:00 UTC).
    const start = Date.UTC(2025, 9, 25, 22);
    const end = Date.UTC(2025, 9, 26, 23);
    const b = hourly(new Float64Array(0), new Float32Array(0), start, end, 3600_000);
    expect(b.tMs.length).toBe(25);
    const labels = Array.from(b.tMs, (t) => formatPragueTime('en', t));
    expect(new Set(labels).size).toBe(25);
    expect(labels.filter((l) => /02:00 GMT\+[12]$/.test(l))).toHaveLength(2);
  });

  it('speaks the UI language', () => {
    expect(formatPragueTime('cs', Date.UTC(2025, 0, 6, 12))).toMatch(/^po/);
    expect(formatPragueTime('de', Date.UTC(2025, 0, 6, 12))).toMatch(/^Mo/);
  });
});

describe('the timeline without a time-aware layer', () => {
  it('spans whole UTC days: the fortnight before today up to the end of tomorrow', () => {
    const now = Date.UTC(2026, 5, 21, 13, 45);
    expect(fallbackRange(now)).toEqual({ startMs: Date.UTC(2026, 5, 7), endMs: Date.UTC(2026, 5, 23) });
  });
});
