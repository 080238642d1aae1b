/**
 * The sensor service is down when the page loads, then comes back: the layer says so (its row, the timeline's
 * Live button, one notice), retries on its own, and becomes ready in the same page, without a reload.
 *
 * The outage: every request to /sta/ is refused by the browser context's router. It covers the sensors
 * worker's fetches too (Chromium routes a dedicated worker's requests through its page), which the test checks.
 */
import { describe, expect, it } from 'vitest';
import { openTwin, twinSession } from './harness';

interface Layer { status: string; message?: string; sensors?: { connection: string; readings: number; datastreams: number } }
type Twin = { store: { getState(): { layers: Record<string, Layer>; notices: Array<{ level: string; text: string }> } } };

describe('a sensor service that is down at page load', () => {
  let down = true;
  const refused: string[] = [];
  const session = twinSession(async (s) => {
    await s.page.context().route('**/sta/**', (route) => {
      if (!down) return route.continue();
      refused.push(route.request().url());
      return route.abort('connectionrefused');
    });
    await openTwin(s, 'ws=sensors');
  });

  it('shows the outage, offers Retry, and recovers when the service is back', async () => {
    const { page } = session();
    await page.waitForFunction(() => {
      const l = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors'];
      return l?.status === 'error' && l.sensors?.connection === 'offline';
    }, undefined, { timeout: 120_000 });
    expect(refused.length).toBeGreaterThan(0);
    // Marks this page: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await expect(page.locator('[data-testid="timeline-live"]').getAttribute('data-feed')).resolves.toBe('offline');
    await expect(page.locator('[data-testid="timeline-live"]').textContent()).resolves.toBe('Offline');
    await expect(page.locator('[data-layer="sensors"] [data-testid="sensor-feed-badge"]').count()).resolves.toBe(1);
    await expect(page.locator('[data-layer="sensors"] [data-testid="sensor-retry"]').count()).resolves.toBe(1);

    // "Retry" tries at once; however many attempts fail, one notice.
    const attempts = refused.length;
    await page.click('[data-testid="sensor-retry"]');
    await expect.poll(() => refused.length, { timeout: 60_000 }).toBeGreaterThan(attempts);
    const warnings = await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.filter((n) => n.level === 'warning' && /sensor service/i.test(n.text)).length);
    expect(warnings).toBe(1);

    down = false;
    // No click: the backoff (at most a minute between attempts) brings it back by itself.
    await page.waitForFunction(() => {
      const l = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors'];
      return l?.status === 'ready' && l.sensors?.connection === 'live' && l.sensors.readings > 0;
    }, undefined, { timeout: 150_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await expect(page.locator('[data-testid="timeline-live"]').getAttribute('data-feed')).resolves.toBe('live');
    await expect(page.locator('[data-testid="timeline-live"]').textContent()).resolves.toBe('Live');
    await expect(page.locator('[data-layer="sensors"] [data-testid="sensor-feed-badge"]').count()).resolves.toBe(0);
    const notices = await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.map((n) => n.text));
    expect(notices).toContain('The live sensor feed is back.');
  });
});
