/**
 * Shared by every worker API. Over comlink a progress callback is a proxy that sends a message per call: its
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

export interface JobHooks {
  onProgress: ProgressFn;
  isCancelled: () => boolean;
}

/**
 * The running jobs of one worker API: each job gets progress and a cancelled flag that `cancel` sets; the flag is
 * checked between chunks. Only running ids are kept, so the map never grows stale. Results go back with their
 * transfer list (a no-op outside comlink).
 */
export function createJobRunner(): {
  run<R>(jobId: number, onProgress: ProgressFn | undefined, work: (hooks: JobHooks) => Promise<R>, transfers: (result: R) => Transferable[]): Promise<R>;
  cancel(jobId: number): void;
} {
  const running = new Map<number, { cancelled: boolean }>();
  return {
    async run(jobId, onProgress, work, transfers) {
      if (running.has(jobId)) throw new Error(`job ${jobId} is already running`);
      const flag = { cancelled: false };
      running.set(jobId, flag);
      const sink = progressSink(onProgress);
      try {
        const result = await work({ onProgress: sink.report, isCancelled: () => flag.cancelled });
        const list = transfers(result);
        return list.length > 0 ? Comlink.transfer(result, list) : result;
      } finally {
        running.delete(jobId);
        sink.release();
      }
    },
    cancel(jobId) {
      const flag = running.get(jobId);
      if (flag) flag.cancelled = true;
    },
  };
}

/**
 * The distinct whole buffers behind these views, for a transfer list: only a view that spans its whole buffer
 * can move (anything else is copied), and a buffer listed twice makes postMessage throw.
 */
export function wholeBuffers(views: readonly (ArrayBufferView | undefined)[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) {
    if (v && v.byteOffset === 0 && v.buffer instanceof ArrayBuffer && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  }
  return [...out];
}
