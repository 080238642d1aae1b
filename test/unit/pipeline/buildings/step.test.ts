/**
 * The buildings step on small towns written here: buildings keep their own heights whether or not a DEM is under
 * them, one outside every DEM is counted and named in a note and the log, and CityObjects that are not buildings
 * (a Bridge) are left out with a note.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../../../pipeline/context';
import type { TerrainModel } from '../../../../pipeline/terrain-model';
import { discoverTowns, loadTown } from '../../../../pipeline/buildings/step';
import { geoidFromJson, geoidUndulationM, type GeoidGrid, type GeoidGridJson } from '../../../../core/geo/geoid';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const cube = path.join(repoRoot, 'test/fixtures/import/cube-25832.city.json');

/** A footprint of about 15 × 22 m with its south-west corner at (lon, 49.02). */
const square = (lon: number): number[][][] => [[[lon, 49.02], [lon + 0.0002, 49.02], [lon + 0.0002, 49.0202], [lon, 49.0202], [lon, 49.02]]];

/** A terrain model with ground 300 m (ellipsoidal) east of 12.03° E and nothing west of it. */
const halfTerrain: TerrainModel = {
  sources: [],
  heightEllipsoidalM: (lon) => (lon > 12.03 ? 300 : null),
  heightSourceM: (lon) => (lon > 12.03 ? 254 : null),
};

describe('buildings step: ground and what is left out', () => {
  let dataDir: string;
  let geoid: GeoidGrid;
  const logs: string[] = [];
  const ctx = (terrain: TerrainModel | undefined): PipelineContext => ({ dataDir, outDir: dataDir, geoid, terrain, log: (m) => logs.push(m) });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sddi-buildings-step-'));
    // The regional EGM96 cut the geodesy step writes is enough for these points.
    geoid = geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
    // A LoD2 cube (lon ≈ 12.0285, west of the terrain's edge) and a Bridge beside it.
    const doc = JSON.parse(await readFile(cube, 'utf8')) as { CityObjects: Record<string, unknown> };
    doc.CityObjects['BRIDGE_1'] = { type: 'Bridge', attributes: {}, geometry: [] };
    await mkdir(path.join(dataDir, 'buildings/test_lod2'), { recursive: true });
    await writeFile(path.join(dataDir, 'buildings/test_lod2/cube.city.json'), JSON.stringify(doc));
    // Two footprints, one each side of 12.03° E.
    await mkdir(path.join(dataDir, 'buildings/test_osm'), { recursive: true });
    await writeFile(path.join(dataDir, 'buildings/test_osm/footprints.geojson'), JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'way/1', properties: { building: 'house' }, geometry: { type: 'Polygon', coordinates: square(12.02) } },
        { type: 'Feature', id: 'way/2', properties: { building: 'house' }, geometry: { type: 'Polygon', coordinates: square(12.04) } },
      ],
    }));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps a LoD2 building at its own height outside every DEM, reports it, and leaves the Bridge out', async () => {
    const [lod2] = await discoverTowns(dataDir);
    logs.length = 0;
    const town = await loadTown(lod2!, ctx(halfTerrain));
    expect(town.records).toHaveLength(1);
    expect(town.stats.outsideDem).toBe(1);
    expect(town.stats.otherObjects).toEqual({ Bridge: 1 });
    expect(town.stats.notes.join('\n')).toMatch(/left out 1 Bridge/);
    expect(town.stats.notes.join('\n')).toMatch(/1 of 1 buildings lie where no DEM has ground/);
    expect(logs.join('\n')).toMatch(/no DEM has ground/);
    // Ground 330 m DHHN2016 + N: not moved onto the scene's (missing) ground.
    const r = town.records[0]!;
    const n = geoidUndulationM(geoid, (r.west + r.east) / 2, (r.south + r.north) / 2);
    expect(r.groundEllipsoidalM).toBeCloseTo(330 + n, 1);
    expect(r.minH).toBeCloseTo(330 + n, 1);
    expect(r.maxH).toBeCloseTo(340 + n, 1);
  });

  it('sets footprints on the terrain model, and on the ellipsoid with an unknown ground where it has none', async () => {
    const [, osm] = await discoverTowns(dataDir);
    const town = await loadTown(osm!, ctx(halfTerrain));
    const [west, east] = town.records.toSorted((a, b) => a.west - b.west);
    expect(town.stats.outsideDem).toBe(1);
    expect(town.groundKnown).toBe(false);
    expect(west!.props).toMatchObject({ groundHeightDatum: 'none', groundHeightM: 0 });
    expect(west!.minH).toBeCloseTo(0, 6);
    expect(east!.props).toMatchObject({ groundHeightDatum: 'EGM96', groundHeightM: 254 });
    expect(east!.minH).toBeCloseTo(300, 6);
    // With a DEM everywhere nothing is reported.
    const covered = await loadTown(osm!, ctx({ ...halfTerrain, heightEllipsoidalM: () => 300, heightSourceM: () => 254 }));
    expect(covered.stats.outsideDem).toBe(0);
    expect(covered.stats.notes).toEqual([]);
    expect(covered.groundKnown).toBe(true);
  });
});

