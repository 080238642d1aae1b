/**
 * The coverage step on the real raw data in ../shared/data (not part of the repository); skipped where it is
 * absent. Also checks that the committed tilesets/coverage files are what the step makes of today's sources.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCoverageOutputs, formatSitesJson, GRID_MARGIN_M, OPENCELLID_FILE, type CoverageOutputs } from '../../../pipeline/coverage/step';
import { parseOpenCellId } from '../../../pipeline/coverage/sites';
import { loadTerrainModel } from '../../../pipeline/terrain/model';
import { parseGtx } from '../../../core/geo/geoid';
import { encodeDem, encodeZones } from '../../../core/coverage/dataset';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const exists = existsSync(path.join(dataDir, OPENCELLID_FILE)) && existsSync(path.join(dataDir, 'boundaries')) && existsSync(path.join(dataDir, 'geodesy', 'egm96_15.gtx'));

describe.skipIf(!exists)(`coverage step on the raw data${exists ? '' : ` (skipped: ${dataDir} with ${OPENCELLID_FILE}, boundaries/ and geodesy/ not found)`}`, () => {
  let out: CoverageOutputs;
  beforeAll(async () => {
    const gtx = readFileSync(path.join(dataDir, 'geodesy', 'egm96_15.gtx'));
    const geoid = parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength) as ArrayBuffer, 'EGM96');
    const terrain = await loadTerrainModel(dataDir, geoid);
    out = await buildCoverageOutputs({ dataDir, terrain });
  }, 120_000);

  it('reads all 1,194 OpenCelliD records (SOURCES.md: MCC 262 GSM 1,123 / LTE 3, MCC 230 GSM 65 / LTE 3, no 5G)', () => {
    const { cells, skipped } = parseOpenCellId(readFileSync(path.join(dataDir, OPENCELLID_FILE), 'utf8'));
    expect(cells).toHaveLength(1194);
    expect(skipped).toEqual([]);
    const count = (mcc: number, radio: string): number => cells.filter((c) => c.mcc === mcc && c.radio === radio).length;
    expect([count(262, 'GSM'), count(262, 'LTE'), count(230, 'GSM'), count(230, 'LTE')]).toEqual([1123, 3, 65, 3]);
    expect(cells.filter((c) => c.radio === 'NR')).toEqual([]);
    // The cut: 11.5–14.5° E, 48.5–50.8° N.
    for (const c of cells) {
      expect(c.lonDeg).toBeGreaterThanOrEqual(11.5);
      expect(c.lonDeg).toBeLessThanOrEqual(14.5);
      expect(c.latDeg).toBeGreaterThanOrEqual(48.5);
      expect(c.latDeg).toBeLessThanOrEqual(50.8);
    }
    const ops = out.sites.operators;
    expect(Object.values(ops).reduce((n, o) => n + o.cells, 0)).toBe(1194);
    expect([ops['262-01']!.cells, ops['262-02']!.cells, ops['262-03']!.cells]).toEqual([520, 217, 389]);
    expect([ops['230-01']!.cells, ops['230-02']!.cells, ops['230-03']!.cells]).toEqual([23, 20, 25]);
  });

  it('groups cells into sites, every one with its ground from the terrain model', () => {
    const { sites, operators } = out.sites;
    expect(sites).toHaveLength(1185);
    expect(sites.reduce((n, s) => n + s.cellCount, 0)).toBe(1194);
    expect(sites.filter((s) => s.cellCount > 1)).toHaveLength(9);
    expect(Object.fromEntries(Object.entries(operators).map(([k, o]) => [k, o.sites]))).toEqual({
      '230-01': 23, '230-02': 18, '230-03': 25, '262-01': 517, '262-02': 214, '262-03': 388,
    });
    // The DEM reaches every site, Regensburg's too (the city lies about 325–470 m above sea level; N ≈ 46.3 m).
    for (const s of sites) expect(s.groundHeightEllipsoidalM, s.id).not.toBeNull();
    const regensburg = sites.filter((s) => s.lonDeg > 12.05 && s.lonDeg < 12.15 && s.latDeg > 48.98 && s.latDeg < 49.05);
    expect(regensburg.length).toBeGreaterThan(100);
    for (const s of regensburg) {
      expect(s.groundHeightEllipsoidalM!).toBeGreaterThan(325 + 46);
      expect(s.groundHeightEllipsoidalM!).toBeLessThan(470 + 47);
    }
  });

  it('puts the grid 10 km around the sites and finds ground on nearly all of it', () => {
    const xs = out.sites.sites.map((s) => s.xM);
    const g = out.grid;
    expect(Math.min(...xs) - g.xMinM).toBeGreaterThanOrEqual(GRID_MARGIN_M);
    expect(Math.min(...xs) - g.xMinM).toBeLessThan(GRID_MARGIN_M + g.cellM);
    expect([g.width, g.height]).toEqual([1158, 1396]);
    // The region's SRTM tiles cover the whole grid; only a few void posts are left without ground.
    expect(out.demCoveragePct).toBeGreaterThanOrEqual(99.9);
    let noData = 0;
    for (const h of out.dem) if (Number.isNaN(h)) noData++;
    expect(noData).toBeLessThan(100);
  });

  it('keeps the regions that reach into the grid', () => {
    // The source's outline labelled CZ-JK (Jihočeský kraj) is in fact Kraj Vysočina's (it holds Jihlava, not
    // České Budějovice) and lies outside the grid: it is left out, and the note says so.
    const admin = out.zones.planes.find((p) => p.id === 'admin1')!;
    expect(admin.units.map((u) => u.code)).toEqual(['CZ-KK', 'CZ-PK', 'DE-BY', 'DE-SN']);
    expect(out.notes.join(' ')).toMatch(/CZ-JK .* no cell in the grid/);
  });

  it('rebuilds the committed tilesets/coverage byte for byte', () => {
    const dir = path.join(repoRoot, 'tilesets', 'coverage');
    expect(formatSitesJson(out.sites)).toBe(readFileSync(path.join(dir, 'sites.json'), 'utf8'));
    expect(Buffer.from(encodeDem(out.grid, out.dem)).equals(readFileSync(path.join(dir, 'dem-3035.bin')))).toBe(true);
    expect(Buffer.from(encodeZones(out.planes)).equals(readFileSync(path.join(dir, 'zones-3035.bin')))).toBe(true);
    // The municipalities of both sides as one Uint16 plane after the regions and the sides.
    expect(out.zones.planes.map((p) => [p.id, p.bytesPerCell])).toEqual([['admin1', 1], ['side', 1], ['municipality', 2]]);
    expect(out.zones.planes[2]!.units.length).toBe(2780);
    expect(`${JSON.stringify(out.zones, null, 1)}\n`).toBe(readFileSync(path.join(dir, 'zones.json'), 'utf8'));
  });
});
