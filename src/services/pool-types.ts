/** The worker pool's contract: job API shapes, options, events, errors, and the helpers its users share. */
import * as Comlink from 'comlink';
import type { JobState } from '../state/types';

export type ProgressFn = (fraction: number) => void;

/** The side of a worker the pool needs: a comlink endpoint that can be terminated (a `Worker`, or a port pair in tests). */
export interface PoolWorker extends Comlink.Endpoint {
  terminate(): void;
}

export interface CancellableApi {
  cancel(jobId: number): unknown;
}

/** Names of the API's job methods (those of the shape `(jobId, args, onProgress?) => Promise`). */
export type JobMethod<Api> = {
  [K in keyof Api]-?: Api[K] extends (jobId: number, args: never, onProgress?: ProgressFn) => Promise<unknown> ? K : never;
}[keyof Api] &
  string;
export type JobArgs<Api, M extends keyof Api> = Api[M] extends (jobId: number, args: infer A, onProgress?: ProgressFn) => Promise<unknown> ? A : never;
export type JobResult<Api, M extends keyof Api> = Api[M] extends (...args: never[]) => Promise<infer R> ? R : never;

/** The API as `setup` sees it: every method async, whether it runs in a worker or inline. */
export type AsyncApi<Api> = {
  [K in keyof Api]: Api[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** A job's state change; structurally the store's `JobState`, plus where it ran. */
export interface JobEvent extends JobState {
  readonly pool: string;
  readonly method: string;
}

export type PoolEventKind =
  | 'worker-started'
  | 'worker-ready'
  | 'setup-failed'
  | 'worker-replaced'
  | 'worker-dropped'
  | 'fallback-inline'
  | 'broken';
/** Worker lifecycle, for a notice or the console: the app keeps working through all of these but 'broken'. */
export interface PoolEvent {
  readonly pool: string;
  readonly kind: PoolEventKind;
  readonly slot?: number;
  readonly message?: string;
}

export type PoolMode = 'worker' | 'inline';

export interface PoolOptions<Api extends CancellableApi> {
  /** Shown in events and error messages. */
  name: string;
  /** Worker count; default `defaultPoolSize()`. Inline mode always uses one slot: jobs there share the page's thread. */
  size?: number;
  /** Default 'worker'. */
  mode?: PoolMode;
  /** Needed in worker mode. If it throws, the pool runs inline (when it can) and reports 'fallback-inline'. */
  createWorker?: () => PoolWorker;
  /** The API object (or a factory for it) for inline mode and as the fallback when workers are unavailable. */
  inlineApi?: Api | (() => Api);
  /** Runs once per worker (and per replacement) before its first job, e.g. `api => api.init(data)`. */
  setup?: (api: AsyncApi<Api>) => Promise<unknown>;
  /** Default transfer list for a job when `run` gives none (e.g. the input buffers). */
  transferOf?: (method: JobMethod<Api>, args: unknown) => Transferable[];
  /** Jobs waiting for a worker, beyond those running. Default 32. */
  maxQueue?: number;
  /** How long a superseded job's worker may take to stop before it is replaced. Default 5000 ms. */
  cancelGraceMs?: number;
  /** Consecutive deaths (without a completed call in between) after which a slot is dropped. Default 3. */
  maxCrashes?: number;
  onJobEvent?: (event: JobEvent) => void;
  onPoolEvent?: (event: PoolEvent) => void;
}

export interface RunOptions {
  /** Progress 0..1, in order, only while the job is current (not after it settled or was superseded). */
  onProgress?: ProgressFn;
  /**
   * Buffers to move into the worker instead of copying; overrides the pool's `transferOf`. They are detached
   * in the caller once the job starts (worker mode only): pass `[]` to keep using the input.
   */
  transfer?: Transferable[];
}

export interface PoolStats {
  readonly mode: PoolMode;
  readonly workers: number;
  readonly queued: number;
  readonly running: number;
}

export interface WorkerPool<Api extends CancellableApi> {
  readonly name: string;
  /** 'inline' once the pool has fallen back. */
  readonly mode: PoolMode;
  /**
   * Queues `api[method](jobId, args, onProgress)`. Superseding: a queued or running job with the same `key`
   * rejects with `JobSupersededError`. Rejects with `PoolQueueFullError` when the queue is full, with
   * `WorkerCrashedError` when the worker died during the job, or with the job's own error.
   */
  run<M extends JobMethod<Api>>(method: M, key: string, args: JobArgs<Api, M>, opts?: RunOptions): Promise<JobResult<Api, M>>;
  /** Drops the job with this key (queued or running) as if superseded; false when there is none. */
  cancel(key: string): boolean;
  /** Resolves when every slot has finished `setup`; rejects with the first setup error. */
  ready(): Promise<void>;
  stats(): PoolStats;
  /** Terminates the workers; pending jobs reject with `JobSupersededError` (reason 'disposed'). */
  dispose(): void;
}

export type SupersedeReason = 'superseded' | 'cancelled' | 'disposed';

/** The job is no longer wanted (a newer job has its key, or it was cancelled): not an error to show. */
export class JobSupersededError extends Error {
  override name = 'JobSuperseded';
  constructor(
    readonly jobId: number,
    readonly key: string,
    readonly reason: SupersedeReason,
    message: string,
  ) {
    super(message);
  }
}
export class PoolQueueFullError extends Error {
  override name = 'PoolQueueFull';
}
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashed';
}
export class PoolBrokenError extends Error {
  override name = 'PoolBroken';
}

/** True for a superseded/cancelled job; checks the name so it also holds for an error that crossed a realm. */
export function isJobSuperseded(e: unknown): e is JobSupersededError {
  return e instanceof Error && e.name === 'JobSuperseded';
}

/** `min(2, cores - 1)`, at least 1: two cores are shared with the page and Cesium's own workers. */
/** What the app's pools of geodesy workers are created with (reproject, import). */
/** What the app's pools (reprojection, import, aggregation) let their callers choose. */
export interface AppPoolOptions {
  size?: number;
  /** Default 'worker'; 'inline' runs the jobs in the page (debugging, comparison). */
  mode?: PoolMode;
  maxQueue?: number;
  onJobEvent?: (event: JobEvent) => void;
  onPoolEvent?: (event: PoolEvent) => void;
  /** Replaces the Vite worker constructor (tests). */
  createWorker?: () => PoolWorker;
}

/** An app pool whose workers load shared data before their first job. */
export interface InitPoolOptions<Init> extends AppPoolOptions {
  /**
   * What every worker needs before its first job (the geoid JSON, the BETA2007 bytes if DHDN data is expected).
   * Called once when the pool starts and shared by all workers; called again only after it rejected.
   */
  loadInit: () => Promise<Init>;
}

/**
 * Run `load` once and share its promise (every worker of a pool needs the same init data); after a rejection
 * the next call tries again instead of repeating the failure forever.
 */
export function sharedRetrying<T>(load: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | null = null;
  return () => {
    if (!current) {
      const p = load();
      current = p;
      p.catch(() => {
        if (current === p) current = null;
      });
    }
    return current;
  };
}

/**
 * An inline API whose module is fetched by its first call: the page's fallback for workers that cannot start
 * would otherwise sit in the page's own bundle although it almost never runs. A factory for `inlineApi`: each
 * call gives an API with its own state (`create` runs once the module is in). `methods` are those the pool
 * calls (the job methods and `init`); `cancel` reaches the API only once it has loaded, as a job is running then.
 *
 *   inlineApi: lazyInlineApi(() => import('../../workers/x/api').then((m) => m.createXApi()), ['init', 'run'])
 */
export function lazyInlineApi<Api extends CancellableApi>(create: () => Promise<Api>, methods: readonly Exclude<keyof Api & string, 'cancel'>[]): () => Api {
  return () => {
    let api: Api | null = null;
    // A module that failed to load (the network was gone) is fetched again by the next call.
    const load = sharedRetrying(async () => (api ??= await create()));
    const lazy: Record<string, unknown> = {
      cancel: (jobId: number): void => {
        api?.cancel(jobId);
      },
    };
    for (const m of methods) {
      lazy[m] = async (...args: unknown[]): Promise<unknown> => {
        const a = api ?? (await load());
        return await Reflect.apply(a[m] as (...x: unknown[]) => unknown, a, args);
      };
    }
    return lazy as unknown as Api;
  };
}

export function defaultPoolSize(): number {
  // `npm run bench -- reproject`, 2 cores, 8 ms/frame page: 2 workers 1,332k pt/s vs 1 worker 824k (medians), p95 frame 16.7 ms for both, so the cap of 2 pays; cores - 1 keeps a core for Cesium's workers, which that bench does not run.
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(2, cores - 1));
}

/** Job ids are unique across pools, since the store keys jobs by id. */
