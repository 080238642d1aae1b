/**
 * Entry of the import worker: exposes the API and nothing else; the work lives in `import.ts` and its helpers.
 * `expose` is guarded because at module top level it would attach to whatever global this file is imported
 * into (and throws in node, which has no `self`).
 */
import { expose } from 'comlink';
import { createImportApi } from './api';

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  expose(createImportApi());
}
