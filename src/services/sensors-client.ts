/**
 * The page's handle on the sensors worker (`workers/sensors`): one dedicated worker, since the feed is stateful
 * (store, MQTT connection). When a worker cannot be created the same API runs in the page ('inline'), so the layer
 * still works, more slowly. Live events arrive through a comlink proxy.
 */
import { raisePolicyViolations } from './worker-policy';
import * as Comlink from 'comlink';
import type { SensorsApi } from '../../workers/sensors/api';

export interface SensorsClient {
  readonly api: SensorsApi;
  readonly mode: 'worker' | 'inline';
  dispose(): void;
}

function createSensorsWorker(): Worker {
  // Written out in full so Vite finds the worker entry and bundles it.
  return new Worker(new URL('../../workers/sensors/sensors.worker.ts', import.meta.url), { type: 'module', name: 'sensors' });
}

export function startSensorsClient(mode: 'worker' | 'inline' = 'worker'): SensorsClient {
  if (mode === 'worker') {
    try {
      const worker = createSensorsWorker();
      raisePolicyViolations(worker);
      const remote = Comlink.wrap<SensorsApi>(worker);
      const api: SensorsApi = {
        connect: (config, onEvent) => remote.connect(config, Comlink.proxy(onEvent)),
        openFile: (fileName, bytes, onEvent) => remote.openFile(fileName, Comlink.transfer(bytes, [bytes]), Comlink.proxy(onEvent)),
        window: (...a) => remote.window(...a),
        series: (...a) => remote.series(...a),
        seriesAt: (...a) => remote.seriesAt(...a),
        stats: () => remote.stats(),
        disconnect: () => remote.disconnect(),
        openClimate: (source, quantity, terrain, onProgress) => remote.openClimate(source, quantity, terrain, Comlink.proxy(onProgress)),
        climateFrame: (...a) => remote.climateFrame(...a),
        climateSeries: (...a) => remote.climateSeries(...a),
      };
      return {
        api,
        mode,
        dispose: () => {
          void remote.disconnect().catch(() => {});
          worker.terminate();
        },
      };
    } catch {
      // fall through to the page's own thread
    }
  }
  // Loaded only when needed: the feed brings mqtt.js, which the page's own bundle should not carry.
  const inline = import('../../workers/sensors/api').then((m) => m.createSensorsApi());
  const api: SensorsApi = {
    connect: async (...a) => (await inline).connect(...a),
    openFile: async (...a) => (await inline).openFile(...a),
    window: async (...a) => (await inline).window(...a),
    series: async (...a) => (await inline).series(...a),
    seriesAt: async (...a) => (await inline).seriesAt(...a),
    stats: async () => (await inline).stats(),
    disconnect: async () => (await inline).disconnect(),
    openClimate: async (...a) => (await inline).openClimate(...a),
    climateFrame: async (...a) => (await inline).climateFrame(...a),
    climateSeries: async (...a) => (await inline).climateSeries(...a),
  };
  return { api, mode: 'inline', dispose: () => void api.disconnect() };
}
