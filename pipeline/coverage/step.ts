/**
 * Coverage: the inputs of the mobile coverage analysis, on one analysis grid (EPSG:3035, 200 m cells) around the
 * region's cell sites plus a margin:
 *   sites.json      OpenCelliD cells grouped into sites per operator, with the assumed modelling parameters;
 *   dem-3035.bin    ground heights at the cell centres from the terrain model;
 *   zones-3035.bin  admin units and the side of the state border per cell, listed in zones.json.
 * Layouts: `core/coverage/dataset.ts` (encoders and decoders) and tilesets/README.md.
 *
 * Zones come from the boundary files: every `admin<N>_*.geojson` under boundaries/ becomes (or joins) the plane
 * "admin<N>", so finer units (districts, municipalities) drop in as more files; `countries_*.geojson` gives the
 * sides of the border. Those planes hold at most 255 units (Uint8); the municipalities of both countries
 * (boundaries/municipalities/) are one Uint16 plane of their own.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { converter } from '../../core/geo/crs';
import type { GridSpec3035 } from '../../core/aggregation/types';
import { SITE_MODEL_ASSUMPTIONS, encodeDem, encodeZones, type CoverageSitesFile, type CoverageZonesFile, type ZonePlane, type ZoneUnit } from '../../core/coverage/dataset';
import type { ManifestEntry, PipelineContext } from '../context';
import { blockLonLatBox, gridAround, sampleOnGrid } from './grid';
import { buildSites, parseOpenCellId, SITE_MERGE_M } from './sites';
import { cellBlockOf, lonLatBbox, rasteriseUnit, ringsOf } from './zones';
import type { ZoneRaster } from '../../core/coverage/types';
import { loadMunicipalities, MUNICIPALITY_FILES } from '../places/step';

/** The analysis grid: 200 m cells, 10 km around the outermost site. */
export const GRID_CELL_M = 200;
export const GRID_MARGIN_M = 10_000;

export const OPENCELLID_FILE = 'sensors/opencellid/ocid_diff_2022-09-10_aoi_11.5-14.5E_48.5-50.8N.csv';

/** Countries of the border, by the ISO alpha-3 codes the country outlines carry: the side plane's 1 and 2. */
const SIDES: ReadonlyArray<{ a3: string; code: string; name: string }> = [
  { a3: 'CZE', code: 'CZ', name: 'Česko' },
  { a3: 'DEU', code: 'DE', name: 'Deutschland' },
];

type Polygonal = Feature<Polygon | MultiPolygon>;

export interface CoverageOutputs {
  readonly grid: GridSpec3035;
  readonly sites: CoverageSitesFile;
  readonly dem: Float32Array;
  readonly zones: CoverageZonesFile;
  /** The planes of zones.json in order, each width·height. */
  readonly planes: ZoneRaster[];
  readonly demCoveragePct: number;
  readonly notes: string[];
}

const toLaeaConv = converter(4326, 3035);
const fromLaeaConv = converter(3035, 4326);
const toLaea = (lon: number, lat: number): [number, number] => toLaeaConv.forward([lon, lat]) as [number, number];
const fromLaea = (x: number, y: number): [number, number] => fromLaeaConv.forward([x, y]) as [number, number];

/** Everything the step writes, computed in memory (the tests run this on the raw data). */
export async function buildCoverageOutputs(ctx: Pick<PipelineContext, 'dataDir' | 'terrain'>): Promise<CoverageOutputs> {
  const notes: string[] = [];
  const csv = await readFile(path.join(ctx.dataDir, OPENCELLID_FILE), 'utf8');
  const { cells, skipped } = parseOpenCellId(csv);
  const terrain = ctx.terrain;
  if (!terrain) notes.push('no terrain model: every ground height is "no data"');
  const groundAt = (lon: number, lat: number): number | null => terrain?.heightEllipsoidalM(lon, lat) ?? null;
  const { sites, operators, maxSpreadM } = buildSites(cells, { toLaea, fromLaea, groundAt });
  notes.push(`${cells.length} cells -> ${sites.length} sites (cells within ${SITE_MERGE_M} m merged, largest distance of a cell from its site ${maxSpreadM.toFixed(1)} m); ${skipped.length} records skipped`);

  const grid = gridAround(
    sites.map((s) => s.xM),
    sites.map((s) => s.yM),
    GRID_MARGIN_M,
    GRID_CELL_M,
  );
  const dem = sampleOnGrid(grid, fromLaea, groundAt);
  let withData = 0;
  for (const h of dem) if (!Number.isNaN(h)) withData++;
  const demCoveragePct = Math.round((withData / dem.length) * 1000) / 10;

  const { planes, list } = await buildZones(ctx.dataDir, grid, notes);
  const sitesFile: CoverageSitesFile = {
    about:
      'Mobile network sites of the Czech-Bavarian border region from OpenCelliD, per operator. Positions are ' +
      'estimated by OpenCelliD from crowd-sourced measurements; antenna height, pattern and power are assumed ' +
      '(see "model"), so any coverage computed from this file is modelled.',
    source: {
      name: 'OpenCelliD',
      file: 'OpenCelliD diff export 2022-09-10, cut to 11.5–14.5° E, 48.5–50.8° N',
      licence: 'CC BY-SA 4.0',
      attribution: 'Cell positions: OpenCelliD (CC BY-SA 4.0)',
      note: 'This file is a derivative of OpenCelliD data and is shared under the same licence.',
    },
    crs: 'lonDeg/latDeg: WGS84; xM/yM: EPSG:3035; groundHeightEllipsoidalM: WGS84 ellipsoidal (terrain model), null without DEM',
    grid,
    operators,
    model: { ...SITE_MODEL_ASSUMPTIONS, bands: [...SITE_MODEL_ASSUMPTIONS.bands] },
    sites,
    skipped,
  };
  const zones: CoverageZonesFile = {
    about:
      'Zones of the coverage analysis grid: one plane per entry of "planes" (bytesPerCell 1: Uint8; 2: Uint16 little-endian), in this order, in zones-3035.bin ' +
      '(width·height bytes each, image order); 0 = none, k = unit with index k. Units are rasterised at cell centres.',
    grid,
    file: 'zones-3035.bin',
    planes: list,
  };
  return { grid, sites: sitesFile, dem, zones, planes, demCoveragePct, notes };
}

interface ZoneSource {
  readonly planeId: string;
  readonly file: string;
  readonly features: Polygonal[];
}

/** admin<N>_*.geojson files under boundaries/, grouped per level, sorted. */
async function adminSources(dataDir: string): Promise<ZoneSource[]> {
  const dir = path.join(dataDir, 'boundaries');
  const out: ZoneSource[] = [];
  for (const name of (await readdir(dir)).toSorted()) {
    const m = /^admin(\d+)_.*\.geojson$/i.exec(name);
    if (!m) continue;
    const fc = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as FeatureCollection;
    const features = fc.features.filter((f): f is Polygonal => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon');
    out.push({ planeId: `admin${Number(m[1])}`, file: `boundaries/${name}`, features });
  }
  return out.toSorted((a, b) => Number(a.planeId.slice(5)) - Number(b.planeId.slice(5)) || a.file.localeCompare(b.file));
}

const prop = (f: Feature, ...keys: string[]): string | null => {
  for (const k of keys) {
    const v = f.properties?.[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
};

/** A drop-in boundary file may name its licence per feature; the Natural Earth outlines are public domain. */
function licenceOf(features: readonly Feature[]): string {
  const named = [...new Set(features.map((f) => prop(f, 'licence', 'license')).filter((l): l is string => l !== null))];
  if (named.length > 0) return named.join('; ');
  return features.every((f) => /natural earth/i.test(prop(f, 'source') ?? '')) ? 'public domain (Natural Earth)' : 'see the boundary source';
}

function unitOf(grid: GridSpec3035, plane: ZoneRaster, index: number, code: string, name: string, country: string, bbox: [number, number, number, number], cells: number): ZoneUnit {
  const block = cellBlockOf(grid, plane, index);
  return { index, code, name, country, bbox, gridBbox: block ? blockLonLatBox(grid, block, fromLaea) : null, cells };
}

async function buildZones(dataDir: string, grid: GridSpec3035, notes: string[]): Promise<{ planes: ZoneRaster[]; list: ZonePlane[] }> {
  const n = grid.width * grid.height;
  const planes: ZoneRaster[] = [];
  const list: ZonePlane[] = [];
  const sources = await adminSources(dataDir);
  for (const planeId of new Set(sources.map((s) => s.planeId))) {
    const features = sources.filter((s) => s.planeId === planeId).flatMap((s) => s.features.map((f) => ({ f, file: s.file })));
    const units = features
      .map(({ f, file }) => {
        const code = prop(f, 'iso_3166_2', 'code', 'id') ?? '';
        const country = prop(f, 'country', 'iso_a2') ?? code.split('-')[0] ?? '';
        return { f, file, code, country, name: prop(f, 'name') ?? code };
      })
      .toSorted((a, b) => a.code.localeCompare(b.code) || a.name.localeCompare(b.name));
    if (units.length > 255) throw new Error(`zones ${planeId}: ${units.length} units, a Uint8 plane holds 255: split the level into several files and planes`);
    const plane = new Uint8Array(n);
    const counts = units.map((u, i) => {
      const { cells, overlaps } = rasteriseUnit(grid, ringsOf(u.f, toLaea), plane, i + 1);
      if (overlaps > 0) notes.push(`zones ${planeId}: ${u.name} overlaps earlier units in ${overlaps} cells (kept by the earlier unit)`);
      return cells;
    });
    // A unit with no cell in the grid has no statistics: it is left out of the list, and the others are numbered
    // 1, 2, … without gaps.
    const remap = new Uint8Array(256);
    const kept = units.flatMap((u, i) => (counts[i]! > 0 ? [{ u, i }] : []));
    kept.forEach(({ i }, k) => (remap[i + 1] = k + 1));
    units.forEach((unit, j) => {
      if (counts[j] === 0) notes.push(`zones ${planeId}: ${unit.code} "${unit.name}" has no cell in the grid (outline bbox ${lonLatBbox(unit.f).join(', ')}); left out`);
    });
    for (let c = 0; c < n; c++) plane[c] = remap[plane[c]!]!;
    const out = kept.map(({ u, i }, k) => unitOf(grid, plane, k + 1, u.code, u.name, u.country, lonLatBbox(u.f), counts[i]!));
    planes.push(plane);
    const files = [...new Set(kept.map(({ u }) => u.file))];
    list.push({
      id: planeId,
      title: planeId === 'admin1' ? 'Regions (Bundesländer, kraje)' : `Administrative units, level ${planeId.slice(5)}`,
      source: files.map((f) => `${f} (${prop(kept.find(({ u }) => u.file === f)!.u.f, 'source') ?? 'boundary file'})`).join('; '),
      licence: licenceOf(kept.map(({ u }) => u.f)),
      bytesPerCell: 1,
      units: out,
    });
  }

  const dir = path.join(dataDir, 'boundaries');
  const countryFile = (await readdir(dir)).toSorted().find((f) => /^countries_.*\.geojson$/i.test(f));
  if (!countryFile) throw new Error('boundaries/: no countries_*.geojson for the sides of the border');
  const countries = JSON.parse(await readFile(path.join(dir, countryFile), 'utf8')) as FeatureCollection;
  const side = new Uint8Array(n);
  const sideUnits: ZoneUnit[] = [];
  SIDES.forEach((s, i) => {
    const f = countries.features.find((x): x is Polygonal => prop(x, 'A3', 'iso_a3', 'ISO_A3') === s.a3 && (x.geometry?.type === 'Polygon' || x.geometry?.type === 'MultiPolygon'));
    if (!f) throw new Error(`boundaries/${countryFile}: no outline of ${s.a3}`);
    const { cells } = rasteriseUnit(grid, ringsOf(f, toLaea), side, i + 1);
    sideUnits.push(unitOf(grid, side, i + 1, s.code, s.name, s.code, lonLatBbox(f), cells));
  });
  planes.push(side);
  list.push({
    id: 'side',
    title: 'Side of the state border',
    source: `boundaries/${countryFile} (OpenStreetMap country outlines, simplified to 10 m, clipped to the region)`,
    licence: 'ODbL 1.0 (© OpenStreetMap contributors)',
    bytesPerCell: 1,
    units: sideUnits,
  });
  const municipalities = await municipalityPlane(dataDir, grid, notes);
  if (municipalities) {
    planes.push(municipalities.plane);
    list.push(municipalities.entry);
  }
  return { planes, list };
}

/**
 * The municipalities of both sides (Gemeinden, obce) as a Uint16 plane: the engineers' question is which one is
 * worst served. Units with no cell in the grid are left out and the rest numbered without gaps.
 */
async function municipalityPlane(dataDir: string, grid: GridSpec3035, notes: string[]): Promise<{ plane: Uint16Array; entry: ZonePlane } | null> {
  if (!existsSync(path.join(dataDir, MUNICIPALITY_FILES.de)) || !existsSync(path.join(dataDir, MUNICIPALITY_FILES.cz))) return null;
  const all = await loadMunicipalities(dataDir);
  const plane = new Uint16Array(grid.width * grid.height);
  const counts = all.map((m, i) => rasteriseUnit(grid, ringsOf(m.feature, toLaea), plane, i + 1).cells);
  const remap = new Uint16Array(all.length + 1);
  const kept = all.flatMap((m, i) => (counts[i]! > 0 ? [{ m, i }] : []));
  kept.forEach(({ i }, k) => (remap[i + 1] = k + 1));
  for (let c = 0; c < plane.length; c++) plane[c] = remap[plane[c]!]!;
  notes.push(`zones municipality: ${kept.length} of ${all.length} municipalities have cells in the grid`);
  const units = kept.map(({ m, i }, k) => unitOf(grid, plane, k + 1, m.code, m.name, m.country, lonLatBbox(m.feature), counts[i]!));
  return {
    plane,
    entry: {
      id: 'municipality',
      title: 'Municipalities (Gemeinden, obce)',
      source: `${MUNICIPALITY_FILES.de} (BKG VG250 2016); ${MUNICIPALITY_FILES.cz} (ČÚZK RÚIAN via iROZHLAS/DataRozhlas, simplified)`,
      licence: 'GeoNutzV (© GeoBasis-DE / BKG 2016); CC BY 4.0 (ČÚZK)',
      bytesPerCell: 2,
      units,
    },
  };
}

/** sites.json with one site per line: readable, and a rebuild's diff shows which sites changed. */
export function formatSitesJson(file: CoverageSitesFile): string {
  const { sites, ...head } = file;
  const top = Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{\n${top.join(',\n')},\n"sites":[\n${sites.map((s) => JSON.stringify(s)).join(',\n')}\n]\n}\n`;
}

export async function buildCoverage(ctx: PipelineContext): Promise<ManifestEntry[]> {
  const out = await buildCoverageOutputs(ctx);
  const dir = path.join(ctx.outDir, 'coverage');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'sites.json'), formatSitesJson(out.sites));
  await writeFile(path.join(dir, 'dem-3035.bin'), encodeDem(out.grid, out.dem));
  await writeFile(path.join(dir, out.zones.file), encodeZones(out.planes));
  await writeFile(path.join(dir, 'zones.json'), `${JSON.stringify(out.zones, null, 1)}\n`);
  for (const note of out.notes) ctx.log(`coverage: ${note}`);
  const { grid } = out;
  ctx.log(`coverage: grid ${grid.width}×${grid.height} cells of ${grid.cellM} m (${grid.width * grid.height} cells); DEM on ${out.demCoveragePct} % of them`);
  const operators = Object.entries(out.sites.operators).map(([key, o]) => ({ key, name: o.name, country: o.country, sites: o.sites }));
  return [
    {
      id: 'coverage',
      kind: 'coverage',
      url: 'coverage/sites.json',
      title: 'Mobile coverage inputs: cell sites (OpenCelliD, positions crowd-estimated), ground, zones; coverage is MODELLED',
      source: 'OpenCelliD diff export 2022-09-10 (cell positions); SRTM via the terrain model (ground); Natural Earth (regions); OpenStreetMap (state border)',
      licence: 'CC BY-SA 4.0',
      attribution: 'Cell positions: OpenCelliD (CC BY-SA 4.0)',
      sourceCrs: 'EPSG:4326',
      sourceVerticalDatum: 'ellipsoidal',
      bbox: blockLonLatBox(grid, { col0: 0, row0: 0, col1: grid.width, row1: grid.height }, fromLaea),
      featureCount: out.sites.sites.length,
      extras: {
        modelled: true,
        grid,
        sites: 'coverage/sites.json',
        dem: 'coverage/dem-3035.bin',
        demEncoding: 'int16le, decimetres, WGS84 ellipsoidal, -32768 = no data',
        demCoveragePct: out.demCoveragePct,
        zones: `coverage/${out.zones.file}`,
        zonesList: 'coverage/zones.json',
        zonePlanes: out.zones.planes.map((p) => p.id),
        operators,
      },
    },
  ];
}
