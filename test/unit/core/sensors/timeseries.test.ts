import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTimeSeriesStore, DEFAULT_RETENTION } from '../../../../core/sensors/timeseries';

const H = 3600_000;

describe('columnar time-series store', () => {
  it('keeps readings sorted whatever the arrival order, and drops exact duplicates only', () => {
    const s = createTimeSeriesStore();
    const a = s.addStream();
    expect(s.insert(a, 3 * H, 3)).toBe('appended');
    expect(s.insert(a, 1 * H, 1)).toBe('inserted');
    expect(s.insert(a, 2 * H, 2)).toBe('inserted');
    expect(s.insert(a, 2 * H, 2)).toBe('duplicate');
    expect(s.insert(a, 2 * H, 2.5)).toBe('inserted'); // same instant, other result: a correction, kept
    expect(s.insert(a, Number.NaN, 1)).toBe('invalid');
    expect(s.insert(a, 4 * H, Number.POSITIVE_INFINITY)).toBe('outOfRange');
    const all = s.series(a, 0, 10 * H);
    expect(Array.from(all.tMs)).toEqual([H, 2 * H, 2 * H, 3 * H]);
    expect(Array.from(all.value)).toEqual([1, 2, 2.5, 3]);
    expect(s.total()).toBe(4);
  });

  it('answers a window per stream: mean or latest, half-open [t0, t1)', () => {
    const s = createTimeSeriesStore();
    const a = s.addStream();
    const b = s.addStream();
    s.addStream(); // empty stream: not listed
    for (let h = 0; h < 5; h++) s.insert(a, h * H, h);
    s.insert(b, 2 * H, 10);
    const w = s.window(1 * H, 4 * H, 'mean');
    expect(Array.from(w.stream)).toEqual([a, b]);
    expect(Array.from(w.value)).toEqual([2, 10]);
    expect(Array.from(w.count)).toEqual([3, 1]);
    expect(Array.from(s.window(1 * H, 4 * H, 'latest').value)).toEqual([3, 10]);
    expect(Array.from(s.window(0, H, 'mean', [b]).stream)).toEqual([]);
  });

  it('retention drops the oldest by age and by count, and refuses readings already past the age bound', () => {
    const s = createTimeSeriesStore({ maxAgeMs: 10 * H, maxPerStream: 5 });
    const a = s.addStream();
    const b = s.addStream();
    for (let h = 0; h < 8; h++) s.insert(a, h * H, h);
    expect(s.size(a)).toBe(5);
    expect(Array.from(s.series(a, 0, 100 * H).tMs)).toEqual([3, 4, 5, 6, 7].map((h) => h * H));
    s.insert(b, 20 * H, 1); // the store's newest is now 20 h: everything before 10 h is past the bound
    expect(s.insert(a, 2 * H, 1)).toBe('expired');
    expect(s.series(a, 0, 100 * H).tMs.length).toBe(0);
    expect(s.extent()).toEqual([20 * H, 20 * H]);
  });

  it('matches a sorted, de-duplicated reference for any arrival order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 3 })), { maxLength: 400 }), (readings) => {
        const s = createTimeSeriesStore();
        const a = s.addStream();
        for (const [t, v] of readings) s.insert(a, t * 1000, v);
        const seen = new Set<string>();
        const ref: Array<[number, number]> = [];
        for (const [t, v] of readings) {
          if (seen.has(`${t}:${v}`)) continue;
          seen.add(`${t}:${v}`);
          ref.push([t * 1000, v]);
        }
        // Stable sort: equal instants keep arrival order, as the store keeps them.
        ref.sort((x, y) => x[0] - y[0]);
        const got = s.series(a, 0, Infinity);
        expect(Array.from(got.tMs)).toEqual(ref.map((r) => r[0]));
        expect(Array.from(got.value)).toEqual(ref.map((r) => r[1]));
      }),
      { numRuns: 1000 },
    );
  });

  it('compacts instead of growing forever under a sliding retention window', () => {
    const s = createTimeSeriesStore({ maxAgeMs: 100 * 1000, maxPerStream: 1e9 });
    const a = s.addStream();
    for (let i = 0; i < 100_000; i++) s.insert(a, i * 1000, i % 7);
    expect(s.size(a)).toBe(101);
    expect(s.newestMs(a)).toBe(99_999_000);
    expect(s.series(a, 0, Infinity).tMs[0]).toBe(99_899_000);
  });
});

describe('implausible readings', () => {
  const NOW = Date.UTC(2025, 9, 27, 12);

  it('a reading stamped far in the future is rejected and counted, and moves neither retention nor the extent', () => {
    const s = createTimeSeriesStore(DEFAULT_RETENTION, { now: () => NOW });
    const a = s.addStream();
    const b = s.addStream();
    for (let h = 48; h > 0; h--) s.insert(a, NOW - h * H, h);
    expect(s.insert(b, Date.UTC(2099, 0, 1), 5)).toBe('future');
    expect(s.size(a)).toBe(48);
    // Every later reading on every stream is still taken.
    expect(s.insert(a, NOW, 0)).toBe('appended');
    expect(s.insert(b, NOW - H, 7)).toBe('appended');
    expect(s.extent()).toEqual([NOW - 48 * H, NOW]);
    expect(s.rejected()).toEqual({ future: 1, outOfRange: 0 });
  });

  it('a reading a little ahead of the clock (clocks differ) is kept, and retention still counts from the clock', () => {
    const s = createTimeSeriesStore({ maxAgeMs: 10 * H, maxPerStream: 1e9 }, { now: () => NOW });
    const a = s.addStream();
    s.insert(a, NOW - 10 * H + 1, 1);
    expect(s.insert(a, NOW + 30 * 60_000, 2)).toBe('appended');
    expect(s.size(a)).toBe(2);
    expect(s.insert(a, NOW + H + 1, 3)).toBe('future');
  });

  it('values that do not fit a Float32 are rejected, not stored as Infinity', () => {
    const s = createTimeSeriesStore(DEFAULT_RETENTION, { now: () => NOW });
    const a = s.addStream();
    expect(s.insert(a, NOW - H, 1e300)).toBe('outOfRange');
    expect(s.insert(a, NOW - H, -1e39)).toBe('outOfRange');
    expect(s.insert(a, NOW - H, Number.NaN)).toBe('outOfRange');
    expect(s.insert(a, NOW - H, 3e38)).toBe('appended');
    expect(s.rejected()).toEqual({ future: 0, outOfRange: 3 });
    expect(Array.from(s.window(NOW - 2 * H, NOW, 'mean').value).every(Number.isFinite)).toBe(true);
  });

  it('without a clock (a recording) no time is in the future', () => {
    const s = createTimeSeriesStore();
    const a = s.addStream();
    expect(s.insert(a, Date.UTC(2099, 0, 1), 1)).toBe('appended');
  });
});
