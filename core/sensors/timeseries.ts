/**
 * The columnar time-series store: one pair of growable typed arrays per datastream, sorted by phenomenon time.
 *
 * Layout per datastream `d`: tMs[d][start..end) Float64 ms since the Unix epoch (UTC), ascending;
 * value[d][start..end) Float32 in the datastream's unit. `start` moves forward when retention drops the oldest
 * readings and the arrays are compacted once half of them is dead, so dropping is O(1) amortised.
 *
 * Why per datastream and sorted: MQTT delivers out of order and duplicates (QoS 1 redelivers after a reconnect),
 * history pages arrive interleaved with live readings, and the questions asked (one stream's series, every stream's
 * value in a time window) are answered by binary search. Appending in order, the common case, is O(1);
 * a late reading is inserted in place with one `copyWithin`.
 *
 * Duplicates are defined as in SensorThings practice: the same (datastream, phenomenonTime, result). Two different
 * results at the same instant are both kept (a correction is a new Observation, not an overwrite).
 *
 * Readings the store cannot represent or must not trust are rejected and counted per reason: a value that is not
 * finite or beyond Float32's range (stored, it would be ±Infinity and saturate every mean), and, when the store
 * knows the receiver's clock, a time further ahead of it than `maxAheadMs`. One reading stamped 2099 would
 * otherwise become the newest reading, which retention is measured from: it would drop every stream's history and
 * every later reading as expired, and stretch the extent to 2099.
 */

export interface RetentionPolicy {
  /** Readings older than the newest reading of the store (never later than the clock, when known) minus this are dropped. */
  readonly maxAgeMs: number;
  /** Per datastream, the oldest readings beyond this count are dropped. */
  readonly maxPerStream: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeMs: 31 * 24 * 3600_000, maxPerStream: 200_000 };

/** A live reading may be stamped a little ahead of our clock (clocks differ); further ahead it is not believed. */
export const MAX_AHEAD_MS = 3600_000;

export interface StoreOptions {
  /** The receiver's clock; without it no time is "in the future" (a recorded file is history). */
  readonly now?: () => number;
  /** How far ahead of `now` a reading's time may be; default `MAX_AHEAD_MS`. */
  readonly maxAheadMs?: number;
}

/** 'future' and 'outOfRange' are the readings rejected as implausible (counted by `rejected()`). */
export type InsertOutcome = 'appended' | 'inserted' | 'duplicate' | 'expired' | 'invalid' | 'future' | 'outOfRange';

export interface RejectedCounts {
  /** Stamped more than `maxAheadMs` ahead of the receiver's clock. */
  readonly future: number;
  /** A value that is not finite or does not fit a Float32. */
  readonly outOfRange: number;
}

interface Column {
  tMs: Float64Array;
  value: Float32Array;
  start: number;
  end: number;
}

export interface WindowValues {
  /** Datastream indices with at least one reading in the window. */
  readonly stream: Uint32Array;
  /** Mean (or latest) value per listed stream. */
  readonly value: Float32Array;
  /** Readings that went into each value. */
  readonly count: Uint32Array;
}

export interface Series {
  readonly tMs: Float64Array;
  readonly value: Float32Array;
}

export interface TimeSeriesStore {
  /** Adds a stream slot; returns its index (dense, from 0). */
  addStream(): number;
  readonly streamCount: number;
  insert(stream: number, tMs: number, value: number): InsertOutcome;
  /** Readings held by one stream. */
  size(stream: number): number;
  /** Readings held in total. */
  total(): number;
  /** Readings rejected so far, per reason. */
  rejected(): RejectedCounts;
  /** Time of the stream's newest reading, or NaN. */
  newestMs(stream: number): number;
  /** [oldest, newest] over all streams, or null when empty. */
  extent(): readonly [number, number] | null;
  /** The readings of one stream with t0 ≤ t < t1, copied. */
  series(stream: number, t0Ms: number, t1Ms: number): Series;
  /** Per stream, the mean (or the latest reading) in t0 ≤ t < t1, for the streams given (default all). */
  window(t0Ms: number, t1Ms: number, how: 'mean' | 'latest', streams?: ArrayLike<number>): WindowValues;
}

const INITIAL_CAPACITY = 64;

/** First index in [lo, hi) whose time is > t (upper bound). */
function upperBound(tMs: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tMs[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) whose time is ≥ t (lower bound). */
function lowerBound(tMs: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tMs[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Room for `need` more readings at the column's end: compacted in place when half of it is dropped readings, else grown. */
function growColumn(c: Column, need: number): void {
  const live = c.end - c.start;
  if (c.start > 0 && c.start >= live) {
    // Half or more of the buffer is dropped readings: compact in place instead of growing.
    c.tMs.copyWithin(0, c.start, c.end);
    c.value.copyWithin(0, c.start, c.end);
    c.start = 0;
    c.end = live;
    if (c.end + need <= c.tMs.length) return;
  }
  if (c.end + need <= c.tMs.length) return;
  const cap = Math.max(INITIAL_CAPACITY, (live + need) * 2);
  const t = new Float64Array(cap);
  const v = new Float32Array(cap);
  t.set(c.tMs.subarray(c.start, c.end));
  v.set(c.value.subarray(c.start, c.end));
  c.tMs = t;
  c.value = v;
  c.start = 0;
  c.end = live;
}

/** A reading into its place in time order: appended, inserted, or refused as a duplicate (same time and result). */
function placeReading(c: Column, tMs: number, v32: number): 'appended' | 'inserted' | 'duplicate' {
  if (c.end === c.start || tMs > c.tMs[c.end - 1]!) {
    growColumn(c, 1);
    c.tMs[c.end] = tMs;
    c.value[c.end] = v32;
    c.end++;
    return 'appended';
  }
  const at = upperBound(c.tMs, c.start, c.end, tMs);
  // Readings at the same instant sit just before `at`: a reading equal in time and result is a duplicate.
  for (let i = at - 1; i >= c.start && c.tMs[i] === tMs; i--) if (c.value[i] === v32) return 'duplicate';
  growColumn(c, 1);
  // growColumn() may have compacted the column, which moves every index: find the place again.
  const p = upperBound(c.tMs, c.start, c.end, tMs);
  c.tMs.copyWithin(p + 1, p, c.end);
  c.value.copyWithin(p + 1, p, c.end);
  c.tMs[p] = tMs;
  c.value[p] = v32;
  c.end++;
  return 'inserted';
}

/** The time span the columns hold, from the oldest reading not past the age bound to the newest. */
function extentOf(columns: readonly Column[], cutoff: () => number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of columns) {
    // Retention is applied lazily per stream on insert; readings already past the age bound do not count.
    const first = lowerBound(c.tMs, c.start, c.end, cutoff());
    if (first >= c.end) continue;
    lo = Math.min(lo, c.tMs[first]!);
    hi = Math.max(hi, c.tMs[c.end - 1]!);
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Per stream with readings in [t0Ms, t1Ms): its latest value or mean there, and how many readings. */
function windowOf(columns: readonly Column[], t0Ms: number, t1Ms: number, how: 'mean' | 'latest', streams: ArrayLike<number> | undefined): WindowValues {
  const n = streams ? streams.length : columns.length;
  const outStream = new Uint32Array(n);
  const outValue = new Float32Array(n);
  const outCount = new Uint32Array(n);
  let k = 0;
  for (let j = 0; j < n; j++) {
    const s = streams ? streams[j]! : j;
    const c = columns[s];
    if (!c) continue;
    const a = lowerBound(c.tMs, c.start, c.end, t0Ms);
    const b = lowerBound(c.tMs, a, c.end, t1Ms);
    if (b <= a) continue;
    let v: number;
    if (how === 'latest') v = c.value[b - 1]!;
    else {
      let sum = 0;
      for (let i = a; i < b; i++) sum += c.value[i]!;
      v = sum / (b - a);
    }
    outStream[k] = s;
    outValue[k] = v;
    outCount[k] = b - a;
    k++;
  }
  return { stream: outStream.slice(0, k), value: outValue.slice(0, k), count: outCount.slice(0, k) };
}

export function createTimeSeriesStore(retention: RetentionPolicy = DEFAULT_RETENTION, options: StoreOptions = {}): TimeSeriesStore {
  const columns: Column[] = [];
  let newestOverall = -Infinity;
  let held = 0;
  let future = 0;
  let outOfRange = 0;
  const { now } = options;
  const maxAheadMs = options.maxAheadMs ?? MAX_AHEAD_MS;
  // Retention counts back from the newest accepted reading, but never from later than the clock: a reading that
  // is a little ahead (accepted) does not shorten everyone's history.
  const cutoff = (): number => (now ? Math.min(newestOverall, now()) : newestOverall) - retention.maxAgeMs;

  const dropOld = (c: Column): void => {
    const oldest = cutoff();
    let s = c.start;
    if (c.tMs[s]! < oldest) s = lowerBound(c.tMs, s, c.end, oldest);
    if (c.end - s > retention.maxPerStream) s = c.end - retention.maxPerStream;
    held -= s - c.start;
    c.start = s;
  };

  return {
    addStream() {
      columns.push({ tMs: new Float64Array(INITIAL_CAPACITY), value: new Float32Array(INITIAL_CAPACITY), start: 0, end: 0 });
      return columns.length - 1;
    },
    get streamCount() {
      return columns.length;
    },
    insert(stream, tMs, value) {
      const c = columns[stream];
      if (!c || !Number.isFinite(tMs)) return 'invalid';
      const v32 = Math.fround(value);
      if (!Number.isFinite(v32)) {
        outOfRange++;
        return 'outOfRange';
      }
      if (now && tMs > now() + maxAheadMs) {
        future++;
        return 'future';
      }
      if (tMs < cutoff()) return 'expired';
      const outcome = placeReading(c, tMs, v32);
      if (outcome === 'duplicate') return outcome;
      held++;
      if (tMs > newestOverall) newestOverall = tMs;
      dropOld(c);
      return outcome;
    },
    size: (stream) => {
      const c = columns[stream];
      return c ? c.end - c.start : 0;
    },
    total: () => held,
    rejected: () => ({ future, outOfRange }),
    newestMs(stream) {
      const c = columns[stream];
      return c && c.end > c.start ? c.tMs[c.end - 1]! : NaN;
    },
    extent: () => extentOf(columns, cutoff),
    series(stream, t0Ms, t1Ms) {
      const c = columns[stream];
      if (!c) return { tMs: new Float64Array(0), value: new Float32Array(0) };
      const a = lowerBound(c.tMs, c.start, c.end, Math.max(t0Ms, cutoff()));
      const b = lowerBound(c.tMs, a, c.end, t1Ms);
      return { tMs: c.tMs.slice(a, b), value: c.value.slice(a, b) };
    },
    window: (t0Ms, t1Ms, how, streams) => windowOf(columns, t0Ms, t1Ms, how, streams),
  };
}

/** A stream's readings as one mean per time step (NaN for steps without a reading: the chart's gaps). */
export function meanPerStep(tMs: Float64Array, value: Float32Array, t0Ms: number, t1Ms: number, stepMs: number): { tMs: Float64Array; value: Float32Array } {
  const start = Math.floor(t0Ms / stepMs) * stepMs;
  const steps = Math.max(0, Math.ceil((t1Ms - start) / stepMs));
  const outT = new Float64Array(steps);
  const sum = new Float64Array(steps);
  const count = new Uint32Array(steps);
  for (let k = 0; k < steps; k++) outT[k] = start + k * stepMs;
  for (let i = 0; i < tMs.length; i++) {
    const k = Math.floor((tMs[i]! - start) / stepMs);
    if (k < 0 || k >= steps) continue;
    sum[k] = sum[k]! + value[i]!;
    count[k] = count[k]! + 1;
  }
  const out = new Float32Array(steps);
  for (let k = 0; k < steps; k++) out[k] = count[k]! > 0 ? sum[k]! / count[k]! : NaN;
  return { tMs: outT, value: out };
}
