/**
 * A layer the user adds from a service or a file of their own: what it is, where it comes from and whose it is.
 * Renderer-neutral: the page draws each kind through Cesium's own provider or data source
 * (src/layers/catalogue); this module only describes, validates and recognises them.
 */
import { z } from '../zod';

export const CATALOGUE_KINDS = ['wms', 'wmts', 'xyz', '3dtiles', 'geojson', 'czml', 'kml', 'gpx'] as const;
export type CatalogueKind = (typeof CATALOGUE_KINDS)[number];

/** Kinds drawn as imagery on the terrain (the rest are vector data sources or tilesets). */
export const IMAGERY_KINDS: ReadonlySet<CatalogueKind> = new Set(['wms', 'wmts', 'xyz']);

/** The two map projections Cesium's imagery tiling schemes draw. */
export const TILING_CRS = ['EPSG:3857', 'EPSG:4326'] as const;
export type TilingCrs = (typeof TILING_CRS)[number];

const text = (max: number) => z.string().max(max);

export const catalogueSourceSchema = z
  .object({
    kind: z.enum(CATALOGUE_KINDS),
    /** http(s) URL of the service or file; a dropped file has none (`file:` + its name, never fetched). */
    url: z.string().min(1).max(2000),
    title: text(200),
    /** WMS: comma-separated layer names; WMTS: the layer identifier. */
    layer: text(500).optional(),
    crs: z.enum(TILING_CRS).optional(),
    /** WMTS: the tile matrix set, its matrices' identifiers from level 0, style and image format. */
    tileMatrixSet: text(200).optional(),
    tileMatrixLabels: z.array(text(100)).max(30).optional(),
    style: text(200).optional(),
    format: text(100).optional(),
    /** WGS84 degrees [west, south, east, north] the data covers, when the service says. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    owner: text(200).optional(),
    licence: text(200).optional(),
    attribution: text(500).optional(),
    /** Set for the region's official services offered in the catalogue (see presets.ts). */
    presetId: text(64).optional(),
  })
  .strict();
export type CatalogueSource = z.infer<typeof catalogueSourceSchema>;

/** Files the catalogue reads through Cesium's data sources when dropped or opened. */
const FILE_KINDS: ReadonlyArray<[RegExp, CatalogueKind]> = [
  [/\.czml$/i, 'czml'],
  [/\.km[lz]$/i, 'kml'],
  [/\.gpx$/i, 'gpx'],
];

/** The kind a dropped file is read as by the catalogue, or null (the importer's formats: GeoJSON, CSV, CityJSON). */
export function fileKind(fileName: string): CatalogueKind | null {
  return FILE_KINDS.find(([re]) => re.test(fileName))?.[1] ?? null;
}

/**
 * The kind a URL most likely is, from what services and files put in their URLs; null when nothing tells (the
 * user picks). A guess only: the service's answer is checked when the layer is added.
 */
export function guessKind(rawUrl: string): CatalogueKind | null {
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    return null;
  }
  const path = decodeURIComponent(u.pathname).toLowerCase();
  const service = [...u.searchParams].find(([k]) => k.toLowerCase() === 'service')?.[1]?.toLowerCase();
  if (/\{z\}|\{x\}|\{y\}|\{-y\}|\{s\}/i.test(decodeURIComponent(rawUrl)) && !/\{tilematrix/i.test(decodeURIComponent(rawUrl))) return 'xyz';
  if (service === 'wmts' || path.endsWith('wmtscapabilities.xml') || /\/wmts(\/|$)/.test(path)) return 'wmts';
  if (service === 'wms' || /\/wms(\/|$)|\/wms_|_wms\b/.test(path) || path.endsWith('/mapserv')) return 'wms';
  if (path.endsWith('tileset.json')) return '3dtiles';
  if (/\.(geo)?json$/.test(path)) return 'geojson';
  const file = FILE_KINDS.find(([re]) => re.test(path));
  return file ? file[1] : null;
}

/** The origin a source is fetched from, or null for a dropped file. */
export function sourceOrigin(source: Pick<CatalogueSource, 'url'>): string | null {
  if (source.url.startsWith('file:')) return null;
  try {
    const u = new URL(source.url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** An http(s) URL the user typed, or the reason it is not one. */
export function checkServiceUrl(raw: string): { url: string } | { problem: string } {
  const trimmed = raw.trim();
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    return { problem: `“${trimmed.slice(0, 200)}” is not a URL` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { problem: `“${trimmed.slice(0, 200)}” is not an http(s) URL` };
  if (u.username || u.password) return { problem: 'URLs with a user name or password are not accepted: they would be stored and shared' };
  return { url: u.href };
}
