/** Entry of the import worker: its API, and nothing else (`core/jobs/worker-expose.ts`). */
import { exposeInWorker } from '../../core/jobs/worker-expose';
import { createImportApi } from './api';

exposeInWorker(createImportApi());
