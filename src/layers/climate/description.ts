/**
 * The climate record layer, renderer-neutral: colour scales (fixed over the whole record, so July 1976 and July
 * 2015 compare by colour), which month or decade the scene time selects, and that frame's label.
 */
import { interpolateBrBG, interpolateRdBu, interpolateRdYlBu, interpolateYlGnBu } from 'd3-scale-chromatic';
import { monthNumber } from '../../../core/climate/record';
import type { ClimateSelection } from '../../../core/climate/frame';
import type { ClimatePeriod, ClimateQuantityId } from '../../state/types';

export interface ClimateStyle {
  readonly domain: readonly [number, number];
  readonly interpolate: (t: number) => string;
  readonly scheme: string;
}

/** Values: the range of the region's monthly means and sums; anomalies: diverging, centred on the normal. */
export const CLIMATE_STYLES: Readonly<Record<ClimateQuantityId, { value: ClimateStyle; anomaly: ClimateStyle }>> = {
  temperature: {
    value: { domain: [-12, 22], interpolate: (t) => interpolateRdYlBu(1 - t), scheme: 'RdYlBu (reversed)' },
    anomaly: { domain: [-5, 5], interpolate: (t) => interpolateRdBu(1 - t), scheme: 'RdBu (reversed), diverging' },
  },
  precipitation: {
    value: { domain: [0, 200], interpolate: interpolateYlGnBu, scheme: 'YlGnBu' },
    anomaly: { domain: [-100, 100], interpolate: interpolateBrBG, scheme: 'BrBG, diverging' },
  },
};

export const styleOfClimate = (q: ClimateQuantityId, anomaly: boolean): ClimateStyle => CLIMATE_STYLES[q][anomaly ? 'anomaly' : 'value'];

/** The first year of the decade a year is in, counted from the record's start (1961–1970, 1971–1980, …). */
export function decadeStart(year: number, firstYear: number): number {
  return firstYear + Math.floor((year - firstYear) / 10) * 10;
}

/** The month (index into the record) or decade the scene time selects, clamped to the record. */
export function selectionAt(timeMs: number, startMonth: string, months: number, period: ClimatePeriod): ClimateSelection {
  const d = new Date(timeMs);
  const month = Math.min(months - 1, Math.max(0, d.getUTCFullYear() * 12 + d.getUTCMonth() - monthNumber(startMonth)));
  if (period === 'month') return { kind: 'month', month };
  const firstYear = Number(startMonth.slice(0, 4));
  const year = firstYear + Math.floor(month / 12);
  return { kind: 'decade', decadeStartYear: decadeStart(year, firstYear), calendarMonth: month % 12 };
}

const LOCALES = { en: 'en-GB', cs: 'cs-CZ', de: 'de-DE' } as const;

/** "July 1976" / "červenec 1976"; for a decade "July 2011–2020" (the years the mean covers, within the record). */
export function selectionLabel(lang: keyof typeof LOCALES, sel: ClimateSelection, startMonth: string, months: number): string {
  const start = monthNumber(startMonth);
  if (sel.kind === 'month') {
    const n = start + sel.month;
    return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(Date.UTC(Math.floor(n / 12), n % 12, 1));
  }
  const monthName = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', month: 'long' }).format(Date.UTC(2000, sel.calendarMonth, 1));
  const lastYear = Math.min(sel.decadeStartYear + 9, Math.floor((start + months - 1) / 12));
  return `${monthName} ${sel.decadeStartYear}–${lastYear}`;
}
