/**
 * The scenarios' IndexedDB (through `idb`): one record per scenario in `items`, copies that could not be used in
 * `aside` (each under its own key), the scenario last shown in `state`. A save is a compare-and-set inside one
 * readwrite transaction, so two tabs can never both win. Version 1 kept every scenario in one document
 * (`state/current`); it is split into records once, and kept aside when any part of it was damaged.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { decodeSaved, decodeScenario } from '../state/scenario-codec';
import type { Scenario } from '../state/scenario';
import { asideKey, envelope, readRecord, storedCreated, storedRev, type LoadReport } from './records';
import type { ItemBackend, StoredRecord } from './synced-items';

const DB_NAME = 'sddi-twin-scenarios';
const ACTIVE_KEY = 'active';
const V1_DOCUMENT = 'current';
const V1_DAMAGED = 'damaged';

interface ScenarioDb extends DBSchema {
  state: { key: string; value: unknown };
  items: { key: string; value: unknown };
  aside: { key: string; value: unknown };
}

export type ScenarioDbHandle = IDBPDatabase<ScenarioDb>;

export function openScenarioDb(): Promise<ScenarioDbHandle> {
  return openDB<ScenarioDb>(DB_NAME, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore('state');
      if (oldVersion < 2) {
        db.createObjectStore('items');
        db.createObjectStore('aside');
      }
    },
  });
}

export interface LoadedScenarios extends LoadReport {
  readonly records: Map<string, StoredRecord<Scenario>>;
  /** In the order they were made. */
  readonly scenarios: Scenario[];
  readonly activeScenarioId: string | null;
  /** When each was first saved (keeps the order when a closing page writes without reading). */
  readonly created: Map<string, number>;
}

/** Reads every record; moves damaged ones aside and splits a version-1 document, all in one transaction. */
export async function loadScenarios(db: ScenarioDbHandle): Promise<LoadedScenarios> {
  const tx = db.transaction(['state', 'items', 'aside'], 'readwrite');
  const [state, items, aside] = [tx.objectStore('state'), tx.objectStore('items'), tx.objectStore('aside')];
  const problems: string[] = [];
  const kept = new Map<string, unknown>();
  const keepAside = async (kind: string, id: string, raw: unknown): Promise<void> => {
    const key = asideKey(kind, id);
    kept.set(key, raw);
    await aside.put(raw, key);
  };

  const v1 = await state.get(V1_DOCUMENT);
  if (v1 !== undefined) {
    const decoded = decodeSaved(v1);
    for (const [i, s] of decoded.scenarios.entries()) if ((await items.get(s.id)) === undefined) await items.put(envelope(s, 1, i), s.id);
    if (decoded.activeScenarioId !== null) await state.put(decoded.activeScenarioId, ACTIVE_KEY);
    if (decoded.problems.length > 0) await keepAside('scenarios-document', 'v1', v1);
    problems.push(...decoded.problems);
    await state.delete(V1_DOCUMENT);
  }
  const v1Damaged = await state.get(V1_DAMAGED);
  if (v1Damaged !== undefined) {
    await keepAside('scenarios-document', 'v1-damaged', v1Damaged);
    await state.delete(V1_DAMAGED);
  }

  const records = new Map<string, StoredRecord<Scenario>>();
  const order: { id: string; created: number }[] = [];
  let newer = 0;
  let cursor = await items.openCursor();
  while (cursor) {
    const id = cursor.key;
    const r = readRecord(cursor.value, decodeScenario);
    if (r.kind === 'ok' && r.record.item.id === id) {
      records.set(id, r.record);
      order.push({ id, created: r.created });
    } else if (r.kind === 'newer') newer++;
    else {
      problems.push(r.kind === 'damaged' ? r.problem : `scenario “${id}” is stored under another id`);
      await keepAside('scenario', id, cursor.value);
      await cursor.delete();
    }
    cursor = await cursor.continue();
  }
  const active = await state.get(ACTIVE_KEY);
  await tx.done;
  order.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
  const scenarios = order.map((o) => (records.get(o.id) as StoredRecord<Scenario>).item);
  const created = new Map(order.map((o) => [o.id, o.created]));
  return { records, scenarios, activeScenarioId: typeof active === 'string' && records.has(active) ? active : null, problems, aside: kept, newer, created };
}

function usable(raw: unknown): StoredRecord<Scenario> | null {
  const r = readRecord(raw, decodeScenario);
  return r.kind === 'ok' ? r.record : null;
}

export function scenarioBackend(db: ScenarioDbHandle, created: Map<string, number>): ItemBackend<Scenario> {
  return {
    get: async (id) => usable(await db.get('items', id)),
    put: async (id, item, expected) => {
      const tx = db.transaction('items', 'readwrite');
      const raw = await tx.store.get(id);
      const rev = storedRev(raw);
      if (rev !== expected) {
        await tx.done;
        return { ok: false, theirs: usable(raw) };
      }
      created.set(id, storedCreated(raw, Date.now()));
      if (item) await tx.store.put(envelope(item, rev + 1, created.get(id) ?? 0), id);
      else await tx.store.delete(id);
      await tx.done;
      return { ok: true, rev: rev + 1 };
    },
    putNow: (id, item, rev) => {
      // No read first: a page being closed may not live for a second round trip.
      const done = item ? db.put('items', envelope(item, rev, created.get(id) ?? Date.now()), id) : db.delete('items', id);
      done.catch(() => {});
    },
  };
}

/** The scenario shown, so the next visit opens it again: a preference, last tab wins. */
export function saveActiveScenario(db: ScenarioDbHandle, id: string | null): Promise<unknown> {
  return id === null ? db.delete('state', ACTIVE_KEY) : db.put('state', id, ACTIVE_KEY);
}
