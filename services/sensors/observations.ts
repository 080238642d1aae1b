/**
 * Every observation the service knows: the procedural hourly history of the dataset plus the live observations
 * published over MQTT, kept in memory (bounded per datastream) so a client that missed them can backfill over HTTP.
 * A live observation with the id of a history one replaces it; a second one with the same id replaces the first.
 */
import { HOUR_MS } from './simulation';
import { datastreamOfObservationId, type ObservationRecord, type SensorDataset } from './dataset';

export interface TimeBound {
  tMs: number;
  inclusive: boolean;
}

export interface ObservationQuery {
  datastreamIds: readonly number[];
  from?: TimeBound;
  to?: TimeBound;
  orderBy: 'phenomenonTime' | 'id';
  desc: boolean;
  skip: number;
  top: number;
}

export interface ObservationPage {
  items: ObservationRecord[];
  /** Observations matching the query before $skip and $top. */
  total: number;
}

interface Key {
  id: number;
  t: number;
  live: ObservationRecord | null;
}

/** Live observations kept per datastream: one day at the default one-minute interval. */
export const DEFAULT_LIVE_RETENTION = 1440;

export class ObservationStore {
  private readonly live = new Map<number, ObservationRecord[]>();
  private readonly liveById = new Map<number, ObservationRecord>();

  constructor(private readonly dataset: SensorDataset, private readonly retentionPerDatastream = DEFAULT_LIVE_RETENTION) {}

  /** Keep a live observation (sorted by phenomenon time, then id); returns it. */
  add(rec: ObservationRecord): ObservationRecord {
    if (!this.dataset.datastream.has(rec.datastreamId)) throw new Error(`no datastream ${rec.datastreamId}`);
    const old = this.liveById.get(rec.id);
    if (old) this.remove(old);
    let list = this.live.get(rec.datastreamId);
    if (!list) this.live.set(rec.datastreamId, (list = []));
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = list[mid]!;
      if (m.phenomenonTimeMs < rec.phenomenonTimeMs || (m.phenomenonTimeMs === rec.phenomenonTimeMs && m.id < rec.id)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, rec);
    this.liveById.set(rec.id, rec);
    while (list.length > this.retentionPerDatastream) {
      const dropped = list.shift()!;
      this.liveById.delete(dropped.id);
    }
    return rec;
  }

  private remove(rec: ObservationRecord): void {
    const list = this.live.get(rec.datastreamId);
    const i = list?.indexOf(rec) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    this.liveById.delete(rec.id);
  }

  hasId(id: number): boolean {
    return this.liveById.has(id) || this.get(id) !== null;
  }

  get(id: number): ObservationRecord | null {
    const live = this.liveById.get(id);
    if (live) return live;
    const ds = datastreamOfObservationId(id);
    const secondsMs = (id - ds * 2 ** 32) * 1000;
    const rec = this.dataset.historyObservation(ds, secondsMs);
    return rec && rec.id === id ? rec : null;
  }

  /** Latest phenomenon time known for a datastream (history or live), or null. */
  latestTimeMs(datastreamId: number): number | null {
    return this.query({ datastreamIds: [datastreamId], orderBy: 'phenomenonTime', desc: true, skip: 0, top: 1 }).items[0]?.phenomenonTimeMs ?? null;
  }

  /** Earliest phenomenon time known for a datastream, or null. */
  earliestTimeMs(datastreamId: number): number | null {
    return this.query({ datastreamIds: [datastreamId], orderBy: 'phenomenonTime', desc: false, skip: 0, top: 1 }).items[0]?.phenomenonTimeMs ?? null;
  }

  query(q: ObservationQuery): ObservationPage {
    const after = (t: number): boolean => !q.from || (q.from.inclusive ? t >= q.from.tMs : t > q.from.tMs);
    const before = (t: number): boolean => !q.to || (q.to.inclusive ? t <= q.to.tMs : t < q.to.tMs);
    const keys: Key[] = [];
    const { historyStartMs, historyEndMs } = this.dataset;
    for (const dsId of q.datastreamIds) {
      const ds = this.dataset.datastream.get(dsId);
      if (!ds) continue;
      const sim = this.dataset.simulation;
      for (let t = historyStartMs; t < historyEndMs; t += HOUR_MS) {
        if (!after(t) || !before(t) || !sim.hasValue(ds.stationIndex, ds.key, t)) continue;
        const id = dsId * 2 ** 32 + t / 1000;
        if (this.liveById.has(id)) continue;
        keys.push({ id, t, live: null });
      }
      for (const rec of this.live.get(dsId) ?? []) {
        if (after(rec.phenomenonTimeMs) && before(rec.phenomenonTimeMs)) keys.push({ id: rec.id, t: rec.phenomenonTimeMs, live: rec });
      }
    }
    const cmp = q.orderBy === 'id'
      ? (a: Key, b: Key): number => a.id - b.id
      : (a: Key, b: Key): number => a.t - b.t || a.id - b.id;
    keys.sort(q.desc ? (a, b) => cmp(b, a) : cmp);
    const items = keys.slice(q.skip, q.skip + q.top).map((k) => k.live ?? this.dataset.historyObservation(datastreamOfObservationId(k.id), k.t)!);
    return { items, total: keys.length };
  }
}
