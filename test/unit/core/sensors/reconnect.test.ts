import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoff, coalescingGate, newClientId } from '../../../../core/sensors/reconnect';

afterEach(() => vi.useRealTimers());

describe('reconnecting without a storm', () => {
  it('gives every connection a fresh 128-bit client id', () => {
    const ids = new Set(Array.from({ length: 1000 }, newClientId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^sddi-twin-[0-9a-f]{32}$/);
  });

  it('keeps backing off while connections drop at once, and starts over after one held', () => {
    vi.useFakeTimers();
    const b = backoff(500, 30_000, 30_000, () => 1);
    expect(b.dropped()).toBe(500);
    b.connected();
    vi.advanceTimersByTime(2_000); // dropped again after 2 s: a flapping link, an id taken over
    expect(b.dropped()).toBe(1000);
    b.connected();
    vi.advanceTimersByTime(1_000);
    expect(b.dropped()).toBe(2000);
    b.connected();
    vi.advanceTimersByTime(30_000);
    expect(b.dropped()).toBe(500);
    for (let i = 0; i < 20; i++) b.dropped();
    expect(b.dropped()).toBe(30_000);
    b.dispose();
  });

  it('turns 35 reconnects in a minute into one backfill now and one after the gap', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let finish: (() => void) | undefined;
    const gate = coalescingGate(() => {
      runs++;
      return new Promise<void>((r) => (finish = r));
    }, 10_000, () => {});
    gate.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    for (let i = 0; i < 35; i++) gate.request();
    finish!();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(2);
    finish!();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(gate.runs()).toBe(2);
    gate.dispose();
  });
});
