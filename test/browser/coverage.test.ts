/**
 * Coverage comparison in Chromium against the production build: two operators' modelled layers load, the swipe
 * divider moves and each side shows its own layer (pixels), the difference and class maps and the statistics
 * appear, the CSV download holds the table's numbers, a row flies to its zone, a proposed mast recomputes only
 * the tiles it reaches, and bad files get a message that changes nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { PNG } from 'pngjs';
import { writeArrayBuffer } from 'geotiff';
import { beforeEach, describe, expect, it } from 'vitest';
import { plainTiff } from '../fixtures/tiff';
import { setCamera, openTwin, twinSession, waitIdle, type Session } from './harness';

interface StatsRow { group: string; zone: number; name: string; code: string; coveredPctA: number; coveredPctB: number; meanDbmA: number; meanDbmB: number; meanDiffDb: number }
interface CoverageInfo { a: string; b: string; mode: string; split: number; progress: number; frames: number; stats: StatsRow[]; sources: Array<{ id: string; kind: string; label: string }> }
interface State {
  layers: Record<string, { status: string; coverage?: CoverageInfo }>;
  notices: Array<{ level: string; text: string }>;
  jobs: Record<number, { key: string; method?: string }>;
  scenarios: Array<{ id: string; masts: unknown[] }>;
  activeScenarioId: string | null;
  camera: { lonDeg: number; latDeg: number } | null;
  patchCoverage(id: string, p: Partial<CoverageInfo>): void;
}
type Twin = { store: { getState(): State } };

const info = (s: Session) => s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['coverage']?.coverage ?? null);
const patch = (s: Session, p: Partial<CoverageInfo>) => s.page.evaluate((q) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().patchCoverage('coverage', q), p);

/** Waits until a new picture is drawn after `frames` and nothing is being modelled, then for the scene to settle. */
async function nextFrame(s: Session, frames: number): Promise<void> {
  await s.page.waitForFunction((f) => {
    const c = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['coverage']?.coverage;
    return c !== undefined && c.frames > f && c.progress === 1;
  }, frames, { timeout: 180_000 });
  await waitIdle(s.page);
}

/** Screenshot of the scene with the divider's labels hidden (they sit over the map), as pixels. */
async function scene(s: Session, name: string): Promise<PNG> {
  await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.swipe-label').forEach((e) => (e.style.visibility = 'hidden')));
  const png = PNG.sync.read(readFileSync(await s.screenshot(name)));
  await s.page.evaluate(() => document.querySelectorAll<HTMLElement>('.swipe-label').forEach((e) => (e.style.visibility = '')));
  return png;
}

/** Share of pixels differing by more than `tol` in a channel, in the box [x0, x1) × [y0, y1) (fractions of the size). */
function differing(a: PNG, b: PNG, [x0, x1]: [number, number], [y0, y1] = [0.1, 0.85], tol = 30): number {
  let n = 0;
  let total = 0;
  for (let y = Math.floor(a.height * y0); y < a.height * y1; y++) {
    for (let x = Math.floor(a.width * x0); x < a.width * x1; x++) {
      const i = (y * a.width + x) * 4;
      total++;
      if (Math.abs(a.data[i]! - b.data[i]!) > tol || Math.abs(a.data[i + 1]! - b.data[i + 1]!) > tol || Math.abs(a.data[i + 2]! - b.data[i + 2]!) > tol) n++;
    }
  }
  return n / total;
}

const num = (v: string | undefined): number => (v === '' || v === undefined ? Number.NaN : Number(v));

describe('coverage comparison in Chromium', () => {
  const session = twinSession((s) => openTwin(s, 'ws=coverage'));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('models two operators and shows A left and B right of a draggable divider (pixels)', async () => {
    await nextFrame(s, 0);
    const first = (await info(s))!;
    expect(first.sources.filter((x) => x.kind === 'modelled').length).toBe(6);
    await expect(s.page.locator('[data-testid="coverage-panel"]').isVisible()).resolves.toBe(true);
    // Two German operators with dense sites in the same valleys, south of Cham: both cover much of the view.
    await setCamera(s.page, { lonDeg: 12.13, latDeg: 49.0, heightM: 90_000 });
    const f0 = first.frames;
    // The divider at the far right shows A everywhere, at the far left B everywhere (with B's site markers).
    await patch(s, { a: '262-01', b: '262-03', mode: 'swipe', split: 0.98 });
    await nextFrame(s, f0);
    const onlyA = await scene(s, 'coverage-only-a');
    await patch(s, { split: 0.02 });
    await waitIdle(s.page);
    const onlyB = await scene(s, 'coverage-only-b');
    // The two operators' maps differ on both halves of the view: otherwise the checks below could not fail.
    const left: [number, number] = [0.28, 0.48];
    const right: [number, number] = [0.52, 0.67];
    expect(differing(onlyA, onlyB, left)).toBeGreaterThan(0.02);
    expect(differing(onlyA, onlyB, right)).toBeGreaterThan(0.02);

    await patch(s, { split: 0.5 });
    await waitIdle(s.page);
    await expect(s.page.locator('[data-testid="swipe"]').isVisible()).resolves.toBe(true);
    const swipe = await scene(s, 'coverage-swipe');
    expect(differing(swipe, onlyA, left)).toBeLessThan(0.005);
    expect(differing(swipe, onlyB, right)).toBeLessThan(0.005);

    // Drag the divider to 35 % of the width: between 37 and 48 % the map is now B's.
    const box = (await s.page.locator('[data-testid="swipe"]').boundingBox())!;
    const y = box.y + box.height * 0.7;
    await s.page.mouse.move(box.x + box.width / 2, y);
    await s.page.mouse.down();
    await s.page.mouse.move(1280 * 0.42, y, { steps: 4 });
    await s.page.mouse.move(1280 * 0.35, y, { steps: 4 });
    await s.page.mouse.up();
    expect((await info(s))!.split).toBeCloseTo(0.35, 2);
    await waitIdle(s.page);
    const moved = await scene(s, 'coverage-swipe-moved');
    expect(differing(moved, onlyB, [0.37, 0.48])).toBeLessThan(0.005);
    expect(differing(moved, onlyA, [0.28, 0.33])).toBeLessThan(0.005);
    // The divider is a keyboard slider too.
    await s.page.locator('[data-testid="swipe"]').focus();
    await s.page.keyboard.press('ArrowRight');
    expect((await info(s))!.split).toBeCloseTo(0.37, 2);
  });

  it('draws the A − B difference and the classes, with their legends', async () => {
    const base = await scene(s, 'coverage-before-diff');
    await patch(s, { mode: 'diff' });
    await waitIdle(s.page);
    const diff = await scene(s, 'coverage-diff');
    await expect(s.page.locator('[data-testid="coverage-legend"]').textContent()).resolves.toMatch(/A − B/);
    expect(differing(diff, base, [0.28, 0.67])).toBeGreaterThan(0.02);
    await patch(s, { mode: 'classes' });
    await waitIdle(s.page);
    const classes = await scene(s, 'coverage-classes');
    await expect(s.page.locator('[data-testid="coverage-legend"]').textContent()).resolves.toMatch(/only A/);
    expect(differing(classes, diff, [0.28, 0.67])).toBeGreaterThan(0.02);
  });

  it('tabulates both sides of the border and every region, exports the same numbers as CSV, and flies to a row', async () => {
    const c = (await info(s))!;
    const sides = c.stats.filter((r) => r.group === 'side').map((r) => r.name);
    expect(sides.toSorted()).toEqual(['Deutschland', 'Česko']);
    expect(c.stats.filter((r) => r.group === 'unit').length).toBeGreaterThanOrEqual(3);
    const rows = s.page.locator('[data-testid="coverage-stats"] tbody tr');
    const towns = c.stats.filter((r) => r.group === 'municipality');
    // Every Gemeinde and obec of the region has its row (2,780 with cells in the grid); the table shows the sides
    // and regions until one asks for the municipalities.
    expect(towns.length).toBeGreaterThan(2700);
    await expect(rows.count()).resolves.toBe(c.stats.length - towns.length);

    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid="coverage-csv"]')]);
    const file = await download.path();
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const csv = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(csv.errors).toEqual([]);
    expect(csv.data).toHaveLength(c.stats.length);
    for (const r of c.stats) {
      // By code: names repeat (there are several Lhota among the obce).
      const line = csv.data.find((d) => d['zone_code'] === r.code && d['group'] === r.group)!;
      expect(line, r.name).toBeDefined();
      for (const [col, v] of [['covered_pct_a', r.coveredPctA], ['covered_pct_b', r.coveredPctB], ['mean_rsrp_dbm_a', r.meanDbmA], ['mean_diff_db', r.meanDiffDb]] as const) {
        if (Number.isNaN(v)) expect(line[col]).toBe('');
        // The CSV holds two decimals: within half a hundredth (45.625 is written 45.63).
        else expect(Math.abs(num(line[col]) - v), `${r.code} ${col}`).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    }

    const zones = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../tilesets/coverage/zones.json'), 'utf8')) as { planes: Array<{ id: string; units: Array<{ index: number; name: string; bbox: number[]; gridBbox: number[] | null }> }> };
    const plzen = zones.planes.find((p) => p.id === 'admin1')!.units.find((u) => u.name === 'Plzeňský kraj')!;
    const [w, so, e, n] = plzen.gridBbox ?? plzen.bbox;
    // The row shows the region's name in the UI language ("Plzeň Region"); it is found by its zone.
    await expect(s.page.locator(`[data-zone="unit-${plzen.index}"] th`).textContent()).resolves.toBe('Plzeň Region');
    await s.page.locator(`[data-zone="unit-${plzen.index}"]`).click();
    await s.page.waitForFunction(([lon, lat]) => {
      const cam = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().camera;
      return cam !== null && Math.abs(cam.lonDeg - lon!) < 0.01 && Math.abs(cam.latDeg - lat!) < 0.01;
    }, [(w! + e!) / 2, (so! + n!) / 2], { timeout: 30_000 });

    // The engineers' question per municipality: Domažlice found by a search without its accents, and flown to.
    await s.page.click('[data-testid="coverage-level-municipalities"]');
    await expect(rows.count()).resolves.toBe(60);
    await s.page.fill('[data-testid="coverage-search"]', 'domazlice');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().locator('th').textContent()).resolves.toBe('Domažlice');
    const domazlice = zones.planes.find((p) => p.id === 'municipality')!.units.find((u) => u.name === 'Domažlice')!;
    const [dw, ds, de, dn] = domazlice.gridBbox ?? domazlice.bbox;
    await rows.first().click();
    await s.page.waitForFunction(([lon, lat]) => {
      const cam = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().camera;
      return cam !== null && Math.abs(cam.lonDeg - lon!) < 0.01 && Math.abs(cam.latDeg - lat!) < 0.01;
    }, [(dw! + de!) / 2, (ds! + dn!) / 2], { timeout: 30_000 });
    await s.screenshot('coverage-municipality');
    await s.page.fill('[data-testid="coverage-search"]', '');
    await s.page.click('[data-testid="coverage-level-regions"]');
  });

  it('a proposed mast recomputes only the tiles it reaches', async () => {
    await patch(s, { mode: 'single', a: '262-01', b: '262-03' });
    await setCamera(s.page, { lonDeg: 12.4, latDeg: 49.25, heightM: 60_000 });
    const before = await s.page.evaluate(() => Math.max(0, ...Object.keys((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().jobs).map(Number)));
    const f = (await info(s))!.frames;
    await s.page.click('[data-testid="coverage-place-mast"]');
    await s.page.mouse.click(640, 420);
    await nextFrame(s, f);
    const st = await s.page.evaluate(() => {
      const g = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      return { masts: g.scenarios.find((x) => x.id === g.activeScenarioId)?.masts.length ?? 0, jobs: Object.entries(g.jobs).map(([id, j]) => ({ id: Number(id), key: j.key })) };
    });
    expect(st.masts).toBe(1);
    const tiles = new Set(st.jobs.filter((j) => j.id > before && j.key.startsWith('coverage:262-01:')).map((j) => j.key));
    // 1158 × 1396 cells in 128² tiles are 110 tiles; a mast with a 10 km reach touches at most 4 of 25.6 km.
    expect(tiles.size).toBeGreaterThan(0);
    expect(tiles.size).toBeLessThanOrEqual(4);
    await s.screenshot('coverage-mast');
  });

  it('imports a coverage grid as B; a file with unknown columns or a raster without georeference gets a message and changes nothing', async () => {
    const input = s.page.locator('[data-testid="coverage-import-input"]');
    const sourcesBefore = (await info(s))!.sources.length;
    const noticesBefore = (await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.length));
    await input.setInputFiles({ name: 'towers.csv', mimeType: 'text/csv', buffer: Buffer.from('tower;height\nA;30\n') });
    await s.page.waitForFunction((n) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.length > n, noticesBefore);
    let notices = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices);
    expect(notices.at(-1)!.level).toBe('error');
    expect(notices.at(-1)!.text).toMatch(/towers\.csv/);
    await input.setInputFiles({ name: 'plain.tif', mimeType: 'image/tiff', buffer: Buffer.from(plainTiff(new Float32Array([-90, -91, -92, -93]), 2, 2)) });
    await s.page.waitForFunction((n) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.length > n + 1, noticesBefore);
    notices = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices);
    expect(notices.at(-1)!.text).toMatch(/plain\.tif.*georeference/);
    // A planned site without an antenna height: the message names it, and no mast is placed.
    const mastsBefore = await s.page.evaluate(() => ((g) => g.scenarios.find((x) => x.id === g.activeScenarioId)?.masts.length ?? 0)((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState()));
    await s.page.locator('[data-testid="coverage-sites-input"]').setInputFiles({ name: 'planned.csv', mimeType: 'text/csv', buffer: Buffer.from('name,lon,lat,antenna_height\nCham Nord,12.66,49.24,35\nCham Süd,12.67,49.20,\n') });
    await s.page.waitForFunction((n) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.length > n + 2, noticesBefore);
    notices = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices);
    expect(notices.at(-1)!.level).toBe('error');
    expect(notices.at(-1)!.text).toMatch(/planned\.csv.*Cham Süd/);
    expect(await s.page.evaluate(() => ((g) => g.scenarios.find((x) => x.id === g.activeScenarioId)?.masts.length ?? 0)((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState()))).toBe(mastsBefore);
    const c = (await info(s))!;
    expect(c.sources.length).toBe(sourcesBefore);
    expect([c.a, c.b]).toEqual(['262-01', '262-03']);
    expect(await s.page.locator('.notice').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/towers\.csv/)]));

    // A 20 × 20 km raster of −85 dBm on 1 km cells in EPSG:3035 around Cham becomes B.
    const size = 20;
    const tif = writeArrayBuffer(new Float32Array(size * size).fill(-85), { width: size, height: size, ModelPixelScale: [1000, 1000, 0], ModelTiepoint: [0, 0, 0, 4_530_000, 2_910_000, 0], ProjectedCSTypeGeoKey: 3035, GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1 });
    const f = c.frames;
    await input.setInputFiles({ name: 'survey.tif', mimeType: 'image/tiff', buffer: Buffer.from(tif) });
    await nextFrame(s, f);
    const after = (await info(s))!;
    expect(after.b).toBe('file:survey.tif');
    expect(after.sources.find((x) => x.id === 'file:survey.tif')?.kind).toBe('imported');
  });

  it('had no page errors, CSP violations or foreign requests', async () => {
    expect(s.pageErrors).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
