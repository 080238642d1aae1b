/**
 * The buffers a reprojection job hands to the worker instead of copying (see api.ts). Apart from the API so the
 * page's pool has it without loading the reprojection code, which the page runs only as a fallback.
 */
import type { CoordBuffer } from '../../core/geo/buffers';

/** The buffers a job can hand over instead of copying: only a view spanning its whole buffer, else nothing. */
export function transferListOf(job: { input: CoordBuffer }): Transferable[] {
  const a = job.input.xyz;
  const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer;
  return whole ? [a.buffer as ArrayBuffer] : [];
}
