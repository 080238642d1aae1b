/**
 * Shared by every worker's API. Over comlink a progress callback is a proxy that sends a message per call: its
 * returned promise is dropped (an error in the page's callback must not fail the job) and the proxy's port is
 * released when the job ends.
 */
import * as Comlink from 'comlink';

export type ProgressFn = (fraction: number) => void;

export function progressSink(onProgress: ProgressFn | undefined): { report: ProgressFn; release(): void } {
  if (!onProgress) return { report: () => {}, release: () => {} };
  return {
    report: (f) => {
      try {
        const r: unknown = onProgress(f);
        if (r instanceof Promise) r.catch(() => {});
      } catch {
        // a throwing progress listener is the caller's bug, not a reason to fail the job
      }
    },
    release: () => {
      const release = (onProgress as unknown as Record<symbol, unknown>)[Comlink.releaseProxy];
      if (typeof release === 'function') (release as () => void).call(onProgress);
    },
  };
}
