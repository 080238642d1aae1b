/**
 * A worker that dies in the middle of a job, in the real page: an uncaught error is thrown inside the coverage
 * worker while it models a grid. The job fails with a message naming coverage, the pool replaces the worker,
 * the next computation succeeds, and the other layers (the sensor heatmap, on other workers) keep drawing.
 */
import type { Worker as PwWorker } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { openTwin, twinSession, waitIdle, type Session } from './harness';

interface State {
  layers: Record<string, { status: string; coverage?: { frames: number; progress: number; bandMHz: number }; sensors?: { frames: number } }>;
  notices: Array<{ level: string; text: string }>;
  timeIso: string;
  setTime(iso: string): void;
  patchCoverage(id: string, p: { bandMHz: number }): void;
}
type Twin = { store: { getState(): State } };
const state = (s: Session) => s.page.evaluate(() => {
  const g = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
  return { layers: g.layers, notices: g.notices, timeIso: g.timeIso };
});

describe('a dying worker in Chromium', () => {
  // Every layer on (`hide=` lists none): the test covers all of them.
  const session = twinSession((s) => openTwin(s, 'hide='));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('fails the job with a message in that layer only, replaces the worker, and the next job and the other layers work', async () => {
    await s.page.waitForFunction(() => {
      const l = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers;
      return (l['coverage']?.coverage?.frames ?? 0) > 0 && (l['sensors']?.sensors?.frames ?? 0) > 0;
    }, undefined, { timeout: 180_000 });
    const coverageWorkers = () => s.page.workers().filter((w: PwWorker) => /coverage/.test(w.url()));
    const before = coverageWorkers();
    expect(before.length).toBeGreaterThan(0);
    const noticesBefore = (await state(s)).notices.length;

    // A new band: every tile is modelled again; while they run, each coverage worker throws an uncaught error.
    await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().patchCoverage('coverage', { bandMHz: 3500 }));
    await s.page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['coverage']?.coverage?.progress ?? 1) < 1);
    for (const w of before) await w.evaluate(() => setTimeout(() => { throw new Error('injected fault'); }, 0)).catch(() => undefined);
    await s.page.waitForFunction((n) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices.length > n, noticesBefore, { timeout: 60_000 });
    let st = await state(s);
    const fresh = st.notices.slice(noticesBefore);
    expect(fresh.some((n) => n.level === 'error' && /Coverage/.test(n.text))).toBe(true);
    // The fault stays in the coverage layer: every layer is still ready.
    for (const [id, l] of Object.entries(st.layers)) expect(l.status, id).toBe('ready');

    // The pool has replaced its workers: the next band is modelled and drawn.
    const frames = st.layers['coverage']!.coverage!.frames;
    await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().patchCoverage('coverage', { bandMHz: 1800 }));
    await s.page.waitForFunction((f) => {
      const c = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['coverage']?.coverage;
      return c !== undefined && c.frames > f && c.progress === 1;
    }, frames, { timeout: 180_000 });
    expect(coverageWorkers().some((w) => !before.includes(w))).toBe(true);

    // The sensor heatmap, on its own workers, draws a new hour.
    const sensorFrames = st.layers['sensors']!.sensors!.frames;
    await s.page.evaluate(() => {
      const g = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      g.setTime(new Date(Date.parse(g.timeIso) - 6 * 3600_000).toISOString());
    });
    await s.page.waitForFunction((f) => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.frames ?? 0) > f, sensorFrames, { timeout: 60_000 });
    await waitIdle(s.page);
    st = await state(s);
    for (const [id, l] of Object.entries(st.layers)) expect(l.status, id).toBe('ready');
    // Worker errors are handled, not page errors.
    expect(s.pageErrors).toEqual([]);
  });
});
