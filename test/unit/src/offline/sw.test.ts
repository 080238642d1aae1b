import { describe, expect, it } from 'vitest';
import { cacheable } from '../../../../src/offline/sw';

const answer = (status: number, type: string | null): Response => new Response(status === 204 || status === 304 ? null : 'x', { status, headers: type === null ? {} : { 'content-type': type } });

describe('what the service worker keeps', () => {
  it('never keeps the host\'s fallback page (200 text/html) for a data file', () => {
    expect(cacheable('data', answer(200, 'text/html'))).toBe(false);
    expect(cacheable('data', answer(200, 'text/html; charset=utf-8'))).toBe(false);
    expect(cacheable('data', answer(200, 'TEXT/HTML'))).toBe(false);
    expect(cacheable('data', answer(200, 'application/xhtml+xml'))).toBe(false);
    expect(cacheable('shell', answer(200, 'text/html'))).toBe(false);
    expect(cacheable('config', answer(200, 'text/html'))).toBe(false);
  });

  it('keeps real data: a full 200 of any other type, or of none', () => {
    expect(cacheable('data', answer(200, 'application/json'))).toBe(true);
    expect(cacheable('data', answer(200, 'application/octet-stream'))).toBe(true);
    expect(cacheable('data', answer(200, 'model/gltf-binary'))).toBe(true);
    expect(cacheable('data', answer(200, null))).toBe(true);
    expect(cacheable('shell', answer(200, 'text/javascript'))).toBe(true);
    expect(cacheable('config', answer(200, 'application/json'))).toBe(true);
  });

  it('keeps nothing but a full 200: no partial content, errors or other successes', () => {
    for (const status of [201, 204, 206, 304, 404, 500]) expect(cacheable('data', answer(status, 'application/octet-stream'))).toBe(false);
    expect(cacheable('page', answer(404, 'text/html'))).toBe(false);
  });

  it('keeps the page itself as HTML, and nothing of the routes it does not handle', () => {
    expect(cacheable('page', answer(200, 'text/html'))).toBe(true);
    expect(cacheable('network', answer(200, 'application/json'))).toBe(false);
  });
});
