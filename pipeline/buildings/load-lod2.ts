/**
 * Loading a LoD2 town: its CityJSON and CityGML files one after another, each building turned into a record with
 * its surveyed heights as soon as it is read. CityGML is streamed building by building, so a 2 × 2 km tile never
 * sits in memory as text or XML; a CityJSON file is one JSON document and is read whole, one file at a time.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { converter, type Epsg, type VerticalDatum } from '../../core/geo/crs';
import { toEllipsoidalHeightM } from '../../core/geo/heights';
import type { PipelineContext } from '../context';
import { parseCityJson, type CityBuilding } from './cityjson';
import { CityGmlError, crsOfSrsName, readCityGml } from './citygml';
import { lod2Record, noteOutsideDem, type Lod2File } from './records';
import { emptyStats, isCityGmlName, isCityJsonSeqName, type BuildingRecord, type FolderMeta, type TownBuildings, type TownSource, type TownStats } from './towns';

/** What a LoD2 town's files add up to while they are read one after another. */
export interface Lod2Totals {
  /** The records, when no sink takes them. */
  readonly records: BuildingRecord[];
  /** Where records go as they are made (a district's tiling), instead of `records`. */
  readonly sink: ((r: BuildingRecord) => void) | null;
  /** Records made so far. */
  count: number;
  /**
   * Ids taken so far: neighbouring tiles of the survey can both carry a building on their seam. Null with a sink,
   * which removes duplicates itself (a set of every id of a state would grow with it).
   */
  readonly seen: Set<string> | null;
  readonly crs: Set<string>;
  readonly datums: Set<VerticalDatum>;
  readonly stats: TownStats;
}

export const newLod2Totals = (sink?: (r: BuildingRecord) => void): Lod2Totals =>
  ({ records: [], sink: sink ?? null, count: 0, seen: sink ? null : new Set(), crs: new Set(), datums: new Set(), stats: emptyStats() });

function note(stats: TownStats, log: (m: string) => void, text: string): void {
  stats.notes.push(text);
  log(`buildings: ${text}`);
}

/** How one file's buildings in one CRS are placed: converters built once, heights to the ellipsoid. */
function lod2File(file: string, meta: FolderMeta, epsg: Epsg, datum: VerticalDatum, ctx: PipelineContext): Lod2File {
  const toLonLat = converter(epsg, 4326);
  return {
    sourceName: `${meta.source.split(',')[0]}, ${path.basename(file)}`,
    licence: meta.licence,
    datum,
    toLonLat,
    toGeodetic: (x, y, z, out, o) => {
      const ll = toLonLat.forward([x, y]);
      out[o] = ll[0]!;
      out[o + 1] = ll[1]!;
      out[o + 2] = toEllipsoidalHeightM(datum, z, ll[0]!, ll[1]!, ctx.geoid);
    },
  };
}

/** One building of a file into the town: once per id, as a record when it has something to draw. */
function take(b: CityBuilding, f: Lod2File, ctx: PipelineContext, t: Lod2Totals): void {
  if (t.seen?.has(b.id)) return;
  t.seen?.add(b.id);
  const record = lod2Record(b, f, ctx, t.stats);
  if (!record) return;
  t.count++;
  if (t.sink) t.sink(record);
  else t.records.push(record);
}

/** Horizontal CRS and vertical datum of a CityJSON file: declared, or the Bavarian LoD2 delivery CRS when recognisable. */
function cityJsonCrs(referenceSystem: string | null, buildings: readonly CityBuilding[], file: string, t: Lod2Totals, log: (m: string) => void): { epsg: Epsg; datum: VerticalDatum } {
  if (referenceSystem) {
    // The same reading of CRS names as CityGML's srsName and the page's import.
    const crs = crsOfSrsName(referenceSystem);
    if (!crs) throw new Error(`${file}: referenceSystem "${referenceSystem}" is not a projected CRS the twin knows`);
    return crs;
  }
  // Bavarian LoD2 ids start with DEBY and municipality keys with 09 (Bavaria); it is delivered in UTM 32 / DHHN2016.
  const bavarian = buildings.length > 0 && buildings.every((b) => b.id.startsWith('DEBY') || String(b.attributes.Gemeindeschluessel ?? '').startsWith('09'));
  if (!bavarian) throw new Error(`${file}: CityJSON without metadata.referenceSystem and not recognisably Bavarian LoD2; add a referenceSystem`);
  note(t.stats, log, `${path.basename(file)}: no metadata.referenceSystem; Bavarian LoD2 (DEBY ids) taken as EPSG:25832 + DHHN2016`);
  return { epsg: 25832, datum: 'DHHN2016' };
}

/** Counts and notes the city objects of types the tileset does not draw (Buildings and their parts are drawn). */
function noteOtherObjects(others: Readonly<Record<string, number>>, file: string, t: Lod2Totals, log: (m: string) => void): void {
  for (const [type, n] of Object.entries(others)) t.stats.otherObjects[type] = (t.stats.otherObjects[type] ?? 0) + n;
  if (Object.keys(others).length === 0) return;
  note(t.stats, log, `${path.basename(file)}: left out ${Object.entries(others).map(([k, n]) => `${n} ${k}`).join(', ')} (only Buildings and BuildingParts are drawn)`);
}

async function readCityJsonFile(file: string, meta: FolderMeta, ctx: PipelineContext, t: Lod2Totals): Promise<void> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as { CityObjects?: Record<string, { type?: unknown }> };
  const parsed = parseCityJson(doc);
  t.stats.sourceObjects += parsed.report.cityObjects;
  const others: Record<string, number> = {};
  for (const o of Object.values(doc.CityObjects ?? {})) {
    const type = String(o?.type ?? '');
    if (type !== 'Building' && type !== 'BuildingPart') others[type] = (others[type] ?? 0) + 1;
  }
  noteOtherObjects(others, file, t, ctx.log);
  t.stats.degenerateRings += parsed.report.degenerateRings;
  const { epsg, datum } = cityJsonCrs(parsed.referenceSystem, parsed.buildings, file, t, ctx.log);
  t.crs.add(`EPSG:${epsg}`);
  t.datums.add(datum);
  const f = lod2File(file, meta, epsg, datum, ctx);
  for (const b of parsed.buildings) take(b, f, ctx, t);
}

/**
 * A CityGML file, streamed. A file cut short (or broken further on) keeps the buildings before the break, with a
 * note naming the file and the last building; an srsName the twin cannot place stops the run.
 */
async function readCityGmlFile(file: string, meta: FolderMeta, ctx: PipelineContext, t: Lod2Totals, onProgress?: (bytes: number) => void): Promise<void> {
  const placed = new Map<string, Lod2File>();
  const reading = readCityGml(file, {
    onWarning: (m) => note(t.stats, ctx.log, m),
    ...(onProgress ? { onProgress } : {}),
  });
  try {
    for await (const b of reading) {
      const key = `${b.crs.epsg}+${b.crs.datum}`;
      let f = placed.get(key);
      if (!f) {
        f = lod2File(file, meta, b.crs.epsg, b.crs.datum, ctx);
        placed.set(key, f);
        t.crs.add(`EPSG:${b.crs.epsg}`);
        t.datums.add(b.crs.datum);
        if (b.crs.note) note(t.stats, ctx.log, `${path.basename(file)}: ${b.crs.note}`);
      }
      take(b, f, ctx, t);
    }
  } catch (e) {
    if (!(e instanceof CityGmlError) || e.reason === 'crs') throw e;
    note(t.stats, ctx.log, e.message);
  } finally {
    const r = reading.report;
    t.stats.sourceObjects += r.cityObjects;
    t.stats.degenerateRings += r.degenerateRings;
    t.stats.heightsFromGeometry += r.heightsFromGeometry;
    noteOtherObjects(r.otherObjects, file, t, ctx.log);
  }
  const n = reading.report.heightsFromGeometry;
  if (n > 0) note(t.stats, ctx.log, `${path.basename(file)}: ${n} building${n === 1 ? '' : 's'} without measuredHeight; the height is the geometry's (max z − min z)`);
}

/**
 * A CityJSONSeq file, line by line: the first line is the CityJSON header (transform, metadata), every other line
 * a CityJSONFeature with its own vertices, read as a CityJSON document of its own under the header's transform.
 * Memory: one line at a time, however long the file. A line that is not JSON names the file and the line.
 */
async function readCityJsonSeqFile(file: string, meta: FolderMeta, ctx: PipelineContext, t: Lod2Totals, onProgress?: (bytes: number) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  interface Header { transform?: unknown; metadata?: { referenceSystem?: unknown } }
  let header: Header | null = null;
  let f: Lod2File | null = null;
  let lineNo = 0, bytes = 0;
  const others: Record<string, number> = {};
  for await (const line of lines) {
    lineNo++;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    let doc: { type?: unknown; id?: unknown; CityObjects?: Record<string, { type?: unknown }>; vertices?: unknown };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch (e) {
      throw new Error(`${path.basename(file)}, line ${lineNo}: not JSON (${(e as Error).message})`, { cause: e });
    }
    if (!header) {
      if (doc.type !== 'CityJSON') throw new Error(`${path.basename(file)}: the first line is not a CityJSON header`);
      header = doc as Header;
      continue;
    }
    if (doc.type !== 'CityJSONFeature') continue;
    const parsed = parseCityJson({ type: 'CityJSON', transform: header.transform, metadata: header.metadata, CityObjects: doc.CityObjects, vertices: doc.vertices });
    t.stats.sourceObjects += parsed.report.cityObjects;
    t.stats.degenerateRings += parsed.report.degenerateRings;
    for (const o of Object.values(doc.CityObjects ?? {})) {
      const type = String(o?.type ?? '');
      if (type !== 'Building' && type !== 'BuildingPart') others[type] = (others[type] ?? 0) + 1;
    }
    if (!f) {
      const { epsg, datum } = cityJsonCrs(parsed.referenceSystem, parsed.buildings, file, t, ctx.log);
      t.crs.add(`EPSG:${epsg}`);
      t.datums.add(datum);
      f = lod2File(file, meta, epsg, datum, ctx);
    }
    for (const b of parsed.buildings) take(b, f, ctx, t);
    onProgress?.(bytes);
  }
  if (!header) throw new Error(`${path.basename(file)}: empty, no CityJSON header`);
  noteOtherObjects(others, file, t, ctx.log);
}

/** Read one LoD2 file into the town's totals: CityGML (`.gml`, `.xml`) and CityJSONSeq streamed, CityJSON whole. */
export function readLod2File(file: string, meta: FolderMeta, ctx: PipelineContext, t: Lod2Totals, onProgress?: (bytes: number) => void): Promise<void> {
  if (isCityGmlName(file)) return readCityGmlFile(file, meta, ctx, t, onProgress);
  return isCityJsonSeqName(file) ? readCityJsonSeqFile(file, meta, ctx, t, onProgress) : readCityJsonFile(file, meta, ctx, t);
}

/** The town the totals make up. */
export function lod2Town(source: TownSource, t: Lod2Totals, log: (m: string) => void): TownBuildings {
  t.stats.buildings = t.count;
  noteOutsideDem(source, t.stats, log);
  return {
    source,
    records: t.records,
    sourceCrs: [...t.crs].toSorted().join(', '),
    sourceVerticalDatum: t.datums.size > 0 ? [...t.datums].toSorted().join(', ') : 'DHHN2016',
    groundKnown: true,
    estimatedHeights: false,
    stats: t.stats,
  };
}

export async function loadLod2Town(town: TownSource, ctx: PipelineContext): Promise<TownBuildings> {
  const t = newLod2Totals();
  for (const file of town.files) await readLod2File(file, town.meta, ctx, t);
  return lod2Town(town, t, ctx.log);
}
