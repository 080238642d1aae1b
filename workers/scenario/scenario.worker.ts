/** Entry of the scenario worker: its API, and nothing else (`core/jobs/worker-expose.ts`). */
import { exposeInWorker } from '../../core/jobs/worker-expose';
import { createScenarioApi } from './api';

exposeInWorker(createScenarioApi());
