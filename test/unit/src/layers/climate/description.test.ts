import { describe, expect, it } from 'vitest';
import { decadeStart, selectionAt, selectionLabel, styleOfClimate } from '../../../../../src/layers/climate/description';
import { yearTicks } from '../../../../../src/ui/timeline';

describe('the climate layer, renderer-neutral', () => {
  it('selects the month of the scene time, clamped to the record', () => {
    expect(selectionAt(Date.parse('1976-07-15T10:00:00Z'), '1961-01', 708, 'month')).toEqual({ kind: 'month', month: 15 * 12 + 6 });
    expect(selectionAt(Date.parse('2025-07-01T00:00:00Z'), '1961-01', 708, 'month')).toEqual({ kind: 'month', month: 707 });
    expect(selectionAt(Date.parse('1950-07-01T00:00:00Z'), '1961-01', 708, 'month')).toEqual({ kind: 'month', month: 0 });
  });

  it('selects decades counted from the record’s first year (1961–1970 …) and labels them in the UI language', () => {
    expect(decadeStart(1970, 1961)).toBe(1961);
    expect(decadeStart(1971, 1961)).toBe(1971);
    const sel = selectionAt(Date.parse('2015-07-01T00:00:00Z'), '1961-01', 708, 'decade');
    expect(sel).toEqual({ kind: 'decade', decadeStartYear: 2011, calendarMonth: 6 });
    // The record ends in 2019: the label says which years the mean covers.
    expect(selectionLabel('en', sel, '1961-01', 708)).toBe('July 2011–2019');
    expect(selectionLabel('cs', { kind: 'month', month: 186 }, '1961-01', 708)).toBe('červenec 1976');
    expect(selectionLabel('de', { kind: 'month', month: 186 }, '1961-01', 708)).toBe('Juli 1976');
  });

  it('keeps one colour scale for the whole record; anomalies are diverging around zero', () => {
    expect(styleOfClimate('temperature', false).domain).toEqual([-12, 22]);
    const a = styleOfClimate('temperature', true).domain;
    expect(a[0]).toBe(-a[1]);
  });

  it('puts a year every decade under a timeline of sixty years, none under a fortnight', () => {
    const ticks = yearTicks(Date.parse('1961-01-01T00:00:00Z'), Date.parse('2019-12-01T00:00:00Z'));
    expect(ticks.map((x) => x.year)).toEqual([1970, 1980, 1990, 2000, 2010]);
    expect(ticks[0]!.at).toBeCloseTo(9 / 58.92, 2);
    expect(yearTicks(Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-12-07T00:00:00Z'))).toEqual([]);
  });
});
