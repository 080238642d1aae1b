/**
 * Memory: every layer toggled off and on 100 times (heatmap frames, tilesets, draped lines, imagery). The JS heap
 * after the 100th cycle stays within the heap after the 10th + 5 % + 10 MB (both measured after a forced GC).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { twinSession, waitIdle, type Session } from './harness';

type Twin = { store: { getState(): { layerOrder: string[]; setLayerVisible(id: string, v: boolean): void } } };

describe('memory', () => {
  const session = twinSession();
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
});
