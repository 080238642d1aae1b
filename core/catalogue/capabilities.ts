/**
 * What a WMS or WMTS says it offers, read from its GetCapabilities answer by camptocamp's ogc-client (the
 * parser GeoNetwork and geOrchestra use), so the catalogue lists layers the user can pick. An exception report
 * becomes an error that quotes the service. Pure: runs in the page, a worker or node.
 */
import { check } from '@camptocamp/ogc-client/dist/shared/errors.js';
import { parseXmlString } from '@camptocamp/ogc-client/dist/shared/xml-utils.js';
import { readInfoFromCapabilities as readWmsInfo, readLayersFromCapabilities as readWmsLayers, readVersionFromCapabilities } from '@camptocamp/ogc-client/dist/wms/capabilities.js';
import type { WmsLayerFull } from '@camptocamp/ogc-client/dist/wms/model.js';
import { readInfoFromCapabilities as readWmtsInfo, readLayersFromCapabilities as readWmtsLayers, readMatrixSetsFromCapabilities } from '@camptocamp/ogc-client/dist/wmts/capabilities.js';
import type { WmtsMatrixSet } from '@camptocamp/ogc-client/dist/wmts/model.js';
import type { CatalogueSource, TilingCrs } from './source';

/** A capabilities document over this many characters is refused before parsing (a service's is ≤ a few MB). */
export const MAX_CAPABILITIES_CHARS = 8 * 1024 * 1024;

export interface OfferedLayer {
  /** Everything needed to draw it, less what the user chooses (title may be edited). */
  readonly source: CatalogueSource;
  /** Why it cannot be drawn here (no CRS the scene can use), or null. */
  readonly unusable: string | null;
}

export interface Offer {
  readonly serviceTitle: string;
  readonly layers: readonly OfferedLayer[];
}

function parse(text: string, url: string) {
  if (text.length > MAX_CAPABILITIES_CHARS) throw new Error(`the answer of ${url} is ${(text.length / 1048576).toFixed(0)} MB; capabilities up to ${MAX_CAPABILITIES_CHARS / 1048576} MB are read`);
  let doc;
  try {
    doc = parseXmlString(text);
  } catch (err) {
    throw new Error(`${url} did not answer with XML (${err instanceof Error ? err.message.slice(0, 200) : String(err)})`, { cause: err });
  }
  // A ServiceExceptionReport / ExceptionReport: the service's own words.
  try {
    check(doc, url);
  } catch (err) {
    throw new Error(`the service at ${url} reported an exception: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`, { cause: err });
  }
  return doc;
}

const isWebMercator = (crs: string): boolean => /(?:EPSG:*|EPSG\/0\/)(3857|900913|102100)$/i.test(crs.replace(/^urn:ogc:def:crs:/i, ''));
const isWgs84 = (crs: string): boolean => /(?:EPSG:*|EPSG\/0\/)4326$/i.test(crs.replace(/^urn:ogc:def:crs:/i, '')) || /CRS:?84$/i.test(crs);

function flattenWms(layers: readonly WmsLayerFull[], inherited: readonly string[] = []): Array<{ layer: WmsLayerFull; crs: string[] }> {
  const out: Array<{ layer: WmsLayerFull; crs: string[] }> = [];
  for (const l of layers) {
    // CRS lists are inherited by child layers (WMS 1.3.0 § 7.2.4.8).
    const crs = [...new Set([...inherited, ...l.availableCrs])];
    if (l.name) out.push({ layer: l, crs });
    if (l.children) out.push(...flattenWms(l.children, crs));
  }
  return out;
}

/** ogc-client gives EPSG:4326 boxes in lon/lat order, as strings of the document. */
function bboxOf(boxes: Record<string, ReadonlyArray<number | string>>): CatalogueSource['bbox'] {
  const b = (boxes['EPSG:4326'] ?? boxes['CRS:84'])?.map(Number);
  return b && b.length === 4 && b.every(Number.isFinite) ? [b[0]!, b[1]!, b[2]!, b[3]!] : undefined;
}

/** The named layers of a WMS capabilities document (1.1.1 or 1.3.0), each drawable in EPSG:3857 or 4326. */
export function readWmsOffer(text: string, url: string): Offer {
  const doc = parse(text, url);
  const version = readVersionFromCapabilities(doc);
  if (!version) throw new Error(`${url} did not answer with WMS capabilities`);
  const info = readWmsInfo(doc);
  const base = serviceBase(url);
  const layers = flattenWms(readWmsLayers(doc)).map(({ layer, crs }): OfferedLayer => {
    const tiling: TilingCrs | undefined = crs.some(isWebMercator) ? 'EPSG:3857' : crs.some(isWgs84) ? 'EPSG:4326' : undefined;
    return {
      source: {
        kind: 'wms', url: base, title: layer.title || layer.name!, layer: layer.name!, crs: tiling, bbox: bboxOf(layer.boundingBoxes),
        attribution: layer.attribution?.title || undefined, owner: info.provider?.name || undefined, licence: info.constraints || info.fees || undefined,
      },
      unusable: tiling ? null : `offered only in ${crs.slice(0, 4).join(', ') || 'no CRS'}; the scene draws EPSG:3857 or EPSG:4326`,
    };
  });
  return { serviceTitle: info.title || url, layers };
}

/** The matrix set a WMTS layer is drawn with: one whose level 0 is Cesium's WebMercator or geographic tiling. */
function drawableMatrixSet(set: WmtsMatrixSet): { crs: TilingCrs; labels: string[] } | null {
  const m = set.tileMatrices;
  if (m.length === 0) return null;
  const first = m[0]!;
  if (isWebMercator(set.crs) && first.matrixWidth === 1 && first.matrixHeight === 1 && Math.abs(first.topLeft[0] + 20037508.34) < 1) return { crs: 'EPSG:3857', labels: m.map((x) => x.identifier) };
  if (isWgs84(set.crs) && first.matrixWidth === 2 && first.matrixHeight === 1) return { crs: 'EPSG:4326', labels: m.map((x) => x.identifier) };
  return null;
}

/** The layers of a WMTS capabilities document, each with a tile matrix set the scene can draw. */
export function readWmtsOffer(text: string, url: string): Offer {
  const doc = parse(text, url);
  const info = readWmtsInfo(doc);
  const sets = new Map(readMatrixSetsFromCapabilities(doc).map((s) => [s.identifier, s]));
  const layers = readWmtsLayers(doc).map((l): OfferedLayer => {
    const links = l.matrixSets.map((ms) => ({ id: ms.identifier, drawable: sets.get(ms.identifier) ? drawableMatrixSet(sets.get(ms.identifier)!) : null }));
    const chosen = links.find((x) => x.drawable?.crs === 'EPSG:3857') ?? links.find((x) => x.drawable);
    const rest = l.resourceLinks.find((r) => r.encoding === 'REST' && /image\//.test(r.format));
    const kvp = info.getTileUrls.kvp;
    const tileUrl = rest?.url ?? kvp;
    const format = rest?.format ?? l.resourceLinks[0]?.format ?? 'image/png';
    return {
      source: {
        kind: 'wmts', url: tileUrl ? templateUrl(tileUrl, url) : serviceBase(url), title: l.name, layer: l.name,
        crs: chosen?.drawable?.crs, tileMatrixSet: chosen?.id, tileMatrixLabels: chosen?.drawable?.labels, style: l.defaultStyle || 'default', format,
        bbox: l.latLonBoundingBox ? bboxOf({ 'EPSG:4326': l.latLonBoundingBox }) : undefined,
        owner: info.provider?.name || undefined, licence: info.constraints || info.fees || undefined,
      },
      unusable: !tileUrl ? 'the service names no GetTile URL' : chosen ? null : `none of its tile matrix sets (${l.matrixSets.map((m) => m.identifier).slice(0, 4).join(', ')}) is WebMercator or geographic from level 0`,
    };
  });
  return { serviceTitle: info.title || url, layers };
}

/** A tile URL template made absolute, its {placeholders} kept as they are (URL() would percent-encode them). */
function templateUrl(template: string, base: string): string {
  return new URL(template, base).href.replace(/%7B/g, '{').replace(/%7D/g, '}');
}

/** The service URL without the capabilities request's own parameters (the GetMap requests add theirs). */
export function serviceBase(url: string): string {
  const u = new URL(url);
  // A copy of the keys: deleting while iterating the live list would skip some.
  for (const k of Array.from(u.searchParams.keys())) if (/^(service|request|version)$/i.test(k)) u.searchParams.delete(k);
  return u.href;
}

/** The GetCapabilities URL of a WMS or WMTS (KVP) for a service URL the user typed. */
export function capabilitiesUrl(kind: 'wms' | 'wmts', url: string): string {
  const u = new URL(url);
  if (kind === 'wmts' && /\.xml$/i.test(u.pathname)) return u.href;
  const has = (k: string) => [...u.searchParams.keys()].some((x) => x.toLowerCase() === k);
  if (!has('service')) u.searchParams.set('SERVICE', kind.toUpperCase());
  if (!has('request')) u.searchParams.set('REQUEST', 'GetCapabilities');
  return u.href;
}
