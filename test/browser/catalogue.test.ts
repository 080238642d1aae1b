/**
 * The catalogue in the page: a real WMS (Debian's MapServer on loopback, tools/mapserver.ts) read from its
 * capabilities and drawn where it belongs in EPSG:3857 and EPSG:4326, under a deployment whose security policy
 * was rendered from its config.json (tools/csp/deploy-config.ts) and served by nginx; services that fail, cannot
 * be reached or are not allowed are named and change nothing (and the last is never requested); KML, GPX and
 * CZML files land within 1 m of their coordinates, their HTML is never rendered, a hostile KML is refused and a
 * network link is not followed.
 */
import { copyFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Geodesic } from 'geographiclib-geodesic';
import type { Browser, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../core/catalogue/presets';
import { launchChromium } from '../../tools/chromium';
import { applyDeployConfig } from '../../tools/csp/deploy-config';
import { CHEB, hasMapServer, startMapServer, type MapServer } from '../../tools/mapserver';
import { hasNginx, startNginx, type Nginx } from '../../tools/nginx';
import { ARTIFACTS, recordCspViolations, setCamera, twinSession, waitIdle } from './harness';
import { differingPixels } from './pixels';

const DIST = path.resolve(import.meta.dirname, '../../dist');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/catalogue');
/** Allowed by the test deployment's policy, but nothing listens there (and Chromium refuses the port anyway). */
const UNREACHABLE = 'http://127.0.0.1:9';

interface Layer {
  id: string;
  kind: string;
  status: string;
  visible: boolean;
  message?: string;
  catalogue?: { kind: string; url: string };
}
interface Point {
  name: string;
  lonDeg: number;
  latDeg: number;
  heightM: number;
}
type Twin = {
  store: {
    getState(): {
      layers: Record<string, Layer>;
      notices: Array<{ level: string; text: string }>;
      selection: { layerId: string; properties?: Array<[string, string]> } | null;
      setLayerVisible(id: string, v: boolean): void;
      setLayerOpacity(id: string, o: number): void;
    };
  };
  toWindow(lon: number, lat: number, h: number): { x: number; y: number } | null;
  sampleTerrainM(lon: number, lat: number): Promise<number | null>;
  catalogueEntities(layerId: string): Point[];
};

/** A request the page itself cancelled (Cesium drops tile requests the moved camera no longer needs): no failure. */
const aborted = (failure: string): boolean => failure.endsWith(' net::ERR_ABORTED');

const layers = (page: Page) => page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers);
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { sddiCspViolations?: string[] }).sddiCspViolations ?? []);

/** The catalogue dialog, opened from the toolbar unless it is open already (its code is fetched on first use). */
async function openCatalogue(page: Page): Promise<Locator> {
  const dialog = page.locator('dialog[data-testid="catalogue-dialog"]');
  if (!(await dialog.isVisible())) await page.click('[data-testid="catalogue-button"]');
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  return dialog;
}

/** Type a URL, pick the kind and read: resolves once the dialog lists offers or shows an error. */
async function readService(page: Page, url: string, kind: string): Promise<Locator> {
  const dialog = await openCatalogue(page);
  await dialog.locator('[data-testid="catalogue-url"]').fill(url);
  await dialog.locator('[data-testid="catalogue-kind"]').selectOption(kind);
  await dialog.locator('[data-testid="catalogue-read"]').click();
  await page.waitForFunction(
    () => {
      const d = document.querySelector('dialog[data-testid="catalogue-dialog"]');
      return !!d?.querySelector('[data-testid="catalogue-offer"], [data-testid="catalogue-error"]');
    },
    undefined,
    { timeout: 60_000 },
  );
  return dialog;
}

const offeredLayers = async (dialog: Locator) => (await dialog.locator('[data-testid="catalogue-offer"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer') ?? ''))).toSorted();

/** The catalogue layer added since `before` once it has left 'loading'. */
async function newCatalogueLayer(page: Page, before: readonly string[], timeoutMs = 120_000): Promise<Layer> {
  const handle = await page.waitForFunction(
    (b) => {
      const ls = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers;
      return Object.values(ls).find((l) => !b.includes(l.id) && l.kind === 'catalogue' && l.status !== 'loading') ?? null;
    },
    [...before],
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as Layer;
}

/** Metres between two WGS84 points on the ellipsoid. */
function metres(a: { lonDeg: number; latDeg: number }, b: { lonDeg: number; latDeg: number }): number {
  return Geodesic.WGS84.Inverse(a.latDeg, a.lonDeg, b.latDeg, b.lonDeg, Geodesic.DISTANCE).s12 ?? Number.NaN;
}

/**
 * Every expected point has an entity point within 1 m (named ones: the entity of that name), and every entity
 * point lies within 1 m of an expected one: nothing moved, nothing invented.
 */
function expectPointsAt(got: readonly Point[], expected: ReadonlyArray<{ name?: string; lonDeg: number; latDeg: number }>): void {
  expect(got.length).toBeGreaterThan(0);
  for (const e of expected) {
    const candidates = e.name === undefined ? got : got.filter((p) => p.name === e.name);
    expect(candidates.length, `an entity ${e.name ?? ''} at ${e.lonDeg}, ${e.latDeg}`).toBeGreaterThan(0);
    expect(Math.min(...candidates.map((p) => metres(p, e))), `${e.name ?? 'a point'} at ${e.lonDeg}, ${e.latDeg}`).toBeLessThan(1);
  }
  for (const p of got) expect(Math.min(...expected.map((e) => metres(p, e))), `${p.name} at ${p.lonDeg}, ${p.latDeg}`).toBeLessThan(1);
}

type Rgb = [number, number, number];
const isRed = ([r, g, b]: Rgb): boolean => r > 180 && g < 80 && b < 80;
function rgbAt(png: PNG, p: { x: number; y: number }): Rgb {
  const i = (Math.round(p.y) * png.width + Math.round(p.x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

/**
 * Over Cheb from the south, settled: the screenshot and the colours at Cheb's centre (inside the marker square)
 * and 0.1° east of it (outside), both on the terrain.
 */
async function chebView(page: Page, name: string): Promise<{ shot: Buffer; inside: Rgb; outside: Rgb }> {
  await setCamera(page, { lonDeg: CHEB.lonDeg, latDeg: CHEB.latDeg - 0.05, heightM: 15_000, headingDeg: 0, pitchDeg: -60 });
  const at = await page.evaluate(async ([lon, lat]) => {
    const twin = (window as unknown as { sddiTwin: Twin }).sddiTwin;
    const w = async (x: number, y: number) => {
      const p = twin.toWindow(x, y, (await twin.sampleTerrainM(x, y)) ?? 0);
      // The scene itself at that point, not a panel over it.
      return p && document.elementFromPoint(p.x, p.y)?.tagName === 'CANVAS' ? p : null;
    };
    return { inside: await w(lon!, lat!), outside: await w(lon! + 0.1, lat!) };
  }, [CHEB.lonDeg, CHEB.latDeg]);
  expect(at.inside, 'Cheb in view, not under a panel').not.toBeNull();
  expect(at.outside, 'Cheb + 0.1° in view, not under a panel').not.toBeNull();
  const shot = await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const png = PNG.sync.read(shot);
  return { shot, inside: rgbAt(png, at.inside!), outside: rgbAt(png, at.outside!) };
}

describe.skipIf(!hasMapServer() || !hasNginx())('the catalogue with a real WMS, under the policy of a deployment that allows it', () => {
  let mapserver: MapServer;
  let nginx: Nginx;
  let root: string;
  let browser: Browser;
  let page: Page;
  const failed: string[] = [];
  const urls: string[] = [];
  const alerts: string[] = [];
  const pageErrors: string[] = [];
  const markerLayers: Layer[] = [];
  let markerShot: Buffer;

  /** Failed requests other than the one to the unreachable service (expected: it is refused). */
  const unexpectedFailures = () => failed.filter((f) => !f.startsWith(`${UNREACHABLE}/`) && !aborted(f));

  beforeAll(async () => {
    mapserver = await startMapServer();
    // The build as a deployment with its own config.json: the policy is rendered from it, as deployed.
    root = mkdtempSync(path.join(tmpdir(), 'sddi-catalogue-'));
    chmodSync(root, 0o755);
    const own = new Set(['index.html', 'index.html.gz', 'config.json']);
    for (const f of readdirSync(DIST)) if (!own.has(f)) symlinkSync(path.join(DIST, f), path.join(root, f));
    writeFileSync(path.join(root, 'config.json'), `${JSON.stringify({ sensorThingsUrl: null, mqttUrl: null, dataSources: [new URL(mapserver.baseUrl).origin, UNREACHABLE] }, null, 2)}\n`);
    copyFileSync(path.join(DIST, 'index.html'), path.join(root, 'index.html'));
    const headers = applyDeployConfig(root);
    nginx = await startNginx(root, '', headers);

    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })).newPage();
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('request', (r) => urls.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.url()} HTTP ${r.status()}`);
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await recordCspViolations(page);
    await page.goto(`${nginx.baseUrl}#render=lite`);
    await waitIdle(page);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await mapserver?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('serves the policy rendered from config.json: the map server allowed, nothing else added', async () => {
    const csp = (await fetch(nginx.baseUrl)).headers.get('content-security-policy') ?? '';
    const origin = new URL(mapserver.baseUrl).origin;
    expect(csp).toMatch(new RegExp(`connect-src [^;]*${origin.replace(/[.:/]/g, '\\$&')}`));
    expect(csp).toMatch(new RegExp(`img-src [^;]*${origin.replace(/[.:/]/g, '\\$&')}`));
    expect(csp).not.toContain('example.org');
    const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    expect(meta).toContain(origin);
  });

  it('lists the official services with owner, licence and an online mark', async () => {
    const dialog = await openCatalogue(page);
    const presets = dialog.locator('[data-testid="catalogue-preset"]');
    const ids = await presets.evaluateAll((els) => els.map((e) => e.getAttribute('data-preset')));
    expect(ids.toSorted()).toEqual(['basemap-de', 'cuzk-dmr5g-relief', 'cuzk-ortofoto', 'cuzk-ztm', 'ldbv-dop20', 'ldbv-lod2-3dtiles']);
    for (const p of PRESETS) {
      const text = (await dialog.locator(`[data-testid="catalogue-preset"][data-preset="${p.presetId}"]`).textContent()) ?? '';
      expect(text, p.presetId).toContain(p.owner!);
      expect(text, p.presetId).toContain(p.licence!);
      expect(text, p.presetId).toMatch(/online/i);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalogue-dialog.png') });
  });

  it('reads the map server’s capabilities: its three layers, as WMS and detected from a URL ending /wms', async () => {
    let dialog = await readService(page, mapserver.baseUrl, 'wms');
    await expect(dialog.locator('[data-testid="catalogue-error"]').count()).resolves.toBe(0);
    expect(await offeredLayers(dialog)).toEqual(['landsat', 'marker', 'relief']);
    await expect(dialog.locator('[data-testid="catalogue-offer"][data-layer="landsat"]').textContent()).resolves.toContain('Landsat 8 Plzeň');
    dialog = await readService(page, mapserver.baseUrl, 'auto');
    await expect(dialog.locator('[data-testid="catalogue-error"]').count()).resolves.toBe(0);
    expect(await offeredLayers(dialog)).toEqual(['landsat', 'marker', 'relief']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalogue-wms-offers.png') });
    expect(await cspViolations(page)).toEqual([]);
  });

  it('draws the marker layer in EPSG:3857 where it belongs: red over Cheb, not beside it', async () => {
    const dialog = await openCatalogue(page);
    const offer = dialog.locator('[data-testid="catalogue-offer"][data-layer="marker"]');
    expect(await offer.locator('[data-testid="catalogue-crs"]').inputValue()).toBe('EPSG:3857');
    const before = Object.keys(await layers(page));
    await offer.locator('[data-testid="catalogue-add"]').click();
    const layer = await newCatalogueLayer(page, before);
    expect(layer).toMatchObject({ status: 'ready', catalogue: { kind: 'wms', url: expect.stringContaining(mapserver.baseUrl) as unknown } });
    markerLayers.push(layer);
    // Only the terrain, its imagery and the catalogue: no label or outline over the pixels read.
    await page.evaluate((id) => {
      const st = (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState();
      for (const l of Object.values(st.layers)) if (l.visible && !['terrain', 'imagery', 'catalogue'].includes(l.kind)) st.setLayerVisible(l.id, false);
      st.setLayerOpacity(id, 1);
    }, layer.id);
    const v = await chebView(page, 'catalogue-wms-marker-3857');
    expect(isRed(v.inside), `Cheb: ${v.inside.join(',')}`).toBe(true);
    expect(isRed(v.outside), `Cheb + 0.1°: ${v.outside.join(',')}`).toBe(false);
    expect(urls.some((u) => u.startsWith(mapserver.baseUrl) && /layers=marker/i.test(u) && /[cs]rs=EPSG(:|%3A)3857/i.test(u))).toBe(true);
    expect(await cspViolations(page)).toEqual([]);
    expect(unexpectedFailures()).toEqual([]);
  });

  it('draws it in EPSG:4326 when the user picks that projection: the same place', async () => {
    await page.evaluate((id) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setLayerVisible(id, false), markerLayers[0]!.id);
    const dialog = await readService(page, mapserver.baseUrl, 'auto');
    const offer = dialog.locator('[data-testid="catalogue-offer"][data-layer="marker"]');
    await offer.locator('[data-testid="catalogue-crs"]').selectOption('EPSG:4326');
    const before = Object.keys(await layers(page));
    await offer.locator('[data-testid="catalogue-add"]').click();
    const layer = await newCatalogueLayer(page, before);
    expect(layer.status).toBe('ready');
    markerLayers.push(layer);
    await page.evaluate((id) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().setLayerOpacity(id, 1), layer.id);
    const v = await chebView(page, 'catalogue-wms-marker-4326');
    expect(isRed(v.inside), `Cheb: ${v.inside.join(',')}`).toBe(true);
    expect(isRed(v.outside), `Cheb + 0.1°: ${v.outside.join(',')}`).toBe(false);
    expect(urls.some((u) => u.startsWith(mapserver.baseUrl) && /layers=marker/i.test(u) && /[cs]rs=EPSG(:|%3A)4326/i.test(u))).toBe(true);
    markerShot = v.shot;
    expect(await cspViolations(page)).toEqual([]);
    expect(unexpectedFailures()).toEqual([]);
  });

  it('adds the relief over it: ready, and the view changes', async () => {
    const dialog = await readService(page, mapserver.baseUrl, 'wms');
    const before = Object.keys(await layers(page));
    await dialog.locator('[data-testid="catalogue-offer"][data-layer="relief"] [data-testid="catalogue-add"]').click();
    const layer = await newCatalogueLayer(page, before);
    expect(layer).toMatchObject({ status: 'ready', catalogue: { kind: 'wms' } });
    const v = await chebView(page, 'catalogue-wms-relief');
    expect(differingPixels(markerShot, v.shot, [0, 0, 1, 1])).toBeGreaterThan(1000);
    expect(urls.some((u) => u.startsWith(mapserver.baseUrl) && /layers=relief/i.test(u))).toBe(true);
    expect(await cspViolations(page)).toEqual([]);
    expect(unexpectedFailures()).toEqual([]);
  });

  it('a service that answers with an error instead of capabilities: named in the dialog, nothing added', async () => {
    const before = await layers(page);
    // The map file must match /etc/mapserver.conf's MS_MAP_PATTERN: MapServer refuses this one.
    const dialog = await readService(page, `${mapserver.baseUrl}?map=/etc/passwd`, 'wms');
    const error = dialog.locator('[data-testid="catalogue-error"]');
    await expect(error.getAttribute('role')).resolves.toBe('alert');
    expect(await error.textContent()).toContain(mapserver.baseUrl);
    await expect(dialog.locator('[data-testid="catalogue-offer"]').count()).resolves.toBe(0);
    expect(await layers(page)).toEqual(before);
    expect(alerts).toEqual([]);
  });

  it('an unreachable service and one the policy does not allow: named, nothing added, the latter never requested', async () => {
    const before = await layers(page);
    let dialog = await readService(page, `${UNREACHABLE}/wms`, 'wms');
    expect(await dialog.locator('[data-testid="catalogue-error"]').textContent()).toContain(`${UNREACHABLE}/wms`);
    expect(await layers(page)).toEqual(before);

    dialog = await readService(page, 'https://example.org/wms', 'wms');
    const text = (await dialog.locator('[data-testid="catalogue-error"]').textContent()) ?? '';
    expect(text).toContain('https://example.org');
    expect(text).toMatch(/not allowed by this deployment.s security policy/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'catalogue-not-allowed.png') });
    expect(await layers(page)).toEqual(before);
    expect(urls.filter((u) => new URL(u).hostname.endsWith('example.org'))).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(unexpectedFailures()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe('the catalogue with KML, GPX and CZML files', () => {
  const session = twinSession();
  const failed: string[] = [];
  const alerts: string[] = [];
  let page: Page;

  beforeAll(() => {
    // After the session's own beforeAll (registered first): the twin is open.
    page = session().page;
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.url()} HTTP ${r.status()}`);
    });
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
  });

  const addFile = async (file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<Layer> => {
    const before = Object.keys(await layers(page));
    const dialog = await openCatalogue(page);
    await dialog.locator('[data-testid="catalogue-file"]').setInputFiles(typeof file === 'string' ? path.join(FIXTURES, file) : file);
    return newCatalogueLayer(page, before);
  };
  const entities = (id: string) => page.evaluate((i) => (window as unknown as { sddiTwin: Twin }).sddiTwin.catalogueEntities(i), id);

  it('puts a KML file’s placemarks within 1 m of their coordinates and never renders its description as HTML', async () => {
    const layer = await addFile('cheb-regensburg.kml');
    expect(layer).toMatchObject({ status: 'ready', catalogue: { kind: 'kml', url: 'file:cheb-regensburg.kml' } });
    expectPointsAt(await entities(layer.id), [
      { name: 'Cheb', lonDeg: 12.3713, latDeg: 50.0795 },
      { name: 'Regensburg', lonDeg: 12.10161, latDeg: 49.01343 },
    ]);
    // Select Cheb: whatever the page shows of it is text. The pin stands on the point: a click on it, then just above.
    await setCamera(page, { lonDeg: 12.3713, latDeg: 50.0795, heightM: 2500, pitchDeg: -90 });
    const w = await page.evaluate(async () => {
      const twin = (window as unknown as { sddiTwin: Twin }).sddiTwin;
      return twin.toWindow(12.3713, 50.0795, (await twin.sampleTerrainM(12.3713, 50.0795)) ?? 0);
    });
    expect(w).not.toBeNull();
    let selected = false;
    for (const dy of [0, -8, -16, -24]) {
      await page.mouse.click(w!.x, w!.y + dy);
      selected = await page
        .waitForFunction((id) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().selection?.layerId === id, layer.id, { timeout: 5_000 })
        .then(() => true, () => false);
      if (selected) break;
    }
    expect(selected, 'Cheb selected by a click').toBe(true);
    await waitIdle(page);
    await session().screenshot('catalogue-kml-selected');
    for (const frame of page.frames()) {
      const found = await frame.evaluate(() => ({
        bold: [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold').length,
        scripts: [...document.querySelectorAll('script')].filter((s) => (s.textContent ?? '').includes('alert(1)')).length,
      }));
      expect(found, frame.url()).toEqual({ bold: 0, scripts: 0 });
    }
    expect(alerts).toEqual([]);
    expect(session().pageErrors).toEqual([]);
  });

  it('puts a GPX track and waypoint within 1 m of their coordinates', async () => {
    const layer = await addFile('furth-domazlice.gpx');
    expect(layer).toMatchObject({ status: 'ready', catalogue: { kind: 'gpx', url: 'file:furth-domazlice.gpx' } });
    const track: Array<[number, number]> = [
      [12.8433, 49.3091], [12.849, 49.326], [12.854, 49.345], [12.857, 49.366], [12.861, 49.379],
      [12.8621, 49.3988], [12.886, 49.417], [12.907, 49.43], [12.9288, 49.4405],
    ];
    expectPointsAt(await entities(layer.id), [{ name: 'Domažlice náměstí', lonDeg: 12.9319, latDeg: 49.4402 }, ...track.map(([lonDeg, latDeg]) => ({ lonDeg, latDeg }))]);
    expect(session().pageErrors).toEqual([]);
  });

  it('adds 3D Tiles and GeoJSON by URL, their kind told by the URL', async () => {
    for (const [file, kind] of [['tilesets/buildings/zatec/tileset.json', '3dtiles'], ['tilesets/places/municipalities.geojson', 'geojson']] as const) {
      const before = Object.keys(await layers(page));
      const dialog = await openCatalogue(page);
      await dialog.locator('[data-testid="catalogue-url"]').fill(new URL(file, session().baseUrl).href);
      await dialog.locator('[data-testid="catalogue-kind"]').selectOption('auto');
      await dialog.locator('[data-testid="catalogue-read"]').click();
      const layer = await newCatalogueLayer(page, before);
      expect(layer, file).toMatchObject({ status: 'ready', catalogue: { kind } });
    }
    await waitIdle(page);
    expect(session().pageErrors).toEqual([]);
  });

  it('reads a CZML file dropped on the page', async () => {
    const before = Object.keys(await layers(page));
    const text = readFileSync(path.join(FIXTURES, 'cheb.czml'), 'utf8');
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'cheb.czml', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    const layer = await newCatalogueLayer(page, before);
    expect(layer).toMatchObject({ status: 'ready', catalogue: { kind: 'czml', url: 'file:cheb.czml' } });
    expectPointsAt(await entities(layer.id), [{ name: 'Cheb hrad', lonDeg: 12.3666, latDeg: 50.0818 }]);
    await waitIdle(page);
    expect(session().pageErrors).toEqual([]);
  });

  it('refuses a KML nested 10,000 folders deep by name; nothing is drawn and the page stays responsive', async () => {
    const before = await layers(page);
    const depth = 10_000;
    const kml = `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>${'<Folder>'.repeat(depth)}<Placemark><name>deep</name><Point><coordinates>12.3713,50.0795,0</coordinates></Point></Placemark>${'</Folder>'.repeat(depth)}</Document></kml>\n`;
    const dialog = await openCatalogue(page);
    await dialog.locator('[data-testid="catalogue-file"]').setInputFiles({ name: 'nested-folders.kml', mimeType: 'application/vnd.google-earth.kml+xml', buffer: Buffer.from(kml) });
    const error = dialog.locator('[data-testid="catalogue-error"]');
    await error.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('nested-folders.kml');
    // The depth limit is the reason (the browser's XML parser or the page's own check, whichever stops first).
    expect(text.replaceAll('nested-folders.kml', '')).toMatch(/deep|depth|nest/i);
    // Nothing stays behind: no layer, and every other layer as it was.
    const after = await layers(page);
    expect(Object.values(after).filter((l) => !(l.id in before))).toEqual([]);
    for (const [id, l] of Object.entries(before)) expect(after[id]?.status, id).toBe(l.status);
    // Responsive: the dialog takes input at once and the scene settles.
    await dialog.locator('[data-testid="catalogue-url"]').fill('https://example.org/still-typing', { timeout: 10_000 });
    await expect(dialog.locator('[data-testid="catalogue-url"]').inputValue({ timeout: 10_000 })).resolves.toBe('https://example.org/still-typing');
    await waitIdle(page, 60_000);
    expect(session().pageErrors).toEqual([]);
  });

  it('adds the placemark of a KML with a network link, says the link was not followed, and never requests it', async () => {
    const layer = await addFile('network-link.kml');
    expect(layer).toMatchObject({ status: 'ready', catalogue: { kind: 'kml', url: 'file:network-link.kml' } });
    expectPointsAt(await entities(layer.id), [{ name: 'Cheb náměstí Krále Jiřího z Poděbrad', lonDeg: 12.3713, latDeg: 50.0795 }]);
    const notices = await page.evaluate(() => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().notices);
    expect(notices.filter((n) => n.level === 'warning' && /network link/i.test(n.text) && n.text.includes('network-link.kml'))).toHaveLength(1);
    await waitIdle(page);
    expect(session().foreignRequests.filter((u) => u.includes('evil.example.org'))).toEqual([]);
    expect(await session().cspViolations()).toEqual([]);
    expect(failed.filter((f) => !aborted(f))).toEqual([]);
    expect(alerts).toEqual([]);
    expect(session().pageErrors).toEqual([]);
  });
});
