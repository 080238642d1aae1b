/**
 * Coverage grid import (CSV of grid cells, GeoTIFF) onto the analysis grid, and planned-site lists.
 *
 * Reference points, from PROJ 9.1 `cs2cs` (not from the registry under test):
 *   Plzeň, náměstí Republiky, 49.7477 N 13.3775 E:
 *     EPSG:3035  E 4 564 355.220  N 2 965 047.647
 *     EPSG:5514  −822 402.418, −1 069 674.325
 *   near Schwarzenfeld, Bavaria, 49.4 N 12.3 E:
 *     EPSG:3035  E 4 487 946.768  N 2 923 397.847
 *     EPSG:25832 E 739 411.393    N 5 477 160.954
 */
import { fromArrayBuffer, writeArrayBuffer, type GeotiffWriterMetadata } from 'geotiff';
import { plainTiff } from '../../../fixtures/tiff';
import { describe, expect, it } from 'vitest';
import { converter } from '../../../../core/geo/crs';
import { SITE_MODEL_ASSUMPTIONS } from '../../../../core/coverage/dataset';
import { importCoverageGrid, parseCellCode, parseFrequencyMHz, parseSitesCsv, type ImportGridHooks } from '../../../../core/coverage/import';
import { CoverageInputError, FLAG_COVERED_DBM, type GridSpec3035, type ImportedGrid } from '../../../../core/coverage/types';
import { JobCancelledError } from '../../../../core/reproject/reproject';

/** 100 km × 70 km around both reference points: x 4 480 000 … 4 580 000, y 2 910 000 … 2 980 000. */
const GRID: GridSpec3035 = { xMinM: 4_480_000, yMaxM: 2_980_000, cellM: 200, width: 500, height: 350 };
const PLZEN_CELL = { col: 421, row: 74 }; // floor(84 355.22 / 200), floor(14 952.353 / 200)
const BAVARIA_CELL = { col: 39, row: 283 }; // floor(7 946.768 / 200), floor(56 602.153 / 200)
const idx = (c: { col: number; row: number }, g: GridSpec3035 = GRID): number => c.row * g.width + c.col;

const bytesOf = (text: string): ArrayBuffer => {
  const b = new TextEncoder().encode(text);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const importText = (text: string, more: { grid?: GridSpec3035; operator?: string; technology?: string } = {}, hooks?: ImportGridHooks): Promise<ImportedGrid> =>
  importCoverageGrid({ bytes: bytesOf(text), fileName: 'coverage.csv', grid: more.grid ?? GRID, ...(more.operator ? { operator: more.operator } : {}), ...(more.technology ? { technology: more.technology } : {}) }, hooks);

async function rejection(p: Promise<unknown>): Promise<CoverageInputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CoverageInputError) return e;
    throw e;
  }
  throw new Error('expected a CoverageInputError');
}

const finiteCount = (v: Float32Array): number => v.reduce((n, x) => n + (Number.isNaN(x) ? 0 : 1), 0);

describe('parseCellCode', () => {
  it('reads the short, the EEA (E first) and the INSPIRE full form as the same cell', () => {
    expect(parseCellCode('100mN29650E45643')).toEqual({ eM: 4_564_300, nM: 2_965_000, sizeM: 100 });
    expect(parseCellCode('100mE45643N29650')).toEqual({ eM: 4_564_300, nM: 2_965_000, sizeM: 100 });
    expect(parseCellCode('CRS3035RES100mN2965000E4564300')).toEqual({ eM: 4_564_300, nM: 2_965_000, sizeM: 100 });
    expect(parseCellCode('1kmN2891E4455')).toEqual({ eM: 4_455_000, nM: 2_891_000, sizeM: 1000 });
    expect(parseCellCode('100mN2891000E4455000')).toEqual({ eM: 4_455_000, nM: 2_891_000, sizeM: 100 });
  });
  it('refuses other CRSs, repeated axes and text', () => {
    expect(parseCellCode('CRS3857RES100mN2965000E4564300')).toBeNull();
    expect(parseCellCode('100mN29650N45643')).toBeNull();
    expect(parseCellCode('Plzeň')).toBeNull();
  });
});

describe('importCoverageGrid: CSV by grid cell code', () => {
  it('averages finer cells per analysis cell and fills the cells a coarser one contains', async () => {
    // Four 100 m cells make up the analysis cell of Plzeň's square (x 4 564 200 … 4 564 400, y 2 965 000 … 2 965 200),
    // semicolons and decimal commas; one 1 km cell (x 4 550 000 … 4 551 000, y 2 960 000 … 2 961 000).
    const csv = [
      'cellcode;operator;technology;rsrp_dbm',
      '100mN29650E45642;T-Mobile;LTE;-80,5',
      '100mN29650E45643;T-Mobile;LTE;-90,5',
      '100mN29651E45642;T-Mobile;LTE;-100,5',
      'CRS3035RES100mN2965100E4564300;T-Mobile;LTE;-110,5',
      '1kmN2960E4550;T-Mobile;LTE;-101',
    ].join('\n');
    const r = await importText(csv);
    expect(r.sourceCrs).toBe('EPSG:3035');
    expect(r.valueKind).toBe('rsrp');
    expect(r.values[idx(PLZEN_CELL)]).toBeCloseTo(-95.5, 5);
    // The 1 km cell holds the centres of a 5 × 5 block: columns 350…354 (x 4 550 100 … 4 550 900), rows 95…99.
    for (let row = 95; row <= 99; row++) for (let col = 350; col <= 354; col++) expect(r.values[row * GRID.width + col]).toBe(-101);
    expect(r.values[94 * GRID.width + 350]).toBeNaN();
    expect(r.values[95 * GRID.width + 355]).toBeNaN();
    expect(r.cellsRead).toBe(5);
    expect(r.cellsPlaced).toBe(26);
    expect(finiteCount(r.values)).toBe(26);
    expect(r.operators).toEqual(['T-Mobile']);
    expect(r.technologies).toEqual(['LTE']);
    expect(r.warnings).toEqual([]);
  });

  it('finds a code column by its values whatever its name, and reads a BOM and CRLF', async () => {
    const r = await importText('\uFEFFZelle,Pegel\r\n100mN29650E45643,-77\r\n');
    expect(r.values[idx(PLZEN_CELL)]).toBe(-77);
    expect(r.cellsPlaced).toBe(1);
  });

  it('reports bad rows with their line numbers and keeps the good ones', async () => {
    const csv = ['cellcode,rsrp', '100mN29650E45643,-90', 'nonsense,-80', '100mN29650E45642,strong', '100mN29651E45642,95', '100mN29651E45643,'].join('\n');
    const r = await importText(csv);
    expect(r.values[idx(PLZEN_CELL)]).toBe(-90);
    expect(r.cellsRead).toBe(1);
    expect(r.warnings).toHaveLength(4);
    expect(r.warnings[0]).toMatch(/^line 3: "nonsense" in column "cellcode" is not a grid cell code/);
    expect(r.warnings[1]).toMatch(/^line 4: "strong" in column "rsrp" is not a number/);
    expect(r.warnings[2]).toMatch(/^line 5: 95 .* not an RSRP in dBm .*without its minus sign/);
    expect(r.warnings[3]).toMatch(/^line 6: column "rsrp" is empty; row skipped/);
  });
});

describe('importCoverageGrid: CSV by cell centres', () => {
  it('places an EPSG:25832 centre (crs column) in the analysis cell PROJ puts it in', async () => {
    const r = await importText('x,y,crs,rsrp\n739411.393,5477160.954,EPSG:25832,-97\n');
    expect(r.sourceCrs).toBe('EPSG:25832');
    expect(r.values[idx(BAVARIA_CELL)]).toBe(-97);
    expect(r.cellsPlaced).toBe(1);
  });

  it('places an EPSG:5514 centre detected from its negative values, in semicolon CSV with decimal commas', async () => {
    const r = await importText('X;Y;signal\n-822402,418;-1069674,325;-88,25\n');
    expect(r.sourceCrs).toBe('EPSG:5514');
    expect(r.values[idx(PLZEN_CELL)]).toBe(-88.25);
  });

  it('fills every analysis cell of a coarse source grid (1 km in EPSG:25832, spacing taken from the centres)', async () => {
    // Two 1 km cells side by side, centres on whole kilometres near the Bavarian point.
    const r = await importText('easting;northing;rsrp\n739500;5477500;-90\n740500;5477500;-100\n');
    // A 1 km square holds 25 analysis centres (± a row or column where the grids' rotation cuts through).
    const filled = finiteCount(r.values);
    expect(filled).toBeGreaterThanOrEqual(44);
    expect(filled).toBeLessThanOrEqual(56);
    // Every filled centre lies inside the source cell it took its value from.
    const back = converter(3035, 25832);
    for (let c = 0; c < r.values.length; c++) {
      if (Number.isNaN(r.values[c]!)) continue;
      const [e, n] = back.forward([GRID.xMinM + ((c % GRID.width) + 0.5) * 200, GRID.yMaxM - (Math.floor(c / GRID.width) + 0.5) * 200]) as [number, number];
      expect(n).toBeGreaterThanOrEqual(5_477_000);
      expect(n).toBeLessThan(5_478_000);
      expect(r.values[c]).toBe(e < 740_000 ? -90 : -100);
    }
  });

  it('reads covered flags (yes/no, 1/0) as FLAG_COVERED_DBM / NaN', async () => {
    const r = await importText('cellcode,covered\n100mN29650E45643,yes\n1kmN2960E4550,0\n');
    expect(r.valueKind).toBe('flag');
    expect(r.values[idx(PLZEN_CELL)]).toBe(FLAG_COVERED_DBM);
    expect(finiteCount(r.values)).toBe(1);
    // Not-covered cells are placed (the file speaks about them) but carry no RSRP.
    expect(r.cellsPlaced).toBe(26);
  });

  it('keeps the strongest operator per cell, or one operator when asked', async () => {
    const csv = 'cellcode,operator,technology,rsrp\n100mN29650E45643,A,LTE,-100\n100mN29650E45643,B,LTE,-85\n100mN29650E45642,A,LTE,-90\n';
    const all = await importText(csv);
    expect(all.operators).toEqual(['A', 'B']);
    expect(all.values[idx(PLZEN_CELL)]).toBe(-85);
    expect(all.warnings.join(' ')).toMatch(/2 operator\/technology combinations .* strongest/);
    const a = await importText(csv, { operator: 'a' });
    expect(a.values[idx(PLZEN_CELL)]).toBe(-95);
    expect(a.operators).toEqual(['A', 'B']);
    const err = await rejection(importText(csv, { operator: 'C' }));
    expect(err.code).toBe('empty');
    expect(err.message).toMatch(/operator "C".*A, B/);
  });
});

describe('importCoverageGrid: CSV errors', () => {
  it('names what it found and what it expects for unknown columns', async () => {
    const err = await rejection(importText('town;mood\nPlzeň;good\n'));
    expect(err.code).toBe('unknown-columns');
    expect(err.message).toMatch(/found "town", "mood"/);
    expect(err.message).toMatch(/grid cell code/);
    expect(err.message).toMatch(/rsrp/);
    const noValue = await rejection(importText('cellcode,remark\n100mN29650E45643,ok\n'));
    expect(noValue.code).toBe('unknown-columns');
    expect(noValue.message).toMatch(/^no RSRP value and no covered flag/);
  });

  it('says empty for empty files and header-only files', async () => {
    expect((await rejection(importText(''))).code).toBe('empty');
    expect((await rejection(importText('cellcode,rsrp\n'))).code).toBe('empty');
  });

  it('says outside-grid when no cell lies in the analysis grid', async () => {
    const err = await rejection(importText('cellcode,rsrp\n1kmN3200E4000,-90\n'));
    expect(err.code).toBe('outside-grid');
    expect(err.message).toMatch(/none of the 1 cells/);
  });

  it('refuses a CRS the registry does not know', async () => {
    const err = await rejection(importText('x,y,epsg,rsrp\n2600000,1200000,2056,-90\n'));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/2056/);
  });
});

describe('importCoverageGrid: progress and cancellation', () => {
  const big = ['cellcode,rsrp', ...Array.from({ length: 20_000 }, (_, i) => `100mN${29_400 + Math.floor(i / 200)}E${45_000 + (i % 200)},-${60 + (i % 50)}`)].join('\n');

  it('reports progress to 1 in chunks and hands the bytes back', async () => {
    const seen: number[] = [];
    const job = { bytes: bytesOf(big), fileName: 'big.csv', grid: GRID };
    const r = await importCoverageGrid(job, { onProgress: (f) => seen.push(f), isCancelled: () => false, chunkChars: 16_384 });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);
    expect(r.bytes).toBe(job.bytes);
    expect(r.bytes.byteLength).toBeGreaterThan(0);
    expect(r.cellsRead).toBe(20_000);
    expect(r.cellsPlaced).toBe(5_000);
  });

  it('stops with JobCancelledError when cancelled between chunks', async () => {
    let calls = 0;
    await expect(importText(big, {}, { onProgress: () => calls++, isCancelled: () => calls >= 2, chunkChars: 16_384 })).rejects.toBeInstanceOf(JobCancelledError);
    expect(calls).toBeLessThan(5);
  });
});

// ---- GeoTIFF ------------------------------------------------------------------------------------------------

async function tiff(values: Float32Array | Uint8Array, width: number, height: number, meta: GeotiffWriterMetadata): Promise<ArrayBuffer> {
  const buf = writeArrayBuffer(values, { width, height, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ...meta });
  // Written and read back by geotiff.js itself: the file is what the import will see.
  const img = await (await fromArrayBuffer(buf)).getImage();
  expect(img.getWidth()).toBe(width);
  return buf;
}


const importTiff = (bytes: ArrayBuffer, grid: GridSpec3035 = GRID, hooks?: ImportGridHooks): Promise<ImportedGrid> => importCoverageGrid({ bytes, fileName: 'coverage.tif', grid }, hooks);

describe('importCoverageGrid: GeoTIFF', () => {
  it('samples an EPSG:3035 raster nearest-neighbour at the analysis centres', async () => {
    // 100 m pixels over x 4 559 950 … 4 569 950, y 2 960 050 … 2 970 050 (half a pixel off the analysis grid's
    // lines, so no centre sits on a pixel edge); value −100 + col/4 − row/8.
    const W = 100;
    const vals = Float32Array.from({ length: W * W }, (_, i) => -100 + (i % W) * 0.25 - Math.floor(i / W) * 0.125);
    const r = await importTiff(await tiff(vals, W, W, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 4_559_950, 2_970_050, 0], ProjectedCSTypeGeoKey: 3035 }));
    expect(r.sourceCrs).toBe('EPSG:3035');
    expect(r.valueKind).toBe('rsrp');
    expect(r.cellsPlaced).toBe(50 * 50);
    // Plzeň's cell: centre x 4 564 300, y 2 965 100 -> pixel column 43 (43.5), row 49 (49.5).
    expect(r.values[idx(PLZEN_CELL)]).toBeCloseTo(-100 + 43 * 0.25 - 49 * 0.125, 5);
    // The raster's first pixel row and column, and nothing beyond its edges.
    const first = { col: 400, row: 50 }; // centre x 4 560 100, y 2 969 900 -> pixel (1, 1)
    expect(r.values[idx(first)]).toBeCloseTo(-100 + 1 * 0.25 - 1 * 0.125, 5);
    expect(r.values[idx({ col: 399, row: 50 })]).toBeNaN();
    expect(r.values[idx({ col: 400, row: 49 })]).toBeNaN();
    expect(r.warnings).toEqual([]);
  });

  it('resamples an EPSG:25832 raster: each analysis centre gets the pixel its exact transform falls in', async () => {
    // 50 m pixels, 120 × 100, NW corner E 736 000, N 5 480 000; value = pixel index (not dBm: a warning says so).
    const W = 120, H = 100, S = 50, E0 = 736_000, N0 = 5_480_000;
    const vals = Float32Array.from({ length: W * H }, (_, i) => i);
    const r = await importTiff(await tiff(vals, W, H, { ModelPixelScale: [S, S, 0], ModelTiepoint: [0, 0, 0, E0, N0, 0], ProjectedCSTypeGeoKey: 25832 }));
    expect(r.sourceCrs).toBe('EPSG:25832');
    expect(r.warnings.join(' ')).toMatch(/does not look like RSRP/);
    const exact = converter(3035, 25832);
    let checked = 0, inside = 0;
    for (let c = 0; c < r.values.length; c++) {
      const [e, n] = exact.forward([GRID.xMinM + ((c % GRID.width) + 0.5) * 200, GRID.yMaxM - (Math.floor(c / GRID.width) + 0.5) * 200]) as [number, number];
      const u = (e - E0) / S;
      const v = (N0 - n) / S;
      const px = Math.floor(u), py = Math.floor(v);
      const inRaster = px >= 0 && py >= 0 && px < W && py < H;
      // Centres within a millimetre of a pixel edge could fall either way; none are expected, but they are skipped.
      if (Math.min(u - px, px + 1 - u, v - py, py + 1 - v) * S < 1e-3) continue;
      checked++;
      if (inRaster) {
        inside++;
        expect(r.values[c]).toBe(py * W + px);
      } else expect(r.values[c]).toBeNaN();
    }
    expect(inside).toBe(r.cellsPlaced);
    expect(inside).toBeGreaterThan(700);
    expect(checked).toBeGreaterThanOrEqual(GRID.width * GRID.height - 10);
    // The Bavarian reference point's cell: PROJ puts its centre (E 4 487 900, N 2 923 300) at EPSG:25832
    // 739 365.893 / 5 477 062.490, in pixel (67, 58).
    expect(r.values[idx(BAVARIA_CELL)]).toBe(58 * W + 67);
  });

  it('turns GDAL_NODATA into NaN', async () => {
    const vals = new Float32Array(100 * 100).fill(-90);
    vals[49 * 100 + 43] = -9999; // the pixel under Plzeň's cell centre
    const r = await importTiff(await tiff(vals, 100, 100, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 4_559_950, 2_970_050, 0], ProjectedCSTypeGeoKey: 3035, GDAL_NODATA: '-9999' }));
    expect(r.values[idx(PLZEN_CELL)]).toBeNaN();
    expect(r.values[idx(PLZEN_CELL) + 1]).toBe(-90);
    expect(r.cellsPlaced).toBe(50 * 50 - 1);
  });

  it('reads a 0/1 raster as covered flags', async () => {
    const vals = Uint8Array.from({ length: 100 * 100 }, (_, i) => (i % 100 < 50 ? 1 : 0));
    const r = await importTiff(await tiff(vals, 100, 100, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 4_559_950, 2_970_050, 0], ProjectedCSTypeGeoKey: 3035 }));
    expect(r.valueKind).toBe('flag');
    expect(r.values[idx({ col: 400, row: 50 })]).toBe(FLAG_COVERED_DBM);
    expect(r.values[idx({ col: 449, row: 50 })]).toBeNaN();
    expect(r.cellsPlaced).toBe(2500);
  });

  it('rejects a TIFF without georeference', async () => {
    const err = await rejection(importTiff(plainTiff(new Float32Array([-90, -91, -92, -93]), 2, 2)));
    expect(err.code).toBe('no-georeference');
    expect(err.message).toMatch(/without a usable georeference/);
  });

  it('rejects a CRS outside the registry, naming it', async () => {
    const err = await rejection(importTiff(await tiff(new Float32Array(4).fill(-90), 2, 2, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 2_600_000, 1_200_000, 0], ProjectedCSTypeGeoKey: 2056 })));
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/EPSG:2056 .* not in the CRS registry/);
  });

  it('says outside-grid for a raster elsewhere, and empty for one that is all nodata', async () => {
    const far = await rejection(importTiff(await tiff(new Float32Array(4).fill(-90), 2, 2, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 3_000_000, 2_000_000, 0], ProjectedCSTypeGeoKey: 3035 })));
    expect(far.code).toBe('outside-grid');
    const blank = await rejection(importTiff(await tiff(new Float32Array(100 * 100).fill(-9999), 100, 100, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 4_559_950, 2_970_050, 0], ProjectedCSTypeGeoKey: 3035, GDAL_NODATA: '-9999' })));
    expect(blank.code).toBe('empty');
  });

  it('cancels between chunks of resampling work', async () => {
    const bytes = await tiff(new Float32Array(100 * 100).fill(-90), 100, 100, { ModelPixelScale: [100, 100, 0], ModelTiepoint: [0, 0, 0, 4_559_950, 2_970_050, 0], ProjectedCSTypeGeoKey: 3035 });
    let calls = 0;
    await expect(importTiff(bytes, GRID, { onProgress: () => calls++, isCancelled: () => calls >= 3, chunkCells: 5_000 })).rejects.toBeInstanceOf(JobCancelledError);
  });
});

// ---- planned sites ------------------------------------------------------------------------------------------

describe('parseSitesCsv', () => {
  it('reads lon/lat sites with every column, in EPSG:3035', () => {
    const csv = [
      'name,lon,lat,antenna_height_m,azimuth,beamwidth,eirp_dbm,band',
      'Plzeň-náměstí,13.3775,49.7477,32,120,65,28.5,n78',
      'Schwarzenfeld,12.3,49.4,25,,,,1800',
    ].join('\n');
    const p = parseSitesCsv(csv, GRID);
    expect(p.names).toEqual(['Plzeň-náměstí', 'Schwarzenfeld']);
    expect(p.lines).toEqual([2, 3]);
    expect(p.sourceCrs).toBe('EPSG:4326');
    const s = p.sites;
    expect(s.count).toBe(2);
    expect(s.x[0]).toBeCloseTo(4_564_355.22, 1);
    expect(s.y[0]).toBeCloseTo(2_965_047.647, 1);
    expect(s.x[1]).toBeCloseTo(4_487_946.768, 1);
    expect(Array.from(s.antennaAglM)).toEqual([32, 25]);
    expect(s.azimuthDeg[0]).toBe(120);
    expect(s.azimuthDeg[1]).toBeNaN();
    expect(Array.from(s.beamwidthDeg)).toEqual([65, 360]);
    expect(s.eirpDbm[0]).toBe(28.5);
    // No EIRP for the second site: the assumed 1800 MHz value, with a warning that says so.
    expect(s.eirpDbm[1]).toBeCloseTo(SITE_MODEL_ASSUMPTIONS.bands.find((b) => b.id === '1800')!.eirpPerReDbm, 5);
    expect(Array.from(s.fMHz)).toEqual([3600, 1800]);
    expect(Number.isNaN(s.groundM[0]!) && Number.isNaN(s.groundM[1]!)).toBe(true);
    expect(p.warnings.join(' ')).toMatch(/1 site\(s\) without an EIRP/);
  });

  it('reads S-JTSK x/y with a crs column and semicolons', () => {
    const p = parseSitesCsv('name;x;y;crs;height\nPlzeň;-822402,418;-1069674,325;EPSG:5514;40\n');
    expect(p.sourceCrs).toBe('EPSG:5514');
    expect(p.sites.x[0]).toBeCloseTo(4_564_355.22, 1);
    expect(p.sites.y[0]).toBeCloseTo(2_965_047.647, 1);
    expect(p.sites.antennaAglM[0]).toBe(40);
    // No band, no EIRP: the default band's assumptions.
    expect(p.sites.fMHz[0]).toBeCloseTo(SITE_MODEL_ASSUMPTIONS.bands[0]!.fMHz, 3);
    expect(p.warnings.join(' ')).toMatch(/without a band or frequency/);
  });

  it('rejects a site without antenna height, naming it and its line', () => {
    const noColumn = (() => {
      try {
        parseSitesCsv('name,lon,lat\nMast A,12.3,49.4\n');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(noColumn).toBeInstanceOf(CoverageInputError);
    expect((noColumn as CoverageInputError).code).toBe('site-no-height');
    expect((noColumn as CoverageInputError).message).toMatch(/site "Mast A" \(line 2\)/);
    const emptyCell = (() => {
      try {
        parseSitesCsv('name,lon,lat,antenna_height\nMast A,12.3,49.4,30\nMast B,12.4,49.4,\n');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect((emptyCell as CoverageInputError).code).toBe('site-no-height');
    expect((emptyCell as CoverageInputError).message).toMatch(/site "Mast B" \(line 3\) has no antenna height/);
  });

  it('warns about sites outside the grid and implausible EIRPs, and skips bad coordinates', () => {
    const p = parseSitesCsv('name,lon,lat,agl,eirp\nFar,10.0,48.0,30,62\nBad,abc,49.4,30,25\nNear,12.3,49.4,30,25\n', GRID);
    expect(p.names).toEqual(['Far', 'Near']);
    expect(p.warnings.some((w) => /site "Far" \(line 2\) lies .* km outside the analysis grid/.test(w))).toBe(true);
    expect(p.warnings.some((w) => /62 dBm looks like the total EIRP/.test(w))).toBe(true);
    expect(p.warnings.some((w) => /site "Bad" \(line 3\).*not numbers; site skipped/.test(w))).toBe(true);
  });

  it('rejects a list without coordinates', () => {
    expect(() => parseSitesCsv('name,height\nA,30\n')).toThrow(CoverageInputError);
  });

  it('parses bands and frequencies', () => {
    expect(parseFrequencyMHz('n78', false, true)).toBe(3600);
    expect(parseFrequencyMHz('B20', false, true)).toBe(806);
    expect(parseFrequencyMHz('3', false, true)).toBe(1842.5);
    expect(parseFrequencyMHz('3,5 GHz', true, false)).toBe(3500);
    expect(parseFrequencyMHz('3.5', false, false)).toBe(3500);
    expect(parseFrequencyMHz('800 MHz', false, true)).toBe(800);
    expect(parseFrequencyMHz('1800', false, false)).toBe(1800);
    expect(parseFrequencyMHz('band x', false, true)).toBeNaN();
  });
});
