/**
 * Mounts the local sensor service (SensorThings at /sta/v1.1, MQTT over WebSocket at /sta/mqtt) into Vite's dev
 * and preview servers, so the page reaches it on its own origin. Values are simulated. Those servers also answer
 * `config.json` with this service (the built dist/config.json names none: a plain static host has no service).
 */
import type { Plugin } from 'vite';
import { attachSensorService, type AttachOptions, type AttachedSensorService } from './service';

/** `globalThis[SERVICES]`: the services mounted into servers of this process (a Set of AttachedSensorService). */
export const SERVICES = Symbol.for('sddi.sensorServices');

/** The services mounted by this plugin in this process (for in-process tests and benches). */
export function mountedSensorServices(): AttachedSensorService[] {
  return [...(((globalThis as Record<symbol, unknown>)[SERVICES] as Set<AttachedSensorService> | undefined) ?? [])];
}

export function sensorService(options: AttachOptions = {}): Plugin {
  const mount = async (httpServer: Parameters<typeof attachSensorService>[0] | null, middlewares: Parameters<typeof attachSensorService>[1], log: (m: string) => void): Promise<void> => {
    // Middleware mode has no server of Vite's own: nothing to upgrade WebSockets on, so no service.
    if (!httpServer) return;
    middlewares?.use((req, res, next) => {
      if ((req.url ?? '').split('?')[0]?.endsWith('/config.json') !== true) return next();
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(JSON.stringify({ sensorThingsUrl: 'sta/v1.1', mqttUrl: 'sta/mqtt', climateThingsUrl: 'sta-climate/v1.1' }));
    });
    const service: AttachedSensorService = await attachSensorService(httpServer, middlewares, { log, ...options });
    httpServer.once('close', () => void service.close());
    // In-process tests (browser tests, benches) reach the mounted service here, e.g. to publish a burst.
    const registry = ((globalThis as Record<symbol, unknown>)[SERVICES] ??= new Set<AttachedSensorService>()) as Set<AttachedSensorService>;
    registry.add(service);
    httpServer.once('close', () => registry.delete(service));
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
