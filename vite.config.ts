import path from 'node:path';
import { defineConfig } from 'vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';

/**
 * Cesium loads its workers, assets and widget CSS at run time from CESIUM_BASE_URL, so those folders are
 * copied next to the build. The embedded dataset (tilesets/) is served and copied the same way: the app
 * needs nothing from any other host.
 */
const CESIUM_BUILD = path.resolve(import.meta.dirname, 'node_modules/cesium/Build/Cesium').replaceAll('\\', '/');
const TILESETS = path.resolve(import.meta.dirname, 'tilesets').replaceAll('\\', '/');

export default defineConfig({
  define: {
    CESIUM_BASE_URL: JSON.stringify('./cesium/'),
  },
  base: './',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Cesium in a chunk of its own: cached apart from the app's code, and the bench measures the app alone.
        codeSplitting: { groups: [{ name: 'cesium', test: /node_modules[\\/](cesium|@cesium)[\\/]/ }] },
      },
    },
  },
  worker: { format: 'es' },
  // Deps reached only from workers are otherwise discovered late by the dev server, which then reloads the page.
  optimizeDeps: { include: ['comlink', 'proj4'] },
  plugins: [
    viteStaticCopy({
      targets: ['Workers', 'ThirdParty', 'Assets', 'Widgets'].map((dir) => ({
        src: `${CESIUM_BUILD}/${dir}/**/*`,
        dest: 'cesium',
        // Drop node_modules/cesium/Build/Cesium from the destination (paths are matched relative to the root).
        rename: { stripBase: 4 },
      })).concat([
        { src: `${TILESETS}/**/*`, dest: 'tilesets', rename: { stripBase: 1 } },
      ]),
    }),
  ],
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
