/** CityJSONSeq (one CityJSONFeature per line) reads to the same buildings as the same content as one CityJSON file. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { geoidFromJson, type GeoidGridJson } from '../../../../core/geo/geoid';
import { newLod2Totals, readLod2File } from '../../../../pipeline/buildings/load-lod2';
import { lod2Files, type FolderMeta } from '../../../../pipeline/buildings/towns';
import type { PipelineContext } from '../../../../pipeline/context';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cjseq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const meta: FolderMeta = { id: 't', title: 't', source: 'test', licence: 'CC0', attribution: 'test' };

/** A cube of `s` m at (x, y) in integer millimetres under the header's transform, as a CityJSONFeature's parts. */
function cube(id: string, x: number, y: number, s: number): { CityObjects: Record<string, unknown>; vertices: number[][] } {
  const v: number[][] = [];
  for (const z of [0, s]) for (const [dx, dy] of [[0, 0], [s, 0], [s, s], [0, s]] as const) v.push([x + dx, y + dy, z]);
  const faces = [[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]], [[1, 2, 6, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 7]]];
  const semantics = { surfaces: [{ type: 'GroundSurface' }, { type: 'RoofSurface' }, { type: 'WallSurface' }], values: [[0, 1, 2, 2, 2, 2]] };
  return { CityObjects: { [id]: { type: 'Building', attributes: { measuredHeight: s / 1000 }, geometry: [{ type: 'Solid', lod: '2', boundaries: [faces], semantics }] } }, vertices: v };
}

describe('CityJSONSeq', () => {
  it('reads every feature line under the header, as the same buildings as one CityJSON document', async () => {
    const header = { type: 'CityJSON', version: '2.0', transform: { scale: [0.001, 0.001, 0.001], translate: [720000, 5432000, 340] }, metadata: { referenceSystem: 'https://www.opengis.net/def/crs/EPSG/0/25832' }, CityObjects: {}, vertices: [] };
    const parts = [cube('A', 0, 0, 8000), cube('B', 30_000, 0, 12_000), cube('C', 0, 40_000, 6000)];
    writeFileSync(path.join(dir, 'tiles.city.jsonl'), [header, ...parts.map((p, i) => ({ type: 'CityJSONFeature', id: 'ABC'[i], ...p }))].map((l) => JSON.stringify(l)).join('\n') + '\n');
    // The same three as one document: vertices concatenated, indices shifted.
    const whole = { ...header, CityObjects: {} as Record<string, unknown>, vertices: [] as number[][] };
    for (const p of parts) {
      const shift = whole.vertices.length;
      const shifted = JSON.parse(JSON.stringify(p.CityObjects), (k, val: unknown) => (k === 'boundaries' ? JSON.parse(JSON.stringify(val), (_k, x: unknown) => (typeof x === 'number' ? x + shift : x)) : val)) as Record<string, unknown>;
      Object.assign(whole.CityObjects, shifted);
      whole.vertices.push(...p.vertices);
    }
    const wholeDir = path.join(dir, 'whole');
    mkdirSync(wholeDir);
    writeFileSync(path.join(wholeDir, 'tiles.city.json'), JSON.stringify(whole));

    const geoid = geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
    const ctx: PipelineContext = { dataDir: dir, outDir: dir, geoid, log: () => {} };
    expect((await lod2Files(dir)).map((f) => path.basename(f))).toEqual(['tiles.city.jsonl']);
    const seq = newLod2Totals();
    const progress: number[] = [];
    await readLod2File(path.join(dir, 'tiles.city.jsonl'), meta, ctx, seq, (b) => progress.push(b));
    const one = newLod2Totals();
    await readLod2File(path.join(wholeDir, 'tiles.city.json'), meta, ctx, one);
    expect(seq.records.map((r) => r.props.id)).toEqual(['A', 'B', 'C']);
    expect(progress).toHaveLength(3);
    const strip = (rs: typeof seq.records) => rs.map((r) => ({ ...r, props: { ...r.props, source: '' } }));
    expect(strip(seq.records)).toEqual(strip(one.records));
    expect([...seq.crs]).toEqual(['EPSG:25832']);
    expect(seq.records[1]!.props.heightM).toBe(12);
  });

  it('names the file and the line that is not JSON', async () => {
    writeFileSync(path.join(dir, 'bad.city.jsonl'), '{"type":"CityJSON","transform":{"scale":[1,1,1],"translate":[0,0,0]}}\n{"type":"CityJSONFeature",\n');
    const geoid = geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
    await expect(readLod2File(path.join(dir, 'bad.city.jsonl'), meta, { dataDir: dir, outDir: dir, geoid, log: () => {} }, newLod2Totals())).rejects.toThrow(/bad\.city\.jsonl, line 2: not JSON/);
  });
});
