/**
 * Memory: every layer toggled off and on 100 times (heatmap frames, tilesets, draped lines, imagery), and 50
 * switches between two scenarios (proposed building models built and removed). The JS heap after the last cycle
 * stays within the heap after the 10th + 5 % + 10 MB (both measured after a forced GC).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openTwin, twinSession, waitIdle, type Session } from './harness';

type Twin = { store: { getState(): { layerOrder: string[]; setLayerVisible(id: string, v: boolean): void } } };

describe('memory', () => {
  // Every layer on (`hide=` lists none): the test covers all of them.
  const session = twinSession((s) => openTwin(s, 'hide='));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('toggling every layer 100 times does not grow the heap', async () => {
    const cdp = await s.page.context().newCDPSession(s.page);
    const heapMB = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize / 2 ** 20;
    };
    const cycle = () =>
      s.page.evaluate(async () => {
        const st = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
        // All off, one frame, all on, one frame: every binding hides, shows and redraws once per cycle.
        for (const id of st.layerOrder) st.setLayerVisible(id, false);
        await new Promise(requestAnimationFrame);
        for (const id of st.layerOrder) st.setLayerVisible(id, true);
        await new Promise(requestAnimationFrame);
      });
    let after10 = 0;
    for (let i = 1; i <= 100; i++) {
      await cycle();
      if (i === 10) {
        await waitIdle(s.page);
        after10 = await heapMB();
      }
    }
    await waitIdle(s.page);
    const after100 = await heapMB();
    console.log(`heap after 10 cycles ${after10.toFixed(1)} MB, after 100 ${after100.toFixed(1)} MB`);
    expect(after100).toBeLessThanOrEqual(after10 * 1.05 + 10);
    expect(s.pageErrors).toEqual([]);
  });

  it('switching between two scenarios 50 times does not grow the heap (R8)', async () => {
    type ScenarioTwin = {
      store: { getState(): { scenarioFrames: number; createScenario(name: string): string; setActiveScenario(id: string | null): void; addBuilding(b: unknown): void } };
    };
    const cdp = await s.page.context().newCDPSession(s.page);
    const heapMB = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize / 2 ** 20;
    };
    // Two scenarios near Plzeň with a different proposed building each: every switch removes one model and builds the other.
    const ids = await s.page.evaluate(() => {
      const st = (window as unknown as { sddiTwin: ScenarioTwin }).sddiTwin.store.getState();
      const a = st.createScenario('Memory A');
      st.addBuilding({ id: 'ma', kind: 'building', footprint: [[13.39, 49.744], [13.3904, 49.744], [13.3904, 49.7442], [13.39, 49.7442]], heightM: 20, storeys: 6, roof: 'gable' });
      const b = st.createScenario('Memory B');
      st.addBuilding({ id: 'mb', kind: 'building', footprint: [[13.391, 49.745], [13.3914, 49.745], [13.3914, 49.7452], [13.391, 49.7452]], heightM: 30, storeys: 9, roof: 'hip' });
      return [a, b] as const;
    });
    const switchTo = (id: string) =>
      s.page.evaluate(async (sc) => {
        const store = (window as unknown as { sddiTwin: ScenarioTwin }).sddiTwin.store;
        const frames = store.getState().scenarioFrames;
        store.getState().setActiveScenario(sc);
        // Drawn: the scenario layer's ready signal.
        while (store.getState().scenarioFrames === frames) await new Promise((r) => setTimeout(r, 20));
      }, id);
    let after10 = 0;
    for (let i = 1; i <= 50; i++) {
      await switchTo(ids[i % 2]!);
      if (i === 10) {
        await waitIdle(s.page);
        after10 = await heapMB();
      }
    }
    await waitIdle(s.page);
    const after50 = await heapMB();
    console.log(`heap after 10 scenario switches ${after10.toFixed(1)} MB, after 50 ${after50.toFixed(1)} MB`);
    expect(after50).toBeLessThanOrEqual(after10 * 1.05 + 10);
    expect(s.pageErrors).toEqual([]);
  });
});
