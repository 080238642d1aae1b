/**
 * Importing files through the page: the CRS is detected, the user confirms it, the features land where they
 * belong (within 1 m of the expected WGS84 point) on the terrain, and bad files get a message and change nothing.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { setCamera, twinSession, waitIdle, type Session } from './harness';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/browser-import');
type Layers = Record<string, { status: string; kind: string; message?: string; imported?: { epsg: number; featureCount: number } }>;
type Twin = {
  store: { getState(): { layers: Layers } };
  toWindow(lon: number, lat: number, h: number): { x: number; y: number } | null;
  pickFeature(x: number, y: number): { layerId: string; feature: number; lonDeg?: number; latDeg?: number; heightM?: number } | null;
  sampleTerrainM(lon: number, lat: number): Promise<number | null>;
};
const layers = (s: Session) => s.page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers);

async function importFile(s: Session, file: string): Promise<void> {
  await s.page.setInputFiles('[data-testid="import-input"]', path.join(FIXTURES, file));
}

/** Metres between two WGS84 points (local flat approximation: fine at this scale). */
function metres(a: { lonDeg: number; latDeg: number }, b: { lonDeg: number; latDeg: number }): number {
  const k = Math.cos((a.latDeg * Math.PI) / 180);
  return Math.hypot((a.lonDeg - b.lonDeg) * 111_320 * k, (a.latDeg - b.latDeg) * 110_574);
}

async function expectFeatureAt(s: Session, lonDeg: number, latDeg: number): Promise<void> {
  await setCamera(s.page, { lonDeg, latDeg, heightM: 2500, pitchDeg: -90 });
  const ground = await s.page.evaluate(([lon, lat]) => (window as unknown as { sddiTwin: Twin }).sddiTwin.sampleTerrainM(lon!, lat!), [lonDeg, latDeg]);
  expect(ground).not.toBeNull();
  const hit = await s.page.evaluate(([lon, lat, h]) => {
    const twin = (window as unknown as { sddiTwin: Twin }).sddiTwin;
    const w = twin.toWindow(lon!, lat!, h!);
    return w ? twin.pickFeature(w.x, w.y) : null;
  }, [lonDeg, latDeg, ground!]);
  expect(hit, `a feature at ${lonDeg}, ${latDeg}`).not.toBeNull();
  expect(metres({ lonDeg: hit!.lonDeg!, latDeg: hit!.latDeg! }, { lonDeg, latDeg })).toBeLessThan(1);
  // On the terrain: the point was given the scene's ground height.
  expect(Math.abs(hit!.heightM! - ground!)).toBeLessThan(1);
}

describe('import in the page', () => {
  const session = twinSession();
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it('imports a Czech CSV in S-JTSK with decimal commas and puts its points on Plzeň', async () => {
    await importFile(s, 'plzen-sjtsk.csv');
    const dialog = s.page.locator('dialog.import-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await s.page.locator('[data-testid="import-crs"]').inputValue()).toBe('5514');
    await s.screenshot('import-dialog');
    await s.page.click('[data-testid="import-confirm"]');
    await s.page.waitForFunction(() => Object.values((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers).some((l) => l.kind === 'imported' && l.status !== 'loading'));
    const imported = Object.values(await layers(s)).filter((l) => l.kind === 'imported');
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ status: 'ready', imported: { epsg: 5514, featureCount: 2 } });
    await waitIdle(s.page);
    await expectFeatureAt(s, 13.3775, 49.7477);
    await expectFeatureAt(s, 13.37, 49.74);
    await s.screenshot('import-plzen');
  });

  it('flags a CRS the coordinates do not fit before anything is placed', async () => {
    const before = Object.keys(await layers(s)).length;
    await importFile(s, 'plzen-sjtsk.csv');
    const dialog = s.page.locator('dialog.import-dialog');
    await dialog.waitFor({ state: 'visible' });
    await expect(s.page.locator('[data-testid="import-crs-misfit"]').isVisible()).resolves.toBe(false);
    // Negative S-JTSK values read as UTM 32N would lie in the South Atlantic.
    await s.page.selectOption('[data-testid="import-crs"]', '25832');
    await expect(s.page.locator('[data-testid="import-crs-misfit"]').textContent()).resolves.toMatch(/do not fit EPSG:25832/);
    await expect(s.page.locator('[data-testid="import-confirm"]').textContent()).resolves.toBe('Import anyway');
    expect(Object.keys(await layers(s)).length).toBe(before);
    await s.page.selectOption('[data-testid="import-crs"]', '5514');
    await expect(s.page.locator('[data-testid="import-crs-misfit"]').isVisible()).resolves.toBe(false);
    await dialog.locator('button', { hasText: 'Cancel' }).click();
    expect(Object.keys(await layers(s)).length).toBe(before);
  });

  it('exports the imported layer back as GeoJSON in S-JTSK with the same coordinates (≤ 1 cm)', async () => {
    const row = s.page.locator('.layers li', { hasText: 'plzen-sjtsk.csv' });
    await row.locator('select[aria-label]').last().selectOption('5514');
    const [download] = await Promise.all([s.page.waitForEvent('download'), row.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe('plzen-sjtsk.EPSG5514.geojson');
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const gj = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { crs?: { properties?: { name?: string } }; features: Array<{ geometry: { coordinates: number[] }; properties: Record<string, unknown> }> };
    expect(gj.crs?.properties?.name).toMatch(/5514/);
    const first = gj.features.find((f) => f.properties['název'] === 'Náměstí Republiky')!;
    expect(Math.abs(first.geometry.coordinates[0]! - -822402.42)).toBeLessThan(0.01);
    expect(Math.abs(first.geometry.coordinates[1]! - -1069674.33)).toBeLessThan(0.01);
  });

  it('imports a Bavarian GeoJSON declared in EPSG:25832 and puts it on Hof', async () => {
    await importFile(s, 'hof-utm32.geojson');
    await s.page.locator('dialog.import-dialog').waitFor({ state: 'visible' });
    expect(await s.page.locator('[data-testid="import-crs"]').inputValue()).toBe('25832');
    await s.page.click('[data-testid="import-confirm"]');
    await s.page.waitForFunction(() => Object.values((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers).filter((l) => l.kind === 'imported' && l.status === 'ready').length === 2);
    await waitIdle(s.page);
    await expectFeatureAt(s, 11.9128, 50.3135);
  });

  it('imports a CityJSON block declared in EPSG:25832 standing on the terrain at Hof', async () => {
    await importFile(s, 'hof-block-25832.city.json');
    await s.page.locator('dialog.import-dialog').waitFor({ state: 'visible' });
    expect(await s.page.locator('[data-testid="import-crs"]').inputValue()).toBe('25832');
    await s.page.click('[data-testid="import-confirm"]');
    await s.page.waitForFunction(() => Object.values((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers).filter((l) => l.kind === 'imported' && l.status === 'ready').length === 3);
    const [lon, lat] = [11.916024, 50.312195];
    await setCamera(s.page, { lonDeg: lon, latDeg: lat, heightM: 1200, pitchDeg: -90 });
    const r = await s.page.evaluate(async ([x, y]) => {
      const twin = (window as unknown as { sddiTwin: Twin & { pickPosition(x: number, y: number): { lonDeg: number; latDeg: number; heightM: number } | null } }).sddiTwin;
      const ground = await twin.sampleTerrainM(x!, y!);
      const w = twin.toWindow(x!, y!, (ground ?? 0) + 10)!;
      return { ground, feature: twin.pickFeature(w.x, w.y), roof: twin.pickPosition(w.x, w.y) };
    }, [lon, lat]);
    await s.screenshot('import-cityjson');
    expect(r.feature?.feature).toBe(0);
    expect(metres(r.roof!, { lonDeg: lon, latDeg: lat })).toBeLessThan(1);
    // Roof 10 m above a ground given in DHHN2016 at the SRTM height: it stands on the scene's terrain.
    expect(Math.abs(r.roof!.heightM - (r.ground! + 10))).toBeLessThan(2);
  });

  it('reports a malformed file and leaves every layer as it was', async () => {
    const before = await layers(s);
    await s.page.setInputFiles('[data-testid="import-input"]', { name: 'broken.geojson', mimeType: 'application/json', buffer: Buffer.from('{"type": "FeatureCollection", "features": [') });
    await s.page.locator('.notice.error').first().waitFor({ state: 'visible' });
    expect(await s.page.locator('.notice.error').first().textContent()).toMatch(/broken\.geojson/);
    expect(await layers(s)).toEqual(before);
    await s.screenshot('import-malformed');
    expect(s.pageErrors).toEqual([]);
  });

  it('explains a CSV without coordinate columns and a file too large to read, changing nothing', async () => {
    const before = await layers(s);
    await s.page.locator('.notice button').first().click();
    await s.page.setInputFiles('[data-testid="import-input"]', { name: 'names.csv', mimeType: 'text/csv', buffer: Buffer.from('name;kind\nHof;town\nCheb;town\n') });
    await s.page.locator('.notice.error', { hasText: 'names.csv' }).waitFor({ state: 'visible' });
    expect(await s.page.locator('.notice.error', { hasText: 'names.csv' }).textContent()).toMatch(/coordinate/i);
    // A 200 MB file is refused before it is read: dropped on the page as a real DataTransfer.
    await s.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(200 * 1024 * 1024)], 'huge.csv', { type: 'text/csv' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await s.page.locator('.notice.error', { hasText: 'huge.csv' }).waitFor({ state: 'visible' });
    expect(await s.page.locator('.notice.error', { hasText: 'huge.csv' }).textContent()).toMatch(/200 MB/);
    expect(await layers(s)).toEqual(before);
    expect(s.pageErrors).toEqual([]);
  });
});
