/**
 * Delimited text (CSV, semicolon- or tab-separated) with point coordinates in two columns, parsed with
 * papaparse (RFC 4180 quoting, quoted newlines) in chunks, so a million-row file yields to the event loop (and
 * a cancel) every chunk.
 *
 * Line endings are made uniform before parsing: papaparse picks one newline sequence for the whole file, and a
 * file mixing CRLF and LF (pasted together from two exports) would otherwise split wrongly.
 */
import Papa from 'papaparse';
import { crsInfo, type Epsg } from '../../geo/crs';
import type { LayerBuilder } from './builder';
import { coordinateColumnPairs, heightColumn, type Reading } from './detect-crs';
import type { CoordinateColumns, ImportProblem } from './types';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
/** Rows read by `inspect` (for the CRS sample and the row-count estimate). */
export const CSV_SAMPLE_ROWS = 2000;
/** Characters per parse chunk: about 10 000 rows of a typical point file, some tens of milliseconds of work. */
export const DEFAULT_CSV_CHUNK_CHARS = 1 << 19;

/** CRLF and lone CR -> LF (also inside quoted values, which then keep their line breaks as LF). */
export function uniformNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * The delimiter that splits the first rows into the most consistent table of at least two columns. Ours rather
 * than papaparse's guess, which compares only ten rows by field-count deltas and can prefer the comma when
 * semicolon-separated rows carry decimal commas.
 */
export function chooseDelimiter(text: string): string | null {
  const head = text.slice(0, 1 << 16);
  const truncated = head.length < text.length;
  let best: { d: string; consistency: number; columns: number } | null = null;
  for (const d of CSV_DELIMITERS) {
    const parsed = Papa.parse<string[]>(head, { delimiter: d, newline: '\n', preview: 50, skipEmptyLines: 'greedy' });
    const rows = truncated && parsed.data.length > 1 ? parsed.data.slice(0, -1) : parsed.data;
    const columns = rows[0]?.length ?? 0;
    if (columns < 2) continue;
    const consistency = rows.filter((r) => r.length === columns).length / rows.length;
    if (!best || consistency > best.consistency || (consistency === best.consistency && columns > best.columns)) best = { d, consistency, columns };
  }
  return best?.d ?? null;
}

/** A plain numeral; surrounding spaces are allowed (`+` ignores them). */
const NUMERAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * A numeric cell -> number, NaN when it is not one. Accepts a decimal comma when the delimiter is not a comma
 * ("49,7477" in a semicolon file), digit groups separated by spaces ("-822 402,42"), and the Unicode minus.
 * The common forms are tested first: this runs two or three times per row of a million-row file.
 */
export function parseNumeral(cell: string, decimalComma: boolean): number {
  let t = cell;
  if (decimalComma) {
    const c = t.indexOf(',');
    if (c >= 0 && t.indexOf(',', c + 1) < 0 && t.indexOf('.') < 0) t = `${t.slice(0, c)}.${t.slice(c + 1)}`;
  }
  if (NUMERAL.test(t)) return +t;
  t = t.trim().replace(/\u2212/g, '-').replace(/(\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))/g, '$1');
  return t !== '' && NUMERAL.test(t) ? +t : NaN;
}

/** For property columns: like `parseNumeral`, but "04109" (postcodes, ids with leading zeros) is text. */
export function propertyNumeral(decimalComma: boolean): (cell: string) => number {
  return (cell) => (/^\s*[+-]?0\d/.test(cell) ? NaN : parseNumeral(cell, decimalComma));
}

/** Header cells -> unique, non-empty column names ("name", "name (2)", "column 3"). */
export function uniqueColumnNames(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    const base = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

export const isBlankRow = (row: readonly string[]): boolean => row.every((c) => c.trim() === '');
/** Extra lines a row spans: its quoted values' line breaks. */
export function newlinesIn(row: readonly string[]): number {
  let n = 0;
  for (const cell of row) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  return n;
}

export interface CsvInspection {
  readonly delimiter: string;
  readonly columns: string[];
  readonly readings: Reading[];
  readonly hasHeights: boolean;
  readonly featureCount: number;
  readonly featureCountEstimated: boolean;
  readonly problems: ImportProblem[];
}

/** Reads the header and the first `CSV_SAMPLE_ROWS` rows: columns, coordinate readings for CRS detection, a row count. */
export function inspectCsv(text: string, delimiter: string): CsvInspection {
  const problems: ImportProblem[] = [];
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', preview: CSV_SAMPLE_ROWS + 1, skipEmptyLines: false });
  const header = parsed.data[0] ?? [];
  const columns = uniqueColumnNames(header);
  const rows = parsed.data.slice(1).filter((r) => !isBlankRow(r));
  const decimalComma = delimiter !== ',';
  if (header.length > 0 && header.every((h) => h.trim() !== '' && !Number.isNaN(parseNumeral(h, decimalComma)))) {
    problems.push({ code: 'no-coordinate-columns', severity: 'error', line: 1, message: `the first line (${header.join(delimiter)}) looks like data, not column names: the file needs a header line` });
  }
  const pairs = coordinateColumnPairs(columns);
  const z = heightColumn(columns);
  if (pairs.length === 0) {
    problems.push({
      code: 'no-coordinate-columns',
      severity: 'error',
      line: 1,
      message: `no coordinate columns: found ${columns.map((c) => `"${c}"`).join(', ')}; expected a pair such as lon/lat, longitude/latitude, x/y, easting/northing, E/N, Rechtswert/Hochwert or Y/X (S-JTSK)`,
    });
  }
  const readings: Reading[] = pairs.map((pair) => {
    const xi = columns.indexOf(pair.x);
    const yi = columns.indexOf(pair.y);
    const sample: number[] = [];
    for (const r of rows) {
      const x = parseNumeral(r[xi] ?? '', decimalComma);
      const y = parseNumeral(r[yi] ?? '', decimalComma);
      if (Number.isFinite(x) && Number.isFinite(y) && !(x === 0 && y === 0)) sample.push(x, y);
    }
    return { sample: Float64Array.from(sample), columns: pair, heightColumn: z };
  });
  const complete = !parsed.meta.truncated && parsed.data.length <= CSV_SAMPLE_ROWS + 1;
  const cursor = parsed.meta.cursor;
  const featureCount = complete || cursor <= 0 ? rows.length : Math.round((rows.length * text.length) / cursor);
  return { delimiter, columns, readings, hasHeights: z !== null, featureCount, featureCountEstimated: !complete, problems };
}

/** The coordinate columns `convert` uses: the caller's, else the pair the header names that suits the CRS. */
export function pickColumns(columns: readonly string[], epsg: Epsg, requested?: CoordinateColumns): CoordinateColumns | { error: string } {
  const list = columns.map((c) => `"${c}"`).join(', ');
  if (requested) {
    for (const name of [requested.x, requested.y, requested.z]) {
      if (name !== null && !columns.includes(name)) return { error: `there is no column "${name}" (columns: ${list})` };
    }
    return requested;
  }
  const pairs = coordinateColumnPairs(columns);
  const geographic = crsInfo(epsg).geographic;
  const pair = pairs.find((p) => (p.kind === 'lonlat') === geographic) ?? pairs[0];
  if (!pair) {
    return { error: `no coordinate columns: found ${list}; expected a pair such as lon/lat, x/y, easting/northing, E/N, Rechtswert/Hochwert or Y/X (S-JTSK)` };
  }
  return { x: pair.x, y: pair.y, z: heightColumn(columns) };
}

export interface CsvConvertHooks {
  readonly chunkChars?: number;
  readonly onProgress?: (fraction: number) => void;
  readonly isCancelled?: () => boolean;
  readonly pause: () => Promise<void>;
  readonly cancelled: () => Error;
}

/**
 * Streams the rows of `text` (uniform newlines already) through papaparse in chunks of `hooks.chunkChars`:
 * `onRows` gets each chunk's rows, the 1-based line each row starts on (a quoted value's line breaks move the
 * next row down) and papaparse's errors (their `row` indexes that chunk). Between chunks the parser pauses for
 * `hooks.pause()` (the event loop's turn, so a cancel can arrive), checks `hooks.isCancelled` and reports progress.
 * An exception thrown by `onRows` rejects the promise and stops the parse.
 */
export function streamCsvRows(
  text: string,
  delimiter: string,
  onRows: (rows: string[][], lineOfRow: Uint32Array, errors: Papa.ParseError[]) => void,
  hooks: CsvConvertHooks,
): Promise<void> {
  let line = 1;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    Papa.parse<string[]>(text, {
      delimiter,
      newline: '\n',
      skipEmptyLines: false,
      chunkSize: Math.max(1024, hooks.chunkChars ?? DEFAULT_CSV_CHUNK_CHARS),
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        // Paused while this chunk's rows are handled and the event loop gets its turn; resumed for the next chunk.
        parser.pause();
        try {
          if (hooks.isCancelled?.()) throw hooks.cancelled();
          const rows = results.data;
          const lineOfRow = new Uint32Array(rows.length);
          for (let r = 0; r < rows.length; r++) {
            lineOfRow[r] = line;
            line += 1 + newlinesIn(rows[r]!);
          }
          onRows(rows, lineOfRow, results.errors);
          hooks.onProgress?.(Math.min(1, results.meta.cursor / Math.max(1, text.length)));
        } catch (e) {
          fail(e);
          parser.abort();
          return;
        }
        hooks.pause().then(
          () => {
            if (settled) return;
            if (hooks.isCancelled?.()) {
              fail(hooks.cancelled());
              parser.abort();
              return;
            }
            parser.resume();
          },
          (e: unknown) => {
            fail(e);
            parser.abort();
          },
        );
      },
      complete: () => {
        if (settled) return;
        settled = true;
        resolve();
      },
    });
  });
}

/**
 * Every row -> a point feature in `builder` (with the other columns as its properties), or a problem naming its
 * 1-based line. `text` must already have uniform newlines. Resolves with the header's column names.
 */
export async function convertCsvRows(
  text: string,
  delimiter: string,
  pickCols: (columns: string[]) => CoordinateColumns,
  builder: LayerBuilder,
  hooks: CsvConvertHooks,
): Promise<string[]> {
  const decimalComma = delimiter !== ',';
  let columns: string[] | null = null;
  let xi = -1, yi = -1, zi = -1;
  let propIdx: number[] = [];
  let propCols: unknown[][] = [];
  let headerWidth = 0;

  const processRows = (rows: string[][], lineOfRow: Uint32Array, errors: Papa.ParseError[]): void => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const at = lineOfRow[r]!;
      if (columns === null) {
        columns = uniqueColumnNames(row);
        headerWidth = row.length;
        const picked = pickCols(columns);
        xi = columns.indexOf(picked.x);
        yi = columns.indexOf(picked.y);
        zi = picked.z === null ? -1 : columns.indexOf(picked.z);
        propIdx = columns.map((_, i) => i).filter((i) => i !== xi && i !== yi && i !== zi);
        propCols = builder.properties.declare(propIdx.map((i) => columns![i]!));
        continue;
      }
      if (isBlankRow(row)) continue;
      const where = { line: at };
      if (row.length !== headerWidth) {
        builder.problem('field-count', 'warning', `${row.length} fields where the header has ${headerWidth}: check the quoting and delimiters of this row`, where);
      }
      const xs = row[xi] ?? '';
      const ys = row[yi] ?? '';
      const zs = zi >= 0 ? (row[zi] ?? '') : '';
      const x = parseNumeral(xs, decimalComma);
      const y = parseNumeral(ys, decimalComma);
      const z = zi >= 0 ? parseNumeral(zs, decimalComma) : NaN;
      if (Number.isNaN(x) || Number.isNaN(y) || (zi >= 0 && Number.isNaN(z))) {
        const cols = columns as string[];
        const cells = zi >= 0 ? [xi, yi, zi] : [xi, yi];
        const empty = cells.find((i) => (row[i] ?? '').trim() === '');
        const bad = empty ?? cells.find((i) => Number.isNaN(parseNumeral(row[i] ?? '', decimalComma)))!;
        builder.skipFeature(
          empty !== undefined ? 'empty-cell' : 'not-a-number',
          'error',
          empty !== undefined ? `the "${cols[bad]}" cell is empty; row skipped` : `"${row[bad]}" in column "${cols[bad]}" is not a number; row skipped`,
          where,
        );
        continue;
      }
      if (!builder.addPoint(x, y, z, at, where)) continue;
      const n = builder.properties.rows;
      for (let j = 0; j < propIdx.length; j++) propCols[j]![n] = row[propIdx[j]!] ?? '';
      builder.properties.rows++;
    }
    for (const e of errors) {
      const at = e.row !== undefined ? lineOfRow[e.row] : undefined;
      builder.problem('csv-syntax', e.code === 'MissingQuotes' ? 'error' : 'warning', `${e.message}${e.code === 'MissingQuotes' ? ': a quote is never closed, the rest of the file may be one value' : ''}`, at === undefined ? {} : { line: at });
    }
  };

  await streamCsvRows(text, delimiter, processRows, hooks);
  return columns ?? [];
}
