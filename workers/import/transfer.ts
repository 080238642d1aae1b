/**
 * What an import job hands to the worker instead of copying (see api.ts). Apart from the API so the page's pool
 * has it without loading the importers, which the page runs only as a fallback.
 */
import type { ConvertJob } from './api';

/** The file's bytes of `inspect` and `convert` (see the module comment of api.ts). */
export function transferListOf(method: string, job: unknown): Transferable[] {
  if (method !== 'convert' && method !== 'inspect') return [];
  const bytes = (job as Partial<ConvertJob> | null)?.bytes;
  return bytes instanceof ArrayBuffer ? [bytes] : [];
}
