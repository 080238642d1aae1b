/**
 * A Content-Security-Policy violation inside a worker reaches the page like the page's own: here the sensors
 * worker is served with a policy that forbids every connection, so its request for the climate record (service or file) is
 * blocked in the worker, and the harness (which fails any file with a violation) must see it.
 */
import { describe, expect, it } from 'vitest';
import { openTwin, twinSession } from './harness';

describe('policy violations inside workers', () => {
  const session = twinSession(async (s) => {
    await s.page.route(/sensors\.worker-[\w-]+\.js$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "connect-src 'none'" } });
    });
    await openTwin(s, 'ws=climate');
  });

  it('are seen by the page, naming the blocked address and the worker', async () => {
    const s = session();
    await expect.poll(() => s.cspViolations(), { timeout: 60_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^connect-src \S+climate\S* \(in a worker: \S+sensors\.worker/)]));
    // Seen: the file's closing check (no violation anywhere) applies to everything after this point.
    await s.page.evaluate(() => ((window as unknown as { sddiCspViolations: string[] }).sddiCspViolations.length = 0));
  });
});
