import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowedByPolicy, buildDefaults, connectSources, loadRuntimeConfig, parseRuntimeConfig } from '../../../../src/config/runtime-config';
import { contentSecurityPolicy, originsOf } from '../../../../tools/csp/policy';

const PAGE = 'https://twin.example.cz/plzen/';
const defaults = buildDefaults(PAGE, {});
const serve = (status: number, body = '') => vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status })));

describe('deploy-time configuration (config.json)', () => {
  it('without a file: the build’s service beside the page', () => {
    expect(defaults).toEqual({ staUrl: 'https://twin.example.cz/plzen/sta/v1.1', mqttUrl: 'wss://twin.example.cz/plzen/sta/mqtt' });
    expect(parseRuntimeConfig(null, PAGE, defaults)).toEqual({ config: { sensors: defaults, climate: 'https://twin.example.cz/plzen/sta-climate/v1.1' }, problems: [] });
    expect(buildDefaults(PAGE, { mqttUrl: 'none' }).mqttUrl).toBeNull();
  });

  it('a static host with no sensor service, a FROST-Server elsewhere, a default workspace', () => {
    expect(parseRuntimeConfig('{"sensorThingsUrl": null}', PAGE, defaults).config.sensors).toBeNull();
    const frost = parseRuntimeConfig('{"sensorThingsUrl": "https://frost.example.org/FROST-Server/v1.1", "mqttUrl": "https://frost.example.org/mqtt", "defaultWorkspace": "sensors"}', PAGE, defaults);
    expect(frost.problems).toEqual([]);
    // The climate record's service beside the page unless named: a FROST-Server holds no ČHMÚ record of its own.
    expect(frost.config).toEqual({ sensors: { staUrl: 'https://frost.example.org/FROST-Server/v1.1', mqttUrl: 'wss://frost.example.org/mqtt' }, climate: 'https://twin.example.cz/plzen/sta-climate/v1.1', defaultWorkspace: 'sensors' });
    // History only when no MQTT is named.
    expect(parseRuntimeConfig('{"sensorThingsUrl": "/sta/v1.1"}', PAGE, defaults).config.sensors).toEqual({ staUrl: 'https://twin.example.cz/sta/v1.1', mqttUrl: null });
  });

  it('a broken file is named, the defaults apply', () => {
    for (const text of ['{', '{"sensorThingsUrl": 5}', '{"sensorsUrl": "x"}', '{"defaultWorkspace": "admin"}', '{"sensorThingsUrl": "javascript:alert(1)"}', '[]']) {
      const r = parseRuntimeConfig(text, PAGE, defaults);
      expect(r.config.sensors, text).toEqual(defaults);
      expect(r.problems, text).toHaveLength(1);
      expect(r.problems[0], text).toMatch(/^config\.json/);
    }
  });

  it('checks a service against the deployment’s connect-src, by origin', () => {
    const policy = contentSecurityPolicy(originsOf(['https://frost.example.org/x']), 'meta');
    const sources = connectSources(policy);
    expect(allowedByPolicy('https://frost.example.org/FROST-Server/v1.1', PAGE, sources)).toBe(true);
    expect(allowedByPolicy('wss://frost.example.org/mqtt', PAGE, sources)).toBe(false);
    expect(allowedByPolicy('https://twin.example.cz/sta/v1.1', PAGE, sources)).toBe(true);
    expect(allowedByPolicy('wss://twin.example.cz/sta/mqtt', PAGE, sources)).toBe(true);
    expect(allowedByPolicy('https://evil.example.com/v1.1', PAGE, sources)).toBe(false);
    expect(allowedByPolicy('https://anything.example.com/', PAGE, connectSources(null))).toBe(true);
  });
});

describe('loading config.json', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('404: the defaults, no problem; a service the policy forbids: named, and not used', async () => {
    serve(404);
    expect(await loadRuntimeConfig(PAGE, defaults, contentSecurityPolicy([], 'meta'))).toEqual({ config: { sensors: defaults, climate: 'https://twin.example.cz/plzen/sta-climate/v1.1' }, problems: [] });
    serve(200, '{"sensorThingsUrl": "https://frost.example.org/v1.1"}');
    const r = await loadRuntimeConfig(PAGE, defaults, contentSecurityPolicy([], 'meta'));
    expect(r.config.sensors).toBeNull();
    expect(r.problems).toEqual(["the sensor service at https://frost.example.org/v1.1 is not allowed by this deployment's security policy (connect-src): it is not used"]);
  });

  it('the climate record: its own service, none on a static host (the record file is read), or refused by the policy', async () => {
    expect(parseRuntimeConfig('{"sensorThingsUrl": null}', PAGE, defaults).config.climate).toBeNull();
    expect(parseRuntimeConfig('{"climateThingsUrl": "https://frost.example.org/climate/v1.1"}', PAGE, defaults).config.climate).toBe('https://frost.example.org/climate/v1.1');
    expect(parseRuntimeConfig('{"climateThingsUrl": "ftp://x/"}', PAGE, defaults).problems[0]).toMatch(/climateThingsUrl/);
    serve(200, '{"climateThingsUrl": "https://frost.example.org/climate/v1.1"}');
    const r = await loadRuntimeConfig(PAGE, defaults, contentSecurityPolicy([], 'meta'));
    expect(r.config.climate).toBeNull();
    expect(r.problems[0]).toMatch(/climate record's service .* not allowed .*: the record file is read instead/);
  });

  it('a server error or no network: named, the defaults apply', async () => {
    serve(500);
    expect((await loadRuntimeConfig(PAGE, defaults, null)).problems[0]).toMatch(/HTTP 500/);
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const r = await loadRuntimeConfig(PAGE, defaults, null);
    expect(r.config.sensors).toEqual(defaults);
    expect(r.problems[0]).toMatch(/Failed to fetch/);
  });
});
