/**
 * A sensor layer through an outage of its service: the user is told once when the feed is lost and once when it
 * is back, and a service that could not be read at all is tried again with backoff while the layer is shown
 * (and at once on "Retry"), so it becomes ready without a reload when the service returns.
 */
import { t } from '../../i18n';
import { watch, type AppStore } from '../../state/store';
import type { FeedConnection } from '../../state/types';
import { feedNoticeTracker } from './feed-state';
import { backoffDelayMs, retryLoop, SENSOR_BACKOFF, type RetryLoop } from './retry';

export interface SensorOutage {
  /** A connection state the feed reported: announced when it means lost or back, silently otherwise. */
  announce(connection: FeedConnection, message?: string): void;
  /** The service could not be read (`message` says why): the layer waits in its error state and retries. */
  unreachable(message: string): void;
  /** The user's "Retry": one attempt now (the backoff goes on if it fails). */
  retryNow(): Promise<void>;
  /** No more attempts for now: a recorded file replaces the live feed. */
  stop(): void;
  /** The layer is gone: nothing more, ever. */
  dispose(): void;
}

const delay = (n: number): number => backoffDelayMs(n, { ...SENSOR_BACKOFF, random: Math.random });

/**
 * `reconnect` reads the service again and makes the layer ready, or throws; `describe` turns its error into the
 * layer's message.
 */
export function sensorOutage(store: AppStore, id: string, reconnect: () => Promise<void>, describe: (err: unknown) => string): SensorOutage {
  const notice = feedNoticeTracker();
  let loop: RetryLoop | null = null;
  let unwatch: (() => void) | null = null;
  let stopped = false;

  const end = (): void => {
    loop?.stop();
    loop = null;
    unwatch?.();
    unwatch = null;
  };
  const attempt = async (): Promise<boolean> => {
    try {
      await reconnect();
      end();
      return true;
    } catch (err) {
      if (!stopped && loop) store.getState().setLayerStatus(id, 'error', describe(err));
      return false;
    }
  };
  return {
    announce(connection, message) {
      const s = store.getState();
      const n = notice(connection);
      if (n === 'lost') s.notify('warning', t(s.lang, 'sensors.feedLost', { message: message ?? t(s.lang, `sensors.connection.${connection}`) }));
      else if (n === 'back') s.notify('info', t(s.lang, 'sensors.feedBack'));
    },
    unreachable(message) {
      if (stopped) return;
      const s = store.getState();
      s.setLayerStatus(id, 'error', message);
      s.patchSensors(id, { connection: 'offline' });
      if (notice('offline') === 'lost') s.notify('warning', t(s.lang, 'sensors.retrying', { message }));
      if (loop) return;
      const l = (loop = retryLoop(attempt, delay, globalThis));
      // Only while the layer is shown: a hidden layer costs the service nothing.
      const follow = (visible: boolean): void => (visible ? l.resume() : l.pause());
      unwatch = watch(store, (st) => st.layers[id]?.visible ?? false, follow);
      follow(s.layers[id]?.visible ?? false);
    },
    async retryNow() {
      await loop?.now();
    },
    stop: end,
    dispose() {
      stopped = true;
      end();
    },
  };
}
