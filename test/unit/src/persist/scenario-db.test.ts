import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios, openScenarioDb, scenarioBackend } from '../../../../src/persist/scenario-db';
import { envelope } from '../../../../src/persist/records';
import { encodeSaved } from '../../../../src/state/scenario-codec';
import { emptyScenario } from '../../../../src/state/scenario';

const DB = 'sddi-twin-scenarios';

afterEach(async () => {
  await new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase(DB);
    for (const event of ['success', 'error', 'blocked']) r.addEventListener(event, () => resolve());
  });
});

/** The database as version 1 of the twin left it: every scenario in one document. */
async function version1(doc: unknown): Promise<void> {
  const db = await openDB(DB, 1, { upgrade: (d) => void d.createObjectStore('state') });
  await db.put('state', doc, 'current');
  db.close();
}

describe('the scenarios database', () => {
  it('splits a version-1 document into one record per scenario, keeping its order and the scenario shown', async () => {
    await version1(encodeSaved([emptyScenario('s-b', 'B'), emptyScenario('s-a', 'A')], 's-a'));
    const db = await openScenarioDb();
    const loaded = await loadScenarios(db);
    expect(loaded.scenarios.map((s) => s.id)).toEqual(['s-b', 's-a']);
    expect(loaded.activeScenarioId).toBe('s-a');
    expect(loaded.aside.size).toBe(0);
    expect(await db.get('state', 'current')).toBeUndefined();
    expect(await db.get('items', 's-a')).toMatchObject({ rev: 1, item: { name: 'A' } });
    db.close();
  });

  it('keeps a damaged version-1 document and each damaged record aside under keys of their own', async () => {
    await version1({ version: 1, scenarios: [emptyScenario('s-ok', 'fine'), { id: 'broken' }], activeScenarioId: null });
    let db = await openScenarioDb();
    await db.put('items', { format: 'sddi-twin-record', version: 1, rev: 2, created: 0, item: { id: 's-x', name: 3 } }, 's-x');
    const first = await loadScenarios(db);
    expect(first.scenarios.map((s) => s.id)).toEqual(['s-ok']);
    expect(first.aside.size).toBe(2);
    expect(first.problems.length).toBeGreaterThanOrEqual(2);
    await db.put('items', 'garbage', 's-x');
    const second = await loadScenarios(db);
    expect(second.aside.size).toBe(1);
    expect(await db.count('aside')).toBe(3);
    expect(await db.get('items', 's-x')).toBeUndefined();
    db.close();
    db = await openScenarioDb();
    expect((await loadScenarios(db)).aside.size).toBe(0);
    db.close();
  });

  it('leaves a record from a newer release as it is', async () => {
    const db = await openScenarioDb();
    const newer = { ...envelope(emptyScenario('s-n', 'N'), 4, 0), version: 2 };
    await db.put('items', newer, 's-n');
    const loaded = await loadScenarios(db);
    expect(loaded.newer).toBe(1);
    expect(loaded.scenarios).toEqual([]);
    expect(await db.get('items', 's-n')).toEqual(newer);
    db.close();
  });

  it('writes only over the revision the writer last saw', async () => {
    const db = await openScenarioDb();
    const backend = scenarioBackend(db, new Map());
    expect(await backend.put('s-1', emptyScenario('s-1', 'first'), 0)).toEqual({ ok: true, rev: 1 });
    expect(await backend.put('s-1', emptyScenario('s-1', 'second'), 1)).toEqual({ ok: true, rev: 2 });
    const stale = await backend.put('s-1', emptyScenario('s-1', 'stale'), 1);
    expect(stale).toMatchObject({ ok: false, theirs: { rev: 2, item: { name: 'second' } } });
    expect(await backend.put('s-1', null, 2)).toEqual({ ok: true, rev: 3 });
    expect(await backend.get('s-1')).toBeNull();
    db.close();
  });
});
