/**
 * Configuration at deploy time: `config.json` beside index.html, so one build serves several cities (FROST-Server
 * of one, a city platform of another, a plain static host with no sensor service at all). Validated; a file that
 * is missing means the build's defaults, a file that is broken is named in a notice and the defaults apply.
 *   { "sensorThingsUrl": "https://frost.example.org/FROST-Server/v1.1" | null,
 *     "mqttUrl": "wss://frost.example.org/mqtt" | null,
 *     "climateThingsUrl": "sta-climate/v1.1" | null,   (the climate record's service; null: read the record file)
 *     "defaultWorkspace": "explore",
 *     "dataSources": ["https://ags.cuzk.gov.cz", …] }  (origins of the map services the catalogue may use)
 * A service on another origin must also be allowed by the deployment's Content-Security-Policy (connect-src):
 * the page checks that itself and says so by name rather than failing with "Failed to fetch".
 */
import { z } from '../../core/zod';
import { WORKSPACES, type WorkspaceId } from '../state/workspace';

export interface SensorServiceConfig {
  /** Absolute URL of the SensorThings v1.1 root. */
  readonly staUrl: string;
  /** Absolute ws(s) URL of its MQTT endpoint, or null for history only. */
  readonly mqttUrl: string | null;
}

export interface RuntimeConfig {
  /** The sensor service, or null when the deployment has none (static hosting: replay and files only). */
  readonly sensors: SensorServiceConfig | null;
  /** Absolute URL of the climate record's SensorThings root, or null: the page reads the record file itself. */
  readonly climate: string | null;
  readonly defaultWorkspace?: WorkspaceId;
}

const url = z.string().min(1).max(500);
const schema = z
  .object({
    sensorThingsUrl: url.nullable().optional(),
    mqttUrl: url.nullable().optional(),
    climateThingsUrl: url.nullable().optional(),
    defaultWorkspace: z.enum(WORKSPACES).optional(),
    // The policy is rendered from these (tools/csp/deploy-config.ts); the page itself asks the policy.
    dataSources: z.array(url.regex(/^https?:\/\//, 'an http(s) URL')).max(100).optional(),
  })
  .strict();

/** The build's own sensor service (VITE_STA_URL / VITE_STA_MQTT_URL, default: beside the page; 'none': no MQTT). */
export function buildDefaults(pageUrl: string, env: { staUrl?: string; mqttUrl?: string }): SensorServiceConfig {
  return resolveService(pageUrl, env.staUrl || 'sta/v1.1', env.mqttUrl === 'none' ? null : env.mqttUrl || 'sta/mqtt');
}

function httpUrl(pageUrl: string, value: string, field: string): string {
  const u = new URL(value, pageUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${field} “${value}” is not an http(s) URL`);
  return u.href;
}

function resolveService(pageUrl: string, staUrl: string, mqttUrl: string | null): SensorServiceConfig {
  const sta = new URL(staUrl, pageUrl);
  if (sta.protocol !== 'http:' && sta.protocol !== 'https:') throw new Error(`sensorThingsUrl “${staUrl}” is not an http(s) URL`);
  if (mqttUrl === null) return { staUrl: sta.href, mqttUrl: null };
  const mqtt = new URL(mqttUrl, pageUrl);
  if (mqtt.protocol === 'http:') mqtt.protocol = 'ws:';
  if (mqtt.protocol === 'https:') mqtt.protocol = 'wss:';
  if (mqtt.protocol !== 'ws:' && mqtt.protocol !== 'wss:') throw new Error(`mqttUrl “${mqttUrl}” is not a ws(s) URL`);
  return { staUrl: sta.href, mqttUrl: mqtt.href };
}

/** config.json's text (null: there is none) → the configuration, and the problems to tell the user. */
export function parseRuntimeConfig(text: string | null, pageUrl: string, defaults: SensorServiceConfig): { config: RuntimeConfig; problems: string[] } {
  const defaultClimate = new URL('sta-climate/v1.1', pageUrl).href;
  const fallback: RuntimeConfig = { sensors: defaults, climate: defaultClimate };
  if (text === null) return { config: fallback, problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { config: fallback, problems: [`config.json is not valid JSON (${err instanceof Error ? err.message : String(err)}): the build's defaults apply`] };
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { config: fallback, problems: [`config.json: ${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'not valid'}; the build's defaults apply`] };
  }
  const c = r.data;
  try {
    const sensors =
      c.sensorThingsUrl === null
        ? null
        : c.sensorThingsUrl === undefined
          ? defaults
          : resolveService(pageUrl, c.sensorThingsUrl, c.mqttUrl === undefined ? null : c.mqttUrl);
    const climate = c.climateThingsUrl === null ? null : c.climateThingsUrl === undefined ? (sensors ? defaultClimate : null) : httpUrl(pageUrl, c.climateThingsUrl, 'climateThingsUrl');
    return { config: { sensors, climate, defaultWorkspace: c.defaultWorkspace }, problems: [] };
  } catch (err) {
    return { config: fallback, problems: [`config.json: ${err instanceof Error ? err.message : String(err)}; the build's defaults apply`] };
  }
}

/** connect-src of the page's own policy (its <meta>), or null when it has none. */
export function connectSources(policy: string | null): string[] | null {
  if (!policy) return null;
  const d = policy.split(';').map((x) => x.trim().split(/\s+/)).find((x) => x[0] === 'connect-src') ?? policy.split(';').map((x) => x.trim().split(/\s+/)).find((x) => x[0] === 'default-src');
  return d ? d.slice(1) : null;
}

/** Whether a URL may be fetched under connect-src (origins and 'self' only: what tools/csp writes). */
export function allowedByPolicy(target: string, pageUrl: string, sources: readonly string[] | null): boolean {
  if (sources === null) return true;
  const u = new URL(target);
  const page = new URL(pageUrl);
  // 'self' covers the page's origin and, for WebSockets, the same host on ws(s) (CSP Level 3).
  const sameHost = u.host === page.host && ((u.protocol === page.protocol) || (u.protocol === 'ws:' && page.protocol === 'http:') || (u.protocol === 'wss:' && page.protocol === 'https:'));
  if (sameHost && sources.includes("'self'")) return true;
  return sources.some((s) => s === u.origin || s === `${u.protocol}//${u.host}`);
}

/** Fetch config.json beside the page: missing (404) is fine, anything else unreadable is a problem. */
export async function loadRuntimeConfig(pageUrl: string, defaults: SensorServiceConfig, policy: string | null): Promise<{ config: RuntimeConfig; problems: string[] }> {
  let text: string | null = null;
  const problems: string[] = [];
  try {
    const res = await fetch(new URL('config.json', pageUrl), { cache: 'no-cache' });
    if (res.ok) text = await res.text();
    else if (res.status !== 404) problems.push(`config.json could not be read (HTTP ${res.status}): the build's defaults apply`);
  } catch (err) {
    problems.push(`config.json could not be read (${err instanceof Error ? err.message : String(err)}): the build's defaults apply`);
  }
  const parsed: { config: RuntimeConfig; problems: string[] } = parseRuntimeConfig(text, pageUrl, defaults);
  problems.push(...parsed.problems);
  const climate = parsed.config.climate;
  if (climate && !allowedByPolicy(climate, pageUrl, connectSources(policy))) {
    problems.push(`the climate record's service at ${climate} is not allowed by this deployment's security policy (connect-src): the record file is read instead`);
    parsed.config = { ...parsed.config, climate: null };
  }
  const sensors = parsed.config.sensors;
  if (sensors) {
    const sources = connectSources(policy);
    for (const u of [sensors.staUrl, sensors.mqttUrl]) {
      if (u && !allowedByPolicy(u, pageUrl, sources)) {
        problems.push(`the sensor service at ${u} is not allowed by this deployment's security policy (connect-src): it is not used`);
        return { config: { ...parsed.config, sensors: null }, problems };
      }
    }
  }
  return { config: parsed.config, problems };
}
