/**
 * Reaching the sensor service again after it could not be read: an exponential backoff with jitter and a loop
 * that runs it, pausable (the layer hidden) and triggerable (the user's "Retry"). Pure: timers and randomness
 * are injected, so the schedule is tested without waiting.
 *
 * Jitter, because every page that lost the service at the same moment would otherwise come back in lock-step
 * and hit it together the moment it restarts.
 */

export interface BackoffOptions {
  /** The first delay, ms. */
  readonly firstMs: number;
  /** No delay is longer than this, jitter included, ms. */
  readonly maxMs: number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export const SENSOR_BACKOFF: Omit<BackoffOptions, 'random'> = { firstMs: 2000, maxMs: 60_000 };

/** The delay before retry number `attempt` (0-based): first × 2^attempt, ±25 % jitter, at most maxMs. */
export function backoffDelayMs(attempt: number, o: BackoffOptions): number {
  const base = Math.min(o.maxMs, o.firstMs * 2 ** Math.min(attempt, 30));
  return Math.min(o.maxMs, base * (0.75 + 0.5 * o.random()));
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RetryLoop {
  /** Schedules the next attempt after its backoff delay (no-op while one is pending, running, or after success). */
  resume(): void;
  /** Cancels the pending attempt (an attempt already running finishes). */
  pause(): void;
  /** Tries at once; resolves true when the service was reached (now or before). */
  now(): Promise<boolean>;
  stop(): void;
}

/**
 * Runs `attempt` until it resolves true (a rejection counts as false). After each failure the next attempt is
 * scheduled with the backoff, unless paused; `now()` (the Retry button) does not reset the backoff.
 */
export function retryLoop(attempt: () => Promise<boolean>, delayMs: (n: number) => number, timers: Timers): RetryLoop {
  let failures = 0;
  let timer: unknown = null;
  let running: Promise<boolean> | null = null;
  let done = false;
  let paused = false;
  let stopped = false;

  const clear = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const schedule = (): void => {
    if (done || stopped || paused || running || timer !== null) return;
    timer = timers.setTimeout(() => {
      timer = null;
      void run();
    }, delayMs(failures));
  };
  const run = (): Promise<boolean> => {
    if (done) return Promise.resolve(true);
    if (running) return running;
    clear();
    running = attempt()
      .catch(() => false)
      .then((ok) => {
        running = null;
        if (ok) done = true;
        else {
          failures++;
          schedule();
        }
        return ok;
      });
    return running;
  };

  return {
    resume() {
      paused = false;
      schedule();
    },
    pause() {
      paused = true;
      clear();
    },
    now() {
      paused = false;
      return stopped ? Promise.resolve(false) : run();
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}
