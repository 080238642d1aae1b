/**
 * Checks on the real raw data in ../shared/data (not part of the repository). Skipped where it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it, expect } from 'vitest';
import { type GeoidGrid, parseGtx } from '../../../core/geo/geoid';
import { decodeHeightmapTile, encodeHeightmapTile, sampleTileBilinear, tileAt, tileRect } from '../../../pipeline/terrain/heightmap';
import { type TerrainMosaic, loadTerrainModel } from '../../../pipeline/terrain/model';
import { tileHeights } from '../../../pipeline/terrain/step';

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

  it('has no height where no DEM is (Regensburg, Cheb)', () => {
    expect(model.heightSourceM(12.1, 49.02)).toBeNull();
    expect(model.heightEllipsoidalM(12.37, 50.08)).toBeNull();
    expect(model.covers(12.37, 50.08)).toBe(false);
  });

  it('the deepest terrain tile reproduces the model at Hof and Plzeň', () => {
    for (const [lon, lat, level] of [[11.9128, 50.3135, 12], [13.3775, 49.7477, 13]] as const) {
      const t = tileAt(level, lon, lat);
      const h = decodeHeightmapTile(encodeHeightmapTile(tileHeights(model, t), 0)).heightsM;
      expect(Math.abs(sampleTileBilinear(h, tileRect(t), lon, lat) - model.heightEllipsoidalM(lon, lat)!)).toBeLessThan(5);
    }
  });
});
