/**
 * Entry of the coverage worker: exposes the API and nothing else; the work lives beside it (`model.ts`,
 * `profile.ts`, `pathloss.ts`, `compare.ts`, `stats.ts`, `import.ts`). `expose` is guarded because at module top
 * level it would attach to whatever global this file is imported into (and throws in node, which has no `self`).
 */
import { expose } from 'comlink';
import { createCoverageApi } from './api';

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  expose(createCoverageApi());
}
