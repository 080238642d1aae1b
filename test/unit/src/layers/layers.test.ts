import { describe, expect, it } from 'vitest';
import { boundaryLines } from '../../../../src/layers/boundaries/description';
import { buildingsDescription, displayOffsetM } from '../../../../src/layers/buildings/description';
import { parseManifest, type ManifestEntry } from '../../../../src/layers/manifest';
import { parseCoverage } from '../../../../src/layers/terrain/coverage';
import { terrainDescription } from '../../../../src/layers/terrain/description';

const entry = (over: Partial<ManifestEntry>): ManifestEntry => ({
  id: 'x',
  kind: 'buildings',
  url: 'buildings/x/tileset.json',
  title: 'X',
  source: 's',
  licence: 'l',
  attribution: 'a',
  sourceCrs: 'EPSG:25832',
  sourceVerticalDatum: 'DHHN2016',
  bbox: [12, 49, 12.04, 49.04],
  ...over,
});

describe('manifest', () => {
  it('accepts a valid manifest', () => {
    expect(parseManifest({ version: 1, layers: [entry({})] }).layers).toHaveLength(1);
  });
  it.each([
    ['an absolute URL', { url: 'https://evil.example/t.json' }],
    ['a parent folder', { url: 'buildings/../../etc/passwd' }],
    ['a bad id', { id: '<img>' }],
    ['an unknown kind', { kind: 'mesh' }],
  ])('rejects %s', (_name, over) => {
    expect(() => parseManifest({ version: 1, layers: [{ ...entry({}), ...over }] })).toThrow(/manifest.json is not valid/);
  });
});

describe('buildings placement', () => {
  const d = buildingsDescription(entry({ extras: { groundEllipsoidalM: 384.26, groundKnown: true } }));
  it('lowers a tileset with true heights onto the ellipsoid where no terrain exists', () => {
    expect(d.centre[0]).toBeCloseTo(12.02, 9);
    expect(d.centre[1]).toBeCloseTo(49.02, 9);
    expect(displayOffsetM(d, false)).toBe(-384.3);
  });
  it('keeps true heights where the terrain model covers it', () => {
    expect(displayOffsetM(d, true)).toBe(0);
  });
  it('never moves a tileset whose ground is not known', () => {
    expect(displayOffsetM(buildingsDescription(entry({ extras: { groundEllipsoidalM: 0, groundKnown: false } })), false)).toBe(0);
  });
});

describe('terrain', () => {
  it('derives its coverage URL from the tiles folder', () => {
    expect(terrainDescription(entry({ kind: 'terrain', url: 'terrain/layer.json' }))).toMatchObject({ folderUrl: 'terrain/', coverageUrl: 'terrain/coverage.geojson' });
    expect(terrainDescription(entry({ kind: 'terrain', url: 'terrain' }))).toMatchObject({ folderUrl: 'terrain/', coverageUrl: 'terrain/coverage.geojson' });
  });
  it('answers whether a point has real terrain', () => {
    const cov = parseCoverage({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { title: 'SRTM', licence: 'PD', resolutionM: 90 }, geometry: { type: 'Polygon', coordinates: [[[11, 49], [12, 49], [12, 51], [11, 51], [11, 49]]] } }],
    });
    expect(cov.covers(11.9, 50.3)).toBe(true);
    expect(cov.covers(12.02, 49.02)).toBe(false);
    expect(() => parseCoverage({ type: 'Feature' })).toThrow();
  });
});

describe('boundaries', () => {
  it('flattens lines per kind and skips broken points', () => {
    const lines = boundaryLines({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { kind: 'state-border' }, geometry: { type: 'MultiLineString', coordinates: [[[12, 50], [12.1, 50.1], ['x', 1]], [[13, 49]]] } },
        { type: 'Feature', properties: { kind: 'region' }, geometry: { type: 'LineString', coordinates: [[11, 49], [11.5, 49.5]] } },
      ],
    });
    expect(Array.from(lines['state-border'][0]!)).toEqual([12, 50, 0, 12.1, 50.1, 0]);
    expect(lines['state-border']).toHaveLength(1); // the one-point part is dropped
    expect(lines.region).toHaveLength(1);
  });
});
