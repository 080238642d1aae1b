import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../../../pipeline/context';
import { readTileGlb } from '../../../../pipeline/buildings/glb';
import { buildBuildings, discoverTowns, loadTown, writeTownTileset, type TownBuildings } from '../../../../pipeline/buildings/step';
import { ecefToGeodetic } from '../../../../core/geo/ellipsoid';
import { geoidUndulationM, parseGtx, type GeoidGrid } from '../../../../core/geo/geoid';

const repoRoot = path.resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const dataDir = path.resolve(repoRoot, '../shared/data');
const haveData = existsSync(path.join(dataDir, 'buildings')) && existsSync(path.join(dataDir, 'geodesy/egm96_15.gtx'));

describe.skipIf(!haveData)(`buildings step on the raw data${haveData ? '' : ' (skipped: ../shared/data is not next to the repo)'}`, () => {
  let geoid: GeoidGrid;
  let ctx: PipelineContext;
  let outDir: string;
  let regensburg: TownBuildings;
  let zatec: TownBuildings;
  const logs: string[] = [];

  beforeAll(async () => {
    const gtx = await readFile(path.join(dataDir, 'geodesy/egm96_15.gtx'));
    geoid = parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength), 'EGM96');
    outDir = await mkdtemp(path.join(os.tmpdir(), 'sddi-buildings-'));
    ctx = { dataDir, outDir, geoid, terrain: undefined, log: (m) => logs.push(m) };
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
  });

  it('puts a known roof at DHHN2016 + EGM96 N (about 46.2 m) above the ellipsoid, shifted for display onto the bare ellipsoid', () => {
    // Mattinger Straße 29: HoeheDach 345.622 m DHHN2016.
    const b = regensburg.records.find((r) => r.props.id === 'DEBY_LOD2_17522')!;
    expect(b.props).toMatchObject({ roofType: 'gable (3100)', groundHeightDatum: 'DHHN2016', address: 'Mattinger Straße 29, Regensburg' });
    expect(b.props.heightM).toBeCloseTo(11.162, 3);
    let top = -Infinity, lon = 0, lat = 0;
    for (const s of b.surfaces) {
      const g = ecefToGeodetic(s.ecef);
      for (let i = 0; i < g.length; i += 3) if (g[i + 2]! > top) [lon, lat, top] = [g[i]!, g[i + 1]!, g[i + 2]!];
    }
    const n = geoidUndulationM(geoid, lon, lat);
    expect(n).toBeGreaterThan(46.1);
    expect(n).toBeLessThan(46.3);
    // No terrain model in this run: the building is lowered by its own ground height and says so.
    expect(b.props.displayShiftM).toBeLessThan(-370);
    expect(b.groundEllipsoidalM).toBeCloseTo(0, 1);
    expect(top - b.props.displayShiftM).toBeCloseTo(345.622 + n, 2);
  });

  it('keeps the standing Žatec footprints with estimated heights on the ellipsoid', () => {
    // 2569 mapped; the extract carries no end_date, so the 371 footprints a later one overlaps are the demolished ones.
    expect(zatec.stats.sourceObjects).toBe(2569);
    expect(zatec.stats.droppedAsSuperseded).toBe(371);
    expect(zatec.records).toHaveLength(2198);
    expect(zatec.records.every((r) => r.props.heightEstimated && r.props.groundHeightDatum === 'none' && r.groundEllipsoidalM === 0)).toBe(true);
    expect(zatec.groundKnown).toBe(false);
    const townHall = zatec.records.find((r) => r.props.id === 'relation/2695727')!;
    expect(townHall.props).toMatchObject({ address: 'čp. 1, Žatec', function: 'building=house; amenity=townhall' });
  });

  it('writes 3D Tiles 1.1 tilesets whose GLBs carry the buildings and re-run byte-identically', async () => {
    const entries = await buildBuildings(ctx);
    expect(entries.map((e) => [e.id, e.url, e.featureCount])).toEqual([
      ['regensburg-west', 'buildings/regensburg-west/tileset.json', 1781],
      ['zatec', 'buildings/zatec/tileset.json', 2198],
    ]);
    expect(entries[0]!.extras).toMatchObject({ groundKnown: true, estimatedHeights: false });
    expect(entries[0]!.extras).toMatchObject({ shownOnEllipsoid: true });
    expect(entries[1]!.extras).toEqual({ groundEllipsoidalM: 0, groundKnown: false, estimatedHeights: true, shownOnEllipsoid: false });

    const dir = path.join(outDir, 'buildings/regensburg-west');
    const tileset = JSON.parse(await readFile(path.join(dir, 'tileset.json'), 'utf8'));
    expect(tileset.asset.version).toBe('1.1');
    expect(tileset.asset.extras.sddi).toMatchObject({ sourceCrs: 'EPSG:25832', sourceVerticalDatum: 'DHHN2016', groundKnown: true });
    expect(tileset.root.content).toBeUndefined();
    expect(tileset.root.refine).toBe('ADD');
    const leaves: { content: { uri: string } }[] = [];
    const walk = (t: { content?: { uri: string }; children?: unknown[] }): void => {
      if (t.content) leaves.push(t as { content: { uri: string } });
      for (const c of t.children ?? []) walk(c as typeof t);
    };
    walk(tileset.root);
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
      }
    }
    expect(features).toBe(1781);
    expect(found).toBe(true);

    const before = await snapshot(dir);
    await writeTownTileset(regensburg, outDir);
    expect(await snapshot(dir)).toEqual(before);
  }, 120_000);
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir, { recursive: true })).toSorted()) {
    const p = path.join(dir, f);
    if (f.endsWith('.json') || f.endsWith('.glb')) out[f] = (await readFile(p)).toString('base64');
  }
  return out;
}
