import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { LUT_SIZE } from '../../../../../core/aggregation/colour';
import { cameraForBox, defaultComparison, initialCoverageInfo, RSRP_DOMAIN_DBM, rsrpColour, sortStats, statsToCsv, filterStats } from '../../../../../src/layers/coverage/description';
import { changedMastPositions, mastSignature, modelForBand, sourceSites } from '../../../../../src/layers/coverage/sites';
import type { CoverageData } from '../../../../../src/layers/coverage/data';
import { SITE_MODEL_ASSUMPTIONS } from '../../../../../core/coverage/dataset';
import type { CoverageStatsRow, ScenarioMast } from '../../../../../src/state/types';
import { createAppStore } from '../../../../../src/state/store';
import { selectActiveMasts } from '../../../../../src/state/slices';

const row = (over: Partial<CoverageStatsRow>): CoverageStatsRow => ({
  group: 'unit',
  zone: 1,
  name: 'Plzeňský kraj',
  code: 'CZ-PK',
  country: 'CZ',
  areaKm2: 100,
  coveredPctA: 50,
  coveredPctB: 25,
  meanDbmA: -100,
  meanDbmB: -105,
  meanDiffDb: 5,
  onlyAPct: 30,
  onlyBPct: 5,
  bothPct: 20,
  neitherPct: 45,
  noDataPct: 0,
  ...over,
});

const opaque = (coveredDbm: number) => rsrpColour(coveredDbm).lut.filter((alpha, i) => i % 4 === 3 && alpha > 0).length;

describe('coverage colours', () => {
  it('is transparent exactly below the covered threshold', () => {
    const { lut, domain } = rsrpColour(-110);
    expect(domain).toEqual(RSRP_DOMAIN_DBM);
    for (let k = 0; k < LUT_SIZE; k++) {
      const v = domain[0] + (k / (LUT_SIZE - 1)) * (domain[1] - domain[0]);
      expect(lut[k * 4 + 3] === 0, `entry ${k} (${v.toFixed(1)} dBm)`).toBe(v < -110);
    }
  });
  it('moves the cut with the threshold', () => {
    expect(opaque(-100)).toBeLessThan(opaque(-120));
  });
});

describe('coverage statistics table', () => {
  it('exports the rows as CSV that parses back to the same numbers, with formula-like names neutralised', () => {
    const rows = [row({}), row({ zone: 2, name: '=HYPERLINK("x")', country: 'DE', meanDbmB: Number.NaN, meanDiffDb: Number.NaN })];
    const csv = statsToCsv(rows, 'Telekom Deutschland', 'T-Mobile Czech Republic');
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[0]).toMatchObject({ zone: 'Plzeňský kraj', covered_pct_a: '50', mean_rsrp_dbm_a: '-100', mean_diff_db: '5', source_a: 'Telekom Deutschland' });
    expect(parsed.data[1]!['zone']).toBe(`'=HYPERLINK("x")`);
    expect(parsed.data[1]!['mean_rsrp_dbm_b']).toBe('');
  });
  it('sorts by a column with no-prediction rows last in both directions', () => {
    const rows = [row({ name: 'a', meanDbmA: -90 }), row({ name: 'b', meanDbmA: Number.NaN }), row({ name: 'c', meanDbmA: -120 })];
    expect(sortStats(rows, 'meanDbmA', false).map((r) => r.name)).toEqual(['c', 'a', 'b']);
    expect(sortStats(rows, 'meanDbmA', true).map((r) => r.name)).toEqual(['a', 'c', 'b']);
    expect(sortStats(rows, 'name', true).map((r) => r.name)).toEqual(['c', 'b', 'a']);
  });
  it('flies to the middle of a zone, high enough to see it', () => {
    const cam = cameraForBox([12, 49, 14, 50]);
    expect(cam.lonDeg).toBe(13);
    expect(cam.latDeg).toBe(49.5);
    expect(cam.heightM).toBeGreaterThan(110_000);
    expect(cam.pitchDeg).toBe(-90);
  });
});

describe('coverage defaults', () => {
  it('compares the largest German operator with the largest Czech one', () => {
    const sources = [
      { id: '262-02', kind: 'modelled', label: 'V', country: 'DE', sites: 10 },
      { id: '262-01', kind: 'modelled', label: 'T', country: 'DE', sites: 30 },
      { id: '230-01', kind: 'modelled', label: 'TM', country: 'CZ', sites: 5 },
      { id: '230-02', kind: 'modelled', label: 'O2', country: 'CZ', sites: 7 },
    ] as const;
    expect(defaultComparison(sources)).toEqual({ a: '262-01', b: '230-02' });
    expect(initialCoverageInfo(sources, 200, 0.3)).toMatchObject({ a: '262-01', b: '230-02', mode: 'single', coveredDbm: -110, goodDbm: -95, progress: 0 });
  });
  it('uses COST 231-Hata only inside its fitted band', () => {
    expect(modelForBand(1800)).toBe('cost231-hata');
    expect(modelForBand(700)).toBe('tr38901-rma');
    expect(modelForBand(3500)).toBe('tr38901-rma');
  });
});

const mast = (id: string, lonDeg: number, operator = '262-01'): ScenarioMast => ({ id, kind: 'mast', operator, lonDeg, latDeg: 50, antennaAglM: 40 });
const site = (id: string, operator: string, xM: number) => ({
  id, operator, lonDeg: 12, latDeg: 50, xM, yM: 3_000_000, groundHeightEllipsoidalM: 500, technologies: ['GSM'], cellCount: 1, samples: 3, rangeM: 1000, cellIds: ['1-1'], updated: '2022-09-10',
});

describe('coverage sources with proposed masts', () => {
  const data = {
    file: {
      about: '', source: { name: '', file: '', licence: '', attribution: '', note: '' }, crs: 'EPSG:3035',
      grid: { xMinM: 0, yMaxM: 0, cellM: 200, width: 1, height: 1 },
      operators: {}, model: SITE_MODEL_ASSUMPTIONS, skipped: [],
      sites: [site('s1', '262-01', 4_400_000), site('s2', '230-01', 4_500_000), site('s3', '262-01', 4_410_000)],
    },
    sites: [],
  } as unknown as CoverageData;
  it("appends the operator's masts after its sites, with the band's power and the mast's height", () => {
    const s = sourceSites({ ...data, sites: data.file.sites }, '262-01', 1800, [mast('m1', 12.5), mast('m2', 12.6, '230-01')], ([lon]) => [lon * 1e5, 7]);
    expect(s.arrays.count).toBe(3);
    expect([...s.arrays.x]).toEqual([4_400_000, 4_410_000, 1_250_000]);
    expect(s.arrays.antennaAglM[2]).toBe(40);
    expect(Number.isNaN(s.arrays.groundM[2]!)).toBe(true);
    const b1800 = SITE_MODEL_ASSUMPTIONS.bands.find((b) => b.id === '1800')!;
    expect(s.arrays.eirpDbm[2]).toBeCloseTo(b1800.eirpPerReDbm, 4);
    expect(s.arrays.fMHz[0]).toBeCloseTo(b1800.fMHz, 3);
    expect(s.origin.map((o) => ('site' in o ? o.site.id : o.mast.id))).toEqual(['s1', 's3', 'm1']);
  });
  it('finds the positions a mast change affects, and only those of the operator', () => {
    const before = [mast('m1', 12.5), mast('m2', 12.6), mast('x', 13, '230-01')];
    const after = [mast('m1', 12.5), { ...mast('m2', 12.7) }, mast('m3', 12.8)];
    expect(changedMastPositions(before, after, '262-01').toSorted()).toEqual([[12.6, 50], [12.7, 50], [12.8, 50]].toSorted());
    expect(changedMastPositions(before, after, '230-01')).toEqual([[13, 50]]);
    expect(mastSignature(before, '262-01')).not.toBe(mastSignature(after, '262-01'));
    expect(mastSignature(before, '262-02')).toBe(mastSignature(after, '262-02'));
  });
});

describe('scenario masts in the store', () => {
  it('adds, moves and removes masts, ignoring a repeated id', () => {
    const store = createAppStore();
    const s = store.getState();
    s.addMast({ id: 'a', kind: 'mast', operator: '262-01', lonDeg: 12, latDeg: 50, antennaAglM: 30 });
    s.addMast({ id: 'a', kind: 'mast', operator: '262-01', lonDeg: 13, latDeg: 50, antennaAglM: 30 });
    expect(selectActiveMasts(store.getState())).toHaveLength(1);
    store.getState().moveMast('a', 12.5, 49.5);
    expect(selectActiveMasts(store.getState())[0]).toMatchObject({ lonDeg: 12.5, latDeg: 49.5 });
    store.getState().removeMast('a');
    expect(selectActiveMasts(store.getState())).toEqual([]);
  });
  it('does not notify for an unchanged coverage patch', () => {
    const store = createAppStore();
    store.getState().addLayer('coverage', 'coverage');
    store.getState().patchCoverage('coverage', {}, initialCoverageInfo([], 200, 0));
    let calls = 0;
    store.subscribe(() => calls++);
    store.getState().patchCoverage('coverage', { mode: 'single' });
    expect(calls).toBe(0);
    store.getState().patchCoverage('coverage', { mode: 'diff' });
    expect(calls).toBe(1);
  });
});

describe('municipality search', () => {
  it('matches names ignoring case and accents', () => {
    const rows = ['Domažlice', 'Furth im Wald', 'Dolní Žandov'].map((name, i) => ({ group: 'municipality', zone: i + 1, name, code: `X-${i}`, country: 'CZ' }) as unknown as CoverageStatsRow);
    expect(filterStats(rows, 'domazl').map((r) => r.name)).toEqual(['Domažlice']);
    expect(filterStats(rows, ' ZAN').map((r) => r.name)).toEqual(['Dolní Žandov']);
    expect(filterStats(rows, '')).toHaveLength(3);
  });
});
