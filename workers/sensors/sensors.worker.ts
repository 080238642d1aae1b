/**
 * Entry of the sensors worker: exposes the API and nothing else; the work lives in `feed.ts`.
 * `expose` is guarded so importing this file outside a worker attaches nothing.
 */
import { expose } from 'comlink';
import { createSensorsApi } from './api';

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  expose(createSensorsApi());
}
