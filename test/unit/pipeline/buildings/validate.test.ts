/**
 * Every committed GLB under tilesets/ against Khronos' glTF validator (0 errors, 0 warnings) and against the
 * property-table rules of EXT_structural_metadata (3D Tiles 1.1 metadata), checked here on the file's own JSON:
 * every column's buffer view is exactly as long as its values (count × size, string offsets count + 1, booleans
 * one bit each), no buffer view is empty, every column starts on an 8-byte boundary of its buffer and the binary
 * chunk on one of the file. Runs on the committed files only; no raw data needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import { describe, expect, it } from 'vitest';
import { availableTiles } from './hlod/implicit-tiles';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const tilesets = path.join(repoRoot, 'tilesets');
const glbs = readdirSync(tilesets, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.glb'))
  .map((f) => f.split(path.sep).join('/'))
  .toSorted();

interface ClassProperty { type: string; componentType?: string; array?: boolean; required?: boolean }
interface TableProperty { values: number; stringOffsets?: number; arrayOffsets?: number; stringOffsetType?: string }
interface Gltf {
  buffers: { byteLength: number; uri?: string }[];
  bufferViews: { buffer: number; byteOffset?: number; byteLength: number }[];
  extensions?: {
    EXT_structural_metadata?: {
      schema: { classes: Record<string, { properties: Record<string, ClassProperty> }> };
      propertyTables?: { class: string; count: number; properties?: Record<string, TableProperty> }[];
    };
  };
}

interface Tile { content?: { uri: string }; children?: Tile[]; implicitTiling?: unknown }

const COMPONENT_BYTES: Record<string, number> = { INT8: 1, UINT8: 1, INT16: 2, UINT16: 2, INT32: 4, UINT32: 4, INT64: 8, UINT64: 8, FLOAT32: 4, FLOAT64: 8 };

function readGlb(bytes: Uint8Array): { json: Gltf; binAt: number; bin: Uint8Array } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(dv.getUint32(0, true), 'magic').toBe(0x46546c67);
  const jsonLength = dv.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as Gltf;
  const binAt = 20 + jsonLength + 8;
  return { json, binAt, bin: bytes.subarray(binAt, binAt + dv.getUint32(20 + jsonLength, true)) };
}

/** Every breach of the property-table rules in one GLB, as readable lines (empty = none). */
function propertyTableProblems(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  const { json, binAt, bin } = readGlb(bytes);
  if (binAt % 8 !== 0) problems.push(`binary chunk starts at file offset ${binAt}, not a multiple of 8`);
  json.bufferViews.forEach((v, i) => {
    if (v.byteLength === 0) problems.push(`bufferViews[${i}] has byteLength 0`);
  });
  const meta = json.extensions?.EXT_structural_metadata;
  if (!meta) return ['no EXT_structural_metadata'];
  for (const [t, table] of (meta.propertyTables ?? []).entries()) {
    const cls = meta.schema.classes[table.class];
    if (!cls) {
      problems.push(`propertyTables[${t}]: class ${table.class} is not in the schema`);
      continue;
    }
    for (const [id, p] of Object.entries(cls.properties)) {
      if (p.required && !table.properties?.[id]) problems.push(`propertyTables[${t}]: required property ${id} missing`);
    }
    for (const [id, prop] of Object.entries(table.properties ?? {})) {
      const c = cls.properties[id];
      if (!c) {
        problems.push(`${id}: not a property of class ${table.class}`);
        continue;
      }
      if (c.array) {
        problems.push(`${id}: array properties are not checked here`);
        continue;
      }
      const view = (index: number | undefined, what: string, expected: number): void => {
        const v = index === undefined ? undefined : json.bufferViews[index];
        if (!v) {
          problems.push(`${id}: ${what} buffer view ${index} missing`);
          return;
        }
        const at = v.byteOffset ?? 0;
        if (v.byteLength !== expected) problems.push(`${id}: ${what} bufferViews[${index}] byteLength ${v.byteLength}, exact size ${expected}`);
        if (at % 8 !== 0) problems.push(`${id}: ${what} bufferViews[${index}] byteOffset ${at} not aligned to 8`);
        if (at + v.byteLength > json.buffers[v.buffer]!.byteLength) problems.push(`${id}: ${what} bufferViews[${index}] runs past its buffer`);
      };
      if (c.type === 'STRING') {
        const size = COMPONENT_BYTES[prop.stringOffsetType ?? 'UINT32']!;
        view(prop.stringOffsets, 'stringOffsets', (table.count + 1) * size);
        const ov = json.bufferViews[prop.stringOffsets ?? -1];
        if (!ov || size !== 4) continue;
        const offsets = new DataView(bin.buffer, bin.byteOffset + (ov.byteOffset ?? 0), ov.byteLength);
        let last = 0;
        for (let i = 0; i <= table.count; i++) {
          const o = offsets.getUint32(i * 4, true);
          if (o < last) problems.push(`${id}: string offsets decrease at row ${i}`);
          last = o;
        }
        view(prop.values, 'values', last);
      } else if (c.type === 'BOOLEAN') {
        view(prop.values, 'values', Math.ceil(table.count / 8));
      } else if (c.type === 'SCALAR') {
        view(prop.values, 'values', table.count * COMPONENT_BYTES[c.componentType ?? '']!);
      } else {
        problems.push(`${id}: type ${c.type} is not checked here`);
      }
    }
  }
  return problems;
}

describe('committed GLB tiles', () => {
  it('are there: the building tilesets have their tiles', () => {
    expect(glbs.filter((f) => f.startsWith('buildings/regensburg-west/')).length).toBeGreaterThan(0);
    expect(glbs.filter((f) => f.startsWith('buildings/zatec/')).length).toBeGreaterThan(0);
  });

  it.each(glbs)('%s: glTF validator, 0 errors and 0 warnings', async (file) => {
    const report = await validateBytes(new Uint8Array(readFileSync(path.join(tilesets, file))), { uri: file, maxIssues: 0 });
    const serious = report.issues.messages.filter((m) => m.severity <= 1).map((m) => `${m.code} at ${m.pointer ?? m.offset}: ${m.message}`);
    expect(serious).toEqual([]);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
  });

  it.each(glbs)('%s: property-table columns are exact, non-empty and 8-byte aligned', (file) => {
    expect(propertyTableProblems(new Uint8Array(readFileSync(path.join(tilesets, file))))).toEqual([]);
  });

  it('every building tileset names only tiles that exist, and every committed tile is named', async () => {
    const named = new Set<string>();
    for (const id of readdirSync(path.join(tilesets, 'buildings'))) {
      const dir = path.join(tilesets, 'buildings', id);
      const tileset = JSON.parse(readFileSync(path.join(dir, 'tileset.json'), 'utf8')) as { asset: { version: string }; root: Tile };
      expect(tileset.asset.version).toBe('1.1');
      if (tileset.root.implicitTiling) {
        // Implicit: the subtree files, read by CesiumJS's decoder, name the tiles; the template gives their files.
        const { tiles, problems } = await availableTiles(dir);
        expect(problems, id).toEqual([]);
        for (const t of tiles) {
          const [level, x, y] = t.split('/');
          named.add(`buildings/${id}/${tileset.root.content!.uri.replace('{level}', level!).replace('{x}', x!).replace('{y}', y!)}`);
        }
        continue;
      }
      const walk = (t: Tile): void => {
        if (t.content) named.add(`buildings/${id}/${t.content.uri}`);
        for (const c of t.children ?? []) walk(c);
      };
      walk(tileset.root);
    }
    expect([...named].toSorted()).toEqual(glbs.filter((f) => f.startsWith('buildings/')));
  });
});
