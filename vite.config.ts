import path from 'node:path';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { sensorService } from './services/sensors/vite-plugin';
import { offlineSupport } from './tools/offline/vite-plugin';
import { precompressed } from './tools/compress/vite-plugin';
import { gzippedTerrain } from './tools/terrain/vite-plugin';
import { contentSecurityPolicy, originsOf } from './tools/csp/policy';
import { cspMeta } from './tools/csp/vite-plugin';
import { configOrigins } from './tools/csp/deploy-config';

/**
 * Cesium loads its workers, assets and widget CSS at run time from CESIUM_BASE_URL, so those folders are
 * copied next to the build. The embedded dataset (tilesets/) is served and copied the same way: the app
 * needs nothing from any other host.
 */
const CESIUM_BUILD = path.resolve(import.meta.dirname, 'node_modules/cesium/Build/Cesium').replaceAll('\\', '/');
const TILESETS = path.resolve(import.meta.dirname, 'tilesets').replaceAll('\\', '/');

/**
 * A SensorThings server elsewhere (VITE_STA_URL, VITE_STA_MQTT_URL at build time; see README) is the only other
 * origin the page may connect to; by default the local service is on the page's own origin. The policy itself:
 * tools/csp/policy.ts.
 */
// The deployment's config.json starts as public/config.json: the origins it names are in the build's policy.
const configured = configOrigins(readFileSync(path.resolve(import.meta.dirname, 'public/config.json'), 'utf8'));
const sensorOrigins = [...new Set([...originsOf([process.env['VITE_STA_URL'], process.env['VITE_STA_MQTT_URL']]), ...configured.connect])];
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy(sensorOrigins, 'header', configured.data);

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
  optimizeDeps: { include: ['comlink', 'proj4', 'papaparse', 'earcut', 'mqtt', 'zod', 'geotiff'] },
  plugins: [
    // The policy in the built index.html, for every static host; `vite preview` sends it as a header as well.
    cspMeta(sensorOrigins, configured.data),
    // The local SensorThings + MQTT service (simulated values) on the page's own origin: /sta/v1.1, /sta/mqtt.
    sensorService(),
    // Before the static copies: the terrain tiles are stored gzip-compressed and need their header.
    gzippedTerrain(),
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
    // After the copies above: lists every file of the build and writes the service worker (sw.js) that keeps a
    // presentation going offline. `worker-src 'self'` in the CSP already allows registering it.
    offlineSupport(),
    // Last: a .gz beside every compressible file written above, for servers that send precompressed files.
    precompressed(),
  ],
  preview: { host: '127.0.0.1', headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  server: { host: '127.0.0.1' },
});
