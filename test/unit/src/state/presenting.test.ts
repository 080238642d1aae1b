import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../src/state/store';

const CAM = { lonDeg: 13.37, latDeg: 49.74, heightM: 2500, headingDeg: 10, pitchDeg: -35, rollDeg: 0 };
const SLIDE_CAM = { lonDeg: 12.1, latDeg: 49.02, heightM: 9000, headingDeg: 0, pitchDeg: -60, rollDeg: 0 };

describe('leaving a presentation', () => {
  it("gives back the editor's layers, time and camera as they were before it started", () => {
    const store = createAppStore();
    const s = () => store.getState();
    s().addLayer('terrain', 'terrain', true);
    s().addLayer('sensors', 'sensors', false);
    s().setCamera(CAM);
    s().setTime('2025-06-21T10:00:00.000Z', false);
    s().setPresenting(true);
    // What the slides do: other layers, another time, another camera.
    s().setLayerVisible('sensors', true);
    s().setLayerVisible('terrain', false);
    s().setTime('2024-01-01T00:00:00.000Z', false);
    s().setCamera(SLIDE_CAM);
    s().setPresenting(false);
    expect(s().layers['sensors']!.visible).toBe(false);
    expect(s().layers['terrain']!.visible).toBe(true);
    expect(s().timeIso).toBe('2025-06-21T10:00:00.000Z');
    expect(s().live).toBe(false);
    expect(s().flyRequest).toMatchObject({ target: CAM, durationS: 0 });
    expect(s().beforePresenting).toBeNull();
  });

  it('a kiosk keeps nothing to give back', () => {
    const store = createAppStore();
    store.getState().setKiosk(true);
    store.getState().setPresenting(true);
    expect(store.getState().beforePresenting).toBeNull();
  });
});
