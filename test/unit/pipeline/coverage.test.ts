/**
 * The coverage step: its pure parts on small inputs, and the committed output in tilesets/coverage (always run:
 * the app loads these files, so their layout and content are checked whether or not the raw data is here).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellIndexAt, gridAround } from '../../../pipeline/coverage/grid';
import { buildSites, groupWithin, OPERATORS, parseOpenCellId, type SiteInputs } from '../../../pipeline/coverage/sites';
import { cellBlockOf, rasteriseUnit } from '../../../pipeline/coverage/zones';
import { converter } from '../../../core/geo/crs';
import { parseManifest } from '../../../core/manifest';
import {
  DEM_NO_DATA,
  decodeDem,
  decodeZones,
  encodeDem,
  parseSitesFile,
  parseZonesFile,
  siteArraysFromFile,
  SITE_MODEL_ASSUMPTIONS,
} from '../../../core/coverage/dataset';
import type { GridSpec3035 } from '../../../core/coverage/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const toLaea = converter(4326, 3035);
const fromLaea = converter(3035, 4326);
const laea = (lon: number, lat: number): [number, number] => toLaea.forward([lon, lat]) as [number, number];

describe('coverage step: sites', () => {
  const header = 'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal';

  it('parses OpenCelliD records and skips foreign operators and broken rows, with their lines', () => {
    const csv = [
      header,
      'GSM,262,1,17429,9492,0,11.806909,50.289318,5510,110,1,1310384535,1662714375,0',
      'GSM,262,9,17429,1,0,11.8,50.2,100,1,1,0,1662714375,0',
      'LTE,230,2,1,2,0,abc,50.2,100,1,1,0,1662714375,0',
      'NR,230,3,1,3,0,12.9,49.7,900,7,1,0,1662714375,0',
    ].join('\n');
    const { cells, skipped } = parseOpenCellId(csv);
    expect(cells.map((c) => [c.radio, c.mcc, c.net, c.line])).toEqual([['GSM', 262, 1, 2], ['NR', 230, 3, 5]]);
    expect(skipped).toEqual([
      { line: 3, reason: 'operator 262-09 is not one of the region\'s networks' },
      { line: 4, reason: 'lonDeg is not a number' },
    ]);
    expect(() => parseOpenCellId('radio,mcc\nGSM,262\n')).toThrow(/missing columns/);
  });

  it('groups points within 50 m (single linkage) and keeps others apart', () => {
    const x = Float64Array.from([0, 30, 60, 200, 1000, 1049.9]);
    const y = Float64Array.from([0, 0, 0, 0, 0, 0]);
    expect(Array.from(groupWithin(x, y, 50))).toEqual([0, 0, 0, 3, 4, 4]);
  });

  it('builds one site per mast and operator at the mean position, ids in a stable order', () => {
    const inputs: SiteInputs = {
      toLaea: laea,
      fromLaea: (px, py) => fromLaea.forward([px, py]) as [number, number],
      groundAt: (lon) => (lon > 13 ? 350.04 : null),
    };
    const base = { area: 1, rangeM: 1000, samples: 10, updated: 1_662_714_375, line: 0 };
    // Two cells of 230-01 ten metres apart (one mast), one of 230-02 at the same spot (another operator's site).
    const [x0, y0] = laea(13.3775, 49.7477);
    const [lon2, lat2] = fromLaea.forward([x0 + 10, y0]) as [number, number];
    const cells = [
      { ...base, radio: 'LTE', mcc: 230, net: 1, cell: 2, lonDeg: lon2, latDeg: lat2, samples: 5, rangeM: 2000 },
      { ...base, radio: 'GSM', mcc: 230, net: 1, cell: 1, lonDeg: 13.3775, latDeg: 49.7477 },
      { ...base, radio: 'GSM', mcc: 230, net: 2, cell: 1, lonDeg: 13.3775, latDeg: 49.7477 },
      { ...base, radio: 'GSM', mcc: 262, net: 1, cell: 7, lonDeg: 12.1, latDeg: 49.0 },
    ];
    const { sites, operators } = buildSites(cells, inputs);
    expect(sites.map((s) => s.id)).toEqual(['230-01-0001', '230-02-0001', '262-01-0001']);
    const mast = sites[0]!;
    expect(mast.xM).toBeCloseTo(x0 + 5, 1);
    expect(mast.technologies).toEqual(['GSM', 'LTE']);
    expect(mast.cellCount).toBe(2);
    expect(mast.samples).toBe(15);
    expect(mast.rangeM).toBe(2000);
    expect(mast.cellIds).toEqual(['1-1', '1-2']);
    expect(mast.groundHeightEllipsoidalM).toBe(350);
    expect(mast.updated).toBe('2022-09-09');
    expect(sites[2]!.groundHeightEllipsoidalM).toBeNull();
    expect(Object.keys(operators)).toEqual(Object.keys(OPERATORS).toSorted());
    expect(operators['230-01']).toMatchObject({ name: 'T-Mobile Czech Republic', sites: 1, cells: 2 });
    expect(operators['230-03']).toMatchObject({ sites: 0, cells: 0 });
    // The same cells in another order give the same sites.
    expect(buildSites(cells.toReversed(), inputs).sites).toEqual(sites);
  });
});

describe('coverage step: grid, DEM and zones encoding', () => {
  it('snaps the grid outwards to whole cells around the points plus the margin', () => {
    const g = gridAround([4_500_050, 4_510_130], [2_900_010, 2_905_000], 10_000, 200);
    expect(g).toEqual({ xMinM: 4_490_000, yMaxM: 2_915_000, cellM: 200, width: 151, height: 125 });
    expect(cellIndexAt(g, 4_490_000, 2_915_000)).toBe(0);
    expect(cellIndexAt(g, 4_490_000, 2_914_800)).toBe(g.width);
    expect(cellIndexAt(g, 4_489_999, 2_915_000)).toBe(-1);
  });

  it('round-trips heights through dem-3035.bin to the decimetre, NaN as no data', () => {
    const g: GridSpec3035 = { xMinM: 0, yMaxM: 0, cellM: 200, width: 3, height: 2 };
    const h = Float32Array.from([361.26, Number.NaN, -12.34, 1500, 0, 99999]);
    const bytes = encodeDem(g, h);
    expect(bytes.byteLength).toBe(12);
    expect(new DataView(bytes.buffer).getInt16(2, true)).toBe(DEM_NO_DATA);
    expect(new DataView(bytes.buffer).getInt16(0, true)).toBe(3613);
    const back = decodeDem(bytes, g).heightM;
    expect(Array.from(back.subarray(0, 5), (v) => (Number.isNaN(v) ? null : Math.round(v * 10) / 10))).toEqual([361.3, null, -12.3, 1500, 0]);
    expect(back[5]).toBeCloseTo(3276.7, 3);
    expect(() => decodeDem(bytes.subarray(2), g)).toThrow(/bytes, expected 12/);
  });

  it('rasterises a polygon with a hole at the cell centres (even-odd), first unit keeps overlaps', () => {
    const g: GridSpec3035 = { xMinM: 0, yMaxM: 1000, cellM: 100, width: 10, height: 10 };
    // Outer square 100…900 (8 × 8 centres), hole 300…500 (2 × 2 centres).
    const outer = Float64Array.from([100, 100, 900, 100, 900, 900, 100, 900, 100, 100]);
    const hole = Float64Array.from([300, 300, 500, 300, 500, 500, 300, 500]);
    const plane = new Uint8Array(100);
    expect(rasteriseUnit(g, [outer, hole], plane, 1)).toEqual({ cells: 60, overlaps: 0 });
    expect(plane[9 * 10 + 1]).toBe(0); // centre (150, 50): south of the square
    expect(plane[8 * 10 + 1]).toBe(1); // centre (150, 150)
    expect(plane[6 * 10 + 3]).toBe(0); // centre (350, 350), in the hole
    expect(plane[0]).toBe(0);
    const second = rasteriseUnit(g, [Float64Array.from([0, 0, 1000, 0, 1000, 1000, 0, 1000])], plane, 2);
    expect(second).toEqual({ cells: 40, overlaps: 60 });
    expect(cellBlockOf(g, plane, 1)).toEqual({ col0: 1, row0: 1, col1: 9, row1: 9 });
  });
});

// ---- committed output ---------------------------------------------------------------------------------------

const dir = path.join(repoRoot, 'tilesets', 'coverage');
const manifest = parseManifest(JSON.parse(readFileSync(path.join(repoRoot, 'tilesets', 'manifest.json'), 'utf8')));
const entry = manifest.layers.find((l) => l.id === 'coverage');

describe('tilesets/coverage (committed output)', () => {
  it('has one manifest entry of kind coverage, with the grid and the files', () => {
    expect(entry).toBeDefined();
    expect(entry!.kind).toBe('coverage');
    expect(entry!.url).toBe('coverage/sites.json');
    expect(entry!.licence).toBe('CC BY-SA 4.0');
    expect(entry!.attribution).toBe('Cell positions: OpenCelliD (CC BY-SA 4.0)');
    const ex = entry!.extras as Record<string, unknown>;
    for (const k of ['sites', 'dem', 'zones', 'zonesList'] as const) expect(existsSync(path.join(repoRoot, 'tilesets', String(ex[k])))).toBe(true);
    expect(ex['modelled']).toBe(true);
    expect(ex['zonePlanes']).toEqual(['admin1', 'side', 'municipality']);
  });

  const grid = (entry?.extras as { grid: GridSpec3035 } | undefined)?.grid as GridSpec3035;
  const sites = parseSitesFile(JSON.parse(readFileSync(path.join(dir, 'sites.json'), 'utf8')));
  const zones = parseZonesFile(JSON.parse(readFileSync(path.join(dir, 'zones.json'), 'utf8')));

  it('uses one 200 m grid on whole cells, the same in every file', () => {
    expect(grid.cellM).toBe(200);
    expect(grid.xMinM % 200).toBe(0);
    expect(grid.yMaxM % 200).toBe(0);
    expect(sites.grid).toEqual(grid);
    expect(zones.grid).toEqual(grid);
  });

  it('lists the six operators with their names and every site inside the grid, 10 km from its edge', () => {
    expect(Object.keys(sites.operators)).toEqual(['230-01', '230-02', '230-03', '262-01', '262-02', '262-03']);
    expect(sites.operators['262-03']!.name).toBe('Telefónica Germany (O2)');
    expect(sites.operators['230-02']!.country).toBe('CZ');
    const nSites = Object.values(sites.operators).reduce((n, o) => n + o.sites, 0);
    expect(sites.sites).toHaveLength(nSites);
    expect(entry!.featureCount).toBe(nSites);
    for (const o of Object.keys(sites.operators)) expect(sites.sites.some((s) => s.operator === o)).toBe(true);
    const x1 = grid.xMinM + grid.width * grid.cellM;
    const y0 = grid.yMaxM - grid.height * grid.cellM;
    for (const s of sites.sites) {
      expect(s.xM - grid.xMinM).toBeGreaterThanOrEqual(10_000);
      expect(x1 - s.xM).toBeGreaterThanOrEqual(10_000);
      expect(s.yM - y0).toBeGreaterThanOrEqual(10_000);
      expect(grid.yMaxM - s.yM).toBeGreaterThanOrEqual(10_000);
      const [x, y] = laea(s.lonDeg, s.latDeg);
      expect(Math.hypot(x - s.xM, y - s.yM)).toBeLessThan(0.2);
    }
    expect(new Set(sites.sites.map((s) => s.id)).size).toBe(sites.sites.length);
  });

  it('labels the modelling parameters as assumed, with EIRPs that follow from their arithmetic', () => {
    expect(sites.model.status).toBe('modelled/assumed');
    expect(sites.model.antennaAglM).toBe(30);
    expect(sites.model.pattern).toBe('omni');
    expect(sites.model.bands.map((b) => b.id)).toEqual(['700', '1800', '3500']);
    for (const b of sites.model.bands) {
      const eirp = 10 * Math.log10(b.totalPowerW * 1000) - 10 * Math.log10(b.resourceElements) + b.antennaGainDbi - b.feederLossDb;
      expect(b.eirpPerReDbm).toBeCloseTo(eirp, 1);
    }
    expect(sites.model).toEqual({ ...SITE_MODEL_ASSUMPTIONS, bands: [...SITE_MODEL_ASSUMPTIONS.bands] });
    const { sites: arrays } = siteArraysFromFile(sites, { bandId: '1800', operator: '230-01' });
    expect(arrays.count).toBe(sites.operators['230-01']!.sites);
    expect(arrays.eirpDbm[0]).toBeCloseTo(26, 5);
    expect(arrays.antennaAglM[0]).toBe(30);
    expect(arrays.azimuthDeg[0]).toBeNaN();
  });

  it('decodes the DEM: real ground at Plzeň and at Regensburg, data on nearly every cell', () => {
    const dem = decodeDem(readFileSync(path.join(dir, 'dem-3035.bin')), grid);
    expect(dem.heightM).toHaveLength(grid.width * grid.height);
    // Plzeň, náměstí Republiky: about 314 m EGM96 + 47 m undulation.
    const plzen = dem.heightM[cellIndexAt(grid, ...laea(13.3775, 49.7477))]!;
    expect(plzen).toBeGreaterThan(345);
    expect(plzen).toBeLessThan(380);
    // Regensburg, west of the old town on the Danube's south bank: about 335 m above sea level + 46.3 m undulation.
    const regensburg = dem.heightM[cellIndexAt(grid, ...laea(12.07, 49.015))]!;
    expect(regensburg).toBeGreaterThan(365);
    expect(regensburg).toBeLessThan(420);
    let data = 0;
    for (const h of dem.heightM) if (!Number.isNaN(h)) data++;
    expect(Math.round((data / dem.heightM.length) * 1000) / 10).toBe((entry!.extras as { demCoveragePct: number }).demCoveragePct);
    expect(data / dem.heightM.length).toBeGreaterThan(0.999);
  });

  it('decodes the zones: both sides of the border, regions with fly-to boxes, cell counts that match', () => {
    const planes = decodeZones(readFileSync(path.join(dir, 'zones-3035.bin')), zones);
    const side = planes.get('side')!;
    const admin = planes.get('admin1')!;
    const sidePlane = zones.planes.find((p) => p.id === 'side')!;
    expect(sidePlane.units.map((u) => [u.index, u.code])).toEqual([[1, 'CZ'], [2, 'DE']]);
    for (const p of zones.planes) {
      const plane = planes.get(p.id)!;
      const histogram = new Float64Array(65536);
      for (const v of plane) histogram[v]!++;
      for (const u of p.units) {
        expect(u.cells).toBeGreaterThan(0);
        expect(histogram[u.index]).toBe(u.cells);
        const [w, s, e, n] = u.gridBbox!;
        expect(w).toBeLessThan(e);
        expect(s).toBeLessThan(n);
      }
    }
    const unit = (code: string): number => zones.planes.find((p) => p.id === 'admin1')!.units.find((u) => u.code === code)!.index;
    const plzen = cellIndexAt(grid, ...laea(13.3775, 49.7477));
    const weiden = cellIndexAt(grid, ...laea(12.16, 49.675));
    const cheb = cellIndexAt(grid, ...laea(12.37, 50.08));
    expect([side[plzen], admin[plzen]]).toEqual([1, unit('CZ-PK')]);
    expect([side[weiden], admin[weiden]]).toEqual([2, unit('DE-BY')]);
    expect([side[cheb], admin[cheb]]).toEqual([1, unit('CZ-KK')]);
    expect(zones.planes.find((p) => p.id === 'admin1')!.units.find((u) => u.code === 'DE-BY')!.country).toBe('DE');
  });
});
