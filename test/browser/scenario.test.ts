/**
 * Scenarios in Chromium against the production build: a building drawn with clicks on the terrain and extruded
 * (meshed in the scenario worker, a glTF model on the ground), undo and redo, still there after a reload
 * (IndexedDB and the link's `sc`), exported as GeoJSON in S-JTSK and imported back to the same place (≤ 1 cm),
 * variant A and B side by side at the divider (pixels), and nothing leaving the page's origin.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { setCamera, openTwin, twinSession, waitIdle, type Session } from './harness';

type LonLat = [number, number];
interface Building { id: string; footprint: LonLat[]; heightM: number; roof: string }
interface Scenario { id: string; name: string; parentId: string | null; buildings: Building[]; demolitions: Array<{ featureId: string }> }
interface State {
  scenarios: Scenario[];
  activeScenarioId: string | null;
  scenarioFrames: number;
  scenarioCompare: { a: string; b: string } | null;
  notices: Array<{ level: string; text: string }>;
  setActiveScenario(id: string | null): void;
  moveObject(id: string, e: number, n: number): void;
  updateBuilding(id: string, p: Partial<Building>): void;
  setScenarioSplit(f: number): void;
}
type Twin = {
  store: { getState(): State };
  toWindow(lon: number, lat: number, h: number): { x: number; y: number } | null;
  sampleTerrainM(lon: number, lat: number): Promise<number | null>;
  pickFeature(x: number, y: number): { layerId: string; feature: number } | null;
};

/** Plzeň, on the 1″ terrain model: open ground east of the centre. */
const CENTRE: LonLat = [13.3895, 49.7445];
const R = 6_371_008.8;
const metres = ([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number =>
  R * Math.hypot(((lat2 - lat1) * Math.PI) / 180, ((lon2 - lon1) * Math.PI) / 180 * Math.cos((lat1 * Math.PI) / 180));
/** A point `e`, `n` metres from CENTRE. */
const offset = (e: number, n: number): LonLat => [CENTRE[0] + (e / (R * Math.cos((CENTRE[1] * Math.PI) / 180))) * (180 / Math.PI), CENTRE[1] + (n / R) * (180 / Math.PI)];

const state = (s: Session) => s.page.evaluate(() => {
  const g = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
  return { scenarios: g.scenarios, activeScenarioId: g.activeScenarioId, scenarioFrames: g.scenarioFrames, scenarioCompare: g.scenarioCompare, notices: g.notices };
});
const active = async (s: Session): Promise<Scenario | undefined> => {
  const st = await state(s);
  return st.scenarios.find((x) => x.id === st.activeScenarioId);
};

/** Waits until the scenario layer has drawn again after `frames`, then for the scene to settle. */
async function drawn(s: Session, frames: number): Promise<void> {
  await s.page.waitForFunction((f) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().scenarioFrames > f, frames, { timeout: 120_000 });
  await waitIdle(s.page);
}

/** What the scene shows at a geographic point: the scenario layer's model, or something else. */
async function pickedLayer(s: Session, at: LonLat): Promise<string | null> {
  return s.page.evaluate(async ([lon, lat]) => {
    const twin = (window as unknown as { sddiTwin: Twin }).sddiTwin;
    const ground = (await twin.sampleTerrainM(lon, lat)) ?? 0;
    const w = twin.toWindow(lon, lat, ground + 5);
    return w ? (twin.pickFeature(w.x, w.y)?.layerId ?? null) : null;
  }, at);
}

/** Share of saturated magenta pixels (proposed buildings) in a vertical band of the screenshot. */
function magentaShare(png: PNG, x0: number, x1: number): number {
  let n = 0, total = 0;
  for (let y = Math.floor(png.height * 0.1); y < png.height * 0.85; y++) {
    for (let x = Math.floor(png.width * x0); x < png.width * x1; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      total++;
      if (r > 60 && b > 25 && g < 0.45 * r && r > 1.2 * b) n++;
    }
  }
  return n / total;
}

/** Unfolds the scenario panel (it starts folded on every page load). */
async function openPanel(s: Session): Promise<void> {
  const toggle = s.page.locator('[data-testid="scenario-toggle"]');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

async function sceneShot(s: Session, name: string): Promise<PNG> {
  // The panels sit over the map: hidden for the pixel count, shown again after.
  await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.panel, .swipe-label').forEach((e) => (e.style.visibility = 'hidden')));
  const png = PNG.sync.read(readFileSync(await s.screenshot(name)));
  await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.panel, .swipe-label').forEach((e) => (e.style.visibility = '')));
  return png;
}

describe('scenarios in Chromium', () => {
  const session = twinSession((s) => openTwin(s, 'ws=plan'));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('draws a building with clicks on the terrain, extrudes it, undoes and redoes it, and keeps it over a reload', async () => {
    await setCamera(s.page, { lonDeg: CENTRE[0], latDeg: CENTRE[1], heightM: 900 });
    await openPanel(s);
    await s.page.click('[data-testid="scenario-new"]');
    await s.page.click('[data-testid="scenario-draw"]');
    // A 40 m × 24 m rectangle, corner by corner, on the ground.
    const corners = [offset(-20, -12), offset(20, -12), offset(20, 12), offset(-20, 12)];
    for (const c of corners) {
      const w = await s.page.evaluate(async ([lon, lat]) => {
        const twin = (window as unknown as { sddiTwin: Twin }).sddiTwin;
        return twin.toWindow(lon, lat, (await twin.sampleTerrainM(lon, lat)) ?? 0);
      }, c);
      expect(w).not.toBeNull();
      await s.page.mouse.click(w!.x, w!.y);
    }
    // The hint counts the corners placed so far.
    await s.page.waitForFunction(() => (document.querySelector('.scenario .drawing .hint')?.textContent ?? '').endsWith(': 4'), undefined, { timeout: 5000 });
    const frames = (await state(s)).scenarioFrames;
    await s.page.keyboard.press('Enter');
    await drawn(s, frames);
    const sc = (await active(s))!;
    expect(sc.buildings).toHaveLength(1);
    const b = sc.buildings[0]!;
    b.footprint.forEach((p, i) => expect(metres(p, corners[i]!)).toBeLessThan(1.5));
    expect(await pickedLayer(s, CENTRE)).toBe('scenario');
    // Oriented as drawn: 40 m east–west, 24 m north–south.
    expect(await pickedLayer(s, offset(16, 0))).toBe('scenario');
    expect(await pickedLayer(s, offset(-16, 0))).toBe('scenario');
    expect(await pickedLayer(s, offset(0, 17))).not.toBe('scenario');
    // The info panel says "proposed" for it.
    const w = await s.page.evaluate(([lon, lat]) => (window as unknown as { sddiTwin: Twin }).sddiTwin.toWindow(lon, lat, 300), CENTRE);
    await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.panel.scenario').forEach((e) => (e.style.visibility = 'hidden')));
    await s.page.mouse.click(w!.x, w!.y);
    await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.panel.scenario').forEach((e) => (e.style.visibility = '')));
    await expect(s.page.locator('.info').textContent()).resolves.toMatch(/proposed/);
    await s.screenshot('scenario-drawn');

    // Height, storeys and roof from the panel: a new model.
    let f = (await state(s)).scenarioFrames;
    await s.page.fill('[data-testid="scenario-heightM"]', '24');
    await s.page.locator('[data-testid="scenario-heightM"]').dispatchEvent('change');
    await s.page.selectOption('[data-testid="scenario-roof"]', 'gable');
    await drawn(s, f);
    expect((await active(s))!.buildings[0]).toMatchObject({ heightM: 24, roof: 'gable' });

    // Undo (button and Ctrl+Z) and redo (Ctrl+Shift+Z).
    f = (await state(s)).scenarioFrames;
    await s.page.click('[data-testid="scenario-undo"]');
    await s.page.click('[data-testid="scenario-undo"]');
    await s.page.click('[data-testid="scenario-undo"]');
    await drawn(s, f);
    expect((await active(s))!.buildings).toHaveLength(0);
    expect(await pickedLayer(s, CENTRE)).not.toBe('scenario');
    f = (await state(s)).scenarioFrames;
    await s.page.locator('body').focus();
    await s.page.keyboard.press('Control+Shift+Z');
    await s.page.keyboard.press('Control+Shift+Z');
    await s.page.keyboard.press('Control+Shift+Z');
    await drawn(s, f);
    expect((await active(s))!.buildings[0]).toMatchObject({ heightM: 24, roof: 'gable' });
    expect(await pickedLayer(s, CENTRE)).toBe('scenario');

    // Saved in IndexedDB; the link names the scenario.
    const id = (await state(s)).activeScenarioId!;
    await s.page.waitForTimeout(800);
    expect(s.page.url()).toContain(`sc=${id}`);
    await s.page.reload();
    await waitIdle(s.page);
    // The saved state arrives from IndexedDB after the scene's first (empty) scenario frame.
    await s.page.waitForFunction(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().scenarios.length > 0, undefined, { timeout: 120_000 });
    const after = await state(s);
    expect(after.activeScenarioId).toBe(id);
    expect(after.scenarios.find((x) => x.id === id)!.buildings[0]).toMatchObject({ heightM: 24, roof: 'gable', footprint: b.footprint });
    await expect.poll(() => pickedLayer(s, CENTRE), { timeout: 120_000, interval: 1000 }).toBe('scenario');
    await s.screenshot('scenario-reloaded');
  });

  it('exports the scenario as GeoJSON in S-JTSK and imports it back to the same place within 1 cm', async () => {
    await openPanel(s);
    const original = (await active(s))!;
    await s.page.selectOption('[data-testid="scenario-export-crs"]', '5514');
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid="scenario-export"]')]);
    expect(download.suggestedFilename()).toMatch(/EPSG5514\.geojson$/);
    const text = readFileSync(await download.path(), 'utf8');
    const doc = JSON.parse(text) as { crs: { properties: { name: string } }; features: Array<{ geometry: { coordinates: number[][][] } }> };
    expect(doc.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::5514');
    expect(doc.features[0]!.geometry.coordinates[0]![0]![0]).toBeLessThan(0);
    const count = (await state(s)).scenarios.length;
    await s.page.locator('[data-testid="scenario-import-input"]').setInputFiles({ name: 'plan-sjtsk.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(text) });
    await s.page.waitForFunction((n) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().scenarios.length > n, count, { timeout: 120_000 });
    const back = (await active(s))!;
    expect(back.id).not.toBe(original.id);
    expect(back.buildings).toHaveLength(1);
    expect(back.buildings[0]).toMatchObject({ heightM: 24, roof: 'gable' });
    const worst = Math.max(...original.buildings[0]!.footprint.map((p, i) => metres(p, back.buildings[0]!.footprint[i]!)));
    console.log(`S-JTSK round trip: worst corner ${(worst * 1000).toFixed(2)} mm`);
    expect(worst).toBeLessThan(0.01);
    const notices = (await state(s)).notices;
    expect(notices.at(-1)!.text).toMatch(/plan-sjtsk\.geojson.*EPSG:5514/);
    await s.page.evaluate((id) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setActiveScenario(id), original.id);
  });

  it('shows variant A left and variant B right of the divider', async () => {
    await openPanel(s);
    const a = (await active(s))!;
    let f = (await state(s)).scenarioFrames;
    await s.page.click('[data-testid="scenario-branch"]');
    const b = (await active(s))!;
    expect(b.parentId).toBe(a.id);
    // Variant B: the building moved 90 m east and raised; A keeps it where it was.
    await s.page.evaluate(([id]) => {
      const st = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      st.moveObject(id!, 90, 0);
      st.updateBuilding(id!, { heightM: 40 });
    }, [b.buildings[0]!.id]);
    await drawn(s, f);
    const heights = (await state(s)).scenarios.filter((x) => x.id === a.id || x.id === b.id).map((x) => x.buildings[0]!.heightM);
    expect(heights).toEqual([24, 40]);
    await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.notice button').forEach((button) => button.click()));
    f = (await state(s)).scenarioFrames;
    await s.page.selectOption('[data-testid="scenario-compare-a"]', a.id);
    await s.page.selectOption('[data-testid="scenario-compare-b"]', b.id);
    await s.page.click('[data-testid="scenario-compare"]');
    await drawn(s, f);
    expect((await state(s)).scenarioCompare).toEqual({ a: a.id, b: b.id });
    await expect(s.page.locator('[data-testid="scenario-swipe"]').isVisible()).resolves.toBe(true);
    await expect(s.page.locator('[data-testid="scenario-metrics"] thead th').allTextContents()).resolves.toEqual([`A: ${a.name}`, `B: ${b.name}`]);
    // Max. height per variant in the metrics table.
    await expect(s.page.locator('[data-testid="scenario-metrics"] tbody tr').nth(2).locator('td').allTextContents()).resolves.toEqual(['24 m', '40 m']);
    // Extruded as set: the roofs' ridges stand 24 m and 40 m above their ground (seen straight down, split at the middle).
    await setCamera(s.page, { lonDeg: offset(45, 0)[0], latDeg: CENTRE[1], heightM: 900 });
    // The window point of the expected ridge, so the view's perspective does not move the pick off it.
    const ridge = async (at: LonLat, expectedM: number): Promise<number> => s.page.evaluate(async ([lon, lat, h]) => {
      const twin = (window as unknown as { sddiTwin: Twin & { pickPosition(x: number, y: number): { heightM: number } | null } }).sddiTwin;
      const ground = (await twin.sampleTerrainM(lon!, lat!)) ?? 0;
      const w = twin.toWindow(lon!, lat!, ground + h!)!;
      return (twin.pickPosition(w.x, w.y)?.heightM ?? Number.NaN) - ground;
    }, [at[0], at[1], expectedM]);
    // Within 1.5 m: a model stands on the lowest ground of its footprint.
    const [ridgeA, ridgeB] = [await ridge(CENTRE, 24), await ridge(offset(90, 0), 40)];
    console.log(`ridges above the ground at the centre: A ${ridgeA.toFixed(2)} m, B ${ridgeB.toFixed(2)} m`);
    expect(Math.abs(ridgeA - 24)).toBeLessThan(1.5);
    expect(Math.abs(ridgeB - 40)).toBeLessThan(1.5);
    // Looking north at both from the south, tilted: walls and roofs in view.
    await setCamera(s.page, { lonDeg: offset(45, 0)[0], latDeg: offset(0, -270)[1], heightM: 640, pitchDeg: -45 });
    const both = await sceneShot(s, 'scenario-compare');
    // A's building is left of the centre, B's right of it: both visible, each on its side of the divider.
    expect(magentaShare(both, 0.3, 0.5)).toBeGreaterThan(0.003);
    expect(magentaShare(both, 0.5, 0.7)).toBeGreaterThan(0.003);
    // The divider at the far left: everything is B's side, so A's building is gone and B's stays.
    await s.page.locator('[data-testid="scenario-swipe"]').focus();
    for (let i = 0; i < 30; i++) await s.page.keyboard.press('ArrowLeft');
    await waitIdle(s.page);
    const onlyB = await sceneShot(s, 'scenario-compare-b');
    expect(magentaShare(onlyB, 0.3, 0.45)).toBeLessThan(magentaShare(both, 0.3, 0.45) / 5);
    expect(magentaShare(onlyB, 0.55, 0.7)).toBeGreaterThan(0.003);
    await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setScenarioSplit(0.5));
  });

  it('marks the selected existing building to be demolished: hidden while its scenario is shown', async () => {
    const target = JSON.parse(readFileSync(new URL('../fixtures/buildings/click-target.json', import.meta.url), 'utf8')) as { id: string; lonDeg: number; latDeg: number; groundEllipsoidalM: number };
    await s.page.evaluate(() => {
      const st = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState() as State & { setScenarioCompare(c: null): void };
      st.setScenarioCompare(null);
    });
    await setCamera(s.page, { lonDeg: target.lonDeg, latDeg: target.latDeg, heightM: target.groundEllipsoidalM + 400, pitchDeg: -90 });
    const box = (await s.page.locator('#scene canvas').boundingBox())!;
    const selectedId = async (): Promise<string | undefined> => {
      // The info panel of the last pick may cover the middle of the scene: closed first.
      await s.page.evaluate(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState() as State & { select(v: null): void }).select(null));
      await s.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await s.page.waitForTimeout(300);
      return s.page.evaluate(() => {
        const sel = ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState() as State & { selection: { properties: Array<[string, string]> } | null }).selection;
        return sel?.properties.find(([k]) => k === 'id')?.[1];
      });
    };
    expect(await selectedId()).toBe(target.id);
    await openPanel(s);
    await s.page.click('[data-testid="scenario-demolish"]');
    expect((await active(s))!.demolitions.map((d) => d.featureId)).toEqual([target.id]);
    await waitIdle(s.page);
    expect(await selectedId()).not.toBe(target.id);
    await s.screenshot('scenario-demolished');
    await s.page.click('[data-testid="scenario-undo"]');
    expect((await active(s))!.demolitions).toEqual([]);
    await waitIdle(s.page);
    expect(await selectedId()).toBe(target.id);
  });

  it('had no page errors, CSP violations or requests to other hosts', async () => {
    expect(s.pageErrors).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
