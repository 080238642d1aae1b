/**
 * The MQTT side of the sensor service: an aedes broker (MQTT 3.1.1) reached over WebSocket on the HTTP server's
 * own port, and the live publisher. Following the SensorThings MQTT extension, each new observation of datastream
 * N is published (QoS 1, not retained) to `v1.1/Datastreams(N)/Observations` as the Observation's JSON:
 * `{"@iot.id", "phenomenonTime", "resultTime", "result", "parameters": {"simulated": true}}`.
 * Clients may only subscribe: the service is read-only, so their publishes are refused.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import { observationId, SIMULATED_PARAMETERS, type ObservationRecord, type SensorDataset } from './dataset';
import type { ObservationStore } from './observations';

export const TOPIC_VERSION = 'v1.1';
export const observationsTopic = (datastreamId: number): string => `${TOPIC_VERSION}/Datastreams(${datastreamId})/Observations`;

/** The JSON published over MQTT (and the body of an Observation over HTTP, less its links). */
export interface ObservationMessage {
  '@iot.id': number;
  phenomenonTime: string;
  resultTime: string;
  result: number;
  parameters: Record<string, unknown>;
}

export interface PublishInput {
  '@iot.id'?: number;
  /** ISO 8601 instant or epoch milliseconds; default: the service's now. */
  phenomenonTime?: string | number;
  resultTime?: string | number;
  /** Default: the simulated value at the phenomenon time. */
  result?: number;
  parameters?: Record<string, unknown>;
}

export interface PublishOptions {
  /** Keep it for HTTP readers too (default true); false sends it over MQTT only. */
  store?: boolean;
  qos?: 0 | 1;
}

export type PublishFn = (datastreamId: number, observation?: PublishInput, opts?: PublishOptions) => Promise<ObservationMessage>;

export interface SensorBrokerOptions {
  dataset: SensorDataset;
  store: ObservationStore;
  /** WebSocket path of the broker, e.g. '/sta/mqtt'. */
  path: string;
  now: () => number;
  /** Publish a new observation for every datastream this often; 0 = never. */
  liveIntervalMs: number;
  /** Pages on other origins allowed to open the WebSocket (the page's own host always may). */
  allowOrigins?: readonly string[];
  log?: (message: string) => void;
}

/**
 * Limits, after mosquitto's and FROST's production settings (mosquitto.conf: max_packet_size, max_connections,
 * max_queued_messages, persistent_client_expiration): the page sends a CONNECT and a few SUBSCRIBE packets only.
 */
export const BROKER_LIMITS = Object.freeze({
  /** Bytes in one WebSocket message from a client (mosquitto's max_packet_size); the page's SUBSCRIBE is ≈ 3 KB. */
  maxPacketBytes: 16 * 1024,
  maxConnections: 500,
  /** Topic filters one client may hold: every datastream twice over. */
  maxSubscriptionsPerClient: 2000,
  /** QoS 1 messages queued for one client while it does not acknowledge (aedes' queueLimit). */
  maxQueuedMessages: 1000,
});

export interface SensorBroker {
  readonly aedes: Aedes;
  publish: PublishFn;
  /** Take a WebSocket upgrade if it is for the broker's path; false leaves the socket to others. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Listen for upgrades on a server (removed again by close). */
  attach(server: Server): void;
  /** Cuts every client's WebSocket at once, as a network failure would (no MQTT DISCONNECT); returns how many. */
  dropConnections(): number;
  close(): Promise<void>;
}

export function toMessage(rec: ObservationRecord): ObservationMessage {
  return {
    '@iot.id': rec.id,
    phenomenonTime: new Date(rec.phenomenonTimeMs).toISOString(),
    resultTime: new Date(rec.resultTimeMs).toISOString(),
    result: rec.result,
    parameters: rec.parameters,
  };
}

function toMs(v: string | number, what: string): number {
  const t = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(t)) throw new Error(`${what} is not a time: ${String(v)}`);
  return t;
}

/** Same host as the request (the page's own), a configured origin, or no Origin at all (not a browser). */
export function originAllowed(req: IncomingMessage, allowOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The MQTT broker: read-only for clients, clean sessions only, a few subscriptions per client, no $SYS. */
async function createAedes(): Promise<Aedes> {
  const subscriptions = new Map<string, number>();
  const aedes = await Aedes.createBroker({
    queueLimit: BROKER_LIMITS.maxQueuedMessages,
    authorizePublish: (client, _packet, callback) => callback(client ? new Error('read-only: clients may only subscribe') : null),
    // Clean sessions only: a persistent session would queue messages for a client that never comes back.
    preConnect: (_client, packet, callback) => callback(null, (packet as { clean?: boolean }).clean !== false),
    authorizeSubscribe: (client, sub, callback) => {
      // $SYS names every client's id: a reader could take a page's id over and knock it off the feed.
      // Refused as "failure" (0x80) in the SUBACK; an error would end the whole connection.
      if (sub.topic.startsWith('$')) return callback(null, null);
      const n = (subscriptions.get(client?.id ?? '') ?? 0) + 1;
      if (n > BROKER_LIMITS.maxSubscriptionsPerClient) return callback(null, null);
      subscriptions.set(client?.id ?? '', n);
      callback(null, sub);
    },
  });
  aedes.on('clientDisconnect', (client) => subscriptions.delete(client.id));
  return aedes;
}

/** A WebSocket server (upgrades handed to it) whose connections are MQTT streams into `aedes`, and the open sockets. */
function mqttOverWebSockets(aedes: Aedes): { wss: WebSocketServer; sockets: Set<WebSocket> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: BROKER_LIMITS.maxPacketBytes });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    const stream = createWebSocketStream(ws);
    // One WebSocket frame per corked batch, not per write: the MQTT packet writer emits each packet in several
    // small writes (header, topic, id, payload) inside a cork, and ws's stream sends every write as a frame of its
    // own. Browsers take WebSocket frames at a few thousand a second, so 6 frames per Observation held a page to
    // ≈ 1,800 Observations/s (`npm run bench -- ingest`); the frames of a batch now go out as one.
    // (`_writev` is the stream's documented hook for corked writes; ws's stream defines only `_write`.)
    const writev = (chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void => {
      ws.send(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)), cb);
    };
    Object.defineProperty(stream, '_writev', { value: writev, writable: true, configurable: true });
    stream.on('error', () => ws.terminate());
    aedes.handle(stream, req);
  });
  return { wss, sockets };
}

/** Publishing an Observation: stored (unless told not to) and sent to the datastream's topic. */
function publisherOf(aedes: Aedes, opts: SensorBrokerOptions): PublishFn {
  const { dataset, store, now } = opts;
  return async (datastreamId, input = {}, po = {}) => {
    if (aedes.closed) throw new Error('the sensor broker is closed');
    if (!dataset.datastream.has(datastreamId)) throw new Error(`no datastream ${datastreamId}`);
    const phenomenonTimeMs = input.phenomenonTime === undefined ? Math.floor(now() / 1000) * 1000 : toMs(input.phenomenonTime, 'phenomenonTime');
    const resultTimeMs = input.resultTime === undefined ? phenomenonTimeMs : toMs(input.resultTime, 'resultTime');
    let id = input['@iot.id'];
    if (id === undefined) {
      // Ids follow the dataset's scheme; a second reading in the same second takes the next free id.
      id = observationId(datastreamId, phenomenonTimeMs);
      while (store.hasId(id)) id++;
    }
    const rec: ObservationRecord = {
      id,
      datastreamId,
      phenomenonTimeMs,
      resultTimeMs,
      result: input.result ?? dataset.simulatedValue(datastreamId, phenomenonTimeMs),
      parameters: input.parameters ?? SIMULATED_PARAMETERS,
    };
    if (po.store !== false) store.add(rec);
    const message = toMessage(rec);
    await new Promise<void>((resolve, reject) => {
      aedes.publish(
        { cmd: 'publish', topic: observationsTopic(datastreamId), payload: Buffer.from(JSON.stringify(message)), qos: po.qos ?? 1, retain: false, dup: false },
        (err) => (err ? reject(err) : resolve()),
      );
    });
    return message;
  };
}

/** Every `liveIntervalMs`, a reading of every datastream (skipped while the last round is still going out). */
function publishLive(opts: SensorBrokerOptions, publish: PublishFn): ReturnType<typeof setInterval> | null {
  if (!(opts.liveIntervalMs > 0)) return null;
  const { dataset, now } = opts;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const t = now();
    Promise.all(dataset.datastreams.map((ds) => publish(ds.id, { phenomenonTime: Math.floor(t / 1000) * 1000 })))
      .catch((err: unknown) => opts.log?.(`live publish failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        busy = false;
      });
  }, opts.liveIntervalMs);
  timer.unref();
  return timer;
}

export async function createSensorBroker(opts: SensorBrokerOptions): Promise<SensorBroker> {
  const aedes = await createAedes();
  const { wss, sockets } = mqttOverWebSockets(aedes);

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== opts.path) return false;
    const refuse = (status: string): true => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      return true;
    };
    // A page elsewhere (cross-site WebSocket hijacking) may not: browsers send Origin, and CORS does not cover WebSockets.
    if (!originAllowed(req, opts.allowOrigins ?? [])) return refuse('403 Forbidden');
    if (sockets.size >= BROKER_LIMITS.maxConnections) return refuse('503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    return true;
  };

  const publish = publisherOf(aedes, opts);
  const timer = publishLive(opts, publish);

  const servers = new Set<Server>();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    handleUpgrade(req, socket, head);
  };

  return {
    aedes,
    publish,
    handleUpgrade,
    attach(server) {
      servers.add(server);
      server.on('upgrade', onUpgrade);
    },
    dropConnections() {
      const n = sockets.size;
      for (const ws of sockets) ws.terminate();
      return n;
    },
    async close() {
      if (timer) clearInterval(timer);
      for (const s of servers) s.off('upgrade', onUpgrade);
      servers.clear();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
