import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applyDeployConfig, configOrigins } from '../../../tools/csp/deploy-config';
import { withCspMeta } from '../../../tools/csp/vite-plugin';
import { parseRuntimeConfig } from '../../../src/config/runtime-config';

const PAGE = 'https://twin.example.cz/plzen/';

describe('the policy follows the deployment’s config.json', () => {
  const config = JSON.stringify({ sensorThingsUrl: 'https://frost.example.org/v1.1', mqttUrl: 'wss://frost.example.org/mqtt', dataSources: ['https://ags.cuzk.gov.cz', 'https://geoservices.bayern.de/od/wms/dop/v1/dop20'] });

  it('names sensor origins for connect-src and data sources for connect-src and img-src', () => {
    expect(configOrigins(config)).toEqual({ connect: ['https://frost.example.org', 'wss://frost.example.org'], data: ['https://ags.cuzk.gov.cz', 'https://geoservices.bayern.de'] });
    expect(configOrigins(null)).toEqual({ connect: [], data: [] });
  });

  it('rewrites the built page’s policy (and its .gz) and renders the matching nginx headers', () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'sddi-deploy-'));
    const html = withCspMeta('<!doctype html><html><head><meta charset="utf-8" /><title>t</title></head></html>', []);
    writeFileSync(path.join(dist, 'index.html'), html);
    writeFileSync(path.join(dist, 'index.html.gz'), gzipSync(html));
    writeFileSync(path.join(dist, 'config.json'), config);
    const headers = applyDeployConfig(dist);
    const out = readFileSync(path.join(dist, 'index.html'), 'utf8');
    expect(out.match(/http-equiv="Content-Security-Policy"/g)).toHaveLength(1);
    expect(out).toMatch(/connect-src 'self' blob: data: https:\/\/frost\.example\.org wss:\/\/frost\.example\.org https:\/\/ags\.cuzk\.gov\.cz https:\/\/geoservices\.bayern\.de;/);
    expect(out).toMatch(/img-src 'self' data: blob: https:\/\/ags\.cuzk\.gov\.cz https:\/\/geoservices\.bayern\.de;/);
    expect(gunzipSync(readFileSync(path.join(dist, 'index.html.gz'))).toString()).toBe(out);
    expect(headers).toContain('https://ags.cuzk.gov.cz');
    expect(headers).toContain("frame-ancestors 'none'");
  });

  it('accepts dataSources in config.json and refuses what is not an http(s) URL', () => {
    const defaults = { staUrl: `${PAGE}sta/v1.1`, mqttUrl: null };
    expect(parseRuntimeConfig(JSON.stringify({ dataSources: ['https://ags.cuzk.gov.cz'] }), PAGE, defaults).problems).toEqual([]);
    expect(parseRuntimeConfig(JSON.stringify({ dataSources: ['javascript:alert(1)'] }), PAGE, defaults).problems[0]).toMatch(/config\.json: dataSources\.0/);
  });
});
