/**
 * Sensor layers in Chromium against the production build and the local sensor service mounted into the preview
 * server (SensorThings over HTTP, aedes over WebSocket, same origin): history loads, the heatmap is on the
 * terrain and changes with the timeline, a station click charts its series, live readings arrive over MQTT.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { mountedSensorServices } from '../../services/sensors/vite-plugin';
import { setCamera, openTwin, twinSession, waitIdle, type Session } from './harness';
import { differingPixels, type Region } from './pixels';

/** Where the heatmap is on screen (the dock covers the left). */
const CENTRE: Region = [0.3, 0.15, 0.9, 0.85];

interface SensorInfo { property: string; readings: number; progress: number; connection: string; frames: number; frameTimeIso: string; unit: string; stations: number }
type Twin = {
  store: {
    getState(): {
      layers: Record<string, { status: string; message?: string; sensors?: SensorInfo }>;
      timeIso: string;
      timeRange: { startMs: number; endMs: number } | null;
      setTime(iso: string): void;
      patchSensors(id: string, p: Partial<SensorInfo>): void;
    };
  };
  toWindow(lon: number, lat: number, h: number): { x: number; y: number } | null;
};

const H = 3600_000;
const info = (s: Session) => s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors ?? null);

/** Sets the time and waits until the heatmap on screen shows it and the scene has settled. */
async function showTime(s: Session, iso: string): Promise<void> {
  await s.page.evaluate((t) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setTime(t), iso);
  await s.page.waitForFunction((t) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.frameTimeIso === t, iso, { timeout: 60_000 });
  await waitIdle(s.page);
}

describe('sensor layers in Chromium', () => {
  const session = twinSession((s) => openTwin(s, 'ws=sensors'));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('loads 14 days of history over SensorThings and goes live over MQTT, labelled simulated', async () => {
    await s.page.waitForFunction(() => {
      const i = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors;
      return i !== undefined && i.progress === 1 && i.connection === 'live';
    }, undefined, { timeout: 60_000 });
    const i = (await info(s))!;
    expect(i.stations).toBe(54);
    expect(i.readings).toBeGreaterThan(54 * 24 * 13);
    await expect(s.page.locator('[data-testid="simulated-note"]').isVisible()).resolves.toBe(true);
    await expect(s.page.locator('[data-testid="sensor-connection"]').getAttribute('data-connection')).resolves.toBe('live');
    await expect(s.page.locator('[data-testid="timeline"]').isVisible()).resolves.toBe(true);
  });

  it('the heatmap is draped on the terrain and changes with the time (pixels)', async () => {
    await s.page.selectOption('[data-testid="sensor-property"]', { index: 2 }); // air temperature: both sides of the border
    // Fully opaque for the pixel comparison: a winter day's night and afternoon differ by a few degrees only, and
    // the default see-through drape would halve that difference on screen.
    await s.page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { setLayerOpacity(id: string, o: number): void } } } }).sddiTwin.store.getState().setLayerOpacity('sensors', 1));
    await setCamera(s.page, { lonDeg: 12.8, latDeg: 48.9, heightM: 420_000, pitchDeg: -75 });
    const range = (await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().timeRange))!;
    // 05:00 and 14:00 UTC on the same day, two days back: night minimum against afternoon maximum.
    const day = Math.floor((range.endMs - 2 * 24 * H) / (24 * H)) * 24 * H;
    await showTime(s, new Date(day + 5 * H).toISOString());
    const night = readFileSync(await s.screenshot('sensors-temperature-night'));
    await showTime(s, new Date(day + 14 * H).toISOString());
    const afternoon = readFileSync(await s.screenshot('sensors-temperature-afternoon'));
    await expect(s.page.locator('[data-testid="legend"]').textContent()).resolves.toContain('°C');
    // Hidden: the heatmap and stations go; what remains is the base scene.
    await s.page.locator('li[data-layer="sensors"] input[type="checkbox"]').first().uncheck();
    await waitIdle(s.page);
    const hidden = readFileSync(await s.screenshot('sensors-hidden'));
    await s.page.locator('li[data-layer="sensors"] input[type="checkbox"]').first().check();
    await s.page.waitForFunction(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.frames !== undefined);
    await waitIdle(s.page);
    const total = 1280 * 0.6 * 800 * 0.7;
    expect(differingPixels(afternoon, hidden, CENTRE) / total).toBeGreaterThan(0.15);
    expect(differingPixels(night, afternoon, CENTRE) / total).toBeGreaterThan(0.05);
    await s.page.evaluate(() => (window as unknown as { sddiTwin: { store: { getState(): { setLayerOpacity(id: string, o: number): void } } } }).sddiTwin.store.getState().setLayerOpacity('sensors', 0.55));
  });

  it('the timeline steps and scrubs by the hour, shown in Prague time with its offset', async () => {
    const before = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().timeIso);
    await s.page.getByRole('button', { name: 'One hour back' }).click();
    const after = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().timeIso);
    expect(Date.parse(before) - Date.parse(after)).toBe(H);
    await s.page.locator('[data-testid="timeline-scrub"]').focus();
    await s.page.keyboard.press('ArrowLeft');
    const scrubbed = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().timeIso);
    expect(Date.parse(after) - Date.parse(scrubbed)).toBe(H);
    await expect(s.page.locator('[data-testid="timeline-time"]').textContent()).resolves.toMatch(/GMT\+[12]/);
  });

  it('a click on a station charts its series with the gaps visible, and a table of the same numbers', async () => {
    await setCamera(s.page, { lonDeg: 13.3, latDeg: 49.75, heightM: 60_000, pitchDeg: -90 });
    // Plzeň-Slovany (CHMI PPLAA): a real station position.
    const p = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.toWindow(13.402281, 49.732449, 0));
    expect(p).not.toBeNull();
    await s.page.mouse.click(p!.x, p!.y);
    const chart = s.page.locator('[data-testid="chart"]');
    await chart.waitFor({ state: 'visible', timeout: 20_000 });
    await s.screenshot('sensors-station-chart');
    await expect(s.page.locator('aside.info').textContent()).resolves.toContain('Plzeň-Slovany');
    await expect(chart.locator('canvas').count()).resolves.toBeGreaterThan(0);
    await expect(s.page.locator('[data-testid="chart-gaps"]').textContent()).resolves.toMatch(/\d+ hours? without data/);
    expect(await chart.locator('tbody tr').count()).toBeGreaterThan(300);
  });

  it('live readings published on the broker reach the page (through the worker) within seconds', async () => {
    const services = mountedSensorServices();
    expect(services.length).toBe(1);
    const svc = services[0]!;
    const before = (await info(s))!.readings;
    const ids = svc.dataset.datastreams.slice(0, 10).map((d) => d.id);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 500 }, (_, i) => svc.publish(ids[i % 10]!, { phenomenonTime: new Date(t0 - 1000 * i).toISOString(), result: i % 50 })));
    await s.page.waitForFunction((n) => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors?.readings ?? 0) >= n, before + 500, { timeout: 30_000 });
  });

  it('a recorded NDJSON file replays in place of the live feed (bad lines reported), and the live feed comes back', async () => {
    await s.page.setInputFiles('[data-testid="sensor-replay-input"]', path.resolve(import.meta.dirname, '../fixtures/sensors/recorded-day.ndjson'));
    await s.page.waitForFunction(() => {
      const i = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors as (SensorInfo & { replayFile?: string | null }) | undefined;
      return i?.replayFile === 'recorded-day.ndjson' && i.frameTimeIso !== '';
    }, undefined, { timeout: 30_000 });
    const st = await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState());
    expect(st.timeRange).toEqual({ startMs: Date.UTC(2025, 9, 25), endMs: Date.UTC(2025, 9, 25, 23) });
    expect(st.timeIso).toBe('2025-10-25T23:00:00.000Z');
    expect(st.layers['sensors']!.sensors!.stations).toBe(3);
    await expect(s.page.locator('[data-testid="sensor-connection"]').getAttribute('data-connection')).resolves.toBe('replay');
    await expect(s.page.locator('.notices').textContent()).resolves.toContain('line 6');
    await setCamera(s.page, { lonDeg: 12.7, latDeg: 49.4, heightM: 300_000, pitchDeg: -70 });
    await s.screenshot('sensors-replay');
    await s.page.getByRole('button', { name: 'Back to the live service' }).click();
    await s.page.waitForFunction(() => {
      const i = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['sensors']?.sensors;
      return i !== undefined && i.stations === 54 && i.connection === 'live' && i.progress === 1;
    }, undefined, { timeout: 60_000 });
  });

  it('no page error, no CSP violation, nothing requested off the page origin', async () => {
    expect(s.pageErrors).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
    expect(s.foreignRequests).toEqual([]);
  });
});
