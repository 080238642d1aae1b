/**
 * A sensor service down when the page loads: the layer waits in its error state, retries with backoff only while
 * shown, takes the user's "Retry", and becomes ready when the service answers, without a reload.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sensorOutage } from '../../../../../src/layers/sensors/outage';
import { createAppStore, type AppStore } from '../../../../../src/state/store';
import type { SensorLayerInfo } from '../../../../../src/state/types';

const ID = 'sensors';

function setup(): { store: AppStore; up: { value: boolean }; attempts: number[] } {
  const store = createAppStore();
  store.getState().addLayer(ID, 'sensors', true);
  store.getState().patchSensors(ID, {}, { connection: 'offline', service: true } as SensorLayerInfo);
  store.getState().setLayerStatus(ID, 'loading');
  return { store, up: { value: false }, attempts: [] };
}

function outageOf({ store, up, attempts }: ReturnType<typeof setup>) {
  return sensorOutage(
    store,
    ID,
    async () => {
      attempts.push(Date.now());
      if (!up.value) throw new Error('Failed to fetch');
      store.getState().setLayerStatus(ID, 'ready');
    },
    (err) => `unreachable: ${(err as Error).message}`,
  );
}

describe('a sensor service unreachable at start', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: the schedule is exact
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('retries with backoff, tells the user once, and is ready when the service is back', async () => {
    const t = setup();
    const outage = outageOf(t);
    outage.unreachable('unreachable: Failed to fetch');
    expect(t.store.getState().layers[ID]).toMatchObject({ status: 'error', message: 'unreachable: Failed to fetch' });
    await vi.advanceTimersByTimeAsync(2000 + 4000 + 8000);
    expect(t.attempts).toHaveLength(3);
    expect(t.store.getState().notices.filter((n) => n.level === 'warning')).toHaveLength(1);
    expect(t.store.getState().layers[ID]?.status).toBe('error');
    t.up.value = true;
    await vi.advanceTimersByTimeAsync(16_000);
    expect(t.attempts).toHaveLength(4);
    expect(t.store.getState().layers[ID]?.status).toBe('ready');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(t.attempts).toHaveLength(4);
  });

  it('does not retry while the layer is hidden', async () => {
    const t = setup();
    const outage = outageOf(t);
    outage.unreachable('down');
    t.store.getState().setLayerVisible(ID, false);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(t.attempts).toHaveLength(0);
    t.store.getState().setLayerVisible(ID, true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.attempts).toHaveLength(1);
    outage.dispose();
  });

  it('"Retry" tries at once', async () => {
    const t = setup();
    const outage = outageOf(t);
    outage.unreachable('down');
    t.up.value = true;
    await outage.retryNow();
    expect(t.attempts).toHaveLength(1);
    expect(t.store.getState().layers[ID]?.status).toBe('ready');
  });

  it('announces a lost live feed once and its return once', () => {
    const t = setup();
    const outage = outageOf(t);
    outage.announce('reconnecting', 'connack timeout');
    outage.announce('reconnecting', 'connack timeout');
    outage.announce('connecting');
    outage.announce('reconnecting', 'ECONNREFUSED');
    outage.announce('live');
    const texts = t.store.getState().notices.map((n) => `${n.level}: ${n.text}`);
    expect(texts).toEqual(['warning: The live sensor feed is lost (connack timeout): reconnecting. The map keeps the last readings received.', 'info: The live sensor feed is back.']);
  });
});
