import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelayMs, retryLoop, SENSOR_BACKOFF } from '../../../../../src/layers/sensors/retry';

const mid = { ...SENSOR_BACKOFF, random: () => 0.5 };

describe('the sensor service backoff', () => {
  it('doubles from 2 s and stops growing at 60 s', () => {
    expect(Array.from({ length: 8 }, (_, n) => backoffDelayMs(n, mid))).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(backoffDelayMs(1000, mid)).toBe(60_000);
  });

  it('jitters by ±25 %, never beyond the cap', () => {
    expect(backoffDelayMs(1, { ...SENSOR_BACKOFF, random: () => 0 })).toBe(3000);
    expect(backoffDelayMs(1, { ...SENSOR_BACKOFF, random: () => 0.999_999 })).toBeCloseTo(5000, 0);
    expect(backoffDelayMs(10, { ...SENSOR_BACKOFF, random: () => 0.999_999 })).toBe(60_000);
  });
});

/** Fails `failures` times, then succeeds; records the fake clock at each attempt. */
function service(failures: number): { attempt: () => Promise<boolean>; at: number[] } {
  const at: number[] = [];
  return {
    at,
    attempt: () => {
      at.push(Date.now());
      return at.length > failures ? Promise.resolve(true) : Promise.reject(new Error('ECONNREFUSED'));
    },
  };
}
const loopOf = (s: ReturnType<typeof service>) => retryLoop(s.attempt, (n) => backoffDelayMs(n, mid), globalThis);

describe('the retry loop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries after 2 s, 4 s, 8 s … and stops once the service answers', async () => {
    const s = service(3);
    const start = Date.now();
    const loop = loopOf(s);
    loop.resume();
    await vi.advanceTimersByTimeAsync(2000 + 4000 + 8000 + 16_000);
    expect(s.at.map((t) => t - start)).toEqual([2000, 6000, 14_000, 30_000]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.at).toHaveLength(4);
  });

  it('waits while paused (layer hidden) and goes on when resumed', async () => {
    const s = service(10);
    const loop = loopOf(s);
    loop.resume();
    await vi.advanceTimersByTimeAsync(2000);
    expect(s.at).toHaveLength(1);
    loop.pause();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.at).toHaveLength(1);
    loop.resume();
    await vi.advanceTimersByTimeAsync(4000);
    expect(s.at).toHaveLength(2);
    loop.stop();
  });

  it('"Retry" tries at once, keeps the backoff, and a success ends the loop', async () => {
    const s = service(1);
    const loop = loopOf(s);
    loop.resume();
    expect(await loop.now()).toBe(false);
    expect(s.at).toHaveLength(1);
    expect(await loop.now()).toBe(true);
    expect(await loop.now()).toBe(true);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.at).toHaveLength(2);
  });

  it('stops for good when the layer is removed', async () => {
    const s = service(10);
    const loop = loopOf(s);
    loop.resume();
    loop.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(s.at).toHaveLength(0);
    expect(await loop.now()).toBe(false);
  });
});
