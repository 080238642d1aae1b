/**
 * CityGML in the buildings pipeline: a town folder of .gml files is a LoD2 town whose buildings keep their
 * surveyed heights (DHHN2016 and Bpv to the ellipsoid), a truncated file keeps its first buildings and a broken
 * building is left out (each said in a note), and a folder is tiled on its own with progress lines.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geoidFromJson, geoidUndulationM, type GeoidGrid, type GeoidGridJson } from '../../../../core/geo/geoid';
import { dhhn2016MinusBpvM } from '../../../../core/geo/heights';
import type { PipelineContext } from '../../../../pipeline/context';
import { buildFolderTileset, parseFolderArgs, progressLine } from '../../../../pipeline/buildings/folder';
import { readTileGlb } from '../../../../pipeline/buildings/glb';
import { discoverTowns, loadTown } from '../../../../pipeline/buildings/step';
import type { TerrainModel } from '../../../../pipeline/terrain-model';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/buildings/citygml');
/** Ground everywhere: no building is outside the DEM here. */
const flatTerrain: TerrainModel = { sources: [], heightEllipsoidalM: () => 380, heightSourceM: () => 333 };

describe('CityGML towns', () => {
  let dataDir: string;
  let geoid: GeoidGrid;
  const logs: string[] = [];
  const ctx = (): PipelineContext => ({ dataDir, outDir: dataDir, geoid, terrain: flatTerrain, log: (m) => logs.push(m) });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sddi-citygml-'));
    geoid = geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
    const town = path.join(dataDir, 'buildings/test_gml');
    await mkdir(town, { recursive: true });
    for (const f of ['bavaria-lod2.gml', 'no-measured-height.gml', 'truncated.gml', 'broken-geometry.gml']) await copyFile(path.join(fixtures, f), path.join(town, f));
    await mkdir(path.join(dataDir, 'buildings/test_cheb'), { recursive: true });
    await copyFile(path.join(fixtures, 'sjtsk-cheb.gml'), path.join(dataDir, 'buildings/test_cheb/cheb.xml'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finds .gml and .xml CityModels as LoD2 towns', async () => {
    const towns = await discoverTowns(dataDir);
    expect(towns.map((t) => [t.folder, t.kind, t.files.map((f) => path.basename(f))])).toEqual([
      ['test_cheb', 'lod2', ['cheb.xml']],
      ['test_gml', 'lod2', ['bavaria-lod2.gml', 'broken-geometry.gml', 'no-measured-height.gml', 'truncated.gml']],
    ]);
  });

  it('loads a Bavarian town at its surveyed heights, keeping what a truncated file had and noting what it left out', async () => {
    logs.length = 0;
    const town = await loadTown((await discoverTowns(dataDir)).find((t) => t.folder === 'test_gml')!, ctx());
    // 2 (Bavaria) + 1 (no height) + 2 (before the cut) + 2 (the good ones of the broken file).
    expect(town.records.map((r) => r.props.id).toSorted()).toEqual([
      'DEBY_LOD2_GABLE', 'DEBY_LOD2_NOHEIGHT', 'DEBY_LOD2_OK1', 'DEBY_LOD2_OK2', 'DEBY_LOD2_PARTS', 'DEBY_LOD2_T1', 'DEBY_LOD2_T2',
    ]);
    expect(town).toMatchObject({ sourceCrs: 'EPSG:25832', sourceVerticalDatum: 'DHHN2016', groundKnown: true, estimatedHeights: false });
    const house = town.records.find((r) => r.props.id === 'DEBY_LOD2_GABLE')!;
    expect(house.props).toMatchObject({
      heightM: 9, heightEstimated: false, roofType: 'gable (3100)', groundHeightM: 330, groundHeightDatum: 'DHHN2016',
      name: 'Musterhaus', address: 'Prüfeninger Straße 20, 93049 Regensburg', source: 'buildings/test_gml, bavaria-lod2.gml',
    });
    expect(house.props.function).toMatch(/^31001_1000/);
    // Its corner is the Regensburg-West control point (12.023 E, 49.019 N); heights DHHN2016 + N.
    expect(house.west).toBeCloseTo(12.023, 5);
    expect(house.south).toBeCloseTo(49.019, 5);
    const n = geoidUndulationM(geoid, 12.023, 49.019);
    expect(house.groundEllipsoidalM).toBeCloseTo(330 + n, 2);
    expect(house.minH).toBeCloseTo(330 + n, 2);
    expect(house.maxH).toBeCloseTo(339 + n, 2);
    expect(town.records.find((r) => r.props.id === 'DEBY_LOD2_NOHEIGHT')!.props.heightM).toBe(7);
    expect(town.stats).toMatchObject({ heightsFromGeometry: 1, otherObjects: { Bridge: 1 }, triangulationFailures: 0, outsideDem: 0 });
    const notes = town.stats.notes.join('\n');
    expect(notes).toMatch(/truncated\.gml ends before its XML does \(truncated\?\) in building "DEBY_LOD2_T3"; the 2 buildings read before it are kept/);
    expect(notes).toMatch(/building "DEBY_LOD2_BADLIST" left out/);
    expect(notes).toMatch(/building "DEBY_LOD2_BADREF" left out/);
    expect(notes).toMatch(/no-measured-height\.gml: 1 building without measuredHeight/);
    expect(notes).toMatch(/bavaria-lod2\.gml: left out 1 Bridge/);
    expect(logs.join('\n')).toMatch(/DEBY_LOD2_BADLIST/);
  });

  it('places S-JTSK buildings with Bpv heights', async () => {
    const town = await loadTown((await discoverTowns(dataDir)).find((t) => t.folder === 'test_cheb')!, ctx());
    expect(town).toMatchObject({ sourceCrs: 'EPSG:5514', sourceVerticalDatum: 'Bpv' });
    const r = town.records[0]!;
    expect(r.props).toMatchObject({ id: 'CZ_CHEB_1', heightM: 8, groundHeightM: 450, groundHeightDatum: 'Bpv' });
    expect(r.west).toBeCloseTo(12.3739, 4);
    expect(r.south).toBeCloseTo(50.0796, 4);
    const lon = (r.west + r.east) / 2, lat = (r.south + r.north) / 2;
    expect(r.groundEllipsoidalM).toBeCloseTo(450 + dhhn2016MinusBpvM(lon, lat) + geoidUndulationM(geoid, lon, lat), 1);
  });

  it('tiles a folder on its own, reporting progress', async () => {
    const outDir = path.join(dataDir, 'out');
    const lines: string[] = [];
    let clock = 0;
    const result = await buildFolderTileset({
      folder: path.join(dataDir, 'buildings/test_gml'), outDir, geoid, log: () => {}, progress: (l) => lines.push(l), now: () => (clock += 400),
    });
    expect(result.town.stats.buildings).toBe(7);
    expect(result.entry).toMatchObject({ kind: 'buildings', featureCount: 7, sourceCrs: 'EPSG:25832' });
    const tileset = JSON.parse(await readFile(path.join(outDir, 'tileset.json'), 'utf8')) as { root: { content?: { uri: string }; implicitTiling?: unknown } };
    // Seven buildings are one leaf: the root, with every LoD2 surface.
    expect(tileset.root.content?.uri).toBe('tiles/{level}/{x}/{y}.glb');
    expect(tileset.root.implicitTiling).toMatchObject({ subdivisionScheme: 'QUADTREE', availableLevels: 1 });
    expect((await readTileGlb(new Uint8Array(await readFile(path.join(outDir, 'tiles/0/0/0.glb'))))).properties).toHaveLength(7);
    // A line after every file at least; the last one has read every byte. Then the tiling's own lines.
    const reading = lines.filter((l) => !l.startsWith('tiled '));
    expect(reading.length).toBeGreaterThanOrEqual(4);
    expect(reading.at(-1)).toMatch(/^7 buildings \(\d+\/s\), 0\.0 of 0\.0 MiB, 0s left, truncated\.gml$/);
  });

  it('keeps the previous tiling (leaves refined by adding) as a choice', async () => {
    const outDir = path.join(dataDir, 'out-add');
    const result = await buildFolderTileset({ folder: path.join(dataDir, 'buildings/test_gml'), outDir, geoid, log: () => {}, tiling: 'add' });
    expect(result.hlod).toBeNull();
    const tileset = JSON.parse(await readFile(path.join(outDir, 'tileset.json'), 'utf8')) as { root: { content?: { uri: string }; refine: string } };
    expect(tileset.root).toMatchObject({ content: { uri: 'tiles/r.glb' }, refine: 'ADD' });
  });

  it('reads the command line `<folder> [--out <dir>] [--tiling hlod|add]`', () => {
    expect(parseFolderArgs(['tiles/'])).toEqual({ folder: 'tiles/', out: null, tiling: 'hlod' });
    expect(parseFolderArgs(['tiles/', '--out', '/tmp/t'])).toEqual({ folder: 'tiles/', out: '/tmp/t', tiling: 'hlod' });
    expect(parseFolderArgs(['--out', '/tmp/t', 'tiles/', '--tiling', 'add'])).toEqual({ folder: 'tiles/', out: '/tmp/t', tiling: 'add' });
    for (const bad of [[], ['a', 'b'], ['tiles/', '--out'], ['--out', '/tmp/t'], ['tiles/', '--tiling', 'octree'], ['tiles/', '--tiling']]) {
      expect(() => parseFolderArgs(bad)).toThrow(/usage: npm run tilesets -- buildings <folder>/);
    }
  });

  it('words a progress line with rate and time left from the bytes', () => {
    expect(progressLine(1500, 50 * 1048576, 200 * 1048576, 10_000, '/data/720_5432.gml')).toBe('1500 buildings (150/s), 50.0 of 200.0 MiB, 30s left, 720_5432.gml');
    expect(progressLine(0, 0, 1048576, 0, 'a.gml')).toBe('0 buildings (0/s), 0.0 of 1.0 MiB, time left unknown, a.gml');
    expect(progressLine(10, 1, 4000, 1000, 'a.gml')).toMatch(/, 1h06m left, /);
  });
});
