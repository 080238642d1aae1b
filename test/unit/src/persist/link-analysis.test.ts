import { describe, expect, it } from 'vitest';
import { applyLinkedAnalysis } from '../../../../src/persist/link-analysis';
import { createAppStore } from '../../../../src/state/store';
import { initialCoverageInfo } from '../../../../src/layers/coverage/description';

describe('a link’s analysis applied as its layers come in', () => {
  it('sets the coverage comparison once the layer is in, and names an operator this dataset lacks', () => {
    const store = createAppStore();
    applyLinkedAnalysis(store, { coverage: { a: 'op-b', b: 'op-x', bandMHz: 3500, mode: 'diff', coveredDbm: -105, goodDbm: -90 }, sun: true });
    expect(store.getState().sunStudy).toBe(true);
    store.getState().addLayer('coverage', 'coverage', true);
    store.getState().patchCoverage('coverage', {}, initialCoverageInfo([{ id: 'op-a', kind: 'model', label: 'A' }, { id: 'op-b', kind: 'model', label: 'B' }] as never, 250, 1));
    const info = store.getState().layers['coverage']!.coverage!;
    expect(info).toMatchObject({ a: 'op-b', bandMHz: 3500, mode: 'diff', coveredDbm: -105, goodDbm: -90 });
    expect(info.b).not.toBe('op-x');
    expect(store.getState().notices.map((n) => n.text).join()).toContain('“op-x” is not in this dataset');
    // Applied once: the user's later change stays.
    store.getState().patchCoverage('coverage', { mode: 'single' });
    store.getState().patchCoverage('coverage', { bandMHz: 700 });
    expect(store.getState().layers['coverage']!.coverage!.mode).toBe('single');
  });
});
