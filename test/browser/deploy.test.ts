/**
 * The build as deployed: Debian's nginx serving dist/ with the repository's configuration (deploy/nginx), no
 * sensor service behind it (dist/config.json names none). The twin opens with the production headers, the
 * terrain arrives gzip-encoded, nothing fails, no CSP violation, no request to a service that is not configured,
 * and the sensor layer offers the replay of a recorded file instead of an error.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../tools/chromium';
import { hasNginx, startNginx, type Nginx } from '../../tools/nginx';
import { recordCspViolations, waitIdle } from './harness';

type Twin = { store: { getState(): { setWorkspace(ws: string): void; notices: Array<{ level: string; text: string }>; layers: Record<string, { status: string; visible: boolean; sensors?: { stations: number; replayFile: string | null; frameTimeIso: string }; climate?: { via: string; frames: number; stations: number } }> } } };
const DIST = path.resolve(import.meta.dirname, '../../dist');

describe.skipIf(!hasNginx())('the build served by nginx as a static site', () => {
  let nginx: Nginx;
  let browser: Browser;
  let page: Page;
  const failed: string[] = [];
  const terrain: Array<{ encoding: string | undefined; type: string | undefined }> = [];
  const urls: string[] = [];

  beforeAll(async () => {
    nginx = await startNginx(DIST);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('request', (r) => urls.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.url()} HTTP ${r.status()}`);
      if (r.url().endsWith('.terrain')) terrain.push({ encoding: r.headers()['content-encoding'], type: r.headers()['content-type'] });
    });
    await recordCspViolations(page);
    await page.goto(`${nginx.baseUrl}#render=lite`);
    await waitIdle(page);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
  });

  it('opens with every shown layer ready, nothing failed, no CSP violation, terrain gzip-encoded', async () => {
    const st = await page.evaluate(() => {
      const g = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      return { layers: g.layers, notices: g.notices };
    });
    for (const [id, l] of Object.entries(st.layers)) expect(l.status, id).toBe(l.visible ? 'ready' : 'idle');
    expect(st.notices.filter((n) => n.level !== 'info')).toEqual([]);
    expect(failed).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { sddiCspViolations: string[] }).sddiCspViolations)).toEqual([]);
    expect(terrain.length).toBeGreaterThan(0);
    for (const t of terrain) expect(t).toEqual({ encoding: 'gzip', type: 'application/vnd.quantized-mesh' });
  });

  it('without a climate service: the measured record is read from its file, with no request to a service', async () => {
    await page.click('[data-workspace="climate"]');
    await page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']?.climate?.frames ?? 0) > 0, undefined, { timeout: 60_000 });
    const i = await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']!.climate!);
    expect(i.via).toBe('file');
    expect(i.stations).toBe(83);
    expect(urls.filter((u) => u.includes('/sta-climate/'))).toEqual([]);
    expect(urls.some((u) => u.endsWith('/tilesets/sensors/climate-record.json'))).toBe(true);
    await expect(page.locator('[data-testid="climate-via"]').textContent()).resolves.toMatch(/read from the record file/);
    expect(failed).toEqual([]);
  });

  it('sends the production headers, revalidates the shell and caches hashed assets for a year', async () => {
    const index = await fetch(nginx.baseUrl, { headers: { 'accept-encoding': 'gzip' } });
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy"/);
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(new URL(asset, nginx.baseUrl), { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-type')).toBe('application/javascript');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Precompressed: nginx sends the build's .gz copy (gzip_static), whose length is known before sending; its
    // on-the-fly gzip would send none. The same for a building tile.
    expect(Number(js.headers.get('content-length'))).toBe(statSync(path.join(DIST, `${asset}.gz`)).size);
    const glb = readdirSync(path.join(DIST, 'tilesets/buildings'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.glb'))!;
    const tile = await fetch(new URL(`tilesets/buildings/${glb}`, nginx.baseUrl), { headers: { 'accept-encoding': 'gzip' } });
    expect(tile.headers.get('content-encoding')).toBe('gzip');
    expect(Number(tile.headers.get('content-length'))).toBe(statSync(path.join(DIST, `tilesets/buildings/${glb}.gz`)).size);
    for (const p of ['sw.js', 'config.json']) expect((await fetch(new URL(p, nginx.baseUrl))).headers.get('cache-control'), p).toBe('no-cache');
  });

  it('without a sensor service: no request to one, no error; the sensor layer replays a recorded file', async () => {
    await page.click('[data-workspace="sensors"]');
    await page.waitForFunction(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.status === 'ready', undefined, { timeout: 60_000 });
    await expect(page.locator('[data-testid="sensor-no-service"]').isVisible()).resolves.toBe(true);
    await page.setInputFiles('[data-testid="sensor-replay-input"]', path.resolve(import.meta.dirname, '../fixtures/sensors/recorded-day.ndjson'));
    await page.waitForFunction(() => {
      const i = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors;
      return i?.replayFile === 'recorded-day.ndjson' && i.frameTimeIso !== '';
    }, undefined, { timeout: 60_000 });
    expect(urls.filter((u) => u.includes('/sta/'))).toEqual([]);
    expect(failed).toEqual([]);
    const notices = await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices);
    expect(notices.filter((n) => n.level === 'error')).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { sddiCspViolations: string[] }).sddiCspViolations)).toEqual([]);
  });
});
