import { describe, expect, it } from 'vitest';
import { exportGeoJson } from '../../../../../core/formats/import/export';
import { convertFile, inspectFile } from '../../../../../core/formats/import/import';
import type { ImportResult } from '../../../../../core/formats/import/types';
import { bytesOf, fixture, GEOID, metresBetween } from './helpers';

const noYield = { yieldBetweenChunks: () => Promise.resolve() };

/** Every vertex of every part, in layer order. */
function vertices(l: ImportResult): Float64Array[] {
  return [l.points.xyz, l.lines.xyz, l.polygons.xyz, l.triangles.xyz];
}

function expectSamePositions(a: ImportResult, b: ImportResult): void {
  expect(b.counts).toEqual(a.counts);
  const va = vertices(a);
  const vb = vertices(b);
  va.forEach((xyz, k) => {
    const other = vb[k]!;
    expect(other.length).toBe(xyz.length);
    for (let i = 0; i < xyz.length; i += 3) {
      expect(metresBetween(xyz[i]!, xyz[i + 1]!, other[i]!, other[i + 1]!)).toBeLessThan(0.01);
      expect(Math.abs(xyz[i + 2]! - other[i + 2]!)).toBeLessThan(0.01);
    }
  });
}

async function roundTrip(layer: ImportResult, epsg: 5514 | 25832 | 4326): Promise<{ text: string; back: ImportResult }> {
  const text = await exportGeoJson(layer, epsg, GEOID, noYield);
  const bytes = bytesOf(text);
  const info = await inspectFile({ fileName: 'export.geojson', bytes });
  expect(info.crsCandidates[0]).toMatchObject({ epsg, source: 'declared', swapAxes: false });
  const back = await convertFile({ fileName: 'export.geojson', bytes }, info.crsCandidates[0]!, { geoid: GEOID }, noYield);
  return { text, back };
}

describe('export -> re-import returns the same positions within 1 cm', () => {
  it.each([5514, 25832, 4326] as const)('the Czech S-JTSK CSV through EPSG:%s', async (epsg) => {
    const bytes = fixture('sjtsk-plzen.csv');
    const c = (await inspectFile({ fileName: 'a.csv', bytes })).crsCandidates[0]!;
    const layer = await convertFile({ fileName: 'a.csv', bytes }, c, { geoid: GEOID }, noYield);
    const { text, back } = await roundTrip(layer, epsg);
    expectSamePositions(layer, back);
    expect(back.properties).toEqual(layer.properties);
    const doc = JSON.parse(text) as { crs?: { properties: { name: string } }; features: { geometry: { coordinates: number[] } }[] };
    if (epsg === 4326) expect(doc.crs).toBeUndefined();
    else expect(doc.crs!.properties.name).toBe(`urn:ogc:def:crs:EPSG::${epsg}`);
    if (epsg === 5514) {
      // written in the file's own datum again: the Bpv height of the first row, to the millimetre
      const [x, y, z] = doc.features[0]!.geometry.coordinates;
      expect(Math.hypot(x! + 822402.42, y! + 1069674.33)).toBeLessThan(0.01);
      expect(z).toBeCloseTo(310.5, 3);
    }
  });

  it.each([5514, 25832] as const)('the Bavarian GeoJSON (points, lines, polygons with holes) through EPSG:%s', async (epsg) => {
    const layer = await convertFile({ fileName: 'b.geojson', bytes: fixture('bavaria-utm32.geojson') }, { epsg: 25832 }, { geoid: GEOID }, noYield);
    const { text, back } = await roundTrip(layer, epsg);
    expectSamePositions(layer, back);
    expect(back.polygons.ringOffsets).toEqual(layer.polygons.ringOffsets);
    expect(back.properties.names).toEqual(layer.properties.names);
    if (epsg === 25832) expect(text).toContain('[721011.479,5433971.381,335.2]');
  });

  it('ground layers are written 2D; CityJSON triangles as a MultiPolygon', async () => {
    const flat = await convertFile({ fileName: 'e.csv', bytes: fixture('empty-cells.csv') }, { epsg: 4326 }, { geoid: null }, noYield);
    const text = await exportGeoJson(flat, 4326, null, noYield);
    expect(text).toContain('"coordinates":[13.3775,49.7477]}');
    const cube = await convertFile({ fileName: 'c.json', bytes: fixture('cube-25832.city.json') }, { epsg: 25832 }, { geoid: GEOID }, noYield);
    const doc = JSON.parse(await exportGeoJson(cube, 25832, GEOID, noYield)) as { features: { geometry: { type: string; coordinates: unknown[] } }[] };
    expect(doc.features[0]!.geometry.type).toBe('MultiPolygon');
    expect(doc.features[0]!.geometry.coordinates).toHaveLength(12);
  });

  it('export is chunked and cancellable', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${12 + i * 1e-4},49.5`).join('\n');
    const layer = await convertFile({ fileName: 'a.csv', bytes: bytesOf(`lon,lat\n${rows}\n`) }, { epsg: 4326 }, { geoid: null }, noYield);
    const progress: number[] = [];
    const text = await exportGeoJson(layer, 25833, null, { ...noYield, chunkFeatures: 1000, onProgress: (f) => progress.push(f) });
    expect(progress).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect((JSON.parse(text) as { features: unknown[] }).features).toHaveLength(5000);
    await expect(exportGeoJson(layer, 25833, null, { chunkFeatures: 1000, isCancelled: () => progress.length > 6, onProgress: (f) => progress.push(f) })).rejects.toMatchObject({ name: 'JobCancelled' });
  });
});
