/**
 * `npm run sensors`: the local sensor service on its own, at http://127.0.0.1:8090/sta/v1.1 (SensorThings) and
 * ws://127.0.0.1:8090/sta/mqtt (MQTT over WebSocket). PORT, SEED and LIVE_INTERVAL_MS override the defaults;
 * ALLOW_ORIGINS (comma-separated, default the dev and preview servers on 127.0.0.1 and localhost) are the pages
 * elsewhere that may read it.
 */
import { DEFAULT_LIVE_INTERVAL_MS, DEFAULT_SEED, startSensorService } from './service';

const int = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${v}`);
  return n;
};

async function main(): Promise<void> {
  const service = await startSensorService({
    port: int('PORT', 8090),
    seed: int('SEED', DEFAULT_SEED),
    liveIntervalMs: int('LIVE_INTERVAL_MS', DEFAULT_LIVE_INTERVAL_MS),
    allowOrigins: (process.env['ALLOW_ORIGINS'] ?? 'http://127.0.0.1:5173,http://localhost:5173,http://127.0.0.1:4173,http://localhost:4173').split(',').map((o) => o.trim()).filter((o) => o.length > 0),
    log: (m) => console.log(m),
  });
  const d = service.dataset;
  console.log('Sensor service — values are SIMULATED (station positions are real)');
  console.log(`  SensorThings API v1.1: ${service.httpUrl}`);
  console.log(`  MQTT over WebSocket:   ${service.mqttUrl}  (topics v1.1/Datastreams(<id>)/Observations)`);
  console.log(`  ${d.things.length} stations, ${d.datastreams.length} datastreams, hourly history ${new Date(d.historyStartMs).toISOString()} – ${new Date(d.historyEndMs).toISOString()}`);
  const stop = (): void => {
    service.close().then(() => process.exit(0), (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
