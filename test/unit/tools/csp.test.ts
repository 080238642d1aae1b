import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, originsOf } from '../../../tools/csp/policy';
import { withCspMeta } from '../../../tools/csp/vite-plugin';

const directive = (policy: string, name: string) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';

describe('the security policy of the build', () => {
  const html = withCspMeta(readFileSync(path.resolve(import.meta.dirname, '../../../index.html'), 'utf8'), originsOf(['https://sta.example.org/FROST-Server/v1.1', 'wss://sta.example.org/mqtt', '/sta/v1.1']));
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)" \/>/.exec(html);

  it('is in index.html, after the charset and before every script', () => {
    expect(meta).not.toBeNull();
    expect(html.indexOf('<meta charset')).toBeLessThan(meta!.index);
    expect(meta!.index).toBeLessThan(html.indexOf('<script'));
  });

  it('allows no eval and no inline script, and connects only to the configured origins', () => {
    const policy = meta![1]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
    const script = directive(policy, 'script-src');
    expect(script).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toContain("'unsafe-eval'");
    expect(directive(policy, 'default-src')).toBe("default-src 'self'");
    expect(directive(policy, 'connect-src').split(' ').slice(1).toSorted()).toEqual(["'self'", 'blob:', 'data:', 'https://sta.example.org', 'wss://sta.example.org'].toSorted());
    // Only a header can carry frame-ancestors; in a meta the browser ignores it and complains.
    expect(policy).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy([], 'header')).toContain("frame-ancestors 'none'");
  });

  it('refuses an index.html it cannot place the policy in', () => {
    expect(() => withCspMeta('<html><head><script src="x.js"></script></head></html>', [])).toThrow(/charset/);
  });
});
