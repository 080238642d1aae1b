/** A recorded file (CSV / NDJSON, layout in recorded.ts) as a feed: all of it at once, no live part. */
import { type Feed, type FeedEvent, feedQueries } from './feed';
import { type RecordedRows, parseRecorded } from './recorded';
import { type RetentionPolicy, createTimeSeriesStore } from './timeseries';

/**
 * A replayed file is history: every row the parser accepted is kept, whatever its age or the span of the file (a
 * live feed's 31 days would silently drop the first month of a 60-day recording). Rows the parser refused are
 * reported with their line numbers; the store drops only exact duplicates, and counts them.
 */
export const REPLAY_RETENTION: RetentionPolicy = { maxAgeMs: Infinity, maxPerStream: Infinity };

export type RecordedFeed = Feed & { problems: RecordedRows['problems']; skipped: number; extent: readonly [number, number] | null };

export function openRecordedFeed(fileName: string, bytes: ArrayBuffer, emit: (e: FeedEvent) => void, retention: RetentionPolicy = REPLAY_RETENTION): RecordedFeed {
  const rows = parseRecorded(fileName, new TextDecoder().decode(bytes));
  // No clock: a recording's times are whatever the file says, none of them is "in the future" of a replay.
  const store = createTimeSeriesStore(retention);
  const { indexOf, ...queries } = feedQueries(rows.datastreams, store);
  let duplicates = 0;
  let total = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows.stream.length; i++) {
    const r = store.insert(indexOf.get(rows.datastreams[rows.stream[i]!]!.id)!, rows.tMs[i]!, rows.value[i]!);
    if (r === 'duplicate') duplicates++;
    else if (r === 'appended' || r === 'inserted') {
      total++;
      lo = Math.min(lo, rows.tMs[i]!);
      hi = Math.max(hi, rows.tMs[i]!);
    }
  }
  emit({ kind: 'connection', connection: 'replay' });
  emit({ kind: 'progress', fraction: 1 });
  emit({ kind: 'data', total: store.total(), extent: store.extent(), live: 0, duplicates, rejected: store.rejected(), changedMs: total > 0 ? [lo, hi] : null });
  return {
    datastreams: rows.datastreams,
    historyLoaded: Promise.resolve(),
    ...queries,
    stats: () => ({ total: store.total(), live: 0, duplicates, backfilled: 0, rejected: store.rejected(), reconnects: 0, backfills: 0, stale: [], connection: 'replay' }),
    close: async () => {},
    problems: rows.problems,
    skipped: rows.skipped,
    extent: store.extent(),
  };
}
