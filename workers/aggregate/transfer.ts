/**
 * What an aggregation job hands to the worker instead of copying: its readings' buffers (see api.ts). Apart from the
 * API so the page's pool has it without loading the aggregation code, which the page runs only as a fallback.
 */
import { wholeBuffers } from '../../core/jobs/progress';
import type { Readings3035 } from '../../core/aggregation/types';

const JOB_METHODS = new Set(['aggregate', 'frame', 'series']);

export const readingViews = (r: Readings3035 | undefined): (ArrayBufferView | undefined)[] => (r ? [r.x, r.y, r.value, r.tMs] : []);

/** What a job hands over instead of copying: its readings' buffers (see the module comment of api.ts). */
export function transferListOf(method: string, job: unknown): Transferable[] {
  if (!JOB_METHODS.has(method)) return [];
  return wholeBuffers(readingViews((job as { readings?: Readings3035 } | null)?.readings));
}
