/**
 * Checks on the real raw data in ../shared/data (not part of the repository). Skipped where it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it, expect } from 'vitest';
import { type GeoidGrid, parseGtx } from '../../../core/geo/geoid';
import { gunzipSync } from 'node:zlib';
import { tileAt, tileRect } from '../../../pipeline/terrain/tiling';
import { type TerrainMosaic, loadTerrainModel } from '../../../pipeline/terrain/model';
import { LEAF_ERROR_M, dataBox, surfaceOf, FADE_DEG } from '../../../pipeline/terrain/step';
import { decodeTile, meshHeightAt } from '../../../pipeline/terrain/accuracy';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const exists = existsSync(path.join(dataDir, 'dem')) && existsSync(path.join(dataDir, 'geodesy', 'egm96_15.gtx'));

describe.skipIf(!exists)(`terrain model on the raw data (skipped: ${dataDir} with dem/ and geodesy/egm96_15.gtx not found)`, () => {
  let model: TerrainMosaic;
  let geoid: GeoidGrid;
  beforeAll(async () => {
    const gtx = readFileSync(path.join(dataDir, 'geodesy', 'egm96_15.gtx'));
    geoid = parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength) as ArrayBuffer, 'EGM96');
    model = await loadTerrainModel(dataDir, geoid);
  }, 60_000);

  const undulation = (lon: number, lat: number): number => model.heightEllipsoidalM(lon, lat)! - model.heightSourceM(lon, lat)!;

  it('finds every DEM, finest first, and skips the Landsat RGB GeoTIFF', () => {
    const files = model.sources.map((s) => s.file);
    expect(files[0]).toBe('dem/plzen/plzen_srtm1_utm33.tif');
    expect(files).toContain('dem/N49E011.hgt.zip');
    expect(files).toContain('dem/N50E011.hgt.zip');
    // The whole region: twelve 3″ tiles, lon 11–15 E, lat 48–51 N.
    expect(files.filter((f) => f.endsWith('.hgt.zip'))).toHaveLength(12);
    expect(dataBox(model)).toEqual([11, 48, 15, 51]);
    expect(files.some((f) => f.includes('landsat'))).toBe(false);
    expect(model.sources[0]!.title).toBe('SRTM 1″ v3 (USGS), reprojected to UTM 33N');
    for (const s of model.sources) {
      expect(s.footprint[0]).toEqual(s.footprint[s.footprint.length - 1]);
      expect(s.verticalDatum).toBe('EGM96');
    }
  });

  it('Hof (50.3135 N 11.9128 E): about 491 m EGM96', () => {
    const h = model.heightSourceM(11.9128, 50.3135)!;
    expect(h).toBeGreaterThan(491 - 15);
    expect(h).toBeLessThan(491 + 15);
    expect(undulation(11.9128, 50.3135)).toBeGreaterThan(46.9);
    expect(undulation(11.9128, 50.3135)).toBeLessThan(47.4);
  });

  it('Schneeberg: the SRTM summit is 1006-1051 m', () => {
    // The summit (de.wikipedia: 50°3′6″ N 11°51′13″ E). At 50.0494 N 11.8544 E, 250 m further south on the
    // steep flank, the 3″ posts give about 991 m.
    const summit = model.heightSourceM(11.8536, 50.0517)!;
    expect(summit).toBeGreaterThanOrEqual(1006);
    expect(summit).toBeLessThanOrEqual(1051);
    let highest = -Infinity;
    for (let dy = -0.003; dy <= 0.003; dy += 0.0002) for (let dx = -0.004; dx <= 0.004; dx += 0.0002) highest = Math.max(highest, model.heightSourceM(11.8544 + dx, 50.0494 + dy)!);
    expect(highest).toBeGreaterThanOrEqual(1006);
    expect(highest).toBeLessThanOrEqual(1051);
    const flank = model.heightSourceM(11.8544, 50.0494)!;
    expect(flank).toBeGreaterThan(975);
    expect(flank).toBeLessThan(1051);
    expect(undulation(11.8544, 50.0494)).toBeGreaterThan(46.9);
    expect(undulation(11.8544, 50.0494)).toBeLessThan(47.4);
  });

  it('Plzeň, Náměstí Republiky (49.7477 N 13.3775 E): about 314 m EGM96 from the 1″ GeoTIFF', () => {
    const h = model.heightSourceM(13.3775, 49.7477)!;
    expect(h).toBeGreaterThan(314 - 10);
    expect(h).toBeLessThan(314 + 10);
    expect(undulation(13.3775, 49.7477)).toBeGreaterThan(46.8);
    expect(undulation(13.3775, 49.7477)).toBeLessThan(47.3);
  });

  it('covers Regensburg, Cheb, Domažlice and Passau; nothing outside lon 11–15 E, lat 48–51 N', () => {
    for (const [lon, lat] of [[12.1, 49.02], [12.37, 50.08], [12.93, 49.44], [13.4653, 48.5748]] as const) {
      expect(model.covers(lon, lat)).toBe(true);
      expect(model.heightEllipsoidalM(lon, lat)).toBeGreaterThan(300);
    }
    expect(model.heightEllipsoidalM(10.9, 49.5)).toBeNull();
    expect(model.heightEllipsoidalM(15.1, 50)).toBeNull();
  });

  it('fades to the ellipsoid outside the data without a step', () => {
    const surface = surfaceOf(model);
    const edge = surface(15 - 1e-6, 50);
    expect(Math.abs(surface(15 + 1e-4, 50) - edge)).toBeLessThan(2);
    expect(surface(15 + FADE_DEG * 0.5 / Math.cos((50 * Math.PI) / 180), 50)).toBeLessThan(edge);
    expect(surface(15 + FADE_DEG * 1.01 / Math.cos((50 * Math.PI) / 180), 50)).toBe(0);
  });

  it('the committed deepest terrain tiles reproduce the model at Hof, Cheb, the Arber and Plzeň', () => {
    // Leaf tiles: 3″ at level 11, the 1″ square at level 13. The mesh bound is stated against the 129² grid;
    // between posts the grid's own bilinear resampling of the 3″ source adds its part.
    for (const [lon, lat, level] of [[11.9128, 50.3135, 11], [12.3713, 50.0796, 11], [13.1347, 49.1126, 11], [13.3775, 49.7477, 13]] as const) {
      const t = tileAt(level, lon, lat);
      const file = path.join(repoRoot, 'tilesets', 'terrain', String(level), String(t.x), `${t.y}.terrain`);
      const d = decodeTile(gunzipSync(readFileSync(file)));
      const r = tileRect(t);
      const h = meshHeightAt(d, (lon - r.west) / (r.east - r.west), (lat - r.south) / (r.north - r.south))!;
      expect(Math.abs(h - model.heightEllipsoidalM(lon, lat)!)).toBeLessThan(LEAF_ERROR_M + 6);
    }
  });
});
