import { describe, expect, it } from 'vitest';
import { addCalendar, monthStartOf } from '../../../../core/climate/calendar';

const ms = (iso: string): number => Date.parse(iso);

describe('calendar steps (UTC)', () => {
  it('steps months from a month start, across years', () => {
    expect(addCalendar(ms('1976-07-01T00:00:00Z'), 'month', 1)).toBe(ms('1976-08-01T00:00:00Z'));
    expect(addCalendar(ms('1976-12-01T00:00:00Z'), 'month', 1)).toBe(ms('1977-01-01T00:00:00Z'));
    expect(addCalendar(ms('1961-01-01T00:00:00Z'), 'month', -1)).toBe(ms('1960-12-01T00:00:00Z'));
  });

  it('clamps the day to the shorter month, and a leap day to 28 February', () => {
    expect(addCalendar(ms('2019-01-31T12:00:00Z'), 'month', 1)).toBe(ms('2019-02-28T12:00:00Z'));
    expect(addCalendar(ms('2016-02-29T00:00:00Z'), 'year', 1)).toBe(ms('2017-02-28T00:00:00Z'));
  });

  it('steps years through the same month (every July)', () => {
    expect(addCalendar(ms('1976-07-01T00:00:00Z'), 'year', 39)).toBe(ms('2015-07-01T00:00:00Z'));
    expect(monthStartOf(ms('2015-07-19T08:00:00Z'))).toBe(ms('2015-07-01T00:00:00Z'));
  });
});
