/**
 * The region's official map services on both sides of the border, offered in the catalogue with their owner,
 * licence and attribution. All are online services: without a network they are shown as unavailable. Each
 * origin must be in the deployment's config.json `dataSources` (and so in its security policy) to be usable.
 * Endpoints from the owners' and widely used clients' documentation (README "Catalogue"); the ArcGIS caches of
 * ČÚZK and basemap.de are WebMercator tile matrix sets from level 0, drawn as WMTS without a capabilities
 * round trip.
 */
import type { CatalogueSource } from './source';

const CZ: [number, number, number, number] = [12.09, 48.55, 18.86, 51.06];
const BY: [number, number, number, number] = [8.97, 47.27, 13.84, 50.56];
const DE: [number, number, number, number] = [5.87, 47.27, 15.04, 55.06];

const CUZK = { owner: 'Český úřad zeměměřický a katastrální (ČÚZK)', licence: 'CC BY 4.0', attribution: '© ČÚZK (CC BY 4.0), ČÚZK – on-line' } as const;
const LDBV = { owner: 'Bayerische Vermessungsverwaltung (LDBV)', licence: 'CC BY 4.0', attribution: 'Datenquelle: Bayerische Vermessungsverwaltung – www.geodaten.bayern.de' } as const;
const ZOOMS = (n: number): string[] => Array.from({ length: n + 1 }, (_, i) => String(i));
const arcgisWmts = (service: string): string =>
  `https://ags.cuzk.gov.cz/arcgis1/rest/services/${service}/MapServer/WMTS/tile/1.0.0/${service}/default/GoogleMapsCompatible/{TileMatrix}/{TileRow}/{TileCol}`;

export const PRESETS: readonly CatalogueSource[] = [
  { presetId: 'cuzk-ortofoto', kind: 'wmts', title: 'ČÚZK Ortofoto ČR', url: arcgisWmts('ORTOFOTO_WM'), layer: 'ORTOFOTO_WM', style: 'default', tileMatrixSet: 'GoogleMapsCompatible', tileMatrixLabels: ZOOMS(20), crs: 'EPSG:3857', format: 'image/jpeg', bbox: CZ, ...CUZK },
  { presetId: 'cuzk-ztm', kind: 'wmts', title: 'ČÚZK Základní topografická mapa (ZTM)', url: arcgisWmts('ZTM_WM'), layer: 'ZTM_WM', style: 'default', tileMatrixSet: 'GoogleMapsCompatible', tileMatrixLabels: ZOOMS(19), crs: 'EPSG:3857', format: 'image/png', bbox: CZ, ...CUZK },
  { presetId: 'cuzk-dmr5g-relief', kind: 'wms', title: 'ČÚZK Stínovaný reliéf DMR 5G', url: 'https://ags.cuzk.gov.cz/arcgis2/services/dmr5g/ImageServer/WMSServer', layer: 'dmr5g:GrayscaleHillshade', crs: 'EPSG:3857', format: 'image/png', bbox: CZ, ...CUZK },
  { presetId: 'ldbv-dop20', kind: 'wms', title: 'LDBV Digitales Orthophoto DOP20', url: 'https://geoservices.bayern.de/od/wms/dop/v1/dop20', layer: 'by_dop20c', crs: 'EPSG:3857', format: 'image/jpeg', bbox: BY, ...LDBV },
  {
    presetId: 'basemap-de', kind: 'wmts', title: 'basemap.de Web Raster', layer: 'de_basemapde_web_raster_farbe', style: 'default', tileMatrixSet: 'GLOBAL_WEBMERCATOR', tileMatrixLabels: ZOOMS(18), crs: 'EPSG:3857', format: 'image/png', bbox: DE,
    url: 'https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/default/GLOBAL_WEBMERCATOR/{TileMatrix}/{TileRow}/{TileCol}.png',
    owner: 'Bundesamt für Kartographie und Geodäsie (BKG) und die Vermessungsverwaltungen der Länder', licence: 'CC BY 4.0', attribution: '© basemap.de / BKG',
  },
  // The 3D buildings BayernAtlas itself shows (LoD2, open data); the service is not separately documented.
  { presetId: 'ldbv-lod2-3dtiles', kind: '3dtiles', title: 'LDBV 3D-Gebäude LoD2 (BayernAtlas)', url: 'https://bvv3d21.bayernwolke.de/3d-data/latest/lod23d/tileset.json', bbox: BY, ...LDBV },
];
