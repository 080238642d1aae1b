/**
 * The policy follows the deployment's config.json, so one build serves several cities: the origins it names
 * (sensor services: connect-src; the catalogue's `dataSources`: connect-src and img-src) are written into the
 * build's <meta> policy (index.html and its .gz) and into the nginx header file. Run after editing config.json:
 *   npx tsx tools/csp/deploy-config.ts dist > /etc/nginx/snippets/sddi-twin-headers.conf
 * The build itself starts from public/config.json (vite.config.ts), so the two always agree.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { nginxHeaders } from './nginx-headers';
import { originsOf } from './policy';
import { withCspMeta } from './vite-plugin';

export interface ConfigOrigins {
  /** Sensor and climate services: the page connects to them. */
  readonly connect: string[];
  /** Map services and files offered in the catalogue: fetched as data and as images. */
  readonly data: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The absolute origins config.json's text names (relative URLs are the page's own origin and need no entry). */
export function configOrigins(configText: string | null): ConfigOrigins {
  if (!configText) return { connect: [], data: [] };
  const c = JSON.parse(configText) as Record<string, unknown>;
  const sources = Array.isArray(c['dataSources']) ? (c['dataSources'] as unknown[]).map(str) : [];
  return { connect: originsOf([str(c['sensorThingsUrl']), str(c['mqttUrl']), str(c['climateThingsUrl'])]), data: originsOf(sources) };
}

/** Rewrites dist/index.html's policy for dist/config.json; returns the matching nginx header file. */
export function applyDeployConfig(dist: string, extraConnect: readonly string[] = []): string {
  const configPath = path.join(dist, 'config.json');
  const origins = configOrigins(existsSync(configPath) ? readFileSync(configPath, 'utf8') : null);
  const connect = [...new Set([...origins.connect, ...originsOf(extraConnect)])];
  const index = path.join(dist, 'index.html');
  const html = withCspMeta(readFileSync(index, 'utf8'), connect, origins.data);
  writeFileSync(index, html);
  if (existsSync(`${index}.gz`)) writeFileSync(`${index}.gz`, gzipSync(html, { level: 9 }));
  return nginxHeaders(connect, origins.data);
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(applyDeployConfig(process.argv[2] ?? 'dist', process.argv.slice(3)));
