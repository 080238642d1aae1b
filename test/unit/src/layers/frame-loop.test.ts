import { describe, expect, it } from 'vitest';
import { frameLoop } from '../../../../src/layers/frame-loop';

/** A draw whose frames finish when the test says so. */
function controlledDraw() {
  const pending: Array<() => void> = [];
  let calls = 0;
  const draw = () => {
    calls++;
    return new Promise<void>((resolve) => pending.push(resolve));
  };
  const finish = async () => {
    pending.shift()!();
    // Let the loop's finally run.
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { draw, finish, calls: () => calls, pending: () => pending.length };
}

describe('one frame at a time', () => {
  it('coalesces requests made while a frame is in flight into one more frame', async () => {
    const d = controlledDraw();
    const loop = frameLoop(d.draw, () => {}, () => true);
    loop.request();
    loop.request();
    loop.request();
    expect(d.calls()).toBe(1);
    await d.finish();
    expect(d.calls()).toBe(2);
    await d.finish();
    expect(d.calls()).toBe(2);
    expect(d.pending()).toBe(0);
  });

  it('draws again when the frame in flight went stale, and not at all once disposed', async () => {
    const d = controlledDraw();
    let alive = true;
    const loop = frameLoop(d.draw, () => {}, () => alive);
    loop.request();
    loop.again();
    await d.finish();
    expect(d.calls()).toBe(2);
    alive = false;
    await d.finish();
    loop.request();
    expect(d.calls()).toBe(2);
  });

  it('reports a failed frame and carries on', async () => {
    const errors: unknown[] = [];
    let secondDrawn!: () => void;
    const second = new Promise<void>((r) => (secondDrawn = r));
    let n = 0;
    const loop = frameLoop(async () => {
      n++;
      if (n === 1) throw new Error('worker gone');
      secondDrawn();
    }, (e) => {
      errors.push(e);
      // Asked again while the failed frame is still in flight: drawn once it has ended.
      loop.request();
    }, () => true);
    loop.request();
    await second;
    expect(errors).toHaveLength(1);
    expect(n).toBe(2);
  });
});
