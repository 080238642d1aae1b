/**
 * `npm run tilesets -- buildings <folder> [--out <dir>]`: every LoD2 file of one folder (CityGML streamed,
 * CityJSON whole) -> one buildings tileset, outside the town list of the pipeline's buildings step: a district's
 * tiles as the surveying office delivers them. Progress goes to stderr: buildings, buildings per second, and the
 * time left, estimated from the bytes read.
 *
 * Memory: files are read one after another and each building becomes its triangulated record as soon as it is
 * read, so no file's text or XML is ever held. The records themselves are: the writer (`writeTownTileset`) splits
 * the whole set into a kd-tree of leaf tiles and needs all of it at once. That is the next step of the district
 * work, hierarchical LOD tiling: write leaf tiles as the records of a spatial cell are complete (tiles sorted into
 * cells by their extent first), with coarser parents (footprint boxes, merged roofs) above them, so memory is
 * bounded by a cell rather than by the district.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { geoidFromJson, parseGtx, type GeoidGrid, type GeoidGridJson } from '../../core/geo/geoid';
import type { PipelineContext } from '../context';
import { lod2Town, newLod2Totals, readLod2File } from './load-lod2';
import { writeTownTileset, type TilesetResult } from './tileset';
import { folderMeta, lod2Files, type TownBuildings, type TownSource } from './towns';

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
export async function buildFolderTileset(o: FolderTilesetOptions): Promise<{ town: TownBuildings; result: TilesetResult }> {
  const folder = path.resolve(o.folder);
  const files = await lod2Files(folder);
  if (files.length === 0) throw new Error(`${folder}: no CityGML (.gml, .xml) or CityJSON (.city.json, .json) file in it`);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const source: TownSource = { folder: path.basename(folder), kind: 'lod2', files, meta: folderMeta(path.basename(folder), o.log) };
  // No terrain model: the buildings keep their surveyed heights, and the DEM check is the buildings step's.
  const ctx: PipelineContext = { dataDir: folder, outDir: o.outDir, geoid: o.geoid, log: o.log };
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const t = newLod2Totals();
  let done = 0, lastReport = -Infinity;
  for (const [i, file] of files.entries()) {
    const report = (bytesInFile: number, force: boolean): void => {
      const at = now();
      if (!force && at - lastReport < 1000) return;
      lastReport = at;
      o.progress?.(progressLine(t.records.length, done + bytesInFile, totalBytes, at - t0, file));
    };
    await readLod2File(file, source.meta, ctx, t, (bytes) => report(bytes, false));
    done += sizes[i]!;
    report(0, true);
  }
  const town = lod2Town(source, t, o.log);
  return { town, result: await writeTownTileset(town, o.outDir, o.outDir) };
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

/** `<folder> [--out <dir>]`, in either order; throws the usage for anything else. */
export function parseFolderArgs(args: readonly string[]): { folder: string; out: string | null } {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : null;
  const rest = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : [...args];
  if (rest.length !== 1 || out === undefined || out?.startsWith('--') || rest[0]!.startsWith('--')) {
    throw new Error('usage: npm run tilesets -- buildings <folder> [--out <dir>]');
  }
  return { folder: rest[0]!, out };
}

/** The command: `<folder> [--out <dir>]`; the tileset goes to tilesets/buildings/<id>/ unless told otherwise. */
export async function folderCommand(args: readonly string[], repoRoot: string): Promise<void> {
  const parsed = parseFolderArgs(args);
  const { out } = parsed;
  const folder = path.resolve(parsed.folder);
  const outDir = path.resolve(out ?? path.join(repoRoot, 'tilesets/buildings', folderMeta(path.basename(folder), () => {}).id));
  const { town, result } = await buildFolderTileset({ folder, outDir, geoid: await loadGeoid(repoRoot), log: logToStderr, progress: (l) => console.error(`buildings: ${l}`) });
  const s = town.stats;
  console.error(
    `buildings: ${s.buildings} buildings (${s.sourceObjects} source objects, ${s.heightsFromGeometry} heights from the geometry), ` +
      `${result.tiles} tiles, ${result.triangles} triangles, ${(result.bytes / MiB).toFixed(2)} MiB -> ${path.join(outDir, 'tileset.json')}` +
      (out ? '' : ' (tilesets/manifest.json is unchanged: the buildings step lists the towns it serves)'),
  );
}
