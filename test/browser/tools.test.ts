/**
 * Scene tools in Chromium: distance and height difference measured on the Plzeň terrain agree with the geodesic
 * and the terrain heights; a roof of Regensburg is measured on the building, not the ground below; an area is
 * closed and measured; the sun study lights the scene by the timeline's time (pixels change between noon and
 * evening, and shadows appear).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { geodesicDistanceM } from '../../core/geo/measure';
import { setCamera, twinSession, waitIdle, type Session } from './harness';

interface Pt { lonDeg: number; latDeg: number; heightEllipsoidalM: number }
type Twin = {
  store: { getState(): { measure: { mode: string; points: Pt[] } | null; setTime(iso: string): void; setMeasureMode(m: string | null): void } };
  toWindow(lon: number, lat: number, h: number): { x: number; y: number } | null;
  sampleTerrainM(lon: number, lat: number): Promise<number | null>;
};
const building = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/buildings/click-target.json'), 'utf8')) as { heightM: number; lonDeg: number; latDeg: number; groundEllipsoidalM: number; roofEllipsoidalM: number };

async function clickAt(s: Session, lon: number, lat: number, h: number): Promise<void> {
  const w = await s.page.evaluate(([lo, la, he]) => (window as unknown as { sddiTwin: Twin }).sddiTwin.toWindow(lo!, la!, he!), [lon, lat, h]);
  expect(w).not.toBeNull();
  await s.page.mouse.click(w!.x, w!.y);
}
const points = (s: Session) => s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().measure?.points ?? []);

/** Mean brightness of a screenshot, 0..255. */
function mean(p: PNG): number {
  let sum = 0;
  for (let i = 0; i < p.data.length; i += 4) sum += p.data[i]! + p.data[i + 1]! + p.data[i + 2]!;
  return sum / (p.data.length / 4) / 3;
}

describe('scene tools in Chromium', () => {
  const session = twinSession();
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('measures distance and height difference on the terrain as the geodesic and the DEM give them', async () => {
    await setCamera(s.page, { lonDeg: 13.36, latDeg: 49.745, heightM: 6000, pitchDeg: -90 });
    const a = { lon: 13.345, lat: 49.735 };
    const b = { lon: 13.375, lat: 49.755 };
    const ha = (await s.page.evaluate(([lo, la]) => (window as unknown as { sddiTwin: Twin }).sddiTwin.sampleTerrainM(lo!, la!), [a.lon, a.lat]))!;
    const hb = (await s.page.evaluate(([lo, la]) => (window as unknown as { sddiTwin: Twin }).sddiTwin.sampleTerrainM(lo!, la!), [b.lon, b.lat]))!;
    await s.page.click('[data-testid="tool-measure-distance"]');
    await clickAt(s, a.lon, a.lat, ha);
    await clickAt(s, b.lon, b.lat, hb);
    const [pa, pb] = await points(s);
    // A click lands within a pixel or two of the aimed point (6 km up: ~5 m a pixel).
    const expected = geodesicDistanceM({ lonDeg: a.lon, latDeg: a.lat, heightEllipsoidalM: 0 }, { lonDeg: b.lon, latDeg: b.lat, heightEllipsoidalM: 0 });
    const measured = geodesicDistanceM(pa!, pb!);
    expect(Math.abs(measured - expected)).toBeLessThan(25);
    expect(Math.abs(pb!.heightEllipsoidalM - pa!.heightEllipsoidalM - (hb - ha))).toBeLessThan(3);
    const readout = await s.page.locator('[data-testid="measure-readout"]').textContent();
    expect(readout).toMatch(/Distance .* along the ellipsoid/);
    await s.screenshot('tools-distance');
    await s.page.keyboard.press('Escape');
    expect(await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().measure)).toBeNull();
  });

  it('measures a roof on the building, and closes an area', async () => {
    await setCamera(s.page, { lonDeg: building.lonDeg, latDeg: building.latDeg, heightM: building.groundEllipsoidalM + 400, pitchDeg: -90 });
    await s.page.click('[data-testid="tool-measure-height"]');
    const box = (await s.page.locator('#scene canvas').boundingBox())!;
    await s.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const [roof] = await points(s);
    // The building stands at its surveyed heights: straight down on its ridge the picked point is its LoD2 roof
    // height (HoeheDach, DHHN2016) + the EGM96 undulation, within 0.5 m.
    expect(Math.abs(roof!.heightEllipsoidalM - building.roofEllipsoidalM)).toBeLessThan(0.5);
    // And the terrain under it is its surveyed ground (HoeheGrund + N) within 2 m: SRTM, meshed at 1 m there.
    const ground = await s.page.evaluate(([lon, lat]) => (window as unknown as { sddiTwin: Twin & { sampleTerrainM(a: number, b: number): Promise<number | null> } }).sddiTwin.sampleTerrainM(lon!, lat!), [building.lonDeg, building.latDeg]);
    expect(Math.abs(ground! - building.groundEllipsoidalM)).toBeLessThan(2);

    await s.page.click('[data-testid="tool-measure-area"]');
    for (const [dx, dy] of [[-100, -100], [100, -100], [100, 100], [-100, 100]] as const) await s.page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
    expect((await points(s)).length).toBe(4);
    await expect(s.page.locator('[data-testid="measure-readout"]').textContent()).resolves.toMatch(/Area .* m²|Area .* ha/);
    await s.screenshot('tools-area');
    await s.page.click('[data-testid="tool-measure-area"]');
  });

  it('lights the scene by the sun at the timeline time in the sun study', async () => {
    await setCamera(s.page, { lonDeg: building.lonDeg, latDeg: building.latDeg - 0.004, heightM: building.groundEllipsoidalM + 450, pitchDeg: -35 });
    const shot = async (name: string) => PNG.sync.read(readFileSync(await s.screenshot(name)));
    const before = await shot('sun-off');
    await s.page.click('[data-testid="tool-sun"]');
    await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setTime('2026-06-21T10:00:00Z'));
    await waitIdle(s.page);
    const noon = await shot('sun-study-noon');
    await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setTime('2026-06-21T17:30:00Z'));
    await waitIdle(s.page);
    const evening = await shot('sun-study-evening');
    // The low evening sun leaves the scene darker than the midday one; both differ from the map's fixed light.
    expect(mean(evening)).toBeLessThan(mean(noon) - 3);
    expect(Math.abs(mean(noon) - mean(before))).toBeGreaterThan(0.5);
    await s.page.click('[data-testid="tool-sun"]');
    expect(s.pageErrors).toEqual([]);
  });
});
