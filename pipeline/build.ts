/**
 * `npm run tilesets`: rebuild tilesets/ from the raw public sources in ../shared/data.
 * Deterministic: the same sources give byte-identical output, so a rebuild's diff shows what really changed.
 * Order matters: geodesy and terrain first, because later steps sample ground heights from the terrain model.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGtx } from '../core/geo/geoid';
import { parseManifest, type Manifest } from '../core/manifest';
import type { ManifestEntry, PipelineContext } from './context';
import { buildGeodesy } from './geodesy/step';
import { buildTerrain } from './terrain/step';
import { writeCheckpoints } from './terrain/checkpoints';
import { buildImagery } from './imagery/step';
import { buildBoundaries } from './boundaries/step';
import { buildSensors } from './sensors/step';
import { buildBuildings } from './buildings/step';
import { buildCoverage } from './coverage/step';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env['SDDI_DATA_DIR'] ?? path.join(repoRoot, '../shared/data'));
  if (!existsSync(dataDir)) {
    console.error(`No source data at ${dataDir}: the committed tilesets/ stay as they are. Set SDDI_DATA_DIR to rebuild from elsewhere.`);
    process.exit(1);
  }
  const outDir = path.join(repoRoot, 'tilesets');
  const gtx = await readFile(path.join(dataDir, 'geodesy/egm96_15.gtx'));
  const ctx: PipelineContext = {
    dataDir,
    outDir,
    geoid: parseGtx(gtx.buffer.slice(gtx.byteOffset, gtx.byteOffset + gtx.byteLength), 'EGM96'),
    log: (m) => console.log(`  ${m}`),
  };
  const layers: ManifestEntry[] = [];
  for (const [name, step] of [
    ['geodesy', buildGeodesy],
    ['terrain', buildTerrain],
    ['checkpoints', async (c: PipelineContext) => (await writeCheckpoints(c), [])],
    ['imagery', buildImagery],
    ['boundaries', buildBoundaries],
    ['sensors', buildSensors],
    ['buildings', buildBuildings],
    // Needs the terrain model (ground heights) and reads the boundary files the boundaries step reads.
    ['coverage', buildCoverage],
  ] as const) {
    const t0 = performance.now();
    console.log(`${name}…`);
    layers.push(...(await step(ctx)));
    console.log(`  ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const manifest: Manifest = parseManifest({ version: 1, layers });
  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  for (const dir of ['geodesy', 'terrain', 'imagery', 'boundaries', 'sensors', 'buildings', 'coverage']) {
    const { files, bytes } = await du(path.join(outDir, dir));
    console.log(`tilesets/${dir}: ${files} files, ${(bytes / 1048576).toFixed(2)} MiB`);
  }
}

async function du(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { files, bytes };
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return { files, bytes };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
