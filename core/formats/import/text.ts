/** Bytes -> text, and JSON parsing that reports where a syntax error is. */
import type { ImportProblem } from './types';

export interface DecodedText {
  readonly text: string;
  /** Set when the bytes were not UTF-8 and another encoding was used. */
  readonly problem: ImportProblem | null;
}

const startsWith = (b: Uint8Array, ...sig: number[]): boolean => sig.every((v, i) => b[i] === v);

/** A binary file (an archive, a shapefile, an image) rather than text, judged by NUL bytes near the start. */
export function binaryKind(bytes: Uint8Array): string | null {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive (unpack it and drop the GeoJSON, CSV or CityJSON inside)';
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) return null; // UTF-16 text has NULs too
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return 'a binary file';
  return null;
}

/**
 * UTF-8 (a BOM is dropped), UTF-16 when it has a BOM, else windows-1250: the Czech legacy code page, which also
 * has German's ä ö ü ß at the same codes as windows-1252, so Czech and Bavarian CSV exports from older tools read
 * correctly.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (startsWith(bytes, 0xff, 0xfe)) return { text: new TextDecoder('utf-16le').decode(bytes), problem: null };
  if (startsWith(bytes, 0xfe, 0xff)) return { text: new TextDecoder('utf-16be').decode(bytes), problem: null };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), problem: null };
  } catch {
    return {
      text: new TextDecoder('windows-1250').decode(bytes),
      problem: {
        code: 'encoding',
        severity: 'warning',
        message: 'the file is not UTF-8; it was read as windows-1250 (Czech/German legacy encoding): check accented names',
      },
    };
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; problem: ImportProblem };

/** `JSON.parse` with the error turned into a problem carrying the line (engines report a character position). */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(raw);
    const lineCol = /line (\d+) column (\d+)/.exec(raw);
    let where: { line: number; column: number } | null = null;
    if (lineCol) where = { line: Number(lineCol[1]), column: Number(lineCol[2]) };
    else if (pos) where = lineColumnAt(text, Number(pos[1]));
    else if (/end of JSON input/i.test(raw)) where = lineColumnAt(text, text.length);
    const detail = raw.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    return {
      ok: false,
      problem: {
        code: 'malformed-json',
        severity: 'error',
        message: `malformed JSON${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${detail}`,
        ...(where ? { line: where.line } : {}),
      },
    };
  }
}
