/**
 * Presentations in Chromium against the production build: a two-slide story is built in the story panel, played
 * with the keys a presentation clicker sends (the camera arrives at each slide's camera, the caption is shown as
 * text), then with autoplay; a kiosk link plays it with every editing control hidden; and after "Prepare for
 * offline" the server is taken down and the story plays again with no request failing.
 */
import { describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { setCamera, stopServer, openTwin, twinSession, waitIdle, type Session } from './harness';

interface Cam { lonDeg: number; latDeg: number; heightM: number; headingDeg: number; pitchDeg: number; rollDeg: number }
interface Slide { id: string; camera: Cam; hiddenLayers: string[]; caption: Record<string, string>; durationS: number }
interface State {
  camera: Cam | null;
  stories: Array<{ id: string; slides: Slide[] }>;
  storyId: string | null;
  slideIndex: number;
  presenting: boolean;
  layers: Record<string, { visible: boolean; status: string; sensors?: { connection: string } }>;
  offline: { status: string; cachedFiles: number; totalFiles: number; cachedBytes: number };
  setTime(iso: string): void;
}
type Twin = { store: { getState(): State } };

const state = (page: Page) => page.evaluate(() => {
  const s = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
  return { camera: s.camera, stories: s.stories, storyId: s.storyId, slideIndex: s.slideIndex, presenting: s.presenting, layers: s.layers, offline: s.offline };
});

const CAM_1: Cam = { lonDeg: 13.38, latDeg: 49.74, heightM: 25_000, headingDeg: 0, pitchDeg: -70, rollDeg: 0 };
const CAM_2: Cam = { lonDeg: 12.026, latDeg: 48.995, heightM: 1_000, headingDeg: 350, pitchDeg: -32, rollDeg: 0 };
// Every overlay off: the heatmap, the climate record and coverage.
const SLIDE_2_HIDDEN = ['boundaries', 'sensors', 'climate', 'coverage'];
const CAPTION_1 = { en: 'Plzeň from above: terrain and imagery', cs: 'Plzeň shora: terén a snímek', de: 'Pilsen von oben: Gelände und Luftbild' };
// Markup in a caption is text: it shows as typed, and nothing is built from it.
const CAPTION_2 = { en: 'Regensburg-West: 1,781 buildings with their real roofs (LoD2)', cs: 'Řezno-západ: 1 781 budov se skutečnými střechami (LoD2)', de: 'Regensburg-West <img src=x onerror="window.pwned=1"> Gebäude' };

/** Wait until the store's settled camera is the slide's camera and the caption on screen is its text. */
async function arrivesAt(page: Page, cam: Cam, caption: string, index: number): Promise<void> {
  await page.waitForFunction(([c, i]) => {
    const s = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
    const now = s.camera;
    return s.slideIndex === i && now !== null && Math.abs(now.lonDeg - c.lonDeg) < 1e-4 && Math.abs(now.latDeg - c.latDeg) < 1e-4 && Math.abs(now.heightM - c.heightM) < c.heightM * 1e-3;
  }, [cam, index] as const, { timeout: 60_000 });
  await expect(page.locator('[data-testid="slide-caption"]').textContent()).resolves.toBe(caption);
}

/** A test that failed mid-presentation leaves it running: the next one starts from the panel. */
async function stopPresenting(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { setPresenting(p: boolean): void } } } }).sddiTwin.store.getState().setPresenting(false));
}

async function fillCaptions(page: Page, caption: Record<string, string>): Promise<void> {
  for (const [lang, text] of Object.entries(caption)) {
    const area = page.locator(`[data-testid="caption-${lang}"]`);
    await area.fill(text);
    // Captions are written on change (settled), as a person leaves the field.
    await area.press('Tab');
  }
}

describe('stories and presentations in Chromium', () => {
  // Every layer on (`hide=` lists none): the test covers all of them.
  const session = twinSession((s) => openTwin(s, 'hide='));
  let storyId = '';

  it('builds a two-slide story in the panel (keyboard reachable, captions in three languages)', async () => {
    const s: Session = session();
    const page = s.page;
    await page.locator('[data-testid="story-button"]').focus();
    await page.keyboard.press('Enter');
    // The panel's code is fetched when it is first opened.
    await page.locator('[data-testid="story-panel"]').waitFor({ state: 'visible', timeout: 30_000 });
    await expect(page.locator('[data-testid="story-button"]').getAttribute('aria-expanded')).resolves.toBe('true');
    await page.click('[data-testid="story-new"]');

    await setCamera(page, CAM_1);
    await page.click('[data-testid="story-add-slide"]');
    await fillCaptions(page, CAPTION_1);

    await setCamera(page, CAM_2);
    // The second slide shows the buildings on the terrain: the border, the sensor heatmap and coverage are off.
    for (const id of SLIDE_2_HIDDEN) await page.locator(`[data-layer="${id}"] .layer-row input[type="checkbox"]`).uncheck();
    await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setTime('2025-10-26T09:00:00Z'));
    await page.click('[data-testid="story-add-slide"]');
    await fillCaptions(page, CAPTION_2);

    await session().screenshot('story-panel');
    const st = await state(page);
    const story = st.stories.find((x) => x.id === st.storyId)!;
    storyId = story.id;
    expect(story.slides).toHaveLength(2);
    expect(story.slides[0]!.caption).toEqual(CAPTION_1);
    expect(story.slides[1]!.caption).toEqual(CAPTION_2);
    expect(story.slides[1]!.hiddenLayers.toSorted()).toEqual(SLIDE_2_HIDDEN.toSorted());
    expect(story.slides[0]!.hiddenLayers).toEqual([]);
    // Saved in the browser, so a link with the story id works on this machine.
    // One record per story (timer 0: saved at the next turn of the event loop).
    const saved = await page.waitForFunction((id) => localStorage.getItem(`sddi-twin.story.${id}`), storyId);
    expect(JSON.parse((await saved.jsonValue()) as string)).toMatchObject({ item: { id: storyId, slides: [{}, {}] } });
    // Keyboard reordering: Alt+↑ on the second slide moves it first; Alt+↓ puts it back.
    const second = page.locator(`[data-slide="${story.slides[1]!.id}"]`);
    await second.focus();
    await page.keyboard.press('Alt+ArrowUp');
    expect((await state(page)).stories[0]!.slides.map((x) => x.id)).toEqual([story.slides[1]!.id, story.slides[0]!.id]);
    await page.keyboard.press('Alt+ArrowDown');
    expect((await state(page)).stories[0]!.slides.map((x) => x.id)).toEqual(story.slides.map((x) => x.id));
  });

  it('plays with the keys a clicker sends: the camera arrives at each slide and its caption is shown', async () => {
    const page = session().page;
    await page.click(`[data-slide="${(await state(page)).stories[0]!.slides[0]!.id}"]`);
    await page.click('[data-testid="story-play"]');
    await expect(page.locator('[data-testid="presenter"]').isVisible()).resolves.toBe(true);
    // Every editing control is hidden while presenting.
    for (const sel of ['.layers', '[data-testid="story-panel"]', '.toolbar', '.timeline']) await expect(page.locator(sel).first().isVisible(), sel).resolves.toBe(false);
    await arrivesAt(page, CAM_1, CAPTION_1.en, 0);
    expect((await state(page)).layers['boundaries']!.visible).toBe(true);
    // Slide 1 shows the heatmap and coverage: each with its legend, its label and (the heatmap) its time.
    const legends = page.locator('[data-testid="slide-legends"]');
    await expect(legends.isVisible()).resolves.toBe(true);
    await expect(legends.locator('[data-legend="sensors"]').textContent()).resolves.toMatch(/simulated/);
    await expect(legends.locator('[data-legend="sensors"] [data-testid="slide-time"]').textContent()).resolves.toMatch(/\d{4}, \d\d:\d\d GMT[+-]\d/);
    await expect(legends.locator('[data-legend="coverage"]').textContent()).resolves.toMatch(/modelled/);
    await page.keyboard.press('ArrowRight');
    await arrivesAt(page, CAM_2, CAPTION_2.en, 1);
    expect((await state(page)).layers['boundaries']!.visible).toBe(false);
    // Slide 2 shows no overlay: no legend.
    await expect(legends.isVisible()).resolves.toBe(false);
    await page.keyboard.press('ArrowLeft');
    await arrivesAt(page, CAM_1, CAPTION_1.en, 0);
    await page.keyboard.press('PageDown');
    await arrivesAt(page, CAM_2, CAPTION_2.en, 1);
    await page.keyboard.press('PageUp');
    await arrivesAt(page, CAM_1, CAPTION_1.en, 0);
    await page.keyboard.press('Space');
    await arrivesAt(page, CAM_2, CAPTION_2.en, 1);
    // The caption follows the UI language.
    await page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { setLang(l: string): void } } } }).sddiTwin.store.getState().setLang('cs'));
    await expect(page.locator('[data-testid="slide-caption"]').textContent()).resolves.toBe(CAPTION_2.cs);
    await page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { setLang(l: string): void } } } }).sddiTwin.store.getState().setLang('de'));
    await expect(page.locator('[data-testid="slide-caption"]').textContent()).resolves.toBe(CAPTION_2.de);
    expect(await page.locator('.slide-caption img').count()).toBe(0);
    await page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { setLang(l: string): void } } } }).sddiTwin.store.getState().setLang('en'));
    await waitIdle(page);
    await session().screenshot('story-slide');
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
    expect(await page.locator('.slide-caption img').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !(window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().presenting);
    // The panel's code is fetched when it is first opened.
    await page.locator('[data-testid="story-panel"]').waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('autoplays: each slide stays its duration after the flight, and the story starts over', async () => {
    const page = session().page;
    for (const id of (await state(page)).stories[0]!.slides.map((x) => x.id)) {
      await page.click(`[data-slide="${id}"]`);
      await page.locator('[data-testid="slide-duration"]').fill('3');
      await page.locator('[data-testid="slide-duration"]').press('Tab');
    }
    expect((await state(page)).stories[0]!.slides.map((x) => x.durationS)).toEqual([3, 3]);
    await page.click(`[data-slide="${(await state(page)).stories[0]!.slides[0]!.id}"]`);
    await page.click('[data-testid="story-play"]');
    await arrivesAt(page, CAM_1, CAPTION_1.en, 0);
    await page.click('[data-testid="present-autoplay"]');
    const started = Date.now();
    await arrivesAt(page, CAM_2, CAPTION_2.en, 1);
    // 3 s on the first slide (counted from the camera's arrival), then the 3 s flight.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_500);
    await arrivesAt(page, CAM_1, CAPTION_1.en, 0);
    await page.click('[data-testid="present-exit"]');
    const st = await state(page);
    expect(st.presenting).toBe(false);
  });


  it('a kiosk link plays the story with every editing control hidden', async () => {
    const s = session();
    await stopPresenting(s.page);
    const kiosk = await s.page.context().newPage();
    const errors: string[] = [];
    kiosk.on('pageerror', (e) => errors.push(e.message));
    await kiosk.goto(`${s.baseUrl}#story=${storyId}&slide=2&kiosk=1&render=lite`);
    // The link's slide (2) comes first, with its caption; autoplay moves on a few seconds later, so slide and caption
    // are read together, in the page, as it starts (a busy page can take seconds between two separate reads).
    await kiosk.waitForFunction((caption) => {
      const st = 'sddiTwin' in window ? (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState() : null;
      return st !== null && st.presenting && st.slideIndex === 1 && document.querySelector('[data-testid="slide-caption"]')?.textContent === caption;
    }, CAPTION_2.en, { timeout: 180_000, polling: 100 });
    try {
      // (No wait for an idle scene here: a kiosk never stops flying from slide to slide.)
      for (const sel of ['.layers', '[data-testid="story-panel"]', '.toolbar', '.timeline', '.import-button', '[data-testid="present-exit"]', '[data-testid="present-autoplay"]']) {
        expect(await kiosk.locator(sel).filter({ visible: true }).count(), sel).toBe(0);
      }
      // Escape does not leave a kiosk; autoplay keeps it going.
      await kiosk.keyboard.press('Escape');
      expect(await kiosk.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().presenting)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      // A kiosk plays until closed: left open it would take the CPU from the next test.
      await kiosk.close();
    }
  });

  it('after "Prepare for offline", plays again with the server gone and no request failing', async () => {
    const s = session();
    const page = s.page;
    await stopPresenting(page);
    await page.waitForFunction(() => {
      const o = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().offline;
      return o.status === 'ready' || o.status === 'error';
    }, undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.click('[data-testid="offline-prepare"]');
    await page.locator('[data-testid="story-offline"][data-offline="complete"]').waitFor({ timeout: 180_000 });
    const o = (await state(page)).offline;
    expect(o.cachedFiles).toBe(o.totalFiles);
    console.log(`offline: ${o.cachedFiles} dataset files, ${(o.cachedBytes / 1048576).toFixed(1)} MB cached`);
    await expect(page.locator('[data-testid="story-offline"]').textContent()).resolves.toMatch(/Ready to present without network/);

    const failed: string[] = [];
    const fromNetwork: string[] = [];
    const onFailed = (r: Request) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`);
    const onFinished = async (r: Request) => {
      const res = await r.response();
      if (res && !res.fromServiceWorker()) fromNetwork.push(r.url());
    };
    // The network is gone: the server is down and the browser is offline.
    await stopServer();
    await page.context().setOffline(true);
    const probe = `${s.baseUrl}not-cached-${Date.now()}.json`;
    expect(await page.evaluate((u) => fetch(u).then(() => 'answered', () => 'failed'), probe)).toBe('failed');
    page.context().on('requestfailed', onFailed);
    page.on('requestfinished', onFinished);

    await page.click(`[data-slide="${(await state(page)).stories[0]!.slides[0]!.id}"]`);
    await page.click('[data-testid="story-play"]');
    await arrivesAt(page, CAM_1, CAPTION_1.en, 0);
    await waitIdle(page);
    await page.keyboard.press('ArrowRight');
    await arrivesAt(page, CAM_2, CAPTION_2.en, 1);
    await waitIdle(page);
    await s.screenshot('story-slide-offline');
    await page.keyboard.press('Escape');
    page.context().off('requestfailed', onFailed);
    page.off('requestfinished', onFinished);
    expect(failed).toEqual([]);
    expect(fromNetwork).toEqual([]);

    // A cold start with no network (the laptop at the venue, the page opened again): a new tab of the same
    // browser loads the shell's module scripts, the dataset and the story from the offline cache alone.
    const coldStory = (await state(page)).stories[0]!.id;
    const cold = await page.context().newPage();
    const coldFailed: string[] = [];
    // The sensor services (live /sta/, the climate record's /sta-climate/) are never cached: their requests fail
    // offline, the live layer says so (below) and the climate record falls back to its cached file.
    cold.on('requestfailed', (r) => {
      if (!/^\/sta(-climate)?\//.test(new URL(r.url()).pathname)) coldFailed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`);
    });
    cold.on('pageerror', (e) => coldFailed.push(e.message));
    await cold.goto(`${s.baseUrl}#render=lite&story=${coldStory}&slide=1`);
    await waitIdle(cold);
    const after = await state(cold);
    expect(after.storyId).toBe(coldStory);
    expect(Object.entries(after.layers).filter(([id, l]) => id !== 'sensors' && l.visible && l.status === 'error')).toEqual([]);
    expect(after.layers['sensors']?.sensors?.connection).toBe('offline');
    await cold.screenshot({ path: `${import.meta.dirname}/.artifacts/story-cold-start-offline.png` });
    await cold.close();
    expect(coldFailed).toEqual([]);
  });

  it('had no page errors, CSP violations or foreign requests', async () => {
    const s = session();
    expect(s.pageErrors).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
