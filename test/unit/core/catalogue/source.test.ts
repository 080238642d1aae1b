import { describe, expect, it } from 'vitest';
import { catalogueSourceSchema, checkServiceUrl, fileKind, guessKind, sourceOrigin } from '../../../../core/catalogue/source';

describe('recognising what a URL or a file is', () => {
  it.each([
    ['https://geoservices.bayern.de/od/wms/dop/v1/dop20', 'wms'],
    ['http://127.0.0.1:8080/cgi-bin/mapserv?map=x', 'wms'],
    ['https://ags.cuzk.cz/arcgis1/services/ORTOFOTO_WM/MapServer/WMSServer?service=WMS', 'wms'],
    ['https://sgx.geodatenzentrum.de/wmts_basemapde/1.0.0/WMTSCapabilities.xml', 'wmts'],
    ['https://example.org/tiles/{z}/{x}/{y}.png', 'xyz'],
    ['https://example.org/city/tileset.json', '3dtiles'],
    ['https://example.org/a.geojson', 'geojson'],
    ['https://example.org/track.gpx', 'gpx'],
    ['https://example.org/doc.kmz', 'kml'],
    ['https://example.org/scene.czml', 'czml'],
    ['https://example.org/page.html', null],
    ['not a url', null],
  ])('%s → %s', (url, kind) => expect(guessKind(url)).toBe(kind));

  it('reads dropped KML, KMZ, CZML and GPX files, not the importer’s formats', () => {
    expect(fileKind('Cheb.KML')).toBe('kml');
    expect(fileKind('a.kmz')).toBe('kml');
    expect(fileKind('b.czml')).toBe('czml');
    expect(fileKind('track.gpx')).toBe('gpx');
    expect(fileKind('a.geojson')).toBeNull();
  });

  it('accepts http(s) URLs only, never with credentials', () => {
    expect(checkServiceUrl(' https://a.example/wms ')).toEqual({ url: 'https://a.example/wms' });
    expect(checkServiceUrl('javascript:alert(1)')).toHaveProperty('problem');
    expect(checkServiceUrl('https://u:p@a.example/')).toHaveProperty('problem');
    expect(checkServiceUrl('wms')).toHaveProperty('problem');
  });

  it('knows the origin a source is fetched from; a file has none', () => {
    expect(sourceOrigin({ url: 'https://a.example:8443/x?y' })).toBe('https://a.example:8443');
    expect(sourceOrigin({ url: 'file:track.gpx' })).toBeNull();
  });

  it('validates a source strictly', () => {
    expect(catalogueSourceSchema.safeParse({ kind: 'wms', url: 'https://a/wms', title: 't', layer: 'x' }).success).toBe(true);
    expect(catalogueSourceSchema.safeParse({ kind: 'wms', url: 'https://a/wms', title: 't', html: '<b>' }).success).toBe(false);
    expect(catalogueSourceSchema.safeParse({ kind: 'shp', url: 'https://a', title: 't' }).success).toBe(false);
  });
});
