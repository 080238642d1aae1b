/**
 * A new deployment under an open twin: the service worker of version N+1 (here: dist/sw.js with another shell
 * version, as every release that changes the shell writes it) is found, installs, drops version N's shell cache,
 * and the page offers a reload instead of forcing one. The file is put back afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { twinSession, waitIdle } from './harness';

const SW = path.resolve(import.meta.dirname, '../../dist/sw.js');

describe('a new version deployed while the twin is open', () => {
  const session = twinSession();
  const original = readFileSync(SW, 'utf8');
  afterAll(() => writeFileSync(SW, original));

  it('is taken over by the service worker, which drops the old shell cache, and offered as a reload', async () => {
    const page = session().page;
    await page.waitForFunction(() => {
      const o = (window as unknown as { sddiTwin: { store: { getState(): { offline: { status: string } } } } }).sddiTwin.store.getState().offline;
      return o.status === 'ready' || o.status === 'error';
    }, undefined, { timeout: 120_000 });
    const before = await page.evaluate(() => caches.keys());
    const oldShell = before.find((n) => n.startsWith('sddi-shell-'))!;
    expect(oldShell).toBeDefined();

    // Version N+1 on the server: the same length (the static server keeps each file's size from its start).
    const match = /const SHELL_VERSION = "([0-9a-f]+)"/.exec(original)!;
    const next = [...match[1]!].map((c) => ((parseInt(c, 16) + 1) % 16).toString(16)).join('');
    writeFileSync(SW, original.replace(match[0], `const SHELL_VERSION = "${next}"`));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));

    const notice = page.locator('.notice', { hasText: 'new version' });
    await notice.waitFor({ timeout: 120_000 });
    await session().screenshot('offline-new-version');
    const after = await page.evaluate(() => caches.keys());
    expect(after).toContain(`sddi-shell-${next}`);
    expect(after).not.toContain(oldShell);

    await Promise.all([page.waitForEvent('load'), notice.locator('button.notice-action', { hasText: 'Reload' }).click()]);
    await waitIdle(page);
    expect(await page.locator('.notice', { hasText: 'new version' }).count()).toBe(0);
  });
});
