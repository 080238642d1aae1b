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
import { encodeDem } from '../../../core/coverage/dataset';

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

  it('reads all 890 OpenCelliD records (SOURCES.md: 836 GSM + 3 LTE of MCC 262, 51 GSM of MCC 230)', () => {
    const { cells, skipped } = parseOpenCellId(readFileSync(path.join(dataDir, OPENCELLID_FILE), 'utf8'));
    expect(cells).toHaveLength(890);
    expect(skipped).toEqual([]);
    expect(cells.filter((c) => c.mcc === 262 && c.radio === 'GSM')).toHaveLength(836);
    expect(cells.filter((c) => c.mcc === 262 && c.radio === 'LTE')).toHaveLength(3);
    expect(cells.filter((c) => c.mcc === 230 && c.radio === 'GSM')).toHaveLength(51);
    const ops = out.sites.operators;
    expect(Object.values(ops).reduce((n, o) => n + o.cells, 0)).toBe(890);
    expect([ops['262-01']!.cells, ops['262-02']!.cells, ops['262-03']!.cells]).toEqual([409, 151, 279]);
    expect([ops['230-01']!.cells, ops['230-02']!.cells, ops['230-03']!.cells]).toEqual([17, 18, 16]);
  });

  it('groups cells into sites, with ground heights where the DEM reaches', () => {
    const { sites } = out.sites;
    expect(sites.length).toBeLessThanOrEqual(890);
    expect(sites.reduce((n, s) => n + s.cellCount, 0)).toBe(890);
    expect(sites.some((s) => s.cellCount > 1)).toBe(true);
    // Plzeň's square (lon 13.225–13.490, lat 49.672–49.836) and the SRTM tiles N49E011, N50E011 have a DEM.
    const underDem = sites.filter((s) => (s.lonDeg > 13.23 && s.lonDeg < 13.48 && s.latDeg > 49.68 && s.latDeg < 49.83) || (s.lonDeg < 11.99 && s.latDeg > 49.01));
    expect(underDem.length).toBeGreaterThan(0);
    for (const s of underDem) expect(s.groundHeightEllipsoidalM).not.toBeNull();
    const regensburg = sites.filter((s) => s.lonDeg > 12.05 && s.lonDeg < 12.15 && s.latDeg > 48.98 && s.latDeg < 49.05);
    expect(regensburg.length).toBeGreaterThan(0);
    for (const s of regensburg) expect(s.groundHeightEllipsoidalM).toBeNull();
  });

  it('puts the grid 10 km around the sites and reports DEM coverage', () => {
    const xs = out.sites.sites.map((s) => s.xM);
    const g = out.grid;
    expect(Math.min(...xs) - g.xMinM).toBeGreaterThanOrEqual(GRID_MARGIN_M);
    expect(Math.min(...xs) - g.xMinM).toBeLessThan(GRID_MARGIN_M + g.cellM);
    expect(out.demCoveragePct).toBeGreaterThan(5);
    expect(out.demCoveragePct).toBeLessThan(30);
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
    const zonesBin = readFileSync(path.join(dir, 'zones-3035.bin'));
    const n = out.grid.width * out.grid.height;
    out.planes.forEach((p, k) => expect(Buffer.from(p).equals(zonesBin.subarray(k * n, (k + 1) * n))).toBe(true));
    expect(`${JSON.stringify(out.zones, null, 1)}\n`).toBe(readFileSync(path.join(dir, 'zones.json'), 'utf8'));
  });
});
