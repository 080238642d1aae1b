/**
 * Entry of the aggregation worker: exposes the API and nothing else; the work lives in `aggregate.ts`,
 * `colour.ts` and `warp.ts`. `expose` is guarded because at module top level it would attach to whatever global
 * this file is imported into (and throws in node, which has no `self`).
 */
import { expose } from 'comlink';
import { createAggregateApi } from './api';

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  expose(createAggregateApi());
}
