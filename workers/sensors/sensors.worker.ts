/** Entry of the sensors worker: its API, and nothing else (`core/jobs/worker-expose.ts`). */
import { exposeInWorker } from '../../core/jobs/worker-expose';
import { createSensorsApi } from './api';

exposeInWorker(createSensorsApi());
