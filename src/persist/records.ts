/**
 * One saved item as stored: the item with its revision and when it was first saved (the list's order). The same
 * envelope in IndexedDB (scenarios) and localStorage (stories). A record this release cannot read is "damaged" and
 * moved aside; one written by a newer release is "newer" and left exactly as it is, never written over.
 */
import type { StoredRecord } from './synced-items';

export const RECORD_FORMAT = 'sddi-twin-record';
export const RECORD_VERSION = 1;

export interface RecordEnvelope {
  readonly format: typeof RECORD_FORMAT;
  readonly version: number;
  readonly rev: number;
  /** ms since 1970 of the first save: items are listed in the order they were made. */
  readonly created: number;
  readonly item: unknown;
}

export function envelope(item: unknown, rev: number, created: number): RecordEnvelope {
  return { format: RECORD_FORMAT, version: RECORD_VERSION, rev, created, item };
}

export type ReadRecord<T> =
  | { readonly kind: 'ok'; readonly record: StoredRecord<T>; readonly created: number }
  | { readonly kind: 'newer'; readonly version: number }
  | { readonly kind: 'damaged'; readonly problem: string };

/** Reads a stored value with the item's own decoder (the item, or why it cannot be used). Never throws. */
export function readRecord<T>(raw: unknown, decode: (item: unknown) => T | string): ReadRecord<T> {
  try {
    if (typeof raw !== 'object' || raw === null || (raw as RecordEnvelope).format !== RECORD_FORMAT) return { kind: 'damaged', problem: 'not a saved item' };
    const r = raw as RecordEnvelope;
    if (typeof r.version !== 'number' || !Number.isInteger(r.version)) return { kind: 'damaged', problem: 'no version' };
    if (r.version > RECORD_VERSION) return { kind: 'newer', version: r.version };
    if (!Number.isSafeInteger(r.rev) || r.rev < 1) return { kind: 'damaged', problem: 'no revision' };
    const item = decode(r.item);
    if (typeof item === 'string') return { kind: 'damaged', problem: item };
    return { kind: 'ok', record: { rev: r.rev, item }, created: Number.isFinite(r.created) ? r.created : 0 };
  } catch (err) {
    return { kind: 'damaged', problem: err instanceof Error ? err.message : String(err) };
  }
}

/** The stored revision of whatever is there (0: nothing, or nothing with a revision). */
export function storedRev(raw: unknown): number {
  const rev = typeof raw === 'object' && raw !== null ? (raw as Partial<RecordEnvelope>).rev : undefined;
  return typeof rev === 'number' && Number.isSafeInteger(rev) ? rev : 0;
}

export function storedCreated(raw: unknown, fallback: number): number {
  const created = typeof raw === 'object' && raw !== null ? (raw as Partial<RecordEnvelope>).created : undefined;
  return typeof created === 'number' && Number.isFinite(created) ? created : fallback;
}

/** A key for a copy kept aside: its own, never reused, so a second damaged copy never replaces the first. */
export function asideKey(kind: string, id: string, now: Date = new Date()): string {
  return `${kind}:${id}:${now.toISOString()}:${Math.random().toString(36).slice(2, 8)}`;
}

/** What loading found besides the usable items. */
export interface LoadReport {
  /** Why each damaged record could not be used. */
  readonly problems: string[];
  /** The copies kept aside (damaged items and old documents), by their key. */
  readonly aside: ReadonlyMap<string, unknown>;
  /** Records written by a newer release, left as they are. */
  readonly newer: number;
}
