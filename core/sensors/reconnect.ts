/**
 * How the live feed reconnects without letting a flapping link, a restarted broker or a client id taken over turn
 * into a storm against the service:
 * - every connection gets a fresh 128-bit client id (MQTT drops the older session of an id: whoever learnt the
 *   old one cannot follow the page to its next connection);
 * - the delay before a reconnect doubles from `minMs` to `maxMs`, jittered, and starts over only after a
 *   connection has held for `stableAfterMs`;
 * - backfills over HTTP after reconnects run one at a time, at least `gapMs` apart, and any number of reconnects
 *   in between ask for just the next one.
 */

/** A reconnect storm costs the server at most one backfill this often. */
export const BACKFILL_GAP_MS = 10_000;
/** A connection that held this long was a real one: the next outage backs off from the start again. */
export const STABLE_AFTER_MS = 30_000;

/** 128 random bits: an id nobody can guess, and a new one for every connection. */
export function newClientId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `sddi-twin-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export interface Backoff {
  /** A connection is up: the backoff starts over once it has held for `stableAfterMs`. */
  connected(): void;
  /** The connection is gone: the delay before the next attempt, ms. */
  dropped(): number;
  dispose(): void;
}

export function backoff(minMs: number, maxMs: number, stableAfterMs: number, random: () => number): Backoff {
  let attempt = 0;
  let stable: ReturnType<typeof setTimeout> | null = null;
  const clear = (): void => {
    if (stable !== null) clearTimeout(stable);
    stable = null;
  };
  return {
    connected() {
      clear();
      stable = setTimeout(() => {
        stable = null;
        attempt = 0;
      }, stableAfterMs);
    },
    dropped() {
      clear();
      return Math.min(maxMs, minMs * 2 ** attempt++) * (0.5 + random() * 0.5);
    },
    dispose: clear,
  };
}

export interface Gate {
  /** Run soon: now if the last run began `gapMs` ago and none is running, else once after. */
  request(): void;
  /** Runs begun. */
  runs(): number;
  dispose(): void;
}

/** One run at a time, `gapMs` apart, requests in between coalesced into one. */
export function coalescingGate(run: () => Promise<void>, gapMs: number, onError: (err: unknown) => void): Gate {
  let running = false;
  let wanted = false;
  let disposed = false;
  let lastAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let runs = 0;
  const request = (): void => {
    if (disposed) return;
    if (running || timer !== null) {
      wanted = true;
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      if (disposed) return;
      running = true;
      wanted = false;
      lastAt = Date.now();
      runs++;
      run()
        .catch(onError)
        .finally(() => {
          running = false;
          if (wanted) request();
        });
    }, Math.max(0, lastAt + gapMs - Date.now()));
  };
  return {
    request,
    runs: () => runs,
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
