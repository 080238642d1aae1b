import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capabilitiesUrl, readWmsOffer, readWmtsOffer, serviceBase } from '../../../../core/catalogue/capabilities';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('WMS capabilities (as MapServer 8 writes them)', () => {
  const offer = readWmsOffer(fixture('mapserver-wms-130.xml'), 'http://127.0.0.1:9/wms?SERVICE=WMS&REQUEST=GetCapabilities');

  it('lists the named layers with a CRS the scene draws, the service URL without the request', () => {
    expect(offer.serviceTitle).toBe('SDDI Twin test');
    const relief = offer.layers.find((l) => l.source.layer === 'relief');
    expect(relief?.unusable).toBeNull();
    expect(relief?.source).toMatchObject({ kind: 'wms', url: 'http://127.0.0.1:9/wms', title: 'Relief', crs: 'EPSG:3857' });
    expect(relief?.source.bbox?.map((v) => Math.round(v))).toEqual([11, 48, 15, 51]);
  });

  it('quotes the service when it answers with an exception report', () => {
    expect(() => readWmsOffer(fixture('mapserver-exception.xml'), 'http://x/wms')).toThrow(/the service at http:\/\/x\/wms reported an exception: .*Invalid layer/);
  });

  it('names the URL when the answer is not XML', () => {
    expect(() => readWmsOffer('<html><body>Not found', 'http://x/wms')).toThrow(/http:\/\/x\/wms did not answer with XML/);
    expect(() => readWmsOffer('{"a":1}', 'http://x/wms')).toThrow(/did not answer with XML/);
  });
});

describe('WMTS capabilities', () => {
  const offer = readWmtsOffer(fixture('wmts-webmercator.xml'), 'https://tiles.example.org/wmts/1.0.0/WMTSCapabilities.xml');

  it('picks the WebMercator matrix set, its labels from level 0 and the REST template', () => {
    const colour = offer.layers.find((l) => l.source.layer === 'colour')!;
    expect(colour.unusable).toBeNull();
    expect(colour.source).toMatchObject({
      kind: 'wmts', crs: 'EPSG:3857', tileMatrixSet: 'WEBMERCATOR', tileMatrixLabels: ['0', '1'], format: 'image/png', style: 'default',
      url: 'https://tiles.example.org/wmts/colour/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png', licence: 'CC BY 4.0', owner: 'Test provider',
    });
    expect(colour.source.bbox).toEqual([5, 47, 15.5, 55.5]);
  });

  it('says why a layer offered only in a projected matrix set cannot be drawn', () => {
    expect(offer.layers.find((l) => l.source.layer === 'utm')?.unusable).toMatch(/UTM32.*WebMercator or geographic/);
  });
});

describe('service URLs', () => {
  it('adds the capabilities request and removes it again for the map requests', () => {
    const caps = capabilitiesUrl('wms', 'https://geoservices.bayern.de/od/wms/dop/v1/dop20');
    expect(caps).toBe('https://geoservices.bayern.de/od/wms/dop/v1/dop20?SERVICE=WMS&REQUEST=GetCapabilities');
    expect(serviceBase(caps)).toBe('https://geoservices.bayern.de/od/wms/dop/v1/dop20');
    expect(capabilitiesUrl('wms', 'http://h/ms?map=x&service=WMS')).toBe('http://h/ms?map=x&service=WMS&REQUEST=GetCapabilities');
    expect(capabilitiesUrl('wmts', 'https://h/wmts/1.0.0/WMTSCapabilities.xml')).toBe('https://h/wmts/1.0.0/WMTSCapabilities.xml');
  });
});
