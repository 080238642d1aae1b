/**
 * The measured ČHMÚ climate record in Chromium, read through the SensorThings service mounted into the preview
 * server: months and years on the timeline, anomaly maps that differ between July 1976 and July 2015, a station's
 * 708 months charted with its normal and trend, and the legend naming the method and its cross-validated error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openTwin, setCamera, twinSession, waitIdle, type Session } from './harness';
import { differingPixels, type Region } from './pixels';

/** Where the heatmap is on screen (the dock covers the left). */
const CENTRE: Region = [0.3, 0.1, 0.95, 0.8];

interface ClimateInfo { quantity: string; anomaly: boolean; progress: number; frames: number; frameLabel: string; via: string; stations: number; rmse: number; rmsePlain: number; method: string }
type Twin = {
  store: {
    getState(): {
      layers: Record<string, { status: string; climate?: ClimateInfo }>;
      timeIso: string;
      calendarStep: string | null;
      setTime(iso: string): void;
      setLayerOpacity(id: string, o: number): void;
      patchClimate(id: string, p: Partial<ClimateInfo>): void;
    };
  };
  toWindow(lon: number, lat: number, h: number): { x: number; y: number } | null;
};

const record = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../tilesets/sensors/climate-record.json'), 'utf8')) as {
  stations: Array<{ id: string; name: string; lonDeg: number; latDeg: number }>;
  monthly: { temperature: { series: Record<string, { values: Array<number | null> }> } };
};
const info = (s: Session) => s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']?.climate ?? null);

/** Sets the time and waits until the map on screen shows that month and the scene has settled. */
async function showMonth(s: Session, iso: string, label: RegExp): Promise<void> {
  await s.page.evaluate((t) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setTime(t), iso);
  await s.page.waitForFunction((src) => new RegExp(src).test((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']?.climate?.frameLabel ?? ''), label.source, { timeout: 60_000 });
  await waitIdle(s.page);
}

describe('the climate record in Chromium', () => {
  const session = twinSession((s) => openTwin(s, 'ws=climate'));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('loads the measured record through SensorThings and holds the timeline in months, 1961–2019', async () => {
    await s.page.waitForFunction(() => ((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']?.climate?.frames ?? 0) > 0, undefined, { timeout: 60_000 });
    const i = (await info(s))!;
    expect(i.via).toBe('sensorthings');
    expect(i.stations).toBe(Object.keys(record.monthly.temperature.series).length);
    expect(i.frameLabel).toBe('July 2019');
    await expect(s.page.locator('[data-testid="measured-note"]').textContent()).resolves.toMatch(/ČHMÚ.*not a warning service/);
    expect(await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().calendarStep)).toBe('month');
    await expect(s.page.locator('[data-testid="timeline-time"]').textContent()).resolves.toBe('July 2019');
    await expect(s.page.locator('.timeline .axis').textContent()).resolves.toBe('19701980199020002010');
    await s.screenshot('climate-start');
  });

  it('steps by year through the same month, and back by month', async () => {
    await s.page.selectOption('[data-testid="timeline-step"]', 'year');
    await s.page.getByRole('button', { name: 'One hour back' }).click();
    await expect(s.page.locator('[data-testid="timeline-time"]').textContent()).resolves.toBe('July 2018');
    await s.page.selectOption('[data-testid="timeline-step"]', 'month');
    await s.page.getByRole('button', { name: 'One hour back' }).click();
    await expect(s.page.locator('[data-testid="timeline-time"]').textContent()).resolves.toBe('June 2018');
  });

  it('July 1976 and July 2015 give different anomaly maps on a fixed diverging scale', async () => {
    await s.page.selectOption('[data-testid="climate-mode"]', 'anomaly');
    await s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setLayerOpacity('climate', 1));
    await setCamera(s.page, { lonDeg: 13.3, latDeg: 49.7, heightM: 450_000, pitchDeg: -90 });
    await showMonth(s, '1976-07-01T00:00:00.000Z', /July 1976/);
    const a = await s.page.screenshot();
    await s.screenshot('climate-anomaly-1976-07');
    await showMonth(s, '2015-07-01T00:00:00.000Z', /July 2015/);
    const b = await s.page.screenshot();
    await s.screenshot('climate-anomaly-2015-07');
    expect(differingPixels(a, b, CENTRE)).toBeGreaterThan(20_000);
    await expect(s.page.locator('[data-testid="climate-legend"]').textContent()).resolves.toMatch(/difference from the 1961–1990 normal.*≤ -5.*≥ \+5/);
  });

  it('names the method and its leave-one-station-out error in the legend', async () => {
    await s.page.selectOption('[data-testid="climate-mode"]', 'value');
    await s.page.waitForFunction(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers['climate']?.climate?.method === 'idw-lapse', undefined, { timeout: 60_000 });
    const i = (await info(s))!;
    expect(i.rmse).toBeGreaterThan(0);
    expect(i.rmse).toBeLessThan(i.rmsePlain);
    const text = (await s.page.locator('[data-testid="climate-method"]').textContent())!;
    expect(text).toMatch(/lapse rate fitted to the stations \(-\d+(\.\d)? °C\/km\)/);
    expect(text).toMatch(/Leave-one-station-out error \(RMSE\): \d\.\d+ °C; plain IDW: \d(\.\d+)? °C/);
  });

  it('a click on Churáňov charts its 708 months with the normal and the trend per decade', async () => {
    const st = record.stations.find((x) => x.id === 'C1CHUR01')!;
    await setCamera(s.page, { lonDeg: st.lonDeg, latDeg: st.latDeg, heightM: 40_000, pitchDeg: -90 });
    const p = await s.page.evaluate((c) => (window as unknown as { sddiTwin: Twin }).sddiTwin.toWindow(c.lonDeg, c.latDeg, 0), st);
    expect(p).not.toBeNull();
    await s.page.mouse.click(p!.x, p!.y);
    const chart = s.page.locator('[data-testid="chart"]');
    await chart.waitFor({ state: 'visible', timeout: 30_000 });
    await s.screenshot('climate-churanov-chart');
    await expect(s.page.locator('aside.info').textContent()).resolves.toContain('Churáňov');
    const months = record.monthly.temperature.series['C1CHUR01']!.values.filter((v) => v !== null).length;
    expect(months).toBe(708);
    await expect(chart.getAttribute('data-months')).resolves.toBe(String(months));
    await expect(s.page.locator('[data-testid="chart-trend"]').textContent()).resolves.toMatch(/trend \+\d\.\d\d °C per decade \(least squares on the monthly anomalies\)/);
    await expect(chart.textContent()).resolves.toContain('normal 1961–1990');
    expect(await chart.locator('tbody tr').count()).toBe(59);
  });
});

describe('a SensorThings server of another operator', () => {
  // The deployment points the sensor layer at a server whose values are measured (here the climate record's).
  const session = twinSession(async (s) => {
    await s.page.route('**/config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ sensorThingsUrl: 'sta-climate/v1.1', mqttUrl: null }) }));
    await openTwin(s, 'ws=sensors');
  });

  it('names the layer after the server and does not call its values simulated', async () => {
    const s = session();
    await s.page.waitForFunction(() => ((window as unknown as { sddiTwin: { store: { getState(): { layers: Record<string, { title?: string; sensors?: { datastreams: number } }> } } } }).sddiTwin.store.getState().layers['sensors']?.sensors?.datastreams ?? 0) > 0, undefined, { timeout: 60_000 });
    const row = s.page.locator('li[data-layer="sensors"] .layer-row');
    await expect(row.textContent()).resolves.toMatch(/127\.0\.0\.1:\d+ · SensorThings/);
    await expect(row.textContent()).resolves.not.toMatch(/simulated/i);
    await expect(s.page.locator('[data-testid="simulated-note"]').count()).resolves.toBe(0);
  });
});
