/** Running a long job in chunks, with progress, cancellation and a yield to the event loop between them. */
import type { ChunkHooks } from './options';

/** 65,536 points: about 1.5 MB of coordinates and 30-80 ms of proj4 work, short enough for a cancel to land quickly. */
export const DEFAULT_CHUNK_POINTS = 65_536;

/** Thrown (rejected) when `isCancelled()` reported true between two chunks. */
export class JobCancelledError extends Error {
  override name = 'JobCancelled';
  constructor(message = 'job cancelled') {
    super(message);
  }
}

/** A macrotask turn: lets queued messages (a cancel) and, in the page, rendering run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs `body` over [0, n) in chunks, with progress, cancellation and a yield between chunks. */
export async function inChunks(n: number, hooks: ChunkHooks, body: (start: number, end: number) => void): Promise<void> {
  const size = Math.max(1, Math.floor(hooks.chunkPoints ?? DEFAULT_CHUNK_POINTS));
  const pause = hooks.yieldBetweenChunks ?? yieldToEventLoop;
  if (n === 0) {
    if (hooks.isCancelled?.()) throw new JobCancelledError();
    hooks.onProgress?.(1);
    return;
  }
  for (let start = 0; start < n; start += size) {
    if (hooks.isCancelled?.()) throw new JobCancelledError();
    const end = Math.min(n, start + size);
    body(start, end);
    hooks.onProgress?.(end / n);
    if (end < n) await pause();
  }
}
