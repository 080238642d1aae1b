/**
 * Offline support for the production build: after everything is written (the app, Cesium's static folders and the
 * embedded dataset, copied by other plugins), list every file of the build in `offline-manifest.json` and write the
 * service worker `sw.js` next to index.html, with the cache versions of this build in it.
 *
 * Why by hand and not workbox: the worker has three rules (src/offline/sw.ts); its precache list has to include the
 * files vite-plugin-static-copy writes after the bundle is generated, which workbox's Vite integration does not see;
 * and the page fills the dataset cache itself to show progress. A file list and two content hashes are all it needs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformWithOxc, type Plugin, type ResolvedConfig } from 'vite';

export const OFFLINE_MANIFEST = 'offline-manifest.json';
const SW_SOURCE = path.resolve(import.meta.dirname, '../../src/offline/sw.ts');

export interface OfflineFile {
  /** Relative to the app's base, with forward slashes. */
  readonly path: string;
  readonly bytes: number;
}

export interface OfflineManifestFile {
  readonly shellCache: string;
  readonly dataCache: string;
  /** index.html's code and styles: precached when the worker installs. */
  readonly shell: readonly OfflineFile[];
  /** The embedded dataset and Cesium's static files: cached as used, or all at once by "Prepare for offline". */
  readonly data: readonly OfflineFile[];
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : e.isFile() ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

/** A version per group of files: their paths and contents, so a cache is replaced exactly when its files change. */
function version(root: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f).update('\0').update(readFileSync(path.join(root, f)));
  return h.digest('hex').slice(0, 16);
}

/** Which files the worker precaches and which the dataset cache holds; index.html is cached by the worker itself. */
export function offlineManifest(root: string, files: readonly string[]): OfflineManifestFile {
  const sorted = files.toSorted();
  const shell = sorted.filter((f) => f.startsWith('assets/'));
  const data = sorted.filter((f) => f.startsWith('tilesets/') || f.startsWith('cesium/'));
  const entry = (f: string): OfflineFile => ({ path: f, bytes: statSync(path.join(root, f)).size });
  return {
    shellCache: `sddi-shell-${version(root, ['index.html', ...shell])}`,
    dataCache: `sddi-data-${version(root, data)}`,
    shell: shell.map(entry),
    data: data.map(entry),
  };
}

const mb = (n: number) => (n / 1048576).toFixed(1);
const sum = (l: readonly OfflineFile[]) => l.reduce((a, f) => a + f.bytes, 0);

export function offlineSupport(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'sddi-offline',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    async closeBundle() {
      const outDir = path.resolve(config.root, config.build.outDir);
      // Precompressed copies (.gz) are the server's business: the cache holds what the page asks for.
      const files = walk(outDir).filter((f) => f !== 'sw.js' && f !== OFFLINE_MANIFEST && !f.endsWith('.gz'));
      const manifest = offlineManifest(outDir, files);
      writeFileSync(path.join(outDir, OFFLINE_MANIFEST), JSON.stringify(manifest));
      const { code } = await transformWithOxc(readFileSync(SW_SOURCE, 'utf8'), SW_SOURCE, { lang: 'ts' });
      // A classic worker script (module service workers are not everywhere yet): `export` is there for the unit tests.
      const js = code
        .replace(/^export (function|const) /gm, '$1 ')
        .replace('__SDDI_SHELL_VERSION__', manifest.shellCache.replace('sddi-shell-', ''))
        .replace('__SDDI_DATA_VERSION__', manifest.dataCache.replace('sddi-data-', ''));
      if (/^\s*(import|export)\b/m.test(js) || js.includes('__SDDI_')) throw new Error('sw.js: the service worker must be one self-contained script');
      writeFileSync(path.join(outDir, 'sw.js'), js);
      config.logger.info(`offline: shell ${manifest.shell.length} files ${mb(sum(manifest.shell))} MB, dataset ${manifest.data.length} files ${mb(sum(manifest.data))} MB`);
    },
  };
}
