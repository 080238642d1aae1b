/**
 * Recorded time series, for replaying: a CSV or NDJSON file of readings becomes the same datastreams and store a
 * live feed fills, so the layer, timeline and charts work unchanged (`openRecordedFeed` in recorded-feed.ts returns a `Feed`).
 *
 * One reading per row / line, with these fields (names case-insensitive, first alias found wins):
 *   station   station | thing | name            the station's name (with the property, it names the stream)
 *   lon, lat  lon | longitude | x, lat | latitude | y   WGS84 degrees
 *   property  property | observedproperty | quantity   e.g. PM10, NO2, temperature
 *   unit      unit | uom                         e.g. µg/m³ (optional)
 *   time      phenomenontime | time | timestamp  ISO 8601 instant with zone (Z or ±hh:mm)
 *   value     result | value                     a number (a decimal comma is accepted)
 *   simulated simulated                          true when the values are not measurements (optional)
 * CSV is read with papaparse (comma or semicolon, quoted fields); NDJSON one JSON object per line.
 * Bad rows are skipped and reported with their line numbers; a file without any usable row is an error.
 */
import Papa from 'papaparse';
import { type DatastreamMeta, phenomenonTimeMs } from './sensorthings';

export interface RecordedRows {
  readonly datastreams: DatastreamMeta[];
  /** Parallel arrays, one entry per usable reading: index into `datastreams`, time, value. */
  readonly stream: Uint32Array;
  readonly tMs: Float64Array;
  readonly value: Float32Array;
  readonly problems: ReadonlyArray<{ line: number; message: string }>;
  readonly skipped: number;
}

export class RecordedFileError extends Error {
  override readonly name = 'RecordedFileError';
}

const ALIASES: Record<string, readonly string[]> = {
  station: ['station', 'thing', 'name'],
  lon: ['lon', 'longitude', 'x'],
  lat: ['lat', 'latitude', 'y'],
  property: ['property', 'observedproperty', 'quantity'],
  unit: ['unit', 'uom'],
  time: ['phenomenontime', 'time', 'timestamp'],
  value: ['result', 'value'],
  simulated: ['simulated'],
};
const MAX_PROBLEMS = 50;

function field(row: Record<string, unknown>, keys: Map<string, string>, name: string): unknown {
  for (const a of ALIASES[name]!) {
    const k = keys.get(a);
    if (k !== undefined) return row[k];
  }
  return undefined;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const s = v.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2');
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

type RawRow = { line: number; row: Record<string, unknown> };

/** The file's rows as objects with their line numbers (CSV with a header, or NDJSON); `skipped` counts lines that are not one. */
function rawRows(fileName: string, text: string, problem: (line: number, message: string) => void): { rows: RawRow[]; skipped: number } {
  const rows: RawRow[] = [];
  let skipped = 0;
  if (/\.csv$/i.test(fileName)) {
    const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t'] });
    for (const e of parsed.errors) problem((e.row ?? 0) + 2, e.message);
    parsed.data.forEach((row, i) => rows.push({ line: i + 2, row }));
    return { rows, skipped };
  }
  text.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    try {
      const v: unknown = JSON.parse(l);
      if (v && typeof v === 'object' && !Array.isArray(v)) rows.push({ line: i + 1, row: v as Record<string, unknown> });
      else {
        skipped++;
        problem(i + 1, 'not a JSON object');
      }
    } catch {
      skipped++;
      problem(i + 1, 'not valid JSON');
    }
  });
  return { rows, skipped };
}

/** One row's reading, its fields looked up by alias. */
function readingOf(row: Record<string, unknown>, keys: Map<string, string>): { station: string; property: string; lon: number; lat: number; t: number; v: number } {
  return {
    station: String(field(row, keys, 'station') ?? '').trim().slice(0, 200),
    property: String(field(row, keys, 'property') ?? '').trim().slice(0, 100),
    lon: num(field(row, keys, 'lon')),
    lat: num(field(row, keys, 'lat')),
    t: phenomenonTimeMs(String(field(row, keys, 'time') ?? '').trim()),
    v: num(field(row, keys, 'value')),
  };
}

/** Why a reading cannot be used, or null when it can. */
function readingProblem(r: ReturnType<typeof readingOf>): string | null {
  const missing = [!r.station && 'station', !r.property && 'property', !Number.isFinite(r.t) && 'time (ISO 8601 with zone)', !Number.isFinite(r.v) && 'value'].filter(Boolean);
  if (missing.length > 0) return `missing or unreadable: ${missing.join(', ')}`;
  // Stored as Float32, 1e300 would become Infinity and saturate every mean it enters.
  if (!Number.isFinite(Math.fround(r.v))) return 'value out of range';
  return null;
}

/** Parses a recorded file's text (CSV when `fileName` ends in .csv, NDJSON otherwise). */
export function parseRecorded(fileName: string, text: string): RecordedRows {
  const problems: Array<{ line: number; message: string }> = [];
  const problem = (line: number, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, message });
  };
  const raw = rawRows(fileName, text, problem);
  let skipped = raw.skipped;
  const datastreams: DatastreamMeta[] = [];
  const index = new Map<string, number>();
  const stream: number[] = [];
  const tMs: number[] = [];
  const value: number[] = [];
  for (const { line, row } of raw.rows) {
    const keys = new Map(Object.keys(row).map((k) => [k.trim().toLowerCase(), k]));
    const r = readingOf(row, keys);
    const why = readingProblem(r);
    if (why !== null) {
      skipped++;
      problem(line, why);
      continue;
    }
    const { station, property, lon, lat } = r;
    const key = `${station}\u0000${property}`;
    let s = index.get(key);
    if (s === undefined) {
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) || (lon === 0 && lat === 0)) {
        skipped++;
        problem(line, `station “${station}” has no usable lon/lat`);
        continue;
      }
      s = datastreams.length;
      index.set(key, s);
      datastreams.push({
        id: `file-${s}`,
        name: `${station} ${property}`,
        property,
        propertyDefinition: '',
        unitSymbol: String(field(row, keys, 'unit') ?? '').trim().slice(0, 40),
        thingId: station,
        thingName: station,
        lonDeg: lon,
        latDeg: lat,
        simulated: String(field(row, keys, 'simulated') ?? '').trim().toLowerCase() === 'true',
        expectedIntervalMs: 3600_000,
      });
    }
    stream.push(s);
    tMs.push(r.t);
    value.push(r.v);
  }
  problems.sort((a, b) => a.line - b.line);
  if (stream.length === 0) {
    const first = problems[0];
    throw new RecordedFileError(`“${fileName}” has no usable reading${first ? ` (line ${first.line}: ${first.message})` : ''}`);
  }
  return { datastreams, stream: Uint32Array.from(stream), tMs: Float64Array.from(tMs), value: Float32Array.from(value), problems, skipped };
}
