/**
 * The app's own code (gzip) apart from Cesium, from the production build in dist/: the entry chunk (the script
 * dist/index.html loads), what the page loads before its first frame (the entry chunk and the chunks it imports
 * statically), and all of it (lazily loaded panels and fallbacks, workers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** The entry chunk and every chunk it imports statically, transitively (file names in dist/assets). */
function loadedAtStart(dir: string, entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    // Minified static imports: `import{a as b}from"./x.js"` and `import"./x.js"`; `import("./x.js")` is lazy.
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)) queue.push(m[1]!);
  }
  return seen;
}

export async function benchBundleSize(): Promise<void> {
  await build({ root, logLevel: 'warn' });
  const dir = path.join(root, 'dist/assets');
  const html = readFileSync(path.join(root, 'dist/index.html'), 'utf8');
  const entry = /<script[^>]+src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('dist/index.html loads no script from assets/');
  const css = [...html.matchAll(/<link[^>]+href="\.\/assets\/([^"]+\.css)"/g)].map((m) => m[1]!);
  const atStart = loadedAtStart(dir, entry);
  const gz = new Map<string, number>();
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.js') || name.endsWith('.css'))) {
    gz.set(f, gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length);
  }
  let app = 0;
  let cesium = 0;
  let start = 0;
  for (const [f, size] of [...gz].toSorted((a, b) => b[1] - a[1])) {
    const isCesium = f.startsWith('cesium');
    if (isCesium) cesium += size;
    else app += size;
    const first = atStart.has(f) || css.includes(f);
    if (first && !isCesium) start += size;
    console.log(`  ${f.padEnd(40)} ${(size / 1024).toFixed(1).padStart(8)} KiB gzip${f === entry ? '  entry chunk' : first ? '  at start' : ''}`);
  }
  console.log(`\n## bundle size (gzip -9)\nmachine-independent; command: ${process.argv.slice(1).join(' ')}`);
  console.log(`entry chunk (${entry}): ${kib(gz.get(entry)!)} (${gz.get(entry)} bytes)`);
  console.log(`loaded at start, apart from Cesium (entry chunk, the chunks it imports, the page's CSS): ${kib(start)}`);
  console.log(`app code, all chunks (lazy panels and fallbacks, workers, zod, proj4, turf parts): ${kib(app)}`);
  console.log(`cesium chunk: ${kib(cesium)}`);
  console.log(`ratio app / cesium: ${(app / cesium).toFixed(3)}`);
}
