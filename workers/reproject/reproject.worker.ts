/** Entry of the reproject worker: its API, and nothing else (`core/jobs/worker-expose.ts`). */
import { exposeInWorker } from '../../core/jobs/worker-expose';
import { createReprojectApi } from './api';

exposeInWorker(createReprojectApi());
