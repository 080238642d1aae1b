/**
 * Entry of the scenario worker: exposes the API and nothing else; the geometry lives in `geometry.ts`.
 * `expose` is guarded so that importing this file anywhere but in a worker does nothing.
 */
import { expose } from 'comlink';
import { createScenarioApi } from './api';

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  expose(createScenarioApi());
}
