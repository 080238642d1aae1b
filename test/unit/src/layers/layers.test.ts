import { describe, expect, it } from 'vitest';
import { boundaryLines, regionLabels } from '../../../../src/layers/boundaries/description';
import { buildingStyle, buildingsDescription, buildingsNote } from '../../../../src/layers/buildings/description';
import { parseManifest, type ManifestEntry } from '../../../../core/manifest';
import { coverageOutline, parseCoverage } from '../../../../src/layers/terrain/coverage';
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

describe('buildings notes', () => {
  it('says when heights are estimated', () => {
    expect(buildingsNote(buildingsDescription(entry({ extras: { estimatedHeights: true } })))?.key).toBe('buildings.estimatedHeights');
  });
  it('says nothing for measured buildings', () => {
    expect(buildingsNote(buildingsDescription(entry({})))).toBeUndefined();
  });
});

describe('buildings style', () => {
  it('hides demolished buildings and highlights the selected one by id, with nothing from data left as an expression', () => {
    expect(buildingStyle([], null)).toEqual({ color: { conditions: [['${heightEstimated} === true', "color('#ffb000')"], ['true', "color('#ffffff')"]] }, show: 'true' });
    const s = buildingStyle(['DEBY_1', "x') || true || ('"], "DEBY_LOD2_9'; alert(1)");
    expect(s.show).toBe("!(String(${id}) === 'DEBY_1' || String(${id}) === 'xtrue')");
    expect(s.color.conditions[0]).toEqual(["String(${id}) === 'DEBY_LOD2_9alert1'", "color('#4aa3ff')"]);
    expect(s.color.conditions).toHaveLength(3);
  });
});

describe('terrain', () => {
  it('derives its coverage URL from the tiles folder', () => {
    expect(terrainDescription(entry({ kind: 'terrain', url: 'terrain/layer.json' }))).toMatchObject({ folderUrl: 'terrain/', coverageUrl: 'terrain/coverage.geojson' });
    expect(terrainDescription(entry({ kind: 'terrain', url: 'terrain' }))).toMatchObject({ folderUrl: 'terrain/', coverageUrl: 'terrain/coverage.geojson' });
  });
  it('reads the DEM footprints and refuses what is not a FeatureCollection', () => {
    const cov = parseCoverage({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { title: 'SRTM', licence: 'PD', resolutionM: 90 }, geometry: { type: 'Polygon', coordinates: [[[11, 49], [12, 49], [12, 51], [11, 51], [11, 49]]] } }],
    });
    expect(cov.footprints).toHaveLength(1);
    expect(cov.footprints[0]).toMatchObject({ title: 'SRTM', resolutionM: 90 });
    expect(() => parseCoverage({ type: 'Feature' })).toThrow();
  });
});

const square = (w: number, s: number) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [w + 1, s], [w + 1, s + 1], [w, s + 1], [w, s]]] } });

describe('terrain outline', () => {
  it('merges adjacent DEM tiles so their shared edge is not drawn as the end of the data', () => {
    const rings = coverageOutline(parseCoverage({ type: 'FeatureCollection', features: [square(11, 49), square(11, 50), square(13, 49.7)] }));
    expect(rings).toHaveLength(2);
    const lats = rings[0]!.map((p) => p[1]!);
    expect(Math.min(...lats)).toBe(49);
    expect(Math.max(...lats)).toBe(51);
    expect(rings.flat().some((p) => p[1] === 50 && p[0] === 11.5)).toBe(false);
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
  it('reads region label points and ignores features without one', () => {
    const labels = regionLabels({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { kind: 'region', name: 'Plzeňský kraj', code: 'CZ-PK', labelLonDeg: 13.2, labelLatDeg: 49.6 }, geometry: null },
        { type: 'Feature', properties: { kind: 'region', name: 'Uncoded', labelLonDeg: 13.3, labelLatDeg: 49.7 }, geometry: null },
        { type: 'Feature', properties: { kind: 'region', name: 'no point' }, geometry: null },
        { type: 'Feature', properties: { kind: 'state-border', name: 'CZ-DE', labelLonDeg: 1, labelLatDeg: 2 }, geometry: null },
      ],
    });
    expect(labels).toEqual([
      { name: 'Plzeňský kraj', code: 'CZ-PK', lonDeg: 13.2, latDeg: 49.6 },
      { name: 'Uncoded', code: '', lonDeg: 13.3, latDeg: 49.7 },
    ]);
  });
});
