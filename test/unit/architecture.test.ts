/**
 * The written invariants, checked on the source: workers and src/geo are pure (no Cesium, three, zustand or DOM),
 * layer descriptions do not touch Cesium, and nothing in the UI builds HTML from strings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
function files(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}
const imports = (file: string): string[] => [...readFileSync(path.join(root, file), 'utf8').matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('architecture invariants', () => {
  const pure = [...files('workers'), ...files('src/geo'), ...files('src/formats')];
  it.each(pure)('%s imports no Cesium, three, zustand, viewer, layer or UI code', (file) => {
    for (const spec of imports(file)) {
      // The one exception: the scenario worker meshes proposed buildings with three's geometry and glTF exporter
      // (no renderer, no DOM), off the page's thread and out of its bundle.
      if (file.startsWith(`workers${path.sep}scenario${path.sep}`) && /^three(\/|$)/.test(spec)) continue;
      expect(spec, `${file} imports ${spec}`).not.toMatch(/^(cesium|@cesium\/|three|zustand)|\/(viewer|layers|ui|state)\//);
    }
  });
  it.each(pure)('%s does not use the DOM', (file) => {
    expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/\b(document|window)\.\w/);
  });
  it.each(files('src/layers').filter((f) => f.endsWith('description.ts') || f.endsWith('manifest.ts') || f.endsWith('geometry.ts')))('%s (a description) does not import Cesium', (file) => {
    for (const spec of imports(file)) expect(spec).not.toMatch(/^(cesium|@cesium\/)/);
  });
  it.each(files('src'))('%s never assigns innerHTML or outerHTML', (file) => {
    expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/\.(innerHTML|outerHTML|insertAdjacentHTML)\b/);
  });
});
