/**
 * The streaming CityGML reader on the hand-written files of test/fixtures/buildings/citygml (see its README): a
 * Bavarian gable house whose solid points at its boundary surfaces, a building of two parts, heights computed where
 * measuredHeight is missing, S-JTSK with Bpv, a file cut short, an unknown CRS, broken geometry, and 20,000
 * buildings generated on the fly that must stream through in constant memory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CityGmlError, readCityGml, type CityGmlBuilding, type ReadCityGmlOptions } from '../../../../pipeline/buildings/citygml';
import { converter } from '../../../../core/geo/crs';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/buildings/citygml');
const fixture = (name: string): string => path.join(fixtures, name);

async function readAll(source: Readable | string, options: ReadCityGmlOptions = {}): Promise<{ buildings: CityGmlBuilding[]; error: unknown }> {
  const buildings: CityGmlBuilding[] = [];
  try {
    for await (const b of readCityGml(source, options)) buildings.push(b);
    return { buildings, error: null };
  } catch (error) {
    return { buildings, error };
  }
}

async function collect(reading: AsyncIterable<CityGmlBuilding>): Promise<CityGmlBuilding[]> {
  const out: CityGmlBuilding[] = [];
  for await (const b of reading) out.push(b);
  return out;
}

const zRange = (b: CityGmlBuilding, kind?: string): [number, number] => {
  const zs = b.surfaces.filter((s) => !kind || s.kind === kind).flatMap((s) => s.rings.flat().map((p) => p[2]));
  return [Math.min(...zs), Math.max(...zs)];
};

describe('CityGML reader: a Bavarian LoD2 file (EPSG:25832 + DHHN2016)', () => {
  it('draws the gable house from its boundary surfaces once, with its attributes, address and CRS', async () => {
    const { buildings, error } = await readAll(fixture('bavaria-lod2.gml'));
    expect(error).toBeNull();
    const house = buildings.find((b) => b.id === 'DEBY_LOD2_GABLE')!;
    // Seven polygons, each written in boundedBy and referenced again from lod2Solid: drawn once each.
    expect(house.surfaces.map((s) => s.kind)).toEqual(['ground', 'wall', 'wall', 'wall', 'wall', 'roof', 'roof']);
    // The gable walls are pentagons; the closing vertex is dropped.
    expect(house.surfaces.filter((s) => s.kind === 'wall').map((s) => s.rings[0]!.length).toSorted()).toEqual([4, 4, 5, 5]);
    expect(house.surfaces[0]!.rings[0]![0]).toEqual([721011.479, 5433971.381, 330]);
    expect(zRange(house, 'ground')).toEqual([330, 330]);
    expect(zRange(house, 'roof')).toEqual([336, 339]);
    expect(house.attributes).toEqual({
      Gemeindeschluessel: '09362000', HoeheDach: 339, HoeheGrund: 330,
      function: '31001_1000', roofType: '3100', measuredHeight: 9, storeysAboveGround: 2,
    });
    expect(house.heightFromGeometry).toBe(false);
    expect(house.name).toBe('Musterhaus');
    expect(house.address).toBe('Prüfeninger Straße 20, 93049 Regensburg');
    expect(house.crs).toMatchObject({ epsg: 25832, datum: 'DHHN2016' });
  });

  it('folds BuildingParts into their Building, each at its highest LoD, and counts what it left out', async () => {
    const reading = readCityGml(fixture('bavaria-lod2.gml'));
    const buildings = await collect(reading);
    const parts = buildings.find((b) => b.id === 'DEBY_LOD2_PARTS')!;
    expect(parts.partCount).toBe(2);
    // Two boxes of six faces: part A's LoD1 solid is not drawn beside its LoD2 one.
    expect(parts.surfaces).toHaveLength(12);
    expect(zRange(parts)).toEqual([330, 335]);
    // The Building's own attributes first, then the first part's fill the gaps.
    expect(parts.attributes).toMatchObject({ function: '31001_2000', roofType: '1000', measuredHeight: 3 });
    expect(parts.surfaces.filter((s) => s.kind === 'roof')).toHaveLength(2);
    expect(reading.report).toMatchObject({ cityObjects: 3, buildings: 2, buildingParts: 2, polygons: 19, otherObjects: { Bridge: 1 } });
    expect(reading.bytesRead).toBe((await readFile(fixture('bavaria-lod2.gml'))).byteLength);
  });

  it('reads the same whatever the chunks, even one splitting a UTF-8 character', async () => {
    const bytes = await readFile(fixture('bavaria-lod2.gml'));
    const chunks = function* (): Generator<Buffer> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    };
    const whole = await readAll(fixture('bavaria-lod2.gml'));
    const pieces = await readAll(Readable.from(chunks()), { name: 'bavaria-lod2.gml' });
    expect(pieces.error).toBeNull();
    expect(pieces.buildings).toEqual(whole.buildings);
  });
});

describe('CityGML reader: heights, CRSs and bad input', () => {
  it('computes a missing measuredHeight from the geometry and flags it (srsName on the geometry, gml:pos lists)', async () => {
    const reading = readCityGml(fixture('no-measured-height.gml'));
    const [b] = await collect(reading);
    expect(b!.heightFromGeometry).toBe(true);
    expect(b!.attributes.measuredHeight).toBe(7);
    expect(b!.crs).toMatchObject({ srsName: 'EPSG:25832+7837', epsg: 25832, datum: 'DHHN2016' });
    // No boundary surfaces: the kinds come from the faces' normals.
    expect(b!.surfaces.map((s) => s.kind).toSorted()).toEqual(['ground', 'roof', 'wall', 'wall', 'wall', 'wall']);
    expect(reading.report.heightsFromGeometry).toBe(1);
  });

  it('reads S-JTSK / Krovak East North with Bpv heights, its corner on the Cheb control point', async () => {
    const { buildings, error } = await readAll(fixture('sjtsk-cheb.gml'));
    expect(error).toBeNull();
    const b = buildings[0]!;
    expect(b.crs).toMatchObject({ epsg: 5514, datum: 'Bpv' });
    const corner = b.surfaces[0]!.rings[0]![0]!;
    expect(corner).toEqual([-887800.134, -1021915.589, 450]);
    // PROJ places (-887800.133692, -1021915.588502) at 12.3739 E, 50.0796 N (test/fixtures/geodesy).
    const [lon, lat] = converter(5514, 4326).forward([corner[0], corner[1]]);
    expect(lon).toBeCloseTo(12.3739, 5);
    expect(lat).toBeCloseTo(50.0796, 5);
  });

  it('stops at the end of a truncated file, naming it and the building reached, and keeps the buildings before', async () => {
    const { buildings, error } = await readAll(fixture('truncated.gml'));
    expect(buildings.map((b) => b.id)).toEqual(['DEBY_LOD2_T1', 'DEBY_LOD2_T2']);
    expect(error).toBeInstanceOf(CityGmlError);
    const e = error as CityGmlError;
    expect(e).toMatchObject({ reason: 'truncated', file: 'truncated.gml', lastBuildingId: 'DEBY_LOD2_T3', buildingsRead: 2 });
    expect(e.message).toMatch(/^truncated\.gml ends before its XML does \(truncated\?\) in building "DEBY_LOD2_T3"; the 2 buildings read before it are kept/);
  });

  it('cut anywhere, a file keeps exactly the buildings that ended before the cut', async () => {
    const text = await readFile(fixture('bavaria-lod2.gml'), 'utf8');
    const ends = [...text.matchAll(/<\/bldg:Building>/g)].map((m) => m.index + '</bldg:Building>'.length);
    for (let cut = 50; cut < text.length - 20; cut += 641) {
      const { buildings, error } = await readAll(Readable.from([text.slice(0, cut)]), { name: 'cut.gml' });
      expect(error, `cut at ${cut}`).toBeInstanceOf(CityGmlError);
      expect((error as CityGmlError).reason).toBe('truncated');
      expect(buildings, `cut at ${cut}`).toHaveLength(ends.filter((e) => e <= cut).length);
    }
  });

  it('refuses a CRS it cannot place, naming the file and the srsName', async () => {
    const { buildings, error } = await readAll(fixture('unknown-crs.gml'));
    expect(buildings).toEqual([]);
    expect(error).toBeInstanceOf(CityGmlError);
    expect((error as CityGmlError).reason).toBe('crs');
    expect((error as Error).message).toMatch(/^unknown-crs\.gml: srsName "urn:ogc:def:crs:EPSG::2056" \(building "CH_1"\) is not a projected CRS/);
    expect((error as Error).message).toMatch(/EPSG:25832/);
  });

  it('leaves out a building with broken geometry with a warning naming it, and keeps the rest', async () => {
    const warnings: string[] = [];
    const reading = readCityGml(fixture('broken-geometry.gml'), { onWarning: (m) => warnings.push(m) });
    const ids = (await collect(reading)).map((b) => b.id);
    expect(ids).toEqual(['DEBY_LOD2_OK1', 'DEBY_LOD2_OK2']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/building "DEBY_LOD2_BADLIST" left out, its geometry is broken: a polygon has a coordinate list of 16 numbers/);
    expect(warnings[1]).toMatch(/building "DEBY_LOD2_BADREF" left out.*xlink:href "#DEBY_LOD2_ELSEWHERE_roof" names nothing in the building/);
    expect(reading.report.brokenBuildings).toBe(2);
  });
});

const face = (...pts: string[]): string =>
  `<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>${[...pts, pts[0]].join(' ')}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>`;

/** A CityGML document of `count` ten-metre boxes, made while it is read; `state.produced` says how far. */
function* generatedCityGml(count: number, state: { produced: number }): Generator<Buffer> {
  yield Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" ' +
    'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">\n' +
    '<gml:boundedBy><gml:Envelope srsName="EPSG:25832" srsDimension="3"/></gml:boundedBy>\n');
  for (let i = 0; i < count; i++) {
    const x = 700000 + (i % 1000) * 20, y = 5400000 + Math.floor(i / 1000) * 20;
    const p = (dx: number, dy: number, z: number): string => `${x + dx} ${y + dy} ${z}`;
    const faces = [
      face(p(0, 0, 300), p(0, 10, 300), p(10, 10, 300), p(10, 0, 300)), face(p(0, 0, 310), p(10, 0, 310), p(10, 10, 310), p(0, 10, 310)),
      face(p(0, 0, 300), p(10, 0, 300), p(10, 0, 310), p(0, 0, 310)), face(p(10, 0, 300), p(10, 10, 300), p(10, 10, 310), p(10, 0, 310)),
      face(p(10, 10, 300), p(0, 10, 300), p(0, 10, 310), p(10, 10, 310)), face(p(0, 10, 300), p(0, 0, 300), p(0, 0, 310), p(0, 10, 310)),
    ];
    state.produced = i + 1;
    yield Buffer.from(`<core:cityObjectMember><bldg:Building gml:id="GEN_${i}"><bldg:measuredHeight>10</bldg:measuredHeight>` +
      `<bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>${faces.join('')}</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>` +
      '</bldg:Building></core:cityObjectMember>\n');
  }
  yield Buffer.from('</core:CityModel>\n');
}

describe('CityGML reader: streaming', () => {
  it('reads 20,000 generated buildings one at a time, in memory that does not grow with the input', async () => {
    // A collection before each heap reading, so the readings compare live objects, not garbage not yet collected.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const total = 20_000;
    const state = { produced: 0 };
    const reading = readCityGml(Readable.from(generatedCityGml(total, state), { objectMode: false }), { name: 'generated.gml' });
    let taken = 0, producedAtFirst = -1, maxAhead = 0, bytesIn = 0, heapAt2000 = 0, heapMax = 0;
    for await (const b of reading) {
      if (taken === 0) producedAtFirst = state.produced;
      taken++;
      expect(b.surfaces).toHaveLength(6);
      maxAhead = Math.max(maxAhead, state.produced - taken);
      if (taken % 2000 === 0) {
        gc();
        const heap = process.memoryUsage().heapUsed;
        if (taken === 2000) heapAt2000 = heap;
        heapMax = Math.max(heapMax, heap);
      }
    }
    bytesIn = reading.bytesRead;
    expect(taken).toBe(total);
    expect(reading.report.buildings).toBe(total);
    // The first building comes out long before the document has been made, and the reader never runs far ahead.
    expect(producedAtFirst).toBeLessThan(100);
    expect(maxAhead).toBeLessThan(100);
    // About 35 MB of XML went through; the heap after the first 2,000 buildings grows by far less than that.
    expect(bytesIn).toBeGreaterThan(30e6);
    expect(heapMax - heapAt2000).toBeLessThan(4e6);
  });
});
