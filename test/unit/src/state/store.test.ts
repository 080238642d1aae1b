import { describe, expect, it } from 'vitest';
import { createAppStore, watch } from '../../../../src/state/store';

describe('app store', () => {
  it('gives every caller a fresh store', () => {
    const a = createAppStore();
    const b = createAppStore();
    a.getState().addLayer('terrain', 'terrain');
    expect(b.getState().layers).toEqual({});
  });

  it('tracks layer visibility and status per layer', () => {
    const s = createAppStore();
    s.getState().addLayer('a', 'buildings');
    s.getState().addLayer('b', 'terrain', false);
    s.getState().addLayer('a', 'buildings', false); // a repeat does not reset
    s.getState().setLayerStatus('a', 'error', 'HTTP 404');
    expect(s.getState().layerOrder).toEqual(['a', 'b']);
    expect(s.getState().layers['a']).toMatchObject({ visible: true, status: 'error', message: 'HTTP 404' });
    expect(s.getState().layers['b']).toMatchObject({ visible: false, status: 'idle' });
  });

  it('numbers fly requests so repeating a bookmark flies again', () => {
    const s = createAppStore();
    const target = { lonDeg: 1, latDeg: 2, heightM: 3, headingDeg: 0, pitchDeg: -30, rollDeg: 0 };
    s.getState().flyTo(target);
    s.getState().flyTo(target);
    expect(s.getState().flyRequest?.seq).toBe(2);
  });

  it('does not repeat an identical notice', () => {
    const s = createAppStore();
    s.getState().notify('error', 'x');
    s.getState().notify('error', 'x');
    expect(s.getState().notices).toHaveLength(1);
    s.getState().dismissNotice(s.getState().notices[0]!.id);
    expect(s.getState().notices).toHaveLength(0);
  });

  it('watch fires only when the selected tuple changes', () => {
    const s = createAppStore();
    const seen: string[] = [];
    watch(s, (st) => [st.lang, st.selection] as const, ([lang]) => seen.push(lang));
    s.getState().setTime('2026-01-01T00:00:00Z');
    s.getState().setLang('de');
    s.getState().setLang('de');
    expect(seen).toEqual(['de']);
  });
});
