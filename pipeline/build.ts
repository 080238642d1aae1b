/**
 * `npm run tilesets`: rebuild tilesets/ from the raw public sources in ../shared/data.
 * Deterministic: the same sources give byte-identical output, so a rebuild's diff shows what really changed.
 * Order matters: geodesy and terrain first, because later steps sample ground heights from the terrain model.
 *
 * `npm run tilesets -- buildings coverage` runs only the named steps (in the order below, whatever the order of
 * the arguments). The terrain model is loaded all the same when the terrain step does not run, so every step
 * sees the same ground; manifest.json keeps the entries of the steps not run from the committed one.
 *
 * `npm run tilesets -- buildings <folder> [--out <dir>]` tiles one folder of LoD2 files (CityGML, CityJSON) on its
 * own, with progress on stderr (pipeline/buildings/folder.ts); a second argument that is a step name stays a step.
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
import { loadTerrainModel } from './terrain/model';
import { writeCheckpoints } from './terrain/checkpoints';
import { refineUnderBuildings } from './terrain/detail';
import { buildImagery } from './imagery/step';
import { buildBoundaries } from './boundaries/step';
import { buildPlaces } from './places/step';
import { buildRelief } from './relief/step';
import { buildSensors } from './sensors/step';
import { buildClimate } from './climate/step';
import { buildBuildings } from './buildings/step';
import { folderCommand } from './buildings/folder';
import { buildCoverage } from './coverage/step';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Step {
  readonly name: string;
  /** Whether a manifest entry is one this step writes (kept from the committed manifest when the step is not run). */
  owns(e: ManifestEntry): boolean;
  /** Also run when any of these steps is (its output depends on theirs). */
  follows?: readonly string[];
  /** `layers`: the manifest entries so far, in order. */
  run(ctx: PipelineContext, layers: ManifestEntry[]): Promise<ManifestEntry[]>;
}

const RELIEF_ID = 'relief-tint';
const ofKind = (kind: ManifestEntry['kind']) => (e: ManifestEntry): boolean => e.kind === kind;

const STEPS: readonly Step[] = [
  { name: 'geodesy', owns: () => false, run: buildGeodesy },
  // The check points live in tilesets/terrain, which the terrain step clears: selecting terrain writes them too.
  { name: 'terrain', owns: ofKind('terrain'), run: async (c) => { const e = await buildTerrain(c); await writeCheckpoints(c); return e; } },
  // Before imagery: the tint is the lower of the draped images (the Landsat image over Plzeň lies on it).
  { name: 'relief', owns: (e) => e.id === RELIEF_ID, run: buildRelief },
  { name: 'imagery', owns: (e) => e.kind === 'imagery' && e.id !== RELIEF_ID, run: buildImagery },
  { name: 'boundaries', owns: ofKind('boundaries'), run: buildBoundaries },
  { name: 'places', owns: ofKind('places'), run: buildPlaces },
  { name: 'sensors', owns: ofKind('sensors'), run: buildSensors },
  { name: 'climate', owns: ofKind('climate'), run: buildClimate },
  { name: 'buildings', owns: ofKind('buildings'), run: buildBuildings },
  // Re-meshes the terrain under the buildings' boxes finer: after both the terrain and the buildings.
  { name: 'terrain-detail', owns: () => false, follows: ['terrain', 'buildings'], run: async (c, layers) => (refineUnderBuildings(c, layers), []) },
  // Needs the terrain model (ground heights) and reads the boundary files the boundaries step reads.
  { name: 'coverage', owns: ofKind('coverage'), run: buildCoverage },
];

/** The step names given on the command line; none = every step. An unknown name stops the run before anything is written. */
function selectSteps(args: readonly string[]): Set<string> {
  const names = STEPS.map((s) => s.name);
  const unknown = args.filter((a) => !names.includes(a));
  if (unknown.length > 0) throw new Error(`unknown step(s) ${unknown.join(', ')}; the steps are ${names.join(', ')}`);
  return new Set(args.length > 0 ? args : names);
}

async function readPreviousManifest(outDir: string): Promise<ManifestEntry[]> {
  const file = path.join(outDir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run every step once (npm run tilesets) before running some of them`);
  return parseManifest(JSON.parse(await readFile(file, 'utf8'))).layers;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'buildings' && args.length > 1 && !STEPS.some((s) => s.name === args[1])) return folderCommand(args.slice(1), repoRoot);
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
  const selected = selectSteps(args);
  const previous = selected.size < STEPS.length ? await readPreviousManifest(outDir) : [];
  if (!selected.has('terrain')) {
    const t0 = performance.now();
    ctx.terrain = await loadTerrainModel(dataDir, ctx.geoid);
    console.log(`terrain model loaded (${ctx.terrain.sources.length} DEMs, no tiles written) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const layers: ManifestEntry[] = [];
  for (const step of STEPS) {
    if (!selected.has(step.name) && !step.follows?.some((f) => selected.has(f))) {
      // Not run: its layers stay as the committed manifest lists them, in the same place.
      layers.push(...previous.filter((e) => step.owns(e)));
      continue;
    }
    const t0 = performance.now();
    console.log(`${step.name}…`);
    layers.push(...(await step.run(ctx, layers)));
    console.log(`  ${step.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const manifest: Manifest = parseManifest({ version: 1, layers });
  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  for (const dir of ['geodesy', 'terrain', 'relief', 'imagery', 'boundaries', 'places', 'sensors', 'buildings', 'coverage']) {
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
