/**
 * "Save picture": the view as a PNG at the screen's resolution and at twice it, with the time, the legend of the
 * overlay on screen, a scale bar and the data credits drawn in (here in Czech and in English).
 */
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, startSession, type Session } from './harness';

interface TwinWindow {
  sddiTwin: { whenIdle(ms?: number): Promise<void>; store: { getState(): { setLang(l: string): void; notices: Array<{ text: string }> } } };
}

/** Mean RGB of a rectangle of a decoded PNG. */
function mean(png: PNG, x0: number, y0: number, w: number, h: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) for (let c = 0; c < 3; c++) sum[c]! += png.data[(y * png.width + x) * 4 + c]!;
  return sum.map((v) => v / (w * h)) as [number, number, number];
}

describe('saving the view as a picture', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ width: 1024, height: 768 });
    // The sensors workspace: a heatmap with its legend on screen.
    await s.page.goto(`${s.baseUrl}#render=lite&ws=sensors&lang=cs`);
    await s.page.waitForFunction(() => 'sddiTwin' in window, null, { timeout: 120_000 });
    await s.page.evaluate(() => (window as unknown as TwinWindow).sddiTwin.whenIdle(120_000));
  }, 240_000);
  afterAll(async () => s?.close());

  const save = async (button: 'picture-1x' | 'picture-2x'): Promise<{ name: string; png: PNG }> => {
    await s.page.click('[data-testid="picture-button"]');
    await s.page.waitForSelector('[data-testid="picture-dialog"][open]');
    const download = s.page.waitForEvent('download', { timeout: 240_000 });
    await s.page.click(`[data-testid="${button}"]`);
    const d = await download;
    const file = (await d.path())!;
    // Kept beside the screenshots, to be looked at.
    copyFileSync(file, path.join(ARTIFACTS, d.suggestedFilename()));
    return { name: d.suggestedFilename(), png: PNG.sync.read(readFileSync(file)) };
  };

  it('at screen resolution, with the legend, credits band and scale bar drawn in', async () => {
    const { name, png } = await save('picture-1x');
    expect(name).toMatch(/^sddi-twin-\d{4}-\d\d-\d\d-\d\d-\d\d\.png$/);
    expect([png.width, png.height]).toEqual([1024, 768]);
    // The credits band along the bottom: the panel's dark blue-grey, over the whole width.
    const band = mean(png, 300, 760, 400, 4);
    expect(band[2]).toBeGreaterThan(band[0]);
    expect(Math.max(...band)).toBeLessThan(90);
    // The legend panel top right carries a colour bar: its middle row is not the panel's grey.
    const row = Array.from({ length: 20 }, (_, i) => mean(png, 1024 - 250 + i * 10, 38, 2, 2));
    expect(new Set(row.map((c) => c.map((v) => Math.round(v / 16)).join())).size).toBeGreaterThan(3);
    await s.screenshot('picture-dialog-closed');
    expect(s.pageErrors).toEqual([]);
  }, 300_000);

  it('at twice the resolution, in English', async () => {
    await s.page.evaluate(() => (window as unknown as TwinWindow).sddiTwin.store.getState().setLang('en'));
    const { name, png } = await save('picture-2x');
    expect(name).toMatch(/@2x\.png$/);
    expect([png.width, png.height]).toEqual([2048, 1536]);
    // The scene is drawn again at the screen's size afterwards.
    expect(await s.page.evaluate(() => (document.querySelector('#scene canvas') as HTMLCanvasElement).width)).toBeLessThanOrEqual(1024);
    expect(await s.page.evaluate(() => (window as unknown as TwinWindow).sddiTwin.store.getState().notices.map((n) => n.text))).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
  }, 400_000);
});
