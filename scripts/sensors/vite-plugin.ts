/**
 * Mounts the local sensor service (SensorThings at /sta/v1.1, MQTT over WebSocket at /sta/mqtt) into Vite's dev
 * and preview servers, so the page reaches it on its own origin. Values are simulated.
 */
import type { Plugin } from 'vite';
import { attachSensorService, type AttachOptions, type AttachedSensorService } from './service';

export function sensorService(options: AttachOptions = {}): Plugin {
  const mount = async (httpServer: Parameters<typeof attachSensorService>[0] | null, middlewares: Parameters<typeof attachSensorService>[1], log: (m: string) => void): Promise<void> => {
    // Middleware mode has no server of Vite's own: nothing to upgrade WebSockets on, so no service.
    if (!httpServer) return;
    const service: AttachedSensorService = await attachSensorService(httpServer, middlewares, { log, ...options });
    httpServer.once('close', () => void service.close());
    log(`sensor service (simulated values): ${service.httpPath}, MQTT over WebSocket at ${service.mqttPath}`);
  };
  return {
    name: 'sddi-sensor-service',
    async configureServer(server) {
      await mount(server.httpServer as Parameters<typeof attachSensorService>[0] | null, server.middlewares, (m) => server.config.logger.info(m));
    },
    async configurePreviewServer(server) {
      await mount(server.httpServer as Parameters<typeof attachSensorService>[0] | null, server.middlewares, (m) => server.config.logger.info(m));
    },
  };
}
