/**
 * Saved work in two tabs of one browser: each scenario and story is its own record, a save in one tab appears in
 * the other at once, two tabs editing the same scenario get a choice instead of a silent overwrite, and a page
 * reloaded right after an edit keeps it.
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { twinSession, type Session } from './harness';

interface Scenario {
  id: string;
  name: string;
}
interface Story {
  id: string;
  title: string;
}
interface Store {
  getState(): {
    scenarios: Scenario[];
    stories: Story[];
    notices: { level: string; text: string }[];
    createScenario(name: string): string;
    renameScenario(id: string, name: string): void;
    createStory(title: string): string | null;
  };
}

const state = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { sddiTwin: { store: Store } }).sddiTwin.store.getState();
    return { scenarios: s.scenarios.map((x) => ({ id: x.id, name: x.name })), stories: s.stories.map((x) => ({ id: x.id, title: x.title })), notices: s.notices.map((n) => n.text) };
  });

/** Saved work is loaded before the page's API appears: the scene need not settle for these checks. */
const ready = (page: Page) => page.waitForFunction(() => 'sddiTwin' in window, undefined, { timeout: 180_000 });

const run = (page: Page, code: string) => page.evaluate(`(() => { const s = window.sddiTwin.store.getState(); return (${code}); })()`);

describe('saved work across tabs', () => {
  const session = twinSession();
  let s: Session;
  let b: Page;
  afterAll(async () => {
    await b?.close();
  });

  it('shows a scenario and a story saved in one tab in the other, and both survive a reload of either', async () => {
    s = session();
    b = await s.newTab();
    await b.goto(`${s.baseUrl}#render=lite`);
    await ready(b);
    const scenarioId = (await run(s.page, "s.createScenario('Made in tab A')")) as string;
    const storyId = (await run(b, "s.createStory('Told in tab B')")) as string;
    await expect.poll(async () => (await state(b)).scenarios.map((x) => x.id), { timeout: 10_000 }).toContain(scenarioId);
    await expect.poll(async () => (await state(s.page)).stories.map((x) => x.id), { timeout: 10_000 }).toContain(storyId);
    await b.reload();
    await ready(b);
    await expect.poll(async () => (await state(b)).scenarios.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const after = await state(b);
    expect(after.scenarios.map((x) => x.name)).toContain('Made in tab A');
    expect(after.stories.map((x) => x.title)).toContain('Told in tab B');
  }, 480_000);

  it('asks which version to keep when both tabs change the same scenario; the choice reaches both', async () => {
    const id = (await state(s.page)).scenarios.find((x) => x.name === 'Made in tab A')!.id;
    // Both within the save delay: neither tab has heard of the other's edit when it saves.
    await Promise.all([run(s.page, `s.renameScenario('${id}', 'Renamed in A')`), run(b, `s.renameScenario('${id}', 'Renamed in B')`)]);
    const conflicted = async () => {
      const inA = await s.page.locator('.notice button.notice-action').count();
      const inB = await b.locator('.notice button.notice-action').count();
      return inA + inB;
    };
    await expect.poll(conflicted, { timeout: 10_000 }).toBe(2);
    const loser = (await s.page.locator('.notice button.notice-action').count()) > 0 ? s.page : b;
    const winner = loser === s.page ? b : s.page;
    const mine = loser === s.page ? 'Renamed in A' : 'Renamed in B';
    await expect(loser.locator('.notice').filter({ hasText: 'another tab' }).textContent()).resolves.toContain('Renamed in');
    await loser.screenshot({ path: `${import.meta.dirname}/.artifacts/saved-work-conflict.png` });
    // Nothing was overwritten silently: the other tab still shows its own version.
    expect((await state(winner)).scenarios.find((x) => x.id === id)?.name).toBe(mine === 'Renamed in A' ? 'Renamed in B' : 'Renamed in A');
    await loser.locator('.notice button.notice-action', { hasText: 'Keep mine' }).click();
    await expect.poll(async () => (await state(winner)).scenarios.find((x) => x.id === id)?.name, { timeout: 10_000 }).toBe(mine);
    await winner.reload();
    await ready(winner);
    await expect.poll(async () => (await state(winner)).scenarios.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await state(winner)).scenarios.find((x) => x.id === id)?.name).toBe(mine);
  });

  it('keeps an edit made just before a reload', async () => {
    const id = (await state(s.page)).scenarios[0]!.id;
    for (const name of ['Last edit 1', 'Last edit 2']) {
      // Reloaded at once, well inside the save delay: the page saves as it goes.
      await run(s.page, `s.renameScenario('${id}', '${name}')`);
      await s.page.reload();
      await ready(s.page);
      // Scenarios arrive from IndexedDB shortly after the page is up; the first version shown is the final one.
      await expect.poll(async () => (await state(s.page)).scenarios.find((x) => x.id === id)?.name, { timeout: 30_000 }).not.toBeUndefined();
      expect((await state(s.page)).scenarios.find((x) => x.id === id)?.name).toBe(name);
    }
  });
});
