/** Entry of the coverage worker: its API, and nothing else (`core/jobs/worker-expose.ts`). */
import { exposeInWorker } from '../../core/jobs/worker-expose';
import { createCoverageApi } from './api';

exposeInWorker(createCoverageApi());
