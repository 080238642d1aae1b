/** A job API for pool tests: steps with a delay, progress per step, cooperative cancel, and a log of what ran. */
import type { ProgressFn } from '../../../../src/services/pool';

export interface WorkArgs {
  steps: number;
  stepMs?: number;
  /** Throw this message instead of finishing. */
  fail?: string;
  /** Keep going after a cancel (a worker that does not cooperate). */
  ignoreCancel?: boolean;
  value?: number;
  buf?: Float64Array;
}
export interface WorkResult {
  value: number;
  sum: number;
}

export interface FakeApi {
  init(tag: string): Promise<string>;
  work(jobId: number, args: WorkArgs, onProgress?: ProgressFn): Promise<WorkResult>;
  cancel(jobId: number): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function fakeApi(log: string[]): FakeApi {
  const cancelled = new Set<number>();
  return {
    async init(tag) {
      log.push(`init:${tag}`);
      return tag;
    },
    async work(jobId, args, onProgress) {
      log.push(`start:${jobId}`);
      for (let i = 0; i < args.steps; i++) {
        if (cancelled.has(jobId) && !args.ignoreCancel) {
          log.push(`stopped:${jobId}`);
          throw Object.assign(new Error('cancelled'), { name: 'JobCancelled' });
        }
        await sleep(args.stepMs ?? 1);
        void onProgress?.((i + 1) / args.steps);
      }
      log.push(`end:${jobId}`);
      if (args.fail) throw new Error(args.fail);
      return { value: args.value ?? 0, sum: args.buf ? args.buf.reduce((a, b) => a + b, 0) : 0 };
    },
    cancel(jobId) {
      log.push(`cancel:${jobId}`);
      cancelled.add(jobId);
    },
  };
}

/** Polls until `cond` holds (or fails the test after `ms`). */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not reached in time');
    await sleep(2);
  }
}
