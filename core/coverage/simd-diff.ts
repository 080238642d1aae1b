/**
 * A − B and the coverage classes with WebAssembly SIMD, 4 cells per instruction: the scalar loop in `compare.ts`
 * spends most of its time converting each float32 to a double and back, which JavaScript cannot avoid; at 4096²
 * this kernel takes well under half its time (`npm run bench -- coverage`).
 *
 * The module is a few hundred bytes assembled here from the instruction list below (no toolchain, no binary
 * file), compiled once per worker. Cells go through a small fixed memory in chunks that stay in cache: copy A
 * and B in, run the kernel, copy the difference and the classes out. Where WebAssembly or its SIMD is missing
 * (or a Content-Security-Policy forbids compiling), `simdDiffKernel()` is null and the scalar loop does it all.
 *
 * Same answers as the scalar loop: a float32 difference computed in double and rounded to float32 equals the
 * float32 difference (double rounding is harmless when the wider format has ≥ 2p + 2 bits: 53 ≥ 2·24 + 2), and
 * the threshold is rounded up to the nearest float32, for which `a ≥ t32` ⇔ `a ≥ t` on every float32 a.
 */

/** Cells per chunk: 4 × 128 KiB of floats and 32 KiB of classes, inside any core's L2 cache. */
const CHUNK = 32_768;
const A_OFF = 0;
const B_OFF = CHUNK * 4;
const D_OFF = CHUNK * 8;
const C_OFF = CHUNK * 12;
const PAGES = Math.ceil((CHUNK * 13) / 65_536);

// ---- the module, byte by byte (WebAssembly core spec §5; SIMD opcodes from its "Binary encoding of SIMD") ----

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
/** Signed LEB128, as `i32.const` takes its operand (64 is 0xc0 0x00, not 0x40, which would read as −64). */
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const tee = (i: number): number[] => [0x22, i];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** v128.load / v128.store with a 16-byte alignment hint (2^4) and a constant offset. */
const load = (offset: number): number[] => [...simd(0x00), 4, ...uleb(offset)];
const store = (offset: number): number[] => [...simd(0x0b), 4, ...uleb(offset)];
const i32x4Const = (v: number): number[] => [...simd(0x0c), ...[v, v, v, v].flatMap((x) => [x & 255, (x >> 8) & 255, (x >> 16) & 255, (x >>> 24) & 255])];
const F32X4_SPLAT = simd(0x13);
const F32X4_EQ = simd(0x41);
const F32X4_GE = simd(0x46);
const V128_AND = simd(0x4e);
const V128_OR = simd(0x50);
const V128_BITSELECT = simd(0x52);
const I8X16_NARROW_I16X8_U = simd(0x66);
const I16X8_NARROW_I32X4_U = simd(0x86);
const F32X4_SUB = simd(0xe5);

// Parameters: a, b, d, c (byte offsets), blocks (of 16 cells), t (float32). Locals: see below.
const [P_A, P_B, P_D, P_C, P_N, P_T] = [0, 1, 2, 3, 4, 5];
const [L_T, L_255, L_1, L_2, L_A, L_B, L_D] = [6, 7, 8, 9, 10, 11, 12];
const L_CLASS = [13, 14, 15, 16];

/** Four cells at byte offset `o` of the current block: store A − B, leave their classes (i32x4) in L_CLASS[g]. */
const group = (g: number): number[] => {
  const o = g * 16;
  return [
    ...get(P_A), ...load(o), ...set(L_A),
    ...get(P_B), ...load(o), ...set(L_B),
    ...get(P_D), ...get(L_A), ...get(L_B), ...F32X4_SUB, ...tee(L_D), ...store(o),
    // ((A ≥ t) & 1) | ((B ≥ t) & 2), then 255 wherever A − B is NaN (NaN ≠ NaN): bitselect(class, 255, d == d).
    ...get(L_A), ...get(L_T), ...F32X4_GE, ...get(L_1), ...V128_AND,
    ...get(L_B), ...get(L_T), ...F32X4_GE, ...get(L_2), ...V128_AND,
    ...V128_OR,
    ...get(L_255),
    ...get(L_D), ...get(L_D), ...F32X4_EQ,
    ...V128_BITSELECT,
    ...set(L_CLASS[g]!),
  ];
};

const advance = (local: number, bytes: number): number[] => [...get(local), 0x41, ...sleb(bytes), 0x6a, ...set(local)];

const body: number[] = [
  1, 11, V128, // 11 v128 locals
  ...get(P_T), ...F32X4_SPLAT, ...set(L_T),
  ...i32x4Const(255), ...set(L_255),
  ...i32x4Const(1), ...set(L_1),
  ...i32x4Const(2), ...set(L_2),
  0x02, 0x40, // block
  ...get(P_N), 0x45, 0x0d, 0, // br_if 0 when no block
  0x03, 0x40, // loop
  ...group(0), ...group(1), ...group(2), ...group(3),
  // 16 classes: i32x4 ×4 → i16x8 ×2 → i8x16, one store.
  ...get(P_C),
  ...get(L_CLASS[0]!), ...get(L_CLASS[1]!), ...I16X8_NARROW_I32X4_U,
  ...get(L_CLASS[2]!), ...get(L_CLASS[3]!), ...I16X8_NARROW_I32X4_U,
  ...I8X16_NARROW_I16X8_U,
  ...store(0),
  ...advance(P_A, 64), ...advance(P_B, 64), ...advance(P_D, 64), ...advance(P_C, 16),
  ...get(P_N), 0x41, ...sleb(1), 0x6b, ...tee(P_N), 0x0d, 0, // br_if loop while blocks remain
  0x0b, // end loop
  0x0b, // end block
  0x0b, // end function
];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, F32, 0]),
  ...section(3, [1, 0]),
  ...section(5, [1, 0x00, ...uleb(PAGES)]),
  ...section(7, [2, ...name('mem'), 0x02, 0, ...name('diff'), 0x00, 0]),
  ...section(10, [1, ...uleb(body.length), ...body]),
]);

// ---- the threshold as float32 ----

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The smallest float32 ≥ t: for every float32 a, a ≥ result ⇔ a ≥ t. */
export function float32AtLeast(t: number): number {
  const f = Math.fround(t);
  if (!(f < t)) return f;
  // One step up: towards +∞ on the bit pattern (up for positive numbers, down in magnitude for negative ones).
  f32[0] = f;
  i32[0] = f === 0 ? 1 : i32[0]! + (f > 0 ? 1 : -1);
  return f32[0]!;
}

// ---- the kernel ----

export type SimdDiffKernel = (a: Float32Array, b: Float32Array, t: number, diff: Float32Array, classes: Uint8Array, n: number) => number;

let kernel: SimdDiffKernel | null | undefined;

/** The kernel (compiled on first use), or null where WebAssembly SIMD cannot run. */
export function simdDiffKernel(): SimdDiffKernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MODULE_BYTES)) return kernel;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE_BYTES));
    const mem = instance.exports['mem'] as WebAssembly.Memory;
    const run = instance.exports['diff'] as (a: number, b: number, d: number, c: number, blocks: number, t: number) => void;
    // The memory never grows, so these views stay valid.
    const aIn = new Float32Array(mem.buffer, A_OFF, CHUNK);
    const bIn = new Float32Array(mem.buffer, B_OFF, CHUNK);
    const dOut = new Float32Array(mem.buffer, D_OFF, CHUNK);
    const cOut = new Uint8Array(mem.buffer, C_OFF, CHUNK);
    kernel = (a, b, t, diff, classes, n) => {
      const t32 = float32AtLeast(t);
      let start = 0;
      while (n - start >= 16) {
        const len = Math.min(CHUNK, (n - start) & ~15);
        aIn.set(a.subarray(start, start + len), 0);
        bIn.set(b.subarray(start, start + len), 0);
        run(A_OFF, B_OFF, D_OFF, C_OFF, len >> 4, t32);
        diff.set(len === CHUNK ? dOut : dOut.subarray(0, len), start);
        classes.set(len === CHUNK ? cOut : cOut.subarray(0, len), start);
        start += len;
      }
      return start;
    };
  } catch {
    kernel = null;
  }
  return kernel;
}
