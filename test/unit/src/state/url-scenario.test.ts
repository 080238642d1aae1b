import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState } from '../../../../src/state/url';

describe('the scenario in the link (sc)', () => {
  it('round-trips a scenario id', () => {
    const fragment = encodeUrlState({ lang: 'cs', scenarioId: 'sc-mf3k2a01' });
    expect(fragment).toBe('lang=cs&sc=sc-mf3k2a01');
    expect(decodeUrlState(`#${fragment}`)).toEqual({ state: { lang: 'cs', scenarioId: 'sc-mf3k2a01' }, problems: [] });
  });

  it.each(['', '<script>', 'SC-UPPER', '-x', 'a'.repeat(65), "x'||1"])('drops a tampered id %j with a problem, keeping the rest', (bad) => {
    const r = decodeUrlState(`#lang=de&sc=${encodeURIComponent(bad)}`);
    expect(r.state).toEqual({ lang: 'de' });
    expect(r.problems).toEqual(['scenario name is not valid']);
  });
});
