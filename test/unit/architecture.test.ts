/**
 * The written invariants, checked on the source: core/ is pure (no Cesium, three, zustand or DOM) and imports
 * nothing of the page, workers/ are shells over core/, the pipeline and services never reach into the page, layer
 * descriptions do not touch Cesium, and nothing in the UI builds HTML from strings.
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
  const pure = [...files('core'), ...files('workers')];
  it.each(pure)('%s imports no Cesium, three, zustand, viewer, layer or UI code', (file) => {
    for (const spec of imports(file)) {
      // The one exception: the scenario worker meshes proposed buildings with three's geometry and glTF exporter
      // (no renderer, no DOM), off the page's thread and out of its bundle.
      if (file.startsWith(`core${path.sep}scenario${path.sep}`) && /^three(\/|$)/.test(spec)) continue;
      expect(spec, `${file} imports ${spec}`).not.toMatch(/^(cesium|@cesium\/|three|zustand)|\/(viewer|layers|ui|state)\//);
    }
  });
  it.each(pure)('%s does not use the DOM', (file) => {
    expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/\b(document|window)\.\w/);
  });
  it.each(files('core'))('%s (core) imports nothing of the page, workers, pipeline or services', (file) => {
    for (const spec of imports(file)) expect(spec, `${file} imports ${spec}`).not.toMatch(/^\.\.?\/(\.\.\/)*(src|workers|pipeline|services|tools)\//);
  });
  it.each(files('workers'))('%s (a worker shell) imports only core/, its own folder and packages', (file) => {
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = path.relative(root, path.resolve(root, path.dirname(file), spec));
      const own = path.relative(root, path.dirname(file));
      expect(target.startsWith(`core${path.sep}`) || target.startsWith(own), `${file} imports ${spec}`).toBe(true);
    }
  });
  it.each([...files('pipeline'), ...files('services')])('%s imports no page code but the shared core', (file) => {
    for (const spec of imports(file)) expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)(src|workers)\//);
  });
  it.each(files('src/layers').filter((f) => f.endsWith('description.ts') || f.endsWith('manifest.ts') || f.endsWith('geometry.ts')))('%s (a description) does not import Cesium', (file) => {
    for (const spec of imports(file)) expect(spec).not.toMatch(/^(cesium|@cesium\/)/);
  });
  it.each(files('src'))('%s never assigns innerHTML or outerHTML', (file) => {
    expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/\.(innerHTML|outerHTML|insertAdjacentHTML)\b/);
  });
});
