/**
 * The twin's service worker: a presentation must go on when the venue's network does not. Built on its own into
 * `sw.js` at the root of the production build (tools/offline/vite-plugin.ts strips the types and writes the
 * build's cache versions in), so its scope covers the whole app. Kept small and dependency-free on purpose: it has
 * three rules and nothing else.
 *   - App shell (index.html, assets/): precached on install. Hashed assets are served cache-first; the page itself
 *     network-first, so an update arrives whenever the network is there, and the cached page when it is not.
 *   - Embedded dataset and Cesium's static files (tilesets/, cesium/): cache-first, and cached as they are first
 *     fetched; "Prepare for offline" in the story panel fills the same cache with every file of the dataset.
 *   - Anything else (the live sensor service under sta/, this script): not touched, straight to the network.
 * Caches carry the build's versions; a new build's worker deletes the caches of older ones on activation.
 */

/** Replaced at build time by a hash of the shell's and of the dataset's files (see the plugin). */
const SHELL_VERSION = '__SDDI_SHELL_VERSION__';
const DATA_VERSION = '__SDDI_DATA_VERSION__';
const SHELL_CACHE = `sddi-shell-${SHELL_VERSION}`;
const DATA_CACHE = `sddi-data-${DATA_VERSION}`;
const OFFLINE_MANIFEST = 'offline-manifest.json';

interface OfflineManifest {
  readonly shell: ReadonlyArray<{ readonly path: string }>;
}

export type Route = 'page' | 'config' | 'shell' | 'data' | 'network';

/**
 * Which rule a request falls under, by its method and path inside the app's scope (pure: unit-tested). Only the
 * app's own page is 'page': opening, say, a sensor service URL in a tab must not replace the cached page.
 */
export function routeOf(method: string, url: URL, scope: URL): Route {
  if (method !== 'GET') return 'network';
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return 'network';
  const path = url.pathname.slice(scope.pathname.length);
  if (path === '' || path === 'index.html') return 'page';
  // The deployment's configuration: fresh when online, the last one seen when not (a presentation offline).
  if (path === 'config.json') return 'config';
  if (path.startsWith('assets/') || path === OFFLINE_MANIFEST) return 'shell';
  if (path.startsWith('tilesets/') || path.startsWith('cesium/')) return 'data';
  return 'network';
}

/** What `cacheable` reads of a response (a `Response` has it; so does a plain object in a test). */
export interface CachedAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

/**
 * Whether an answer for `route` may be kept (pure: unit-tested). A static host that falls back to index.html for
 * any missing path answers a data file it does not have yet with 200 and the page: kept, that page would be
 * served in place of the file from then on, even after the file exists. So only a full 200 is kept, and for
 * everything but the page itself only if it is not HTML.
 */
export function cacheable(route: Route, res: CachedAnswer): boolean {
  if (res.status !== 200) return false;
  if (route === 'page') return true;
  if (route === 'network') return false;
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type !== 'text/html' && type !== 'application/xhtml+xml';
}

/** Only inside a service worker: the unit tests import this file for `routeOf` and `cacheable` alone. */
const sw = typeof ServiceWorkerGlobalScope !== 'undefined' && self instanceof ServiceWorkerGlobalScope ? (self as unknown as ServiceWorkerGlobalScope) : null;
if (sw) {
  const scope = new URL(sw.registration.scope);

  sw.addEventListener('install', (event) => {
    event.waitUntil(
      (async () => {
        const res = await fetch(new URL(OFFLINE_MANIFEST, scope), { cache: 'no-store' });
        if (!res.ok) throw new Error(`${OFFLINE_MANIFEST}: HTTP ${res.status}`);
        const manifest = (await res.json()) as OfflineManifest;
        const cache = await caches.open(SHELL_CACHE);
        await cache.addAll(['./', OFFLINE_MANIFEST, ...manifest.shell.map((f) => f.path)].map((p) => new URL(p, scope).href));
        await sw.skipWaiting();
      })(),
    );
  });

  sw.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        const keep = new Set([SHELL_CACHE, DATA_CACHE]);
        for (const name of await caches.keys()) if (name.startsWith('sddi-') && !keep.has(name)) await caches.delete(name);
        // Take over the page that registered us: a talk may start without reloading it first.
        await sw.clients.claim();
      })(),
    );
  });

  sw.addEventListener('fetch', (event) => {
    const kind = routeOf(event.request.method, new URL(event.request.url), scope);
    if (kind === 'network') return;
    event.respondWith(kind === 'page' || kind === 'config' ? networkFirst(event.request, kind) : cacheFirst(event.request, kind));
  });
}

async function cacheFirst(request: Request, route: 'shell' | 'data'): Promise<Response> {
  const cache = await caches.open(route === 'shell' ? SHELL_CACHE : DATA_CACHE);
  // Terrain and 3D Tiles requests may carry query strings; the files themselves do not vary by them. Nor by the
  // request's Origin: a server may answer `Vary: Origin`, and a module script is requested with an Origin the
  // precache's plain fetch did not send, so honouring Vary made every module script miss on a cold start offline.
  const hit = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  // A fallback page kept by an older worker is not served: asked again, the server may have the file by now.
  if (hit && cacheable(route, hit)) return hit;
  const res = await fetch(request);
  if (cacheable(route, res)) await cache.put(request, res.clone());
  else if (hit) await cache.delete(request, { ignoreSearch: true, ignoreVary: true });
  return res;
}

/** The network's answer (kept as the route's one entry), else the one kept last. */
async function networkFirst(request: Request, route: 'page' | 'config'): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const key = route === 'page' ? './' : 'config.json';
  try {
    const res = await fetch(request);
    if (cacheable(route, res)) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = (await cache.match(key, { ignoreVary: true })) ?? (await cache.match(request, { ignoreSearch: true, ignoreVary: true }));
    if (hit) return hit;
    throw err;
  }
}
