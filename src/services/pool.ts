// Over 400 lines because `createWorkerPool` is one closure over a pool's state; its contract is in pool-types.ts.
/**
 * A small pool of comlink workers for long jobs (reprojection, meshing), with the same API runnable in the
 * page ("inline") as a fallback and for debugging.
 *
 * - Bounded queue: `run` rejects with `PoolQueueFullError` instead of letting queued inputs pile up in memory.
 * - Latest wins: a job has a key (typically a layer id); a new job with the same key supersedes the older one,
 *   whose promise rejects with `JobSupersededError` at once. A running one is also told to stop (`api.cancel`),
 *   and its worker stays reserved until it has: the API checks between chunks, so that is quick. A worker that
 *   ignores the cancel for `cancelGraceMs` is replaced.
 * - Job state goes to `onJobEvent` in order (queued, running with progress, then exactly one of done, failed,
 *   superseded), shaped as the store's `JobState`, so the jobs slice can take the events as they are.
 * - A job that throws fails alone; a worker that dies (`error`/`messageerror` on the Worker) fails its running
 *   job and is replaced. A slot that keeps dying is dropped; when no worker is left the pool continues inline
 *   (or, without an inline API, rejects every job with the reason).
 * - Workers are started and set up (`setup`) when the pool is created, not on the first job: a worker needs
 *   seconds to start while the page is still loading.
 *
 * The API contract: job methods are `(jobId: number, args, onProgress?: (f) => void) => Promise<R>`, plus
 * `cancel(jobId)`. In worker mode `args` travel with the transfer list given to `run` and `onProgress` is a
 * `Comlink.proxy`; inline, both are passed as they are.
 */
import * as Comlink from 'comlink';
import type { JobState } from '../state/types';
import type { AsyncApi, CancellableApi, PoolEventKind, PoolMode, PoolOptions, PoolWorker, ProgressFn, SupersedeReason, WorkerPool } from './pool-types';
import { defaultPoolSize, JobSupersededError, PoolBrokenError, PoolQueueFullError, WorkerCrashedError } from './pool-types';
import { raisePolicyViolations } from './worker-policy';

export * from './pool-types';

let nextJobId = 1;

type JobStatus = JobState['status'];

interface Job {
  readonly id: number;
  readonly key: string;
  readonly method: string;
  readonly args: unknown;
  readonly transfer: Transferable[];
  readonly onProgress: ProgressFn | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  state: 'queued' | 'running' | 'done' | 'failed' | 'superseded';
  progress: number;
  /** Posted to a worker: from then on its transferred inputs are gone from this side. */
  sent: boolean;
}

interface Slot<Api> {
  readonly index: number;
  readonly kind: PoolMode;
  worker: PoolWorker | null;
  api: AsyncApi<Api>;
  /** Bumped when the worker is replaced: results and errors of the old one are then ignored. */
  generation: number;
  setup: Promise<void> | null;
  job: Job | null;
  crashes: number;
  graceTimer: ReturnType<typeof setTimeout> | null;
  detach: () => void;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'string' ? e : String(e));

/** Listener errors are the listener's bug: rethrown on their own turn so the pool's state stays consistent. */
function safely<T>(fn: ((value: T) => void) | undefined, value: T): void {
  if (!fn) return;
  try {
    fn(value);
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

// Long because one closure owns a pool's slots, queue and timers; each of its inner functions is short.
export function createWorkerPool<Api extends CancellableApi>(options: PoolOptions<Api>): WorkerPool<Api> {
  const name = options.name;
  const maxQueue = options.maxQueue ?? 32;
  const cancelGraceMs = options.cancelGraceMs ?? 5000;
  const maxCrashes = options.maxCrashes ?? 3;
  const queue: Job[] = [];
  /** The current (queued or running, not superseded) job per key. */
  const byKey = new Map<string, Job>();
  const slots: Slot<Api>[] = [];
  let slotSeq = 0;
  let disposed = false;
  let broken: string | null = null;

  const poolEvent = (kind: PoolEventKind, slot?: number, message?: string): void =>
    safely(options.onPoolEvent, { pool: name, kind, ...(slot === undefined ? {} : { slot }), ...(message === undefined ? {} : { message }) });

  function jobEvent(job: Job, status: JobStatus, message?: string): void {
    safely(options.onJobEvent, {
      id: job.id,
      key: job.key,
      status,
      progress: job.progress,
      ...(message === undefined ? {} : { message }),
      pool: name,
      method: job.method,
    });
  }

  function makeInlineApi(): Api {
    const source = options.inlineApi;
    if (source === undefined) throw new Error(`${name} pool: no inline API`);
    return typeof source === 'function' ? (source as () => Api)() : source;
  }

  // ---- slots -------------------------------------------------------------------------------------------------

  function ensureSetup(slot: Slot<Api>): Promise<void> {
    const setup = options.setup;
    if (!setup) return Promise.resolve();
    if (!slot.setup) {
      const generation = slot.generation;
      const p = (async () => {
        await setup(slot.api);
      })();
      slot.setup = p;
      p.then(
        () => {
          if (slot.generation !== generation) return;
          slot.crashes = 0;
          poolEvent('worker-ready', slot.index);
        },
        (e: unknown) => {
          if (slot.generation !== generation || slot.setup !== p) return;
          // Retried before the next job on this slot: the data it needs may arrive later.
          slot.setup = null;
          poolEvent('setup-failed', slot.index, messageOf(e));
        },
      );
    }
    return slot.setup;
  }

  /** Starts a worker into `slot`; throws what `createWorker` throws. */
  function attachWorker(slot: Slot<Api>): void {
    if (!options.createWorker) throw new Error(`${name} pool: worker mode needs createWorker`);
    const worker = options.createWorker();
    const generation = slot.generation;
    const onDeath = (e: Event): void => {
      if (slot.generation !== generation || slot.worker !== worker) return;
      const detail = (e as { message?: unknown }).message;
      replaceWorker(slot, e.type === 'messageerror' ? 'a message from the worker could not be read' : `worker died${typeof detail === 'string' && detail ? `: ${detail}` : ''}`, true);
    };
    worker.addEventListener('error', onDeath);
    worker.addEventListener('messageerror', onDeath);
    raisePolicyViolations(worker);
    slot.worker = worker;
    slot.api = Comlink.wrap<Api>(worker) as unknown as AsyncApi<Api>;
    slot.detach = () => {
      worker.removeEventListener('error', onDeath);
      worker.removeEventListener('messageerror', onDeath);
      try {
        worker.terminate();
      } catch {
        // already gone
      }
    };
    poolEvent('worker-started', slot.index);
    void ensureSetup(slot).catch(() => {});
  }

  function newSlot(kind: PoolMode): Slot<Api> {
    return {
      index: slotSeq++,
      kind,
      worker: null,
      api: null as unknown as AsyncApi<Api>,
      generation: 0,
      setup: null,
      job: null,
      crashes: 0,
      graceTimer: null,
      detach: () => {},
    };
  }

  function addInlineSlot(): void {
    const slot = newSlot('inline');
    slot.api = makeInlineApi() as unknown as AsyncApi<Api>;
    slots.push(slot);
    void ensureSetup(slot).catch(() => {});
  }

  /** No worker is left: continue inline if possible, else fail everything with the reason. */
  function noWorkersLeft(reason: string): void {
    if (slots.length > 0) return;
    if (options.inlineApi !== undefined) {
      poolEvent('fallback-inline', undefined, reason);
      addInlineSlot();
      return;
    }
    broken = `${name} pool has no working worker: ${reason}`;
    poolEvent('broken', undefined, broken);
    for (const job of queue.splice(0)) fail(job, new PoolBrokenError(broken));
  }

  function clearGrace(slot: Slot<Api>): void {
    if (slot.graceTimer !== null) clearTimeout(slot.graceTimer);
    slot.graceTimer = null;
  }

  function replaceWorker(slot: Slot<Api>, reason: string, crashed: boolean): void {
    const job = slot.job;
    slot.generation++;
    slot.job = null;
    slot.setup = null;
    clearGrace(slot);
    slot.detach();
    slot.detach = () => {};
    slot.worker = null;
    if (job && job.state === 'running') {
      if (job.sent) {
        fail(job, new WorkerCrashedError(`${name}: ${reason}`));
      } else {
        // Never reached the worker (it died starting up, e.g. its script did not load): run it elsewhere.
        job.state = 'queued';
        queue.unshift(job);
        jobEvent(job, 'queued');
      }
    }
    if (crashed) slot.crashes++;
    if (disposed) return;
    let failure: string | null = slot.crashes >= maxCrashes ? `${reason} (${slot.crashes} times in a row)` : null;
    if (failure === null) {
      try {
        attachWorker(slot);
        poolEvent('worker-replaced', slot.index, reason);
      } catch (e) {
        failure = `cannot start a worker: ${messageOf(e)}`;
      }
    }
    if (failure !== null) {
      slots.splice(slots.indexOf(slot), 1);
      poolEvent('worker-dropped', slot.index, failure);
      noWorkersLeft(failure);
    }
    pump();
  }

  // ---- jobs --------------------------------------------------------------------------------------------------

  function fail(job: Job, error: unknown): void {
    job.state = 'failed';
    if (byKey.get(job.key) === job) byKey.delete(job.key);
    jobEvent(job, 'failed', messageOf(error));
    job.reject(error);
  }

  function requestCancel(slot: Slot<Api>, job: Job): void {
    try {
      const r: unknown = Reflect.apply(slot.api.cancel as (...a: unknown[]) => unknown, slot.api, [job.id]);
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      // a worker that cannot take the cancel is caught by the grace timer below
    }
    if (slot.kind === 'worker' && Number.isFinite(cancelGraceMs)) {
      clearGrace(slot);
      slot.graceTimer = setTimeout(() => {
        slot.graceTimer = null;
        if (slot.job === job) replaceWorker(slot, `job ${job.id} did not stop within ${cancelGraceMs} ms of its cancel`, false);
      }, cancelGraceMs);
    }
  }

  function supersede(job: Job, reason: SupersedeReason, message: string): void {
    const wasRunning = job.state === 'running';
    if (job.state === 'queued') queue.splice(queue.indexOf(job), 1);
    else if (!wasRunning) return;
    job.state = 'superseded';
    if (byKey.get(job.key) === job) byKey.delete(job.key);
    jobEvent(job, 'superseded', message);
    job.reject(new JobSupersededError(job.id, job.key, reason, `${name} job ${job.id} (${job.key}): ${message}`));
    if (wasRunning) {
      const slot = slots.find((s) => s.job === job);
      if (slot && !disposed) requestCancel(slot, job);
    }
  }

  function onJobProgress(job: Job, fraction: number): void {
    if (job.state !== 'running' || !(fraction >= job.progress)) return;
    job.progress = Math.min(1, fraction);
    jobEvent(job, 'running');
    safely(job.onProgress, job.progress);
  }

  function settle(slot: Slot<Api>, generation: number, job: Job, ok: boolean, value: unknown): void {
    if (slot.generation !== generation) return;
    clearGrace(slot);
    slot.job = null;
    slot.crashes = 0;
    if (job.state === 'running') {
      if (ok) {
        job.state = 'done';
        job.progress = 1;
        if (byKey.get(job.key) === job) byKey.delete(job.key);
        jobEvent(job, 'done');
        job.resolve(value);
      } else {
        fail(job, value);
      }
    }
    pump();
  }

  function start(slot: Slot<Api>, job: Job): void {
    job.state = 'running';
    slot.job = job;
    jobEvent(job, 'running');
    const generation = slot.generation;
    const call = async (): Promise<unknown> => {
      try {
        await ensureSetup(slot);
      } catch (e) {
        throw new Error(`${name} worker setup failed: ${messageOf(e)}`, { cause: e });
      }
      // Superseded, or its worker replaced (the job may already run elsewhere), during setup: never send it.
      if (job.state !== 'running' || slot.generation !== generation) return undefined;
      const progress: ProgressFn = (f) => onJobProgress(job, f);
      const remote = slot.kind === 'worker';
      const args = remote && job.transfer.length > 0 ? Comlink.transfer(job.args, job.transfer) : job.args;
      const method = slot.api[job.method as keyof Api] as unknown as (...a: unknown[]) => unknown;
      job.sent = true;
      return await Reflect.apply(method, slot.api, [job.id, args, remote ? Comlink.proxy(progress) : progress]);
    };
    call().then(
      (value) => settle(slot, generation, job, true, value),
      (error: unknown) => settle(slot, generation, job, false, error),
    );
  }

  function pump(): void {
    if (disposed) return;
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.job !== null) continue;
      start(slot, queue.shift()!);
    }
  }

  // ---- construction ------------------------------------------------------------------------------------------

  const mode = options.mode ?? 'worker';
  if (mode === 'inline') {
    addInlineSlot();
  } else {
    const size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    try {
      for (let i = 0; i < size; i++) {
        const slot = newSlot('worker');
        attachWorker(slot);
        slots.push(slot);
      }
    } catch (e) {
      for (const slot of slots.splice(0)) slot.detach();
      noWorkersLeft(`cannot start a worker: ${messageOf(e)}`);
    }
  }

  return {
    name,
    get mode(): PoolMode {
      return slots.some((s) => s.kind === 'worker') ? 'worker' : 'inline';
    },
    run(method, key, args, opts = {}) {
      if (disposed) return Promise.reject(new PoolBrokenError(`${name} pool is disposed`));
      if (broken !== null) return Promise.reject(new PoolBrokenError(broken));
      const id = nextJobId++;
      // Latest wins before the bound is checked: a resubmission frees the place of the job it replaces.
      const older = byKey.get(key);
      if (older) supersede(older, 'superseded', `superseded by job ${id}`);
      return new Promise((resolve, reject) => {
        const job: Job = {
          id,
          key,
          method,
          args,
          transfer: opts.transfer ?? options.transferOf?.(method, args) ?? [],
          onProgress: opts.onProgress,
          resolve: resolve as (value: unknown) => void,
          reject,
          state: 'queued',
          progress: 0,
          sent: false,
        };
        const idle = slots.some((s) => s.job === null);
        if (!idle && queue.length >= maxQueue) {
          fail(job, new PoolQueueFullError(`${name} pool: queue full (${maxQueue} jobs waiting), job for ${key} refused`));
          return;
        }
        queue.push(job);
        byKey.set(key, job);
        jobEvent(job, 'queued');
        pump();
      });
    },
    cancel(key) {
      const job = byKey.get(key);
      if (!job) return false;
      supersede(job, 'cancelled', 'cancelled');
      return true;
    },
    async ready() {
      await Promise.all(slots.map(ensureSetup));
    },
    stats() {
      return {
        mode: slots.some((s) => s.kind === 'worker') ? 'worker' : 'inline',
        workers: slots.filter((s) => s.kind === 'worker').length,
        queued: queue.length,
        running: slots.filter((s) => s.job !== null).length,
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const job of [...queue, ...slots.flatMap((s) => (s.job ? [s.job] : []))]) supersede(job, 'disposed', 'pool disposed');
      for (const slot of slots) {
        slot.generation++;
        clearGrace(slot);
        slot.detach();
        slot.job = null;
      }
      slots.length = 0;
    },
  };
}
