import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../../../pipeline/context';
import { readTileGlb } from '../../../../pipeline/buildings/glb';
import { buildBuildings, discoverTowns, loadTown, type TownBuildings } from '../../../../pipeline/buildings/step';
import { ecefToGeodetic } from '../../../../core/geo/ellipsoid';
import { geoidUndulationM, parseGtx, type GeoidGrid } from '../../../../core/geo/geoid';
import { loadTerrainModel } from '../../../../pipeline/terrain/model';
import type { TerrainModel } from '../../../../pipeline/terrain-model';
import { availableTiles } from './hlod/implicit-tiles';

const repoRoot = path.resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const dataDir = path.resolve(repoRoot, '../shared/data');
const haveData = existsSync(path.join(dataDir, 'buildings')) && existsSync(path.join(dataDir, 'dem')) && existsSync(path.join(dataDir, 'geodesy/egm96_15.gtx'));

describe.skipIf(!haveData)(`buildings step on the raw data${haveData ? '' : ' (skipped: ../shared/data is not next to the repo)'}`, () => {
  let geoid: GeoidGrid;
  let terrain: TerrainModel;
  let ctx: PipelineContext;
  let outDir: string;
  let regensburg: TownBuildings;
  let zatec: TownBuildings;
  const logs: string[] = [];

  beforeAll(async () => {
    const gtx = await readFile(path.join(dataDir, 'geodesy/egm96_15.gtx'));
    geoid = parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength), 'EGM96');
    terrain = await loadTerrainModel(dataDir, geoid);
    outDir = await mkdtemp(path.join(os.tmpdir(), 'sddi-buildings-'));
    ctx = { dataDir, outDir, geoid, terrain, log: (m) => logs.push(m) };
    const towns = await discoverTowns(dataDir);
    regensburg = await loadTown(towns.find((t) => t.meta.id === 'regensburg-west')!, ctx);
    zatec = await loadTown(towns.find((t) => t.meta.id === 'zatec')!, ctx);
  }, 120_000);
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('reads all 1781 Regensburg LoD2 buildings with no triangulation failure', () => {
    expect(regensburg.records).toHaveLength(1781);
    expect(new Set(regensburg.records.map((r) => r.props.id)).size).toBe(1781);
    expect(regensburg.sourceCrs).toBe('EPSG:25832');
    expect(regensburg.stats.triangulationFailures).toBe(0);
    expect(regensburg.stats.notes.join(' ')).toMatch(/no metadata.referenceSystem/);
    // Only Building objects in both files: no Bridge or other CityObject is left out. The five ALKIS bridges
    // (53001_1800) among them are drawn as delivered, their decks at their surveyed heights.
    expect(regensburg.stats.otherObjects).toEqual({});
    expect(regensburg.records.filter((r) => r.props.function === '53001_1800 bridge')).toHaveLength(5);
  });

  it('finds ground in the terrain model under every building of both towns', () => {
    expect(regensburg.stats.outsideDem).toBe(0);
    expect(zatec.stats.outsideDem).toBe(0);
    expect(logs.join('\n')).not.toMatch(/no DEM has ground/);
    // The LoD2 ground (HoeheGrund + N) and the SRTM 3″ ground under the same building agree to a few metres.
    const diffs = regensburg.records.map((r) => terrain.heightEllipsoidalM((r.west + r.east) / 2, (r.south + r.north) / 2)! - r.groundEllipsoidalM).toSorted((a, b) => a - b);
    expect(Math.abs(diffs[diffs.length >> 1]!)).toBeLessThan(3);
    expect(diffs.reduce((n, d) => n + Math.abs(d), 0) / diffs.length).toBeLessThan(4);
  });

  it('puts a known roof at its DHHN2016 height + EGM96 N (about 46.2 m) above the ellipsoid, unshifted', () => {
    // Mattinger Straße 29: HoeheDach 345.622 m, HoeheGrund 334.460 m DHHN2016.
    const b = regensburg.records.find((r) => r.props.id === 'DEBY_LOD2_17522')!;
    expect(b.props).toMatchObject({ roofType: 'gable (3100)', groundHeightDatum: 'DHHN2016', address: 'Mattinger Straße 29, Regensburg' });
    expect(b.props.heightM).toBeCloseTo(11.162, 3);
    expect(b.props.groundHeightM).toBeCloseTo(334.46, 3);
    expect(Object.keys(b.props)).not.toContain('displayShiftM');
    let top = -Infinity, lon = 0, lat = 0;
    for (const s of b.surfaces) {
      const g = ecefToGeodetic(s.ecef);
      for (let i = 0; i < g.length; i += 3) if (g[i + 2]! > top) [lon, lat, top] = [g[i]!, g[i + 1]!, g[i + 2]!];
    }
    const n = geoidUndulationM(geoid, lon, lat);
    expect(n).toBeGreaterThan(46.1);
    expect(n).toBeLessThan(46.3);
    expect(top).toBeCloseTo(345.622 + n, 2);
    expect(b.maxH).toBeCloseTo(345.622 + n, 2);
    expect(b.groundEllipsoidalM).toBeCloseTo(334.46 + n, 2);
  });

  it('keeps the standing Žatec footprints with estimated heights on the ground of the terrain model', () => {
    // 2569 mapped; the extract carries no end_date, so the 371 footprints a later one overlaps are the demolished ones.
    expect(zatec.stats.sourceObjects).toBe(2569);
    expect(zatec.stats.droppedAsSuperseded).toBe(371);
    expect(zatec.records).toHaveLength(2198);
    expect(zatec.records.every((r) => r.props.heightEstimated && r.props.groundHeightDatum === 'EGM96')).toBe(true);
    expect(zatec.groundKnown).toBe(true);
    expect(zatec.estimatedHeights).toBe(true);
    const townHall = zatec.records.find((r) => r.props.id === 'relation/2695727')!;
    expect(townHall.props).toMatchObject({ address: 'čp. 1, Žatec', function: 'building=house; amenity=townhall' });
    // Its ground is the terrain model's at the footprint's centroid: the SRTM height (EGM96) there, + N for the geometry.
    const lon = (townHall.west + townHall.east) / 2, lat = (townHall.south + townHall.north) / 2;
    expect(townHall.groundEllipsoidalM).toBeGreaterThan(250);
    expect(townHall.groundEllipsoidalM).toBeLessThan(330);
    expect(Math.abs(townHall.groundEllipsoidalM - terrain.heightEllipsoidalM(lon, lat)!)).toBeLessThan(1);
    expect(townHall.groundEllipsoidalM - townHall.props.groundHeightM).toBeCloseTo(geoidUndulationM(geoid, lon, lat), 1);
    expect(townHall.minH).toBeCloseTo(townHall.groundEllipsoidalM, 2);
    expect(townHall.maxH - townHall.minH).toBeCloseTo(townHall.props.heightM, 2);
  });

  it('writes 3D Tiles 1.1 tilesets whose GLBs carry the buildings and re-run byte-identically', async () => {
    const entries = await buildBuildings(ctx);
    expect(entries.map((e) => [e.id, e.url, e.featureCount])).toEqual([
      ['regensburg-west', 'buildings/regensburg-west/tileset.json', 1781],
      ['zatec', 'buildings/zatec/tileset.json', 2198],
    ]);
    expect(entries[0]!.extras).toEqual({ groundEllipsoidalM: expect.closeTo(392, 0) as number, groundKnown: true, estimatedHeights: false });
    expect(entries[1]!.extras).toEqual({ groundEllipsoidalM: expect.closeTo(285, 0) as number, groundKnown: true, estimatedHeights: true });

    const dir = path.join(outDir, 'buildings/regensburg-west');
    const tileset = JSON.parse(await readFile(path.join(dir, 'tileset.json'), 'utf8'));
    expect(tileset.asset.version).toBe('1.1');
    expect(tileset.asset.extras.sddi).toMatchObject({ sourceCrs: 'EPSG:25832', sourceVerticalDatum: 'DHHN2016', groundKnown: true });
    expect(tileset.root).toMatchObject({ refine: 'REPLACE', content: { uri: 'tiles/{level}/{x}/{y}.glb' }, implicitTiling: { subdivisionScheme: 'QUADTREE' } });
    // Leaves: the tiles with no tile below them; they hold every LoD2 building once.
    const { tiles, problems } = await availableTiles(dir);
    expect(problems).toEqual([]);
    const hasChild = (t: string): boolean => {
      const [z, x, y] = t.split('/').map(Number) as [number, number, number];
      return [0, 1, 2, 3].some((i) => tiles.has(`${z + 1}/${x * 2 + (i & 1)}/${y * 2 + (i >> 1)}`));
    };
    const leaves = [...tiles].filter((t) => !hasChild(t)).map((t) => ({ content: { uri: `tiles/${t}.glb` } }));
    let features = 0;
    let found = false;
    for (const leaf of leaves) {
      const tile = await readTileGlb(new Uint8Array(await readFile(path.join(dir, leaf.content.uri))));
      expect(tile.properties.length).toBeLessThanOrEqual(300);
      features += tile.properties.length;
      const b = tile.properties.find((p) => p.id === 'DEBY_LOD2_17522');
      if (b) {
        found = true;
        expect(b.heightM).toBeCloseTo(11.162, 3);
        expect(b.function).toBe('31001_1000 residential building');
        expect(b.licence).toBe('CC BY 4.0');
        expect(b.name).toBe('');
      }
    }
    expect(features).toBe(1781);
    expect(found).toBe(true);

    const before = await snapshot(dir);
    await buildBuildings(ctx);
    expect(await snapshot(dir)).toEqual(before);
    // The committed tilesets are what the step makes of today's sources.
    for (const id of ['regensburg-west', 'zatec']) expect(await snapshot(path.join(repoRoot, 'tilesets/buildings', id)), id).toEqual(await snapshot(path.join(outDir, 'buildings', id)));
  }, 120_000);
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir, { recursive: true })).toSorted()) {
    const p = path.join(dir, f);
    if (f.endsWith('.json') || f.endsWith('.glb') || f.endsWith('.subtree')) out[f] = (await readFile(p)).toString('base64');
  }
  return out;
}
