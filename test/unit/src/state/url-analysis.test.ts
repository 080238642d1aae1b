import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState } from '../../../../src/state/url';

describe('a link carries the analysis shown', () => {
  const coverage = { a: '230-01', b: '262-01', bandMHz: 1800, mode: 'swipe' as const, coveredDbm: -110, goodDbm: -95.5 };

  it('round-trips the coverage comparison, the heatmap’s quantity and method, and the sun study', () => {
    const text = encodeUrlState({ workspace: 'coverage', coverage, sensors: { property: 'PM10', op: 'kde' }, sun: true });
    expect(text).toContain('cov=230-01,262-01,1800,swipe,-110,-95.5');
    expect(text).toContain('sens=PM10,kde');
    const back = decodeUrlState(text);
    expect(back.problems).toEqual([]);
    expect(back.state).toEqual({ workspace: 'coverage', coverage, sensors: { property: 'PM10', op: 'kde' }, sun: true });
  });

  it.each([
    ['cov=a,b,1800,swipe,-110', 'coverage comparison'],
    ['cov=a,b,1800,melt,-110,-90', 'coverage comparison'],
    ['cov=a,b,1800,diff,-90,-110', 'coverage comparison'],
    ['cov=<b>,b,1800,diff,-110,-90', 'coverage comparison'],
    ['cov=a,b,18.5,diff,-110,-90', 'coverage comparison'],
    ['sens=PM10,magic', 'sensor quantity'],
    ['sens=<img>,idw', 'sensor quantity'],
    ['sun=yes', 'sun study'],
  ])('drops %s and names it', (fragment, named) => {
    const r = decodeUrlState(`#ws=explore&${fragment}`);
    expect(r.state).toEqual({ workspace: 'explore' });
    expect(r.problems.join()).toContain(named);
  });
});
