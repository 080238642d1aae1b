/**
 * The embedded coverage dataset, fetched and checked: sites.json, the terrain and the zones on the analysis grid
 * (layouts in core/coverage/dataset.ts, which the pipeline writes with). A file that fails a check fails the
 * layer with a message; the rest of the twin carries on.
 */
import { decodeDem, decodeZones, parseSitesFile, parseZonesFile, type CoverageSitesFile, type ZoneUnit } from '../../../core/coverage/dataset';
import type { Dem3035, GridSpec3035, ZoneRaster } from '../../../core/coverage/types';
import type { ManifestEntry } from '../../../core/manifest';

export type SiteRecord = CoverageSitesFile['sites'][number];

export interface ZoneRecord {
  readonly index: number;
  readonly name: string;
  readonly code: string;
  readonly country: string;
  /** Where to fly to show the unit: WGS84 [west, south, east, north]. */
  readonly bbox: readonly [number, number, number, number];
}

export interface ZonePlaneData {
  readonly raster: ZoneRaster;
  readonly list: readonly ZoneRecord[];
}

export interface CoverageData {
  readonly file: CoverageSitesFile;
  readonly grid: GridSpec3035;
  readonly dem: Dem3035 | null;
  /** Share of grid cells with terrain data, 0..1. */
  readonly demShare: number;
  readonly operators: ReadonlyArray<{ readonly id: string; readonly name: string; readonly brand: string; readonly country: string }>;
  readonly sites: readonly SiteRecord[];
  /** Admin units (regions today) and the sides of the border. */
  readonly units: ZonePlaneData;
  readonly sides: ZonePlaneData;
  /** Gemeinden and obce; absent from a dataset built without municipality outlines. */
  readonly municipalities: ZonePlaneData | null;
}

async function fetchOk(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r;
}

function plane(zones: ReturnType<typeof parseZonesFile>, rasters: Map<string, ZoneRaster>, id: string): ZonePlaneData {
  const p = zones.planes.find((x) => x.id === id);
  const raster = rasters.get(id);
  if (!p || !raster) throw new Error(`coverage zones.json has no plane "${id}"`);
  return { raster, list: p.units.map((u: ZoneUnit) => ({ index: u.index, name: u.name, code: u.code, country: u.country, bbox: u.gridBbox ?? u.bbox })) };
}

/** The files sit beside sites.json (the entry's url), under the names dataset.ts documents. */
export async function loadCoverageData(tilesetsBase: string, entry: ManifestEntry): Promise<CoverageData> {
  const sitesUrl = new URL(entry.url, tilesetsBase);
  const beside = (name: string) => new URL(name, sitesUrl).href;
  const [sitesJson, demBytes, zonesJson, zoneBytes] = await Promise.all([
    fetchOk(sitesUrl.href).then((r) => r.json() as Promise<unknown>),
    fetchOk(beside('dem-3035.bin')).then((r) => r.arrayBuffer()),
    fetchOk(beside('zones.json')).then((r) => r.json() as Promise<unknown>),
    fetchOk(beside('zones-3035.bin')).then((r) => r.arrayBuffer()),
  ]);
  const file = parseSitesFile(sitesJson);
  const grid = file.grid;
  const dem = decodeDem(demBytes, grid);
  let withData = 0;
  for (const h of dem.heightM) if (!Number.isNaN(h)) withData++;
  const zones = parseZonesFile(zonesJson);
  const g = zones.grid;
  if (g.xMinM !== grid.xMinM || g.yMaxM !== grid.yMaxM || g.cellM !== grid.cellM || g.width !== grid.width || g.height !== grid.height) {
    throw new Error('coverage zones.json and sites.json describe different grids');
  }
  const rasters = decodeZones(zoneBytes, zones);
  return {
    file,
    grid,
    dem: withData > 0 ? dem : null,
    demShare: withData / dem.heightM.length,
    operators: Object.entries(file.operators).map(([id, o]) => ({ id, name: o.name, brand: o.brand, country: o.country })),
    sites: file.sites,
    units: plane(zones, rasters, 'admin1'),
    sides: plane(zones, rasters, 'side'),
    municipalities: zones.planes.some((p) => p.id === 'municipality') ? plane(zones, rasters, 'municipality') : null,
  };
}
