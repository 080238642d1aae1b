/**
 * `npm run tilesets -- buildings <folder> [--out <dir>] [--tiling add]`: every LoD2 file of one folder (CityGML
 * streamed, CityJSON one file at a time) -> one buildings tileset with hierarchical levels of detail on an implicit
 * quadtree (hlod/writer.ts), outside the town list of the pipeline's buildings step: a district's tiles as the
 * surveying office delivers them. Progress goes to stderr: buildings, buildings per second, and the time left,
 * estimated from the bytes read.
 *
 * Memory: each building becomes its triangulated record as soon as it is read and goes straight to the writer's
 * spill on disk, so neither a file nor the district is ever held. `--tiling add` is the previous tiling (a kd-tree of
 * leaves refined by adding, every record in memory at once), kept as the baseline the scale bench compares against.
 */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { geoidFromJson, parseGtx, type GeoidGrid, type GeoidGridJson } from '../../core/geo/geoid';
import { parseManifest } from '../../core/manifest';
import type { PipelineContext } from '../context';
import { lod2Town, newLod2Totals, readLod2File } from './load-lod2';
import { hlodEntry, hlodExtras } from './hlod/entry';
import { HlodWriter, type HlodStats } from './hlod/writer';
import { writeTownTileset } from './tileset';
import { folderMeta, lod2Files, type TownBuildings, type TownSource } from './towns';
import type { ManifestEntry } from '../context';

export interface FolderTilesetOptions {
  readonly folder: string;
  /** Where tileset.json and tiles/ go. */
  readonly outDir: string;
  readonly geoid: GeoidGrid;
  /** Notes and per-file lines. */
  readonly log: (message: string) => void;
  /** A progress line, at most about once a second and after every file. */
  readonly progress?: (line: string) => void;
  /** Milliseconds, for the rate and the time left (performance.now by default). */
  readonly now?: () => number;
  /** 'hlod' (default): levels of detail, streamed; 'add': the previous kd-tree of leaves, all in memory. */
  readonly tiling?: 'hlod' | 'add';
}

export interface FolderTilesetResult {
  readonly town: TownBuildings;
  readonly entry: ManifestEntry;
  readonly tiles: number;
  readonly triangles: number;
  readonly bytes: number;
  /** For the levels-of-detail tiling. */
  readonly hlod: HlodStats | null;
}

const MiB = 1048576;
const duration = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`);

/** "1 234 buildings (567/s), 12.0 of 200.0 MiB, 5m12s left, 720_5432.gml" */
export function progressLine(buildings: number, bytesRead: number, totalBytes: number, elapsedMs: number, file: string): string {
  const s = Math.max(elapsedMs / 1000, 1e-3);
  const left = bytesRead > 0 ? (s * (totalBytes - bytesRead)) / bytesRead : Number.NaN;
  return `${buildings} buildings (${Math.round(buildings / s)}/s), ${(bytesRead / MiB).toFixed(1)} of ${(totalBytes / MiB).toFixed(1)} MiB, ` +
    `${Number.isFinite(left) ? `${duration(left)} left` : 'time left unknown'}, ${path.basename(file)}`;
}

/** Read every LoD2 file of the folder and write its tileset to `outDir`. */
export async function buildFolderTileset(o: FolderTilesetOptions): Promise<FolderTilesetResult> {
  const folder = path.resolve(o.folder);
  const files = await lod2Files(folder);
  if (files.length === 0) throw new Error(`${folder}: no CityGML (.gml, .xml), CityJSON (.city.json, .json) or CityJSONSeq (.city.jsonl) file in it`);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const meta = folderMeta(path.basename(folder), o.log);
  const source: TownSource = { folder: path.basename(folder), kind: 'lod2', files, meta };
  // No terrain model: the buildings keep their surveyed heights, and the DEM check is the buildings step's.
  const ctx: PipelineContext = { dataDir: folder, outDir: o.outDir, geoid: o.geoid, log: o.log };
  const hlod = (o.tiling ?? 'hlod') === 'hlod'
    ? new HlodWriter({
      dir: o.outDir,
      spillDir: path.join(o.outDir, '.spill'),
      extras: hlodExtras(meta),
      ...(o.progress ? { progress: o.progress } : {}),
    })
    : null;
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const t = newLod2Totals(hlod ? (r) => hlod.add(r) : undefined);
  let done = 0, lastReport = -Infinity;
  for (const [i, file] of files.entries()) {
    const report = (bytesInFile: number, force: boolean): void => {
      const at = now();
      if (!force && at - lastReport < 1000) return;
      lastReport = at;
      o.progress?.(progressLine(t.count, done + bytesInFile, totalBytes, at - t0, file));
    };
    await readLod2File(file, meta, ctx, t, (bytes) => report(bytes, false));
    done += sizes[i]!;
    report(0, true);
  }
  const town = lod2Town(source, t, o.log);
  const sourceCrs = town.sourceCrs, sourceVerticalDatum = town.sourceVerticalDatum;
  if (!hlod) {
    const r = await writeTownTileset(town, o.outDir, o.outDir);
    return { town, entry: r.entry, tiles: r.tiles, triangles: r.triangles, bytes: r.bytes, hlod: null };
  }
  const r = await hlod.finish({ sourceCrs, sourceVerticalDatum, groundKnown: true });
  town.stats.buildings = r.stats.buildings;
  const entry = hlodEntry({ meta, result: r, sourceCrs, sourceVerticalDatum, groundKnown: true, estimatedHeights: false });
  return { town, entry, tiles: r.stats.tiles, triangles: r.stats.triangles, bytes: r.stats.bytes, hlod: r.stats };
}

/** The EGM96 grid: the full one from the raw data when it is there, else the region's cut the geodesy step commits. */
async function loadGeoid(repoRoot: string): Promise<GeoidGrid> {
  const dataDir = path.resolve(process.env['SDDI_DATA_DIR'] ?? path.join(repoRoot, '../shared/data'));
  const gtx = path.join(dataDir, 'geodesy/egm96_15.gtx');
  if (existsSync(gtx)) {
    const b = await readFile(gtx);
    return parseGtx(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), 'EGM96');
  }
  return geoidFromJson(JSON.parse(await readFile(path.join(repoRoot, 'tilesets/geodesy/egm96-region.json'), 'utf8')) as GeoidGridJson);
}

/** Notes of the command, on stderr beside the progress lines. */
const logToStderr = (m: string): void => console.error(`  ${m}`);

const USAGE = 'usage: npm run tilesets -- buildings <folder> [--out <dir>] [--tiling hlod|add]';

/** `<folder> [--out <dir>] [--tiling hlod|add]`, in any order; throws the usage for anything else. */
export function parseFolderArgs(args: readonly string[]): { folder: string; out: string | null; tiling: 'hlod' | 'add' } {
  let rest = [...args];
  const option = (name: string): string | null | undefined => {
    const at = rest.indexOf(name);
    if (at < 0) return null;
    const v = rest[at + 1];
    rest = rest.filter((_, i) => i !== at && i !== at + 1);
    return v === undefined || v.startsWith('--') ? undefined : v;
  };
  const out = option('--out');
  const tiling = option('--tiling');
  if (rest.length !== 1 || out === undefined || tiling === undefined || rest[0]!.startsWith('--') || (tiling !== null && tiling !== 'hlod' && tiling !== 'add')) {
    throw new Error(USAGE);
  }
  return { folder: rest[0]!, out, tiling: tiling ?? 'hlod' };
}

/** The command; the tileset goes to tilesets/buildings/<id>/ unless told otherwise, and then joins tilesets/manifest.json. */
export async function folderCommand(args: readonly string[], repoRoot: string): Promise<void> {
  const parsed = parseFolderArgs(args);
  const { out, tiling } = parsed;
  const folder = path.resolve(parsed.folder);
  const outDir = path.resolve(out ?? path.join(repoRoot, 'tilesets/buildings', folderMeta(path.basename(folder), () => {}).id));
  const r = await buildFolderTileset({ folder, outDir, tiling, geoid: await loadGeoid(repoRoot), log: logToStderr, progress: (l) => console.error(`buildings: ${l}`) });
  const s = r.town.stats;
  // The entry beside the tileset, for a deployment's own manifest; in the repository's tilesets/ it joins the manifest.
  await writeFile(path.join(outDir, 'manifest-entry.json'), `${JSON.stringify(r.entry, null, 1)}\n`);
  const listed = out ? null : await upsertManifest(path.join(repoRoot, 'tilesets/manifest.json'), r.entry);
  console.error(
    `buildings: ${s.buildings} buildings (${s.sourceObjects} source objects, ${s.heightsFromGeometry} heights from the geometry` +
      (r.hlod ? `, ${r.hlod.duplicates} duplicates on survey seams` : '') + `), ` +
      `${r.tiles} tiles${r.hlod ? ` (${r.hlod.leaves} leaves, ${r.hlod.depth + 1} levels)` : ''}, ${r.triangles} triangles, ` +
      `${(r.bytes / MiB).toFixed(2)} MiB -> ${path.join(outDir, 'tileset.json')}` + (listed ? `; ${listed}` : ''),
  );
}

/** Add or replace the entry (by id) in a manifest; what was done, in words. */
async function upsertManifest(file: string, entry: ManifestEntry): Promise<string> {
  const manifest = parseManifest(JSON.parse(await readFile(file, 'utf8')));
  const at = manifest.layers.findIndex((e) => e.id === entry.id);
  if (at >= 0) manifest.layers[at] = entry;
  else manifest.layers.push(entry);
  await writeFile(file, `${JSON.stringify(parseManifest(manifest), null, 1)}\n`);
  return `${at >= 0 ? 'replaced' : 'added'} ${entry.id} in tilesets/manifest.json`;
}
