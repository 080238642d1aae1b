/** Typed arrays that grow by doubling while a layer is built and are cut to size at the end. */

type TypedCtor<T> = { new (n: number): T };
export class Growable<T extends Float64Array | Uint32Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(
    private readonly ctor: TypedCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new this.ctor(cap);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  /** A copy of exactly the used part: its buffer holds nothing else, so it can be transferred. */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}
export const f64 = (): Growable<Float64Array> => new Growable(Float64Array);
export const u32 = (): Growable<Uint32Array> => new Growable(Uint32Array);
