/**
 * Long texts from data shortened for display. Laying out a multi-megabyte property value freezes the page, so the
 * panel shows a prefix and states the full length; the whole value stays available to copy or download.
 */

/** Enough for an address, a description or a URL; far below what makes layout noticeable. */
export const DISPLAY_MAX_CHARS = 500;

export interface ClippedText {
  /** What to lay out: the whole text, or its first `max` characters. */
  readonly shown: string;
  /** Whether `shown` is only the start of the text. */
  readonly clipped: boolean;
  /** The whole text's length in characters (code points), as a reader would count them. */
  readonly length: number;
}

/** `text` cut to at most `max` characters, never inside a surrogate pair (a cut emoji would show as "�"). */
export function clipText(text: string, max = DISPLAY_MAX_CHARS): ClippedText {
  // A string of at most `max` UTF-16 units has at most `max` code points: nothing to count or cut.
  if (text.length <= max) return { shown: text, clipped: false, length: codePoints(text) };
  let end = 0;
  for (let n = 0; n < max && end < text.length; n++) end += isPairStart(text, end) ? 2 : 1;
  const length = codePoints(text);
  if (end >= text.length) return { shown: text, clipped: false, length };
  return { shown: text.slice(0, end), clipped: true, length };
}

function isPairStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/** Counted by a plain loop: spreading a 4 MiB string into an array of code points would allocate millions. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) if (isPairStart(text, i)) i++;
  return n;
}

/** A file name for a downloaded value, from its property key: letters, digits, "-", "_" and "." only. */
export function valueFileName(key: string): string {
  const base = key.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^[._]+/, '').slice(0, 60);
  return `${base || 'value'}.txt`;
}
