/**
 * A stand-in for a Worker in node: the API is exposed with comlink on one end of a MessageChannel, the pool
 * talks to the other end. Messages, transfers and comlink proxies go through real ports; `crash()` fires the
 * `error` event a dying Worker fires.
 */
import * as Comlink from 'comlink';
import type { PoolWorker } from '../../../../src/services/pool';

export interface ChannelWorker {
  readonly worker: PoolWorker;
  /** Fires `error` as a crashed worker does (the API side keeps running, as a real one would until terminated). */
  crash(message?: string): void;
  readonly terminated: boolean;
  /** Transfer lists of the messages the worker side posted (to check results were transferred, not copied). */
  readonly sentTransfers: Transferable[][];
}

/** `api` null: a worker whose script never runs (nothing answers), as when its module fails to load. */
export function channelWorker(api: object | null): ChannelWorker {
  const { port1, port2 } = new MessageChannel();
  const sentTransfers: Transferable[][] = [];
  if (api) {
    const workerSide: Comlink.Endpoint = {
      postMessage: (message: unknown, transfer?: Transferable[]) => {
        sentTransfers.push(transfer ?? []);
        port2.postMessage(message, transfer ?? []);
      },
      addEventListener: (type, listener) => port2.addEventListener(type, listener),
      removeEventListener: (type, listener) => port2.removeEventListener(type, listener),
      start: () => port2.start(),
    };
    Comlink.expose(api, workerSide);
  }
  const events = new EventTarget();
  let terminated = false;
  const worker: PoolWorker = {
    postMessage: (message: unknown, transfer?: Transferable[]) => port1.postMessage(message, transfer ?? []),
    addEventListener: (type, listener) => (type === 'message' ? port1.addEventListener(type, listener) : events.addEventListener(type, listener)),
    removeEventListener: (type, listener) => (type === 'message' ? port1.removeEventListener(type, listener) : events.removeEventListener(type, listener)),
    start: () => port1.start(),
    terminate: () => {
      terminated = true;
      port1.close();
      port2.close();
    },
  };
  return {
    worker,
    crash: (message = 'simulated crash') => events.dispatchEvent(Object.assign(new Event('error'), { message })),
    get terminated() {
      return terminated;
    },
    sentTransfers,
  };
}
