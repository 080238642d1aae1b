/**
 * Browser-test harness: the production build served by `vite preview` on 127.0.0.1, Debian's Chromium driven
 * by playwright-core (software WebGL: SwiftShader), a fresh profile per run, and a record of everything a
 * user would notice: page errors, console errors, and any request to a host other than the page's own.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { preview, type PreviewServer } from 'vite';
import { launchChromium } from '../../tools/chromium';

export const ARTIFACTS = path.resolve(import.meta.dirname, '.artifacts');

export interface Session {
  readonly baseUrl: string;
  readonly page: Page;
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
  readonly foreignRequests: string[];
  /** Content-Security-Policy violations the page reported (directive and blocked URI). */
  cspViolations(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
  /** Another tab of the same browser profile (shared storage), as a user opens a second one. */
  newTab(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Collect CSP violations from the first script on (the page reports them as DOM events) into
 * `window.sddiCspViolations`. Workers' own violations are raised here again by the page, marked
 * `sample: 'worker'` (src/services/worker-policy.ts).
 */
export async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { sddiCspViolations: string[] };
    w.sddiCspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.sddiCspViolations.push(`${e.violatedDirective} ${e.blockedURI}${e.sample === 'worker' ? ` (in a worker: ${e.sourceFile})` : ''}`),
    );
  });
}

let server: PreviewServer | null = null;
let browser: Browser | null = null;

/** Serve dist/ (built by `npm run build` before the tests) and start Chromium once per test file. */
export async function startSession(viewport = { width: 1280, height: 800 }): Promise<Session> {
  server ??= await preview({ root: path.resolve(import.meta.dirname, '../..'), logLevel: 'warn', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const baseUrl = server.resolvedUrls?.local[0];
  if (!baseUrl) throw new Error('vite preview did not report a URL');
  browser ??= await launchChromium();
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const s = { pageErrors: [] as string[], consoleErrors: [] as string[], foreignRequests: [] as string[] };
  const origin = new URL(baseUrl).host;
  page.on('pageerror', (e) => s.pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') s.consoleErrors.push(m.text());
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.host !== origin) s.foreignRequests.push(r.url());
  });
  await recordCspViolations(page);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    baseUrl,
    page,
    ...s,
    async screenshot(name) {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    newTab: () => context.newPage(),
    cspViolations: () => page.evaluate(() => (window as unknown as { sddiCspViolations?: string[] }).sddiCspViolations ?? []),
    close: () => context.close(),
  };
}

/** Take the server down while the browser stays open: the network is gone for the page (offline tests). */
export async function stopServer(): Promise<void> {
  await server?.close();
  server = null;
}

export async function stopAll(): Promise<void> {
  await browser?.close();
  browser = null;
  await server?.close();
  server = null;
}

/** Open the twin with lite rendering and wait until its layers are mounted and the scene has settled. */
export async function openTwin(s: Session, fragment = ''): Promise<void> {
  const hash = fragment ? `${fragment}&render=lite` : 'render=lite';
  await s.page.goto(`${s.baseUrl}#${hash}`);
  await waitIdle(s.page);
}

export async function waitIdle(page: Page, timeoutMs = 180_000): Promise<void> {
  await page.waitForFunction(() => 'sddiTwin' in window, undefined, { timeout: timeoutMs });
  await page.evaluate((t) => (window as unknown as { sddiTwin: { whenIdle(t: number): Promise<void> } }).sddiTwin.whenIdle(t), timeoutMs);
}

/** Set the camera without a flight (tests need the settled view, not the animation). */
export async function setCamera(page: Page, cam: { lonDeg: number; latDeg: number; heightM: number; headingDeg?: number; pitchDeg?: number }): Promise<void> {
  await page.evaluate((c) => {
    const twin = (window as unknown as { sddiTwin: { store: { getState(): { flyTo(t: unknown, d: number): void } } } }).sddiTwin;
    twin.store.getState().flyTo({ headingDeg: 0, pitchDeg: -90, rollDeg: 0, ...c }, 0);
  }, cam);
  await waitIdle(page);
}

/**
 * One twin per test file: opened (lite rendering, settled) before the file's tests, closed after them.
 * Call at the top of a `describe`; the returned getter gives the session inside the tests.
 *
 * Whatever a file exercises, it ends with the Content-Security-Policy unbroken and no request to another host:
 * checked here after its last test, so every feature any browser test touches is covered (a violation fails
 * the file).
 */
export function twinSession(open: (s: Session) => Promise<void> = (s) => openTwin(s)): () => Session {
  let session: Session | null = null;
  beforeAll(async () => {
    session = await startSession();
    await open(session);
  });
  afterAll(async () => {
    const s = session;
    try {
      if (s) {
        const violations = await s.cspViolations().catch(() => [] as string[]);
        if (violations.length > 0) throw new Error(`Content-Security-Policy violations: ${violations.join('; ')}`);
        if (s.foreignRequests.length > 0) throw new Error(`requests to other hosts: ${s.foreignRequests.join('; ')}`);
      }
    } finally {
      await s?.close();
      await stopAll();
    }
  });
  return () => {
    if (!session) throw new Error('the browser session is not open');
    return session;
  };
}
