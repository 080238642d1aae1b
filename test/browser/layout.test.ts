/**
 * The workspace as a user sees it: how much of the screen is the scene (the canvas is the top element on a grid
 * of points), that panels never overlap each other or the timeline on a projector's screen, and that only what a
 * workspace shows is loaded (no sensor request and no analysis worker in Explore).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { twinSession, waitIdle, type Session } from './harness';

type Twin = { store: { getState(): { workspace: string; setWorkspace(ws: string): void; setLayerVisible(id: string, v: boolean): void; layers: Record<string, { status: string; visible: boolean; sensors?: { frames: number }; climate?: { frames: number }; coverage?: { frames: number } }> } } };

/** Share of a 96 × 60 grid of viewport points where the scene's canvas is the top element, and what covers the rest. */
async function sceneShare(page: Page): Promise<number> {
  const { share, covers } = await page.evaluate(() => {
    const canvas = document.querySelector('#scene canvas');
    const by: Record<string, number> = {};
    let hits = 0;
    const nx = 96;
    const ny = 60;
    for (let i = 0; i < nx; i++)
      for (let j = 0; j < ny; j++) {
        const el = document.elementFromPoint(((i + 0.5) * innerWidth) / nx, ((j + 0.5) * innerHeight) / ny);
        if (el === canvas) hits++;
        else {
          const top = el?.closest('.toolbar, .dock, .timeline, .info, .notices, .status-bar, .cesium-widget-credits, .attribution, .attribution-button, .dock-unfold, .swipe');
          const k = top ? top.className.split(' ').slice(0, 2).join('.') : (el?.tagName ?? 'none');
          by[k] = (by[k] ?? 0) + 1;
        }
      }
    return { share: hits / (nx * ny), covers: Object.entries(by).toSorted((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') };
  });
  console.info(`scene ${(share * 100).toFixed(1)} % at ${page.viewportSize()?.width}×${page.viewportSize()?.height}; covered by ${covers}`);
  return share;
}

/** Pairs of visible UI boxes that overlap, and boxes that reach past the viewport. */
function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = ['.toolbar', '.dock', '.dock-unfold', '.timeline', '.info', '.status-bar', '.attribution-button', '.attribution', '.notice', '.cesium-widget-credits'];
    const boxes: Array<{ name: string; r: DOMRect }> = [];
    for (const sel of named)
      for (const el of document.querySelectorAll<HTMLElement>(sel)) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden') boxes.push({ name: sel, r });
      }
    const out: string[] = [];
    for (let a = 0; a < boxes.length; a++) {
      const A = boxes[a]!;
      if (A.r.left < -0.5 || A.r.top < -0.5 || A.r.right > innerWidth + 0.5 || A.r.bottom > innerHeight + 0.5) out.push(`${A.name} leaves the viewport`);
      for (let b = a + 1; b < boxes.length; b++) {
        const B = boxes[b]!;
        const w = Math.min(A.r.right, B.r.right) - Math.max(A.r.left, B.r.left);
        const h = Math.min(A.r.bottom, B.r.bottom) - Math.max(A.r.top, B.r.top);
        if (w > 1 && h > 1) out.push(`${A.name} overlaps ${B.name}`);
      }
    }
    // Content cut off inside the bar (the workspaces, places, import and language must all be reachable).
    const bar = document.querySelector<HTMLElement>('.toolbar');
    if (bar && bar.scrollWidth > bar.clientWidth + 1) out.push(`the toolbar overflows by ${bar.scrollWidth - bar.clientWidth} px`);
    return out;
  });
}

const setWorkspace = async (page: Page, ws: string): Promise<void> => {
  await page.click(`[data-workspace="${ws}"]`);
  await waitIdle(page);
};

describe('the workspace layout in Chromium', () => {
  const workers: string[] = [];
  const session = twinSession(async (s) => {
    s.page.on('worker', (w) => workers.push(w.url()));
    await s.page.goto(`${s.baseUrl}#render=lite`);
    await waitIdle(s.page);
  });
  let s: Session;

  it('Explore on a first visit: the scene is most of the screen, overlays neither shown nor loaded', async () => {
    s = session();
    const st = await s.page.evaluate(() => {
      const g = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      return { workspace: g.workspace, sensors: g.layers['sensors'], coverage: g.layers['coverage'] };
    });
    expect(st.workspace).toBe('explore');
    expect(st.sensors).toMatchObject({ visible: false, status: 'idle' });
    expect(st.coverage).toMatchObject({ visible: false, status: 'idle' });
    // Nothing asked of the sensor service, no aggregation, sensor or coverage worker started.
    const requests = await s.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(requests.filter((u) => u.includes('/sta/'))).toEqual([]);
    expect(workers.filter((u) => /sensors|coverage|aggregate/.test(u))).toEqual([]);
    const share = await sceneShare(s.page);
    await s.screenshot('layout-explore-1280');
    expect(share, `scene share at 1280×800: ${share}`).toBeGreaterThanOrEqual(0.75);
  });

  it('at 1920×1080 the scene is at least 85 % of the screen right after load', async () => {
    await s.page.setViewportSize({ width: 1920, height: 1080 });
    await waitIdle(s.page);
    const share = await sceneShare(s.page);
    await s.screenshot('layout-explore-1920');
    expect(share, `scene share at 1920×1080: ${share}`).toBeGreaterThanOrEqual(0.85);
    await s.page.setViewportSize({ width: 1280, height: 800 });
  });

  it.each(['plan', 'coverage', 'sensors', 'climate', 'present'])('the %s workspace leaves the scene at least half the screen and overlaps nothing', async (ws) => {
    await setWorkspace(s.page, ws);
    await s.page.waitForFunction((w) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().workspace === w, ws);
    if (ws === 'sensors') await s.page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.frames ?? 0) > 0, undefined, { timeout: 120_000 });
    if (ws === 'climate') await s.page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']?.climate?.frames ?? 0) > 0, undefined, { timeout: 120_000 });
    if (ws === 'coverage') await s.page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['coverage']?.coverage?.frames ?? 0) > 0, undefined, { timeout: 300_000 });
    await waitIdle(s.page);
    const share = await sceneShare(s.page);
    await s.screenshot(`layout-${ws}-1280`);
    expect(share, `scene share in ${ws}: ${share}`).toBeGreaterThanOrEqual(0.5);
    expect(await overlaps(s.page)).toEqual([]);
  });

  it('a tool owns the pointer: corners drawn on top of the heatmap, a distance measured on top of a coverage map', async () => {
    const page = s.page;
    await setWorkspace(page, 'plan');
    await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setLayerVisible('sensors', true));
    await page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.frames ?? 0) > 0, undefined, { timeout: 120_000 });
    await waitIdle(page);
    await page.click('[data-testid="scenario-new"]');
    await page.click('[data-testid="scenario-draw"]');
    await expect(page.locator('[data-testid="tool-hint"]').isVisible()).resolves.toBe(true);
    // Four corners in the middle of the scene, where the heatmap is drawn over the ground.
    for (const [x, y] of [[700, 380], [780, 380], [780, 440], [700, 440]] as const) await page.mouse.click(x, y);
    await page.waitForFunction(() => (document.querySelector('.scenario .drawing .hint')?.textContent ?? '').endsWith(': 4'), undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { selection: unknown } } } }).sddiTwin.store.getState().selection)).toBeNull();
    await expect(page.locator('.info').isVisible()).resolves.toBe(false);
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid="tool-hint"]').isHidden()).resolves.toBe(true);

    await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setLayerVisible('coverage', true));
    await page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['coverage']?.coverage?.frames ?? 0) > 0, undefined, { timeout: 300_000 });
    await waitIdle(page);
    await page.click('[data-testid="tool-measure-distance"]');
    await page.mouse.click(640, 420);
    await page.mouse.click(900, 300);
    await expect(page.locator('[data-testid="measure-readout"]').textContent()).resolves.toMatch(/\d m|km/);
    expect(await page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { selection: unknown } } } }).sddiTwin.store.getState().selection)).toBeNull();
    await s.screenshot('layout-tool-over-overlays');
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid="measure-readout"]').count()).resolves.toBe(0);
  });

  it.each([
    [1024, 768],
    [1280, 720],
  ])('at %i×%i no panel overlaps another, the timeline or the edge of the screen', async (width, height) => {
    await s.page.setViewportSize({ width, height });
    // The timeline at its widest: the climate record's step and date controls wrap to a second row.
    for (const ws of ['sensors', 'climate', 'coverage', 'explore']) {
      await setWorkspace(s.page, ws);
      expect(await overlaps(s.page), `${ws} at ${width}×${height}`).toEqual([]);
    }
    await s.screenshot(`layout-${width}x${height}`);
    await s.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the dock folds to one button and the scene takes the width', async () => {
    await s.page.click('.dock-fold');
    await expect(s.page.locator('[data-testid="dock"]').isHidden()).resolves.toBe(true);
    expect(await sceneShare(s.page)).toBeGreaterThanOrEqual(0.9);
    await s.page.click('[data-testid="dock-unfold"]');
    await expect(s.page.locator('[data-testid="dock"]').isVisible()).resolves.toBe(true);
    expect(s.pageErrors).toEqual([]);
  });
});
