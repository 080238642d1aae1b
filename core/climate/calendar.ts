/**
 * Calendar steps in UTC for a record of months: one month on from 31 January is 28 February (the day clamped to
 * the month's length), one year on from 29 February 2016 is 28 February 2017. Steps from a record's month start
 * (the 1st, 00:00 UTC) stay on month starts, so "every July" is a step of one year from a July.
 */
export type CalendarStep = 'month' | 'year';

export function addCalendar(tMs: number, step: CalendarStep, n: number): number {
  const d = new Date(tMs);
  const months = d.getUTCFullYear() * 12 + d.getUTCMonth() + (step === 'year' ? 12 * n : n);
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** The start of the month (UTC) an instant falls in. */
export function monthStartOf(tMs: number): number {
  const d = new Date(tMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
