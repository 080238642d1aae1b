/**
 * `npm run bench [name…]`: run the named benches (all by default). Timings live here, never in tests.
 *   first-frame   twin vs bare Cesium globe in headless Chromium
 *   bundle-size   app code gzip apart from Cesium: the entry chunk, what loads before the first frame, all chunks
 *   import        100 k and 1 M point CSV through the page: time to ready, longest main-thread task
 *   reproject     S-JTSK -> ECEF: generic vs Helmert fast path in node; pool inline vs 1 vs 2 workers in Chromium
 *   ingest        MQTT bursts at 10 k and 20 k observations/s into the page's sensors worker; main-thread long tasks
 *   heatmap       1 M readings -> 512² frame in a worker vs naive and turf; 24-step scrub over 10 M readings; kde blur;
 *                 the ČHMÚ record: a month with the lapse rate and an anomaly frame vs naive; a 708-month scrub
 *   interaction   main-thread long tasks while toggling layers, switching workspaces, scrubbing, editing a building
 *   coverage      A − B and classes at 4096² vs naive; 100 masts on 1000² cells with terrain, 1 vs 2 node worker threads
 *   scale         district buildings at 10 k, 100 k, 1 M: levels of detail (streamed) vs the previous ADD-only tiling;
 *                 throughput and peak memory (synthetic, from the Regensburg-West tiles; not in the default run)
 */
import { benchBundleSize } from './bundle-size/run';
import { benchCoverage } from './coverage/run';
import { benchFirstFrame } from './first-frame/run';
import { benchHeatmap } from './heatmap/run';
import { benchImport } from './import/run';
import { benchInteraction } from './interaction/run';
import { benchIngest } from './ingest/run';
import { benchReproject } from './reproject/run';
import { benchScale } from './scale/run';

const BENCHES: Record<string, () => Promise<void>> = {
  'bundle-size': benchBundleSize,
  coverage: benchCoverage,
  'first-frame': benchFirstFrame,
  heatmap: benchHeatmap,
  import: benchImport,
  interaction: benchInteraction,
  ingest: benchIngest,
  reproject: benchReproject,
  scale: benchScale,
};
/** Long and needing ../shared: run only when named. */
const ON_REQUEST = new Set(['scale']);

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES).filter((n) => !ON_REQUEST.has(n));
for (const n of names) {
  const b = BENCHES[n];
  if (!b) throw new Error(`unknown bench “${n}”; known: ${Object.keys(BENCHES).join(', ')}`);
  await b();
}
