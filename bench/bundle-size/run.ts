/** The app's own code (gzip) apart from Cesium, from the production build in dist/. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = path.resolve(import.meta.dirname, '../..');

export async function benchBundleSize(): Promise<void> {
  await build({ root, logLevel: 'warn' });
  const dir = path.join(root, 'dist/assets');
  let app = 0;
  let cesium = 0;
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.js') || name.endsWith('.css'))) {
    const gz = gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length;
    if (f.startsWith('cesium')) cesium += gz;
    else app += gz;
    console.log(`  ${f.padEnd(40)} ${(gz / 1024).toFixed(1).padStart(8)} KiB gzip`);
  }
  console.log(`\n## bundle size (gzip)\nmachine-independent; command: ${process.argv.slice(1).join(' ')}`);
  console.log(`app code (incl. workers, zustand, zod, proj4, turf parts): ${(app / 1024).toFixed(1)} KiB`);
  console.log(`cesium chunk: ${(cesium / 1024).toFixed(1)} KiB`);
  console.log(`ratio app / cesium: ${(app / cesium).toFixed(3)}`);
}
