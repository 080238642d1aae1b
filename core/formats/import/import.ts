/**
 * The import jobs as pure functions: `inspectFile` (which format, which CRS, cheap) and `convertFile` (the whole
 * file -> an `ImportLayer` in WGS84 + ellipsoidal heights). They run the same in the import worker, in the page
 * (inline mode) and in node (tests). Work is done in chunks with progress, a cancellation check and a yield
 * between chunks; a JSON document is parsed in one `JSON.parse`, the only step that cannot be split.
 */
import Papa from 'papaparse';
import { crsInfo, isKnownEpsg, type Epsg, type VerticalDatum } from '../../geo/crs';
import type { GeoidGrid } from '../../geo/geoid';
import { JobCancelledError, yieldToEventLoop, type ChunkHooks } from '../../reproject/reproject';
import { LayerBuilder, ProblemList } from './builder';
import { cityJsonStructureProblem, isCityJson, objectProperties, objectTriangles, parseCityObjects, referenceSystemOf, rootObjectCount, sampleVertices } from './cityjson';
import { chooseDelimiter, convertCsvRows, inspectCsv, pickColumns, propertyNumeral, uniformNewlines, uniqueColumnNames } from './csv';
import { detectCrs, geoJsonCrsText, type CrsEvidence } from './detect-crs';
import { featuresOf, isGeoJson, readFeature, samplePositions, scanHeights } from './geojson';
import { binaryKind, decodeText, parseJson } from './text';
import {
  ImportError,
  MAX_PROBLEMS,
  type CoordinateColumns,
  type HeightInfo,
  type ImportFormat,
  type ImportProblem,
  type ImportResult,
  type InspectResult,
} from './types';

export interface ImportFile {
  readonly fileName: string;
  readonly bytes: ArrayBuffer | Uint8Array;
}

/** How to read the file: usually the fields of the `CrsCandidate` the user picked. */
export interface ConvertSettings {
  readonly epsg: Epsg;
  readonly swapAxes?: boolean;
  /** CSV: the coordinate columns; default: the pair the header names that suits `epsg`. */
  readonly columns?: CoordinateColumns;
  /** Datum of the file's heights; default: the one the file declares with `epsg`, else `epsg`'s usual one. */
  readonly verticalDatum?: VerticalDatum;
}

export interface ImportHooks extends ChunkHooks {
  /** GeoJSON features or CityJSON objects per chunk. */
  chunkFeatures?: number;
  /** CSV characters per chunk. */
  chunkChars?: number;
}

export interface ImportContext {
  /** Needed when the file's heights are not ellipsoidal (`init` loads it). */
  readonly geoid: GeoidGrid | null;
}

export const DEFAULT_CHUNK_FEATURES = 5000;

type Json = Record<string, unknown>;

type Loaded =
  | { readonly format: 'csv'; readonly text: string; readonly delimiter: string }
  | { readonly format: 'geojson'; readonly doc: Json }
  | { readonly format: 'cityjson'; readonly doc: Json }
  | { readonly format: null };

const JSON_EXTENSIONS = new Set(['json', 'geojson', 'cityjson']);
const TEXT_EXTENSIONS = new Set(['csv', 'tsv', 'txt']);

/** Bytes -> the format, decided by the content; the extension only adds a note when it disagrees. */
function load(file: ImportFile): { loaded: Loaded; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const bytes = file.bytes instanceof Uint8Array ? file.bytes : new Uint8Array(file.bytes);
  const ext = /\.([a-z0-9]+)$/i.exec(file.fileName)?.[1]?.toLowerCase() ?? '';
  const binary = binaryKind(bytes);
  if (binary) {
    problems.push({ code: 'binary-file', severity: 'error', message: `${file.fileName} is ${binary}, not GeoJSON, CSV or CityJSON text` });
    return { loaded: { format: null }, problems };
  }
  const decoded = decodeText(bytes);
  if (decoded.problem) problems.push(decoded.problem);
  const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) {
    problems.push({ code: 'no-features', severity: 'error', message: `${file.fileName} is empty` });
    return { loaded: { format: null }, problems };
  }
  const note = (format: ImportFormat): void => {
    const expected = format === 'csv' ? TEXT_EXTENSIONS : JSON_EXTENSIONS;
    if (ext && (JSON_EXTENSIONS.has(ext) || TEXT_EXTENSIONS.has(ext)) && !expected.has(ext)) {
      problems.push({ code: 'extension-mismatch', severity: 'info', message: `the file is named .${ext} but its content is ${format === 'csv' ? 'delimited text' : format === 'geojson' ? 'GeoJSON' : 'CityJSON'}; read as such` });
    }
  };
  if (first === '{' || first === '[') {
    const parsed = parseJson(text);
    if (!parsed.ok) {
      problems.push(parsed.problem);
      return { loaded: { format: null }, problems };
    }
    const doc = parsed.value;
    if (isCityJson(doc)) {
      note('cityjson');
      return { loaded: { format: 'cityjson', doc: doc as Json }, problems };
    }
    if (isGeoJson(doc)) {
      note('geojson');
      return { loaded: { format: 'geojson', doc: doc as Json }, problems };
    }
    const type = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Json).type : undefined;
    problems.push({
      code: 'unrecognised-json',
      severity: 'error',
      message: `JSON, but neither GeoJSON (type FeatureCollection, Feature or a geometry) nor CityJSON (type "CityJSON")${Array.isArray(doc) ? ': the top level is an array' : type !== undefined ? `: its type is ${JSON.stringify(type)}` : ': it has no "type"'}`,
    });
    return { loaded: { format: null }, problems };
  }
  const uniform = uniformNewlines(text);
  const delimiter = chooseDelimiter(uniform);
  if (delimiter === null) {
    problems.push({ code: 'not-a-table', severity: 'error', message: `${file.fileName} is neither JSON nor a table: no comma, semicolon, tab or | splits its first lines into columns` });
    return { loaded: { format: null }, problems };
  }
  note('csv');
  return { loaded: { format: 'csv', text: uniform, delimiter }, problems };
}

function checkCancelled(hooks: ChunkHooks): void {
  if (hooks.isCancelled?.()) throw new JobCancelledError();
}

/** Runs `body` over [0, n) in chunks; progress goes from `from` to `to`. */
async function inSteps(n: number, size: number, hooks: ChunkHooks, from: number, to: number, body: (start: number, end: number) => void): Promise<void> {
  const pause = hooks.yieldBetweenChunks ?? yieldToEventLoop;
  for (let start = 0; start < n; start += size) {
    checkCancelled(hooks);
    const end = Math.min(n, start + size);
    body(start, end);
    hooks.onProgress?.(from + ((to - from) * end) / n);
    if (end < n) await pause();
  }
}

/** Evidence for CRS detection from a JSON document. */
function jsonEvidence(loaded: Extract<Loaded, { format: 'geojson' | 'cityjson' }>, features: readonly unknown[]): CrsEvidence {
  if (loaded.format === 'cityjson') {
    const rs = referenceSystemOf(loaded.doc);
    return { readings: [{ sample: sampleVertices(loaded.doc) }], declared: rs ? { text: rs, where: 'the CityJSON metadata.referenceSystem' } : null };
  }
  const crsText = geoJsonCrsText(loaded.doc.crs);
  return {
    readings: [{ sample: samplePositions(features) }],
    declared: typeof crsText === 'string' ? { text: crsText, where: 'the GeoJSON crs member' } : null,
    unreadableDeclaration: crsText === null ? `the GeoJSON crs member ${JSON.stringify(loaded.doc.crs).slice(0, 120)}` : null,
    impliedWgs84: crsText === undefined,
  };
}

/** Which format, how many features, which CRS candidates: reads the whole of a JSON file, the first rows of a CSV. */
export async function inspectFile(file: ImportFile, hooks: ImportHooks = {}): Promise<InspectResult> {
  checkCancelled(hooks);
  const { loaded, problems: fileProblems } = load(file);
  hooks.onProgress?.(0.5);
  const problems = new ProblemList();
  problems.pushAll(fileProblems);
  const done = (r: Omit<InspectResult, 'problems' | 'problemCount'>): InspectResult => {
    hooks.onProgress?.(1);
    return { ...r, problems: problems.items, problemCount: problems.total };
  };
  switch (loaded.format) {
    case null:
      return done({ format: null, featureCount: 0, featureCountEstimated: false, crsCandidates: [], hasHeights: false });
    case 'csv': {
      const csv = inspectCsv(loaded.text, loaded.delimiter);
      problems.pushAll(csv.problems);
      const crs = csv.readings.length > 0 ? detectCrs({ readings: csv.readings }) : null;
      if (crs) problems.pushAll(crs.problems);
      return done({
        format: 'csv',
        featureCount: csv.featureCount,
        featureCountEstimated: csv.featureCountEstimated,
        crsCandidates: crs?.candidates ?? [],
        columns: csv.columns,
        delimiter: csv.delimiter,
        hasHeights: csv.hasHeights,
      });
    }
    case 'geojson': {
      const features = featuresOf(loaded.doc);
      if (!Array.isArray(features)) {
        problems.push({ code: 'unrecognised-json', severity: 'error', message: features.error });
        return done({ format: 'geojson', featureCount: 0, featureCountEstimated: false, crsCandidates: [], hasHeights: false });
      }
      const crs = detectCrs(jsonEvidence(loaded, features));
      problems.pushAll(crs.problems);
      return done({ format: 'geojson', featureCount: features.length, featureCountEstimated: false, crsCandidates: crs.candidates, hasHeights: scanHeights(features) === 'heights' });
    }
    case 'cityjson': {
      const broken = cityJsonStructureProblem(loaded.doc);
      if (broken) {
        problems.push({ code: 'invalid-cityjson', severity: 'error', message: broken });
        return done({ format: 'cityjson', featureCount: 0, featureCountEstimated: false, crsCandidates: [], hasHeights: false });
      }
      const crs = detectCrs(jsonEvidence(loaded, []));
      problems.pushAll(crs.problems);
      return done({ format: 'cityjson', featureCount: rootObjectCount(loaded.doc), featureCountEstimated: false, crsCandidates: crs.candidates, hasHeights: true });
    }
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** What every format's conversion shares: the settings, hooks and the problems of the file as a whole. */
interface ConvertRun {
  readonly epsg: Epsg;
  readonly swapAxes: boolean;
  readonly hooks: ImportHooks;
  readonly pause: () => Promise<void>;
  readonly chunkFeatures: number;
  readonly head: ProblemList;
  /** The datum of the file's heights for this CRS: the caller's, the declared one, or the usual one. */
  readonly datumFor: (declared: VerticalDatum | null) => VerticalDatum;
  readonly newBuilder: (heights: HeightInfo, numeral?: ((s: string) => number) | null) => LayerBuilder;
}

async function convertCsv(loaded: Extract<Loaded, { format: 'csv' }>, run: ConvertRun, requested: CoordinateColumns | undefined): Promise<{ builder: LayerBuilder; columns: CoordinateColumns }> {
  const { text, delimiter } = loaded;
  const { hooks } = run;
  // The header from the head of the text only: papaparse would otherwise copy the whole string first.
  const header = uniqueColumnNames(Papa.parse<string[]>(text.slice(0, 1 << 16), { delimiter, newline: '\n', preview: 1 }).data[0] ?? []);
  const picked = pickColumns(header, run.epsg, requested);
  if ('error' in picked) throw new ImportError(picked.error);
  const builder = run.newBuilder(picked.z === null ? { mode: 'ground' } : { mode: 'ellipsoidal', sourceDatum: run.datumFor(null) }, propertyNumeral(delimiter !== ','));
  await convertCsvRows(text, delimiter, () => picked, builder, {
    chunkChars: hooks.chunkChars,
    onProgress: (f) => hooks.onProgress?.(0.05 + 0.95 * f),
    isCancelled: hooks.isCancelled,
    pause: run.pause,
    cancelled: () => new JobCancelledError(),
  });
  return { builder, columns: picked };
}

async function convertGeoJson(loaded: Extract<Loaded, { format: 'geojson' }>, run: ConvertRun): Promise<LayerBuilder> {
  const features = featuresOf(loaded.doc);
  if (!Array.isArray(features)) throw new ImportError(features.error);
  const crs = detectCrs({ ...jsonEvidence(loaded, []), readings: [] });
  const zs = scanHeights(features);
  if (zs === 'zeros') run.head.push({ code: 'heights-all-zero', severity: 'info', message: 'every height in the file is 0: taken as "no heights", the features are placed on the ground' });
  const b = run.newBuilder(zs === 'heights' ? { mode: 'ellipsoidal', sourceDatum: run.datumFor(crs.declaredEpsg === run.epsg ? crs.declaredVertical : null) } : { mode: 'ground' });
  await inSteps(features.length, run.chunkFeatures, run.hooks, 0.05, 1, (start, end) => {
    for (let i = start; i < end; i++) {
      const read = readFeature(features[i]);
      if (!read.ok) {
        b.skipFeature(read.error.code, read.severity, read.error.message, { feature: i });
        continue;
      }
      if (b.addFeature(read.geometry, i, { feature: i })) b.properties.addRecord(read.properties);
    }
  });
  return b;
}

async function convertCityJson(loaded: Extract<Loaded, { format: 'cityjson' }>, run: ConvertRun): Promise<LayerBuilder> {
  let parsed;
  try {
    parsed = parseCityObjects(loaded.doc);
  } catch (e) {
    throw new ImportError(`invalid CityJSON: ${messageOf(e)}`);
  }
  const { epsg, swapAxes, head } = run;
  const crs = detectCrs({ ...jsonEvidence(loaded, []), readings: [] });
  const b = run.newBuilder({ mode: 'ellipsoidal', sourceDatum: run.datumFor(crs.declaredEpsg === epsg ? crs.declaredVertical : null) });
  const objects = isCityObjects(loaded.doc.CityObjects) ? loaded.doc.CityObjects : {};
  const indexOf = new Map(Object.keys(objects).toSorted().map((id, i) => [id, i]));
  let degenerate = 0;
  const list = parsed.buildings;
  await inSteps(list.length, Math.max(1, Math.floor(run.chunkFeatures / 10)), run.hooks, 0.05, 1, (start, end) => {
    for (let i = start; i < end; i++) {
      const obj = list[i]!;
      const source = indexOf.get(obj.id) ?? 0;
      const t = objectTriangles(obj, epsg, swapAxes);
      degenerate += t.degenerate;
      const where = { feature: source, objectId: obj.id };
      if (t.geometry.triangles.length === 0) {
        b.skipFeature('no-geometry', 'warning', `CityObject "${obj.id}" has no surface that can be triangulated; skipped`, where);
        continue;
      }
      if (b.addFeature(t.geometry, source, where)) b.properties.addRecord(objectProperties(obj));
    }
  });
  const r = parsed.report;
  if (degenerate > 0 || r.degenerateRings > 0) {
    head.push({ code: 'degenerate-surfaces', severity: 'info', message: `${degenerate} surface(s) without area and ${r.degenerateRings} ring(s) with fewer than 3 distinct vertices were left out` });
  }
  if (r.skippedTemplates > 0) head.push({ code: 'skipped-templates', severity: 'warning', message: `${r.skippedTemplates} GeometryInstance (template) geometries are not supported and were left out` });
  if (r.buildingsWithoutGeometry > 0) head.push({ code: 'no-geometry', severity: 'info', message: `${r.buildingsWithoutGeometry} CityObject(s) without geometry were left out` });
  return b;
}

/**
 * The whole file -> a layer (layout in types.ts). Rejects with `ImportError` when nothing can be read (not one of
 * the formats, malformed JSON, no coordinate columns, a CRS needing a grid `init` was not given) and with
 * `JobCancelledError` when cancelled; everything wrong with single rows or features is a problem in the result.
 */
export async function convertFile(file: ImportFile, settings: ConvertSettings, ctx: ImportContext, hooks: ImportHooks = {}): Promise<ImportResult> {
  checkCancelled(hooks);
  const { epsg } = settings;
  if (!isKnownEpsg(epsg)) throw new ImportError(`EPSG:${String(epsg)} is not a CRS the twin supports`);
  const swapAxes = settings.swapAxes ?? false;
  const { loaded, problems: fileProblems } = load(file);
  if (loaded.format === null) throw new ImportError(fileProblems.find((p) => p.severity === 'error')?.message ?? 'unreadable file', fileProblems);
  const pause = hooks.yieldBetweenChunks ?? yieldToEventLoop;
  hooks.onProgress?.(0.05);
  await pause();
  checkCancelled(hooks);

  const head = new ProblemList();
  head.pushAll(fileProblems);
  const datumFor = (declared: VerticalDatum | null): VerticalDatum => settings.verticalDatum ?? declared ?? crsInfo(epsg).usualVerticalDatum;
  const run: ConvertRun = {
    epsg,
    swapAxes,
    hooks,
    pause,
    chunkFeatures: Math.max(1, Math.floor(hooks.chunkFeatures ?? DEFAULT_CHUNK_FEATURES)),
    head,
    datumFor,
    newBuilder: (heights, numeral = null) => {
      try {
        return new LayerBuilder({ epsg, swapAxes, heights, geoid: ctx.geoid }, numeral);
      } catch (e) {
        throw new ImportError(`cannot convert from EPSG:${epsg}: ${messageOf(e)}`);
      }
    },
  };

  let builder: LayerBuilder;
  let columns: CoordinateColumns | undefined;
  if (loaded.format === 'csv') ({ builder, columns } = await convertCsv(loaded, run, settings.columns));
  else if (loaded.format === 'geojson') builder = await convertGeoJson(loaded, run);
  else builder = await convertCityJson(loaded, run);

  checkCancelled(hooks);
  const { layer, counts, bbox, heightRange } = await builder.finish(pause);
  if (builder.outsideEurope > 0) {
    head.push({ code: 'outside-europe', severity: 'warning', message: `${builder.outsideEurope} vertices lie outside Europe in EPSG:${epsg}${swapAxes ? ' (axes swapped)' : ''} and were not placed: is the CRS right?` });
  }
  if (counts.features === 0) {
    head.push({ code: 'no-features', severity: 'error', message: counts.skippedFeatures > 0 ? `none of the ${counts.skippedFeatures} features could be placed; see the other problems` : 'the file contains no features' });
  }
  hooks.onProgress?.(1);
  const problems = [...head.items, ...builder.problems.items].slice(0, MAX_PROBLEMS);
  return {
    ...layer,
    format: loaded.format,
    fileName: file.fileName,
    source: { epsg, swapAxes, verticalDatum: layer.heights.mode === 'ellipsoidal' ? layer.heights.sourceDatum : datumFor(null), ...(columns ? { columns } : {}) },
    bbox,
    heightRange,
    counts,
    outsideAreaOfUse: builder.outsideAreaOfUse,
    outsideEurope: builder.outsideEurope,
    problems,
    problemCount: head.total + builder.problems.total,
  };
}

function isCityObjects(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
