/**
 * Scenarios are kept in the browser's IndexedDB, one record per scenario (`scenario-db.ts`), and shared live by
 * every tab (`synced-items.ts`): a scenario saved in one tab appears in the others; two tabs editing the same
 * scenario get a choice, never a silent overwrite. What is read back is decoded whole (zod + the scenario rules):
 * a damaged scenario is kept aside with a notice and a download, the rest is restored. A link's `sc` is applied
 * once they are loaded.
 */
import { t } from '../i18n';
import type { Scenario } from '../state/scenario';
import { decodeScenario } from '../state/scenario-codec';
import { watch, type AppStore } from '../state/store';
import { downloadText } from './download';
import { loadScenarios, openScenarioDb, saveActiveScenario, scenarioBackend, type ScenarioDbHandle } from './scenario-db';
import { conflictNotice } from './conflict-notice';
import { broadcastChannel, heardFromNow, onPageHide, safeLocalStorage, syncItems } from './synced-items';
import { journal, withJournal } from './unsaved-journal';

/** Edits come in bursts (a drag of a height field, undo pressed repeatedly): one write per pause. */
const SAVE_DELAY_MS = 300;
const UNSAVED_PREFIX = 'sddi-twin.unsaved-scenario.';

/**
 * Loads the saved scenarios into the store (then shows the link's scenario, if it names a saved one) and saves
 * every later change. Resolves when loaded; the returned function stops saving. Never rejects: a browser without
 * IndexedDB gets a notice and a session that is not saved.
 */
export async function persistScenarios(store: AppStore, linkScenarioId?: string): Promise<() => void> {
  const lang = () => store.getState().lang;
  const notify = store.getState().notify;
  let db: ScenarioDbHandle;
  let loaded: Awaited<ReturnType<typeof loadScenarios>>;
  // Listening before the read: another tab's save during it is not lost.
  const channel = heardFromNow(broadcastChannel('sddi-twin-scenarios'));
  try {
    db = await openScenarioDb();
    loaded = await loadScenarios(db);
  } catch (err) {
    channel.listen(() => {})();
    notify('error', t(lang(), 'scenario.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
    applyLink(store, linkScenarioId);
    return () => {};
  }
  reportLoad(store, loaded);
  const notes = journal<Scenario>(safeLocalStorage(), UNSAVED_PREFIX);
  const noted = notes.read(decodeScenario);
  const start = withJournal(loaded.scenarios, loaded.records, noted);
  const s = store.getState();
  // Anything made before the saved ones arrived stays, after them.
  const fresh = s.scenarios.filter((x) => !start.items.some((y) => y.id === x.id));
  s.restoreScenarios([...start.items, ...fresh], s.activeScenarioId ?? loaded.activeScenarioId);
  applyLink(store, linkScenarioId);

  let failed = false;
  const sync = syncItems<Scenario>(
    {
      // A closing page notes its unsaved edits synchronously instead (see unsaved-journal.ts).
      backend: { ...scenarioBackend(db, loaded.created), putNow: (id, item, rev) => notes.note(id, item, rev - 1) },
      channel,
      read: () => store.getState().scenarios,
      apply: (id, item) => store.getState().applyStoredScenario(id, item),
      onConflict: (c) => conflictNotice(store, c, (choice) => void sync.resolve(c.id, choice)),
      onError: (err) => {
        // One notice, not one per edit.
        if (!failed) notify('error', t(lang(), 'scenario.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
        failed = true;
      },
      delayMs: SAVE_DELAY_MS,
    },
    start.known,
  );
  // The edits a closed page noted are saved now, then forgotten.
  if (noted.length > 0) {
    sync.changed();
    void sync.flush().then(() => notes.clear(noted.map((e) => e.id)));
  }
  const unwatch = watch(store, (st) => st.scenarios, () => sync.changed());
  const unwatchActive = watch(store, (st) => st.activeScenarioId, (id) => void saveActiveScenario(db, id).catch(() => {}));
  // A page closed or reloaded within the delay still saves its last edit.
  const stopLeaving = onPageHide(() => void sync.flush(true));
  return () => {
    void sync.flush();
    stopLeaving();
    unwatch();
    unwatchActive();
    sync.dispose();
  };
}

function reportLoad(store: AppStore, loaded: Awaited<ReturnType<typeof loadScenarios>>): void {
  const s = store.getState();
  for (const p of loaded.problems.slice(0, 3)) s.notify('warning', t(s.lang, 'scenario.savedDropped', { message: p }));
  if (loaded.aside.size > 0) {
    const copies = JSON.stringify(Object.fromEntries(loaded.aside), null, 2);
    s.notify('warning', t(s.lang, 'save.keptAside', { n: loaded.aside.size }), [
      { label: t(s.lang, 'save.downloadAside'), run: () => downloadText('sddi-twin-scenarios-kept-aside.json', 'application/json', copies) },
    ]);
  }
  if (loaded.newer > 0) s.notify('warning', t(s.lang, 'save.newer', { n: loaded.newer }));
}


function applyLink(store: AppStore, id: string | undefined): void {
  if (!id) return;
  const s = store.getState();
  if (s.scenarios.some((x) => x.id === id)) s.setActiveScenario(id);
  else s.notify('warning', t(s.lang, 'scenario.linkUnknown'));
}
