/**
 * The page's side of offline presentations: registers the service worker of the production build (src/offline/sw.ts),
 * reports into the store how much of the embedded dataset is cached, and fills that cache on "Prepare for offline".
 * The service worker answers the requests; this module only reads and fills its caches (the Cache API is shared
 * between the page and its worker), so the panel can show progress in files and bytes.
 */
import { t } from '../i18n';
import { watch, type AppStore } from '../state/store';
import { cacheable } from './sw';

interface OfflineFile {
  readonly path: string;
  readonly bytes: number;
}
interface OfflineManifest {
  readonly shellCache: string;
  readonly dataCache: string;
  readonly shell: readonly OfflineFile[];
  readonly data: readonly OfflineFile[];
}

export interface OfflineSupport {
  /** Fetches every file of the embedded dataset not cached yet; resolves when done (or failed: see the store). */
  prepare(): Promise<void>;
}

const sum = (l: readonly OfflineFile[]) => l.reduce((a, f) => a + f.bytes, 0);
const BASE = new URL('./', document.baseURI);
/** Parallel downloads while preparing: enough to keep a local link busy, few enough not to starve the scene. */
const PARALLEL = 4;
/** How often the cached share is counted again while the story panel is open. */
const REFRESH_MS = 10_000;
/** How often an open page asks whether a new version was deployed (the browser itself checks on navigation). */
const UPDATE_CHECK_MS = 30 * 60_000;

function isManifest(v: unknown): v is OfflineManifest {
  const m = v as Partial<OfflineManifest> | null;
  return !!m && typeof m.dataCache === 'string' && typeof m.shellCache === 'string' && Array.isArray(m.data) && Array.isArray(m.shell) &&
    m.data.every((f: unknown) => typeof (f as OfflineFile).path === 'string' && typeof (f as OfflineFile).bytes === 'number');
}

async function readManifest(): Promise<OfflineManifest> {
  const res = await fetch(new URL('offline-manifest.json', BASE));
  if (!res.ok) throw new Error(`offline-manifest.json: HTTP ${res.status}`);
  const json: unknown = await res.json();
  if (!isManifest(json)) throw new Error('offline-manifest.json is not a file list');
  return json;
}

/** The dataset's files already in the worker's cache, by path relative to the app. */
async function cachedPaths(manifest: OfflineManifest): Promise<Set<string>> {
  const cache = await caches.open(manifest.dataCache);
  const keys = await cache.keys();
  return new Set(keys.map((r) => new URL(r.url).pathname.slice(BASE.pathname.length)));
}

/**
 * A new deployment: the browser finds a changed sw.js (on navigation, every UPDATE_CHECK_MS, when the network comes
 * back); its worker precaches the new shell, takes over and drops the older caches. This page still runs the code
 * it loaded, so the user is offered a reload, not forced into one, and never in the middle of a presentation.
 */
function watchForUpdates(store: AppStore, registration: ServiceWorkerRegistration, activated: () => void): void {
  registration.addEventListener('updatefound', () => {
    const incoming = registration.installing;
    // The first install of all is not an update: this page already runs that version.
    if (!incoming || !navigator.serviceWorker.controller) return;
    incoming.addEventListener('statechange', () => {
      if (incoming.state !== 'activated') return;
      activated();
      offerReload(store);
    });
  });
  const check = (): void => void registration.update().catch(() => {});
  setInterval(check, UPDATE_CHECK_MS);
  addEventListener('online', check);
}

function offerReload(store: AppStore): void {
  if (store.getState().presenting) {
    const stop = watch(store, (s) => s.presenting, (presenting) => {
      if (presenting) return;
      stop();
      offerReload(store);
    });
    return;
  }
  const s = store.getState();
  s.notify('info', t(s.lang, 'offline.newVersion'), [{ label: t(s.lang, 'offline.reload'), run: () => location.reload() }]);
}

/**
 * Start offline support (production builds only: the dev server has no worker). Registration waits for `after`
 * (the scene having loaded): the worker's install downloads the app shell again and should not compete with the
 * first view.
 */
export function startOffline(store: AppStore, after: Promise<unknown> = Promise.resolve()): OfflineSupport {
  const unsupported: OfflineSupport = { prepare: async () => {} };
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || typeof caches === 'undefined') {
    store.getState().setOffline({ status: 'unsupported' });
    return unsupported;
  }
  store.getState().setOffline({ status: 'starting' });
  let manifest: OfflineManifest | null = null;

  const count = async (): Promise<void> => {
    manifest ??= await readManifest();
    const have = await cachedPaths(manifest);
    const cached = manifest.data.filter((f) => have.has(f.path));
    store.getState().setOffline({ cachedFiles: cached.length, totalFiles: manifest.data.length, cachedBytes: sum(cached), totalBytes: sum(manifest.data) });
  };
  const fail = (err: unknown): void => store.getState().setOffline({ status: 'error', message: err instanceof Error ? err.message : String(err) });

  const ready = (async () => {
    await after;
    const registration = await navigator.serviceWorker.register(new URL('sw.js', BASE), { scope: BASE.pathname });
    await navigator.serviceWorker.ready;
    watchForUpdates(store, registration, () => {
      // The new worker has dropped the old caches: count against the new deployment's file list.
      manifest = null;
      count().catch(fail);
    });
    // The worker claims the page on activation: from then on every request of the page and its workers passes it.
    if (!navigator.serviceWorker.controller) await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    await count();
    store.getState().setOffline({ status: 'ready' });
    // The worker also caches what the scene fetches as it is used: the panel's figure is refreshed while it is
    // open (listing the cache is cheap; doing it on every request would not be).
    const refresh = (): void => {
      const s = store.getState();
      if (s.storyPanelOpen && s.offline.status === 'ready') count().catch(fail);
    };
    watch(store, (s) => s.storyPanelOpen, refresh);
    setInterval(refresh, REFRESH_MS);
    refresh();
  })();
  ready.catch(fail);

  return {
    async prepare() {
      try {
        await ready;
        store.getState().setOffline({ status: 'preparing' });
        manifest ??= await readManifest();
        const m = manifest;
        const have = await cachedPaths(m);
        const todo = m.data.filter((f) => !have.has(f.path));
        const cache = await caches.open(m.dataCache);
        let next = 0;
        let sinceReport = 0;
        // Progress is counted here (listing the cache after every file would cost more than the download).
        let cachedFiles = m.data.length - todo.length;
        let cachedBytes = sum(m.data.filter((f) => have.has(f.path)));
        const worker = async (): Promise<void> => {
          while (next < todo.length) {
            const f = todo[next++]!;
            const url = new URL(f.path, BASE);
            // Through the worker when it controls the page (it caches what it fetches: one download, one write);
            // straight into the cache otherwise.
            const res = await fetch(url);
            if (!res.ok) throw new Error(`${f.path}: HTTP ${res.status}`);
            // The host's fallback page instead of the file: the worker does not keep it, and neither does this.
            if (!cacheable('data', res)) throw new Error(`${f.path}: the server answered with a page, not the file`);
            if (navigator.serviceWorker.controller) await res.arrayBuffer();
            else await cache.put(url, res);
            cachedFiles++;
            cachedBytes += f.bytes;
            if (++sinceReport >= 50) {
              sinceReport = 0;
              store.getState().setOffline({ cachedFiles, cachedBytes });
            }
          }
        };
        await Promise.all(Array.from({ length: PARALLEL }, worker));
        await count();
        const o = store.getState().offline;
        if (o.cachedFiles < o.totalFiles) throw new Error(`${o.totalFiles - o.cachedFiles} files could not be cached`);
        store.getState().setOffline({ status: 'ready' });
      } catch (err) {
        fail(err);
      }
    },
  };
}
