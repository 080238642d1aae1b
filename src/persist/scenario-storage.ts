/**
 * Scenarios are kept in the browser's IndexedDB (through `idb`): a scenario with hundreds of footprints is more
 * than localStorage is meant for, and IndexedDB stores the plain objects as they are (structured clone, no JSON
 * round trip). What is read back is decoded by `decodeSaved` (zod + the scenario rules): a scenario with any
 * fault is dropped whole with a notice, the rest is restored. A link's `sc` is applied once they are loaded.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { t } from '../i18n';
import { decodeSaved, encodeSaved, type SavedScenarios } from '../state/scenario-codec';
import { watch, type AppStore } from '../state/store';

const DB_NAME = 'sddi-twin-scenarios';
const KEY = 'current';
/** The damaged document is kept beside the current one, for whoever can repair it. */
const DAMAGED_KEY = 'damaged';
/** Edits come in bursts (a drag of a height field, undo pressed repeatedly): one write per pause. */
const SAVE_DELAY_MS = 300;

interface ScenarioDb extends DBSchema {
  state: { key: string; value: unknown };
}

function open(): Promise<IDBPDatabase<ScenarioDb>> {
  return openDB<ScenarioDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('state');
    },
  });
}

/**
 * Loads the saved scenarios into the store (then shows the link's scenario, if it names a saved one) and saves
 * every later change. Resolves when loaded; the returned function stops saving. Never rejects: a browser without
 * IndexedDB gets a notice and a session that is not saved.
 */
export async function persistScenarios(store: AppStore, linkScenarioId?: string): Promise<() => void> {
  const notify = (level: 'warning' | 'error', key: 'scenario.savedDropped' | 'scenario.saveFailed', message: string) =>
    store.getState().notify(level, t(store.getState().lang, key, { message }));
  let db: IDBPDatabase<ScenarioDb>;
  try {
    db = await open();
    const raw = await db.get('state', KEY);
    const decoded = decodeSaved(raw);
    for (const p of decoded.problems.slice(0, 5)) notify('warning', 'scenario.savedDropped', p);
    if (decoded.problems.length > 0) await db.put('state', raw, DAMAGED_KEY);
    const s = store.getState();
    // Anything made before the saved ones arrived stays, after them.
    const fresh = s.scenarios.filter((x) => !decoded.scenarios.some((d) => d.id === x.id));
    s.restoreScenarios([...decoded.scenarios, ...fresh], s.activeScenarioId ?? decoded.activeScenarioId);
  } catch (err) {
    notify('error', 'scenario.saveFailed', err instanceof Error ? err.message : String(err));
    applyLink(store, linkScenarioId);
    return () => {};
  }
  applyLink(store, linkScenarioId);

  let timer: ReturnType<typeof setTimeout> | null = null;
  let failed = false;
  const save = (): void => {
    timer = null;
    const s = store.getState();
    const doc: SavedScenarios = encodeSaved(s.scenarios, s.activeScenarioId);
    db.put('state', doc, KEY).catch((err: unknown) => {
      // One notice, not one per edit.
      if (!failed) notify('error', 'scenario.saveFailed', err instanceof Error ? err.message : String(err));
      failed = true;
    });
  };
  const unwatch = watch(store, (s) => [s.scenarios, s.activeScenarioId] as const, () => {
    if (timer === null) timer = setTimeout(save, SAVE_DELAY_MS);
  });
  // A page closed within the delay still saves its last edit.
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      save();
    }
  };
  addEventListener('pagehide', flush);
  return () => {
    flush();
    removeEventListener('pagehide', flush);
    unwatch();
    db.close();
  };
}

function applyLink(store: AppStore, id: string | undefined): void {
  if (!id) return;
  const s = store.getState();
  if (s.scenarios.some((x) => x.id === id)) s.setActiveScenario(id);
  else s.notify('warning', t(s.lang, 'scenario.linkUnknown'));
}
