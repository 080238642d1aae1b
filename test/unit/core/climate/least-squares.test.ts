import { describe, expect, it } from 'vitest';
import { lineAccumulator } from '../../../../core/climate/least-squares';

describe('a least-squares line', () => {
  it('recovers an exact line and the textbook fit of scattered points', () => {
    const exact = lineAccumulator();
    for (let x = 0; x < 10; x++) exact.add(x, 3 - 0.0065 * x);
    expect(exact.fit()!.slope).toBeCloseTo(-0.0065, 12);
    expect(exact.fit()!.intercept).toBeCloseTo(3, 12);
    // y = 1, 3, 2, 5, 4 at x = 1…5: slope 0.8, intercept 0.6 (by hand: Sxy = 8, Sxx = 10).
    const scattered = lineAccumulator();
    [1, 3, 2, 5, 4].forEach((y, i) => scattered.add(i + 1, y));
    expect(scattered.fit()).toEqual({ slope: expect.closeTo(0.8, 12), intercept: expect.closeTo(0.6, 12), n: 5 });
  });

  it('gives no line when x does not vary or there is nothing', () => {
    expect(lineAccumulator().fit()).toBeNull();
    const flat = lineAccumulator();
    flat.add(2, 1);
    flat.add(2, 5);
    expect(flat.fit()).toBeNull();
  });
});
