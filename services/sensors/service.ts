/**
 * The local sensor service: SensorThings v1.1 over HTTP at <basePath>/v1.1 and an MQTT broker over WebSocket at
 * <basePath>/mqtt, on one port, serving SIMULATED observations for the real stations of
 * tilesets/sensors/stations.json. Standalone (`startSensorService`, bound to 127.0.0.1 only) or mounted into an
 * existing server (`attachSensorService`, e.g. Vite's dev and preview servers, so the page reaches it on its own
 * origin and a `connect-src 'self'` policy suffices).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSensorBroker, type PublishFn } from './broker';
import { buildDataset, loadStationsFile, type SensorDataset } from './dataset';
import { DEFAULT_LIVE_RETENTION, ObservationStore } from './observations';
import { createSensorThingsHandler, type NodeHandler } from './sensorthings-http';
import { buildClimateService, CLIMATE_ABOUT } from './climate';
import { parseClimateRecord } from '../../core/climate/record';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_STATIONS_FILE = path.join(repoRoot, 'tilesets/sensors/stations.json');
export const DEFAULT_CLIMATE_FILE = path.join(repoRoot, 'tilesets/sensors/climate-record.json');
export const DEFAULT_SEED = 20250101;
export const DEFAULT_LIVE_INTERVAL_MS = 60_000;

export interface SensorServiceOptions {
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  seed?: number;
  /** The service's clock (epoch ms); the history ends at the start of its hour when the service starts. */
  now?: () => number;
  /** Live observations for every datastream this often (default 60000); 0 = none. */
  liveIntervalMs?: number;
  stationsFile?: string;
  /** The measured climate record, served at <basePath>-climate/v1.1 (default tilesets/sensors/climate-record.json; null: none). */
  climateFile?: string | null;
  /** Prefix of both endpoints (default '/sta'): HTTP at <basePath>/v1.1, MQTT at <basePath>/mqtt. */
  basePath?: string;
  /** Pages on other origins allowed to read the HTTP API (CORS); none by default (the page is on the same origin). */
  allowOrigins?: readonly string[];
  /** Live observations kept per datastream for HTTP readers (default 1440). */
  liveRetention?: number;
  log?: (message: string) => void;
}

export type AttachOptions = Omit<SensorServiceOptions, 'host' | 'port'>;

/** What connect (and so Vite's `server.middlewares`) offers: registering a request handler. */
export interface MiddlewareStack {
  use(handler: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): unknown;
}

export interface AttachedSensorService {
  /** Paths on the host server, e.g. '/sta/v1.1' and '/sta/mqtt'. */
  readonly httpPath: string;
  readonly mqttPath: string;
  readonly dataset: SensorDataset;
  readonly handler: NodeHandler;
  publish: PublishFn;
  /** Cuts every MQTT client's connection (see SensorBroker.dropConnections). */
  dropConnections(): number;
  close(): Promise<void>;
}

export interface SensorService {
  /** e.g. http://127.0.0.1:PORT/sta/v1.1 */
  readonly httpUrl: string;
  /** e.g. ws://127.0.0.1:PORT/sta/mqtt */
  readonly mqttUrl: string;
  readonly port: number;
  readonly dataset: SensorDataset;
  publish: PublishFn;
  /** Cuts every MQTT client's connection (see SensorBroker.dropConnections). */
  dropConnections(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

interface Core {
  httpPath: string;
  mqttPath: string;
  dataset: SensorDataset;
  handler: NodeHandler;
  broker: Awaited<ReturnType<typeof createSensorBroker>>;
}

async function createCore(options: AttachOptions): Promise<Core> {
  const basePath = (options.basePath ?? '/sta').replace(/\/+$/, '');
  const httpPath = `${basePath}/v1.1`;
  const mqttPath = `${basePath}/mqtt`;
  const now = options.now ?? Date.now;
  const liveIntervalMs = options.liveIntervalMs ?? DEFAULT_LIVE_INTERVAL_MS;
  const file = await loadStationsFile(options.stationsFile ?? DEFAULT_STATIONS_FILE);
  const dataset = buildDataset(file, { seed: options.seed ?? DEFAULT_SEED, nowMs: now(), liveIntervalMs });
  const store = new ObservationStore(dataset, options.liveRetention ?? DEFAULT_LIVE_RETENTION);
  const broker = await createSensorBroker({ dataset, store, path: mqttPath, now, liveIntervalMs, allowOrigins: options.allowOrigins ?? [], ...(options.log ? { log: options.log } : {}) });
  const allowOrigins = options.allowOrigins ?? [];
  const simulated = createSensorThingsHandler({ dataset, store, basePath: httpPath, mqttPath, allowOrigins });
  const climate = await climateHandler(options.climateFile === undefined ? DEFAULT_CLIMATE_FILE : options.climateFile, `${basePath}-climate/v1.1`, allowOrigins);
  // One handler for both endpoints: a request that is not the climate record's goes on to the simulated service.
  const handler: NodeHandler = climate ? (req, res, next) => climate(req, res, () => simulated(req, res, next)) : simulated;
  return { httpPath, mqttPath, dataset, handler, broker };
}

async function climateHandler(file: string | null, basePath: string, allowOrigins: readonly string[]): Promise<NodeHandler | null> {
  if (file === null || !existsSync(file)) return null;
  const service = buildClimateService(parseClimateRecord(JSON.parse(await readFile(file, 'utf8')), file));
  return createSensorThingsHandler({ dataset: service.catalogue, store: service.observations, basePath, about: CLIMATE_ABOUT, allowOrigins });
}

/**
 * Mount the service into an existing HTTP server: the SensorThings handler as middleware (or as a request
 * listener when no middleware stack is given) and the broker on the server's WebSocket upgrades for its path.
 */
export async function attachSensorService(httpServer: Server, connectMiddlewares: MiddlewareStack | null, options: AttachOptions = {}): Promise<AttachedSensorService> {
  const core = await createCore(options);
  let closed = false;
  let detach: (() => void) | null = null;
  if (connectMiddlewares) connectMiddlewares.use((req, res, next) => (closed ? next() : core.handler(req, res, next)));
  else {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => core.handler(req, res);
    httpServer.on('request', onRequest);
    detach = () => httpServer.off('request', onRequest);
  }
  core.broker.attach(httpServer);
  return {
    httpPath: core.httpPath,
    mqttPath: core.mqttPath,
    dataset: core.dataset,
    handler: core.handler,
    publish: core.broker.publish,
    dropConnections: () => core.broker.dropConnections(),
    async close() {
      if (closed) return;
      closed = true;
      detach?.();
      await core.broker.close();
    },
  };
}

/** Start the service on its own HTTP server, bound to the loopback interface. */
export async function startSensorService(options: SensorServiceOptions = {}): Promise<SensorService> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the sensor service binds the loopback interface only, not ${host}`);
  const core = await createCore(options);
  const server = http.createServer((req, res) => core.handler(req, res));
  server.on('upgrade', (req, socket, head) => {
    if (!core.broker.handleUpgrade(req, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await core.broker.close();
    throw err;
  }
  const { port, address } = server.address() as AddressInfo;
  const hostInUrl = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | null = null;
  return {
    httpUrl: `http://${hostInUrl}:${port}${core.httpPath}`,
    mqttUrl: `ws://${hostInUrl}:${port}${core.mqttPath}`,
    port,
    dataset: core.dataset,
    publish: core.broker.publish,
    dropConnections: () => core.broker.dropConnections(),
    close() {
      closing ??= (async () => {
        await core.broker.close();
        await new Promise<void>((resolve, reject) => {
          server.close((err) => (err ? reject(err) : resolve()));
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
