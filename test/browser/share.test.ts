/**
 * Work shared between browsers that have never seen each other (fresh contexts: no common storage): a story with
 * three slides (captions in three languages, one slide showing a scenario) and that scenario with a variant, sent
 * by link (played in kiosk mode on arrival) and by `.twin.json` file, arrive identical.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openTwin, startSession, twinSession, type Session } from './harness';

const snapshot = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { sddiTwin: { store: { getState(): Record<string, unknown> } } }).sddiTwin.store.getState();
    return JSON.parse(JSON.stringify({ stories: s['stories'], scenarios: s['scenarios'], storyId: s['storyId'], presenting: s['presenting'], kiosk: s['kiosk'], notices: (s['notices'] as { text: string }[]).map((n) => n.text) })) as {
      stories: { id: string; title: string; slides: { caption: Record<string, string>; scenarioId: string | null }[] }[];
      scenarios: { id: string; name: string; parentId: string | null; buildings: unknown[] }[];
      storyId: string | null;
      presenting: boolean;
      kiosk: boolean;
      notices: string[];
    };
  });

/** Builds the story and the scenarios through the store, as the panels would. */
const BUILD = `(() => {
  const s = () => window.sddiTwin.store.getState();
  const root = s().createScenario('Plzeň north');
  s().addBuilding({ id: 'b-1', kind: 'building', footprint: [[13.370, 49.760], [13.371, 49.760], [13.371, 49.7607]], heightM: 24, storeys: 8, roof: 'flat' });
  const variant = s().branchScenario(root, 'Plzeň north, taller');
  s().updateBuilding('b-1', { heightM: 42, storeys: 14 });
  s().setActiveScenario(null);
  s().createStory('Forum Plzeň 2026');
  const captions = [
    { en: 'The region', de: 'Die Region', cs: 'Region' },
    { en: 'Plzeň today', de: 'Pilsen heute', cs: 'Plzeň dnes' },
    { en: 'Plzeň with the taller variant', de: 'Pilsen mit der höheren Variante', cs: 'Plzeň s vyšší variantou' },
  ];
  for (const [i, caption] of captions.entries()) {
    if (i === 2) s().setActiveScenario(variant);
    const id = s().addSlide();
    s().updateSlide(id, { caption });
  }
  return { storyId: s().storyId, root, variant };
})()`;

describe('sharing with another browser', () => {
  const session = twinSession((s) => openTwin(s, 'ws=present'));
  const others: Session[] = [];
  afterAll(async () => {
    for (const o of others) await o.close();
  });
  let sent: Awaited<ReturnType<typeof snapshot>>;
  let link = '';
  let file = '';

  it('gives a link and a file for a story with the scenarios it shows', async () => {
    const page = session().page;
    const ids = (await page.evaluate(BUILD)) as { storyId: string; root: string; variant: string };
    sent = await snapshot(page);
    expect(sent.stories[0]!.slides).toHaveLength(3);
    // The Stories button shows the panel (in the dock, which the Present workspace keeps folded).
    const share = page.locator('[data-testid="story-share"]');
    for (let i = 0; i < 2 && !(await share.isVisible()); i++) {
      await page.click('[data-testid="story-button"]');
      await share.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => undefined);
    }
    await share.click();
    await page.check('[data-testid="share-kiosk"]');
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="share-link"]')?.value ?? '').includes('share='));
    link = await page.inputValue('[data-testid="share-link"]');
    expect(link).toContain(`story=${ids.storyId}`);
    expect(link).toContain('kiosk=1');
    expect(link.length).toBeLessThan(9000);
    await session().screenshot('share-dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="share-file"]')]);
    file = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toBe('Forum-Plzen-2026.twin.json');
    await page.click('[data-testid="share-close"]');
  });

  it('by link: another browser plays the story in kiosk mode, with the same slides and scenarios', async () => {
    const other = await startSession();
    others.push(other);
    await other.page.goto(`${link}&render=lite`);
    await other.page.waitForFunction(() => {
      const s = (window as unknown as { sddiTwin?: { store: { getState(): { presenting: boolean } } } }).sddiTwin?.store.getState();
      return s?.presenting === true;
    }, undefined, { timeout: 180_000 });
    const got = await snapshot(other.page);
    expect(got.kiosk).toBe(true);
    expect(got.stories).toEqual(sent.stories);
    expect(got.scenarios).toEqual(sent.scenarios);
    expect(got.storyId).toBe(sent.stories[0]!.id);
    await other.screenshot('share-link-kiosk');
  });

  it('by file: another browser opens the .twin.json dropped on it, the same again', async () => {
    const other = await startSession();
    others.push(other);
    await openTwin(other);
    await other.page.setInputFiles('[data-testid="import-input"]', { name: 'Forum-Plzen-2026.twin.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await other.page.waitForFunction(() => (window as unknown as { sddiTwin: { store: { getState(): { stories: unknown[] } } } }).sddiTwin.store.getState().stories.length > 0, undefined, { timeout: 30_000 });
    const got = await snapshot(other.page);
    expect(got.stories).toEqual(sent.stories);
    expect(got.scenarios).toEqual(sent.scenarios);
    expect(got.notices.join(' ')).toMatch(/Forum-Plzen-2026\.twin\.json: 1 story and 2 scenarios added/);
  });

  it('a tampered file changes nothing and is named', async () => {
    const other = others[1]!;
    const before = await snapshot(other.page);
    const tampered = file.replace('"heightM": 42', '"heightM": "42; DROP"');
    await other.page.setInputFiles('[data-testid="import-input"]', { name: 'tampered.twin.json', mimeType: 'application/json', buffer: Buffer.from(tampered) });
    await other.page.waitForFunction(() => document.querySelector('.notice.error')?.textContent?.includes('tampered.twin.json'), undefined, { timeout: 30_000 });
    const after = await snapshot(other.page);
    expect(after.stories).toEqual(before.stories);
    expect(after.scenarios).toEqual(before.scenarios);
  });
});
