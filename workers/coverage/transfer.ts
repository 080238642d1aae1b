/**
 * What a coverage job hands to the worker instead of copying (see api.ts). Apart from the API so the page's pool
 * has it without loading the coverage code, which the page runs only as a fallback.
 */
import { wholeBuffers } from '../../core/jobs/progress';
import type { CompareJob, ImportGridJob, RenderJob } from '../../core/coverage/types';

/** What a job hands over instead of copying (see the module comment of api.ts). */
export function transferListOf(method: string, job: unknown): Transferable[] {
  if (job === null || typeof job !== 'object') return [];
  switch (method) {
    case 'render':
      return wholeBuffers([(job as Partial<RenderJob>).values]);
    case 'compare':
      return wholeBuffers([(job as Partial<CompareJob>).a, (job as Partial<CompareJob>).b]);
    case 'importGrid': {
      const bytes = (job as Partial<ImportGridJob>).bytes;
      return bytes instanceof ArrayBuffer ? [bytes] : [];
    }
    default:
      return [];
  }
}
