/**
 * Shared links in Chromium: a link restores camera, hidden layers, time and language; a tampered link shows a
 * notice for each bad field and applies the rest, unchanged; nothing from it becomes HTML.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { startSession, stopAll, waitIdle, type Session } from './harness';
import { afterAll, beforeAll } from 'vitest';
import { decodeUrlState } from '../../src/state/url';

interface State {
  camera: { lonDeg: number; latDeg: number; heightM: number; headingDeg: number; pitchDeg: number } | null;
  layers: Record<string, { visible: boolean }>;
  timeIso: string;
  live: boolean;
  lang: string;
  notices: Array<{ level: string; text: string }>;
}
const state = (s: Session) => s.page.evaluate(() => {
  const g = (window as unknown as { sddiTwin: { store: { getState(): State } } }).sddiTwin.store.getState();
  return { camera: g.camera, layers: g.layers, timeIso: g.timeIso, live: g.live, lang: g.lang, notices: g.notices };
});

async function open(s: Session, fragment: string): Promise<void> {
  await s.page.goto('about:blank');
  await s.page.goto(`${s.baseUrl}#${fragment}&render=lite`);
  await waitIdle(s.page);
}

describe('shared links in Chromium', () => {
  let session: Session | null = null;
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session?.close();
    await stopAll();
  });
  let s: Session;
  beforeEach(() => {
    s = session!;
  });

  it('restores camera, hidden layers, time and language', async () => {
    await open(s, 'cam=12.1,49.02,2500,30,-45,0&hide=sensors,coverage&lang=de&t=2025-10-26T01:00:00Z');
    const st = await state(s);
    expect(st.camera!.lonDeg).toBeCloseTo(12.1, 4);
    expect(st.camera!.latDeg).toBeCloseTo(49.02, 4);
    expect(st.camera!.heightM).toBeCloseTo(2500, -1);
    expect(st.camera!.headingDeg).toBeCloseTo(30, 0);
    expect(st.camera!.pitchDeg).toBeCloseTo(-45, 0);
    expect(st.layers['sensors']!.visible).toBe(false);
    expect(st.layers['coverage']!.visible).toBe(false);
    expect(st.layers['terrain']!.visible).toBe(true);
    expect(st.timeIso).toBe('2025-10-26T01:00:00.000Z');
    expect(st.live).toBe(false);
    expect(st.lang).toBe('de');
    expect(await s.page.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(st.notices).toEqual([]);
    // The link written back for this view carries the same fields and opens again without a problem.
    const hash = await s.page.evaluate(() => location.hash);
    const back = decodeUrlState(hash);
    expect(back.problems).toEqual([]);
    expect(back.state.hiddenLayers?.toSorted()).toEqual(['coverage', 'sensors']);
    expect(back.state).toMatchObject({ lang: 'de', timeIso: '2025-10-26T01:00:00.000Z' });
    expect(back.state.camera!.lonDeg).toBeCloseTo(12.1, 4);
  });

  it('a tampered link: a notice per bad field, the good fields applied, nothing rendered as HTML', async () => {
    // The climate record is hidden too: shown, it would take the timeline to its own months (no longer live).
    await open(s, 'cam=999,49,2500,0,-90,0&hide=sensors,climate,<img src=x onerror=alert(1)>&lang=xx&t=1850-01-01T00:00:00Z&evil=<b>x</b>');
    const st = await state(s);
    expect(st.layers['sensors']!.visible).toBe(false);
    expect(st.lang).toBe('en');
    expect(st.live).toBe(true);
    const texts = st.notices.map((n) => n.text).join('\n');
    expect(texts).toMatch(/camera/);
    expect(texts).toMatch(/layer names/);
    expect(texts).toMatch(/language/);
    expect(texts).toMatch(/time/);
    expect(texts).toMatch(/unknown parameter/);
    await expect(s.page.locator('.notice').first().isVisible()).resolves.toBe(true);
    expect(await s.page.locator('#ui img, #ui b').count()).toBe(0);
    expect(s.pageErrors).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
  });

  it('carries the analysis: the coverage comparison, the sun study and the workspace, and copies the link', async () => {
    await open(s, 'ws=coverage&cov=230-03,262-02,3500,diff,-108,-92&sun=1&hide=sensors,climate');
    await s.page.waitForFunction(() => {
      const g = (window as unknown as { sddiTwin: { store: { getState(): { layers: Record<string, { coverage?: { frames: number } }> } } } }).sddiTwin.store.getState();
      return (g.layers['coverage']?.coverage?.frames ?? 0) > 0;
    }, null, { timeout: 180_000 });
    const got = await s.page.evaluate(() => {
      const g = (window as unknown as { sddiTwin: { store: { getState(): { sunStudy: boolean; workspace: string; layers: Record<string, { coverage?: Record<string, unknown> }> } } } }).sddiTwin.store.getState();
      const c = g.layers['coverage']!.coverage!;
      return { sun: g.sunStudy, ws: g.workspace, a: c['a'], b: c['b'], band: c['bandMHz'], mode: c['mode'], covered: c['coveredDbm'], good: c['goodDbm'] };
    });
    expect(got).toEqual({ sun: true, ws: 'coverage', a: '230-03', b: '262-02', band: 3500, mode: 'diff', covered: -108, good: -92 });
    expect((await state(s)).notices).toEqual([]);
    // The page's own link says the same, so "Copy link" hands it on.
    const link = decodeUrlState(await s.page.evaluate(() => location.hash));
    expect(link.state).toMatchObject({ workspace: 'coverage', sun: true, coverage: { a: '230-03', b: '262-02', bandMHz: 3500, mode: 'diff', coveredDbm: -108, goodDbm: -92 } });
    await s.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.baseUrl).origin });
    await s.page.click('[data-testid="copy-link"]');
    await s.page.waitForFunction(() => [...document.querySelectorAll('.notice')].some((n) => /clipboard|by hand|link to this view/i.test(n.textContent ?? '')), null, { timeout: 10_000 });
    const copied = await s.page.evaluate(() => navigator.clipboard.readText().catch(() => null));
    if (copied !== null) expect(decodeUrlState(new URL(copied).hash).state.coverage?.a).toBe('230-03');
    expect(s.pageErrors).toEqual([]);
  });
});
