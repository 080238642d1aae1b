/** Entry of the aggregate worker: its API, and nothing else (`core/jobs/worker-expose.ts`). */
import { exposeInWorker } from '../../core/jobs/worker-expose';
import { createAggregateApi } from './api';

exposeInWorker(createAggregateApi());
