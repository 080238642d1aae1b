/**
 * A lost WebGL context (WEBGL_lose_context), five times in a row: each time the twin renders again within 15 s,
 * rebuilt from the store, with the same camera, layer visibility, time and imported file as before.
 */
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { setCamera, openTwin, twinSession, waitIdle, type Session } from './harness';

type State = {
  sceneEpoch: number;
  camera: { lonDeg: number; latDeg: number; heightM: number; headingDeg: number; pitchDeg: number } | null;
  timeIso: string;
  live: boolean;
  layers: Record<string, { status: string; visible: boolean; kind: string }>;
  setTime(iso: string): void;
  setLayerVisible(id: string, v: boolean): void;
};
type Twin = { store: { getState(): State }; whenIdle(t?: number): Promise<void> };
const state = (s: Session) =>
  s.page.evaluate(() => {
    const st = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
    return { sceneEpoch: st.sceneEpoch, camera: st.camera, timeIso: st.timeIso, live: st.live, layers: Object.fromEntries(Object.entries(st.layers).map(([k, l]) => [k, { status: l.status, visible: l.visible, kind: l.kind }])) };
  });

/** Share of pixels in the scene's centre that are not near-black (a dead canvas is black or blank). */
function litShare(png: Buffer): number {
  const p = PNG.sync.read(png);
  let lit = 0;
  let n = 0;
  for (let y = Math.floor(p.height * 0.2); y < p.height * 0.8; y += 4) {
    for (let x = Math.floor(p.width * 0.35); x < p.width * 0.95; x += 4) {
      const i = (y * p.width + x) * 4;
      n++;
      if (p.data[i]! + p.data[i + 1]! + p.data[i + 2]! > 60) lit++;
    }
  }
  return lit / n;
}

const RESTORE_MS = 15_000;

describe('WebGL context loss', () => {
  // Every layer on (`hide=` lists none): the test covers all of them.
  const session = twinSession((s) => openTwin(s, 'hide='));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('5 losses in a row: rendered again within 15 s each time, with camera, layers, time and imported file as they were', async () => {
    // A state worth keeping: a camera, a hidden layer, a time in the past, an imported file.
    await setCamera(s.page, { lonDeg: 13.37, latDeg: 49.72, heightM: 9000, pitchDeg: -50 });
    await s.page.setInputFiles('[data-testid="import-input"]', path.resolve(import.meta.dirname, '../fixtures/browser-import/plzen-sjtsk.csv'));
    await s.page.locator('dialog.import-dialog').waitFor({ state: 'visible' });
    await s.page.click('[data-testid="import-confirm"]');
    await s.page.waitForFunction(() => Object.values((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers).some((l) => l.kind === 'imported' && l.status === 'ready'));
    await s.page.evaluate(() => {
      const st = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      st.setLayerVisible('boundaries', false);
      st.setTime(new Date(Math.floor((Date.now() - 3 * 86400e3) / 3600e3) * 3600e3).toISOString());
    });
    await waitIdle(s.page);
    const before = await state(s);
    expect(before.sceneEpoch).toBe(0);

    for (let cycle = 1; cycle <= 5; cycle++) {
      const lost = await s.page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#scene canvas')!;
        const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
        const ext = gl?.getExtension('WEBGL_lose_context');
        ext?.loseContext();
        return ext !== undefined && ext !== null;
      });
      expect(lost, 'WEBGL_lose_context is available').toBe(true);
      const t0 = Date.now();
      // Rendered again: the rebuilt scene is in place and has drawn a lit frame.
      // 15 s on software WebGL: the new context compiles the globe's shaders once per imagery-layer count (six
      // layers: tint, Landsat, coverage A and B, the heatmap) before the whole region's terrain draws again.
      await s.page.waitForFunction((n) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().sceneEpoch === n, cycle, { timeout: RESTORE_MS });
      let lit = 0;
      while (Date.now() - t0 < RESTORE_MS && (lit = litShare(await s.page.screenshot())) <= 0.5) await s.page.waitForTimeout(100);
      const elapsed = Date.now() - t0;
      expect(lit, `cycle ${cycle}: the scene is drawn`).toBeGreaterThan(0.5);
      expect(elapsed, `cycle ${cycle}: rendered again in ${elapsed} ms`).toBeLessThan(RESTORE_MS);
      // Then every layer is back: wait for the scene to settle (tiles reloaded from the cache).
      const idleError = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.whenIdle(60_000).then(() => null, (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : JSON.stringify(e))));
      expect(idleError).toBeNull();
      const after = await state(s);
      // The same view: position within a millimetre, angles within a micro-degree (mod 360).
      const a = after.camera!;
      const b = before.camera!;
      expect(Math.abs(a.lonDeg - b.lonDeg) * 111_000).toBeLessThan(0.001);
      expect(Math.abs(a.latDeg - b.latDeg) * 111_000).toBeLessThan(0.001);
      expect(Math.abs(a.heightM - b.heightM)).toBeLessThan(0.001);
      for (const k of ['headingDeg', 'pitchDeg'] as const) expect(Math.abs((((a[k] - b[k]) % 360) + 540) % 360 - 180)).toBeLessThan(1e-6);
      expect(after.timeIso).toBe(before.timeIso);
      expect(after.live).toBe(false);
      expect(Object.keys(after.layers).toSorted()).toEqual(Object.keys(before.layers).toSorted());
      for (const [id, l] of Object.entries(before.layers)) {
        expect(after.layers[id]!.visible, `${id} visibility`).toBe(l.visible);
        expect(after.layers[id]!.status, `${id} status`).toBe(l.status);
      }
    }
    // The imported points are drawn again: one is under its own position (Plzeň, 13.3775° E 49.7477° N).
    await setCamera(s.page, { lonDeg: 13.3775, latDeg: 49.7477, heightM: 2500, pitchDeg: -90 });
    const hit = await s.page.evaluate(async () => {
      const twin = (window as unknown as { sddiTwin: Twin & { sampleTerrainM(a: number, b: number): Promise<number | null>; toWindow(a: number, b: number, h: number): { x: number; y: number } | null; pickFeature(x: number, y: number): { layerId: string } | null } }).sddiTwin;
      const ground = (await twin.sampleTerrainM(13.3775, 49.7477)) ?? 0;
      const w = twin.toWindow(13.3775, 49.7477, ground);
      return w ? twin.pickFeature(w.x, w.y) : null;
    });
    expect(hit?.layerId).toMatch(/^import-/);
    await s.screenshot('context-loss-after-5');
    const canvases = await s.page.locator('#scene canvas').count();
    expect(canvases).toBe(1);
    expect(s.pageErrors).toEqual([]);
    // One notice says what happened; no error is left behind by the dead scenes.
    expect(await s.page.locator('.notice.error').allTextContents()).toEqual([]);
  });
});
