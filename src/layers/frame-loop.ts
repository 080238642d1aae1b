/**
 * One frame at a time for an overlay whose frames come from a worker: a request while a frame is being computed
 * only marks the layer dirty, and when that frame lands the newest state is drawn next. Many changes (a dragged
 * timeline, a burst of readings) cost at most one frame in flight and one after it.
 */
export interface FrameLoop {
  request(): void;
  /** Draw once more after the frame in flight: what it was computed from changed while it ran. */
  again(): void;
}

export function frameLoop(draw: () => Promise<void>, onError: (err: unknown) => void, alive: () => boolean): FrameLoop {
  let inFlight = false;
  let dirty = false;
  const request = (): void => {
    if (!alive()) return;
    if (inFlight) {
      dirty = true;
      return;
    }
    inFlight = true;
    dirty = false;
    draw()
      .catch(onError)
      .finally(() => {
        inFlight = false;
        if (dirty) request();
      });
  };
  return { request, again: () => void (dirty = true) };
}
