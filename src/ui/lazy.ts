/**
 * UI code fetched the first time it is wanted instead of with the page: panels and controls that only some
 * workspaces, layers or actions show. Most sessions never need most of them, and the first frame does not wait
 * for any of them. Once in, a module is used synchronously as before.
 */
import { t } from '../i18n';
import { watch, type AppState, type AppStore } from '../state/store';

export interface LazyModule<M> {
  /** The module once it is in; else null, and it is fetched: `then` runs when it has arrived (to render again). */
  get(then?: () => void): M | null;
  /** The module, fetched if it is not in yet. */
  load(): Promise<M>;
}

/**
 * A module fetched on first use. A fetch that fails (the site was updated and the old build is gone, the network
 * is down) says so once in a notice and is tried again by the next use.
 */
export function lazyModule<M>(store: AppStore, fetchModule: () => Promise<M>): LazyModule<M> {
  let mod: M | null = null;
  let pending: Promise<M> | null = null;
  let reported = false;
  const waiting = new Set<() => void>();
  const load = (): Promise<M> => {
    if (mod) return Promise.resolve(mod);
    pending ??= fetchModule().then(
      (m) => {
        mod = m;
        const then = [...waiting];
        waiting.clear();
        for (const f of then) f();
        return m;
      },
      (err: unknown) => {
        pending = null;
        waiting.clear();
        if (!reported) {
          reported = true;
          const s = store.getState();
          s.notify('error', t(s.lang, 'error.uiLoad', { message: err instanceof Error ? err.message : String(err) }));
        }
        throw err;
      },
    );
    return pending;
  };
  return {
    get(then) {
      if (mod) return mod;
      if (then) waiting.add(then);
      load().catch(() => {});
      return null;
    },
    load,
  };
}

/**
 * Mounts a part of the UI the first time `wanted` holds, from a lazily fetched module, and keeps it mounted from
 * then on (it shows and hides itself as before). Returns the unmount.
 */
export function mountWhenWanted<M>(store: AppStore, wanted: (s: AppState) => boolean, code: LazyModule<M>, mount: (m: M) => () => void): () => void {
  let unmount: (() => void) | null = null;
  let disposed = false;
  let stop: (() => void) | null = null;
  const start = (): void => {
    void code.load().then(
      (m) => {
        if (disposed || unmount) return;
        stop?.();
        unmount = mount(m);
      },
      () => {
        // Reported by the module; tried again the next time it is wanted.
      },
    );
  };
  stop = watch(store, wanted, (w) => {
    if (w) start();
  });
  if (wanted(store.getState())) start();
  return () => {
    disposed = true;
    stop?.();
    unmount?.();
  };
}
