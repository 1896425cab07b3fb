/**
 * What a WasmArena's operations share: the memory (weights, bump-allocated
 * once and packed, then scratch for one call's activations), the scratch's
 * growth and views, and how a kernel's work is shared with the helper thread
 * (threads.ts): fixed halves for decode batches and element-wise kernels, rows
 * claimed from a counter for prefill chunks' products. WasmArena (arena.ts)
 * adds the kernels and the operations.
 */
import { MAX_PAGES } from "./kernel-module";
import { Q8_QUANT_CHUNK, packRows } from "./packed-rows";
import type { HelperOp } from "./threads";
import { Helper } from "./threads";

export const PAGE = 65536;
/**
 * Products below this many multiply-adds stay on one thread. Measured on 2 cores
 * (SmolLM2-135M shape, one sequence): splitting every product from 2^17 up
 * (q, o, gate, up, down; not k, v) decodes 1.3x faster than splitting only the
 * head at 2^20; 2^15 and 2^16 were no better, as the barrier (~1-50 us) eats the gain.
 */
export const SPLIT_MIN = 1 << 17;
/**
 * Element-wise kernels (quantize, SwiGLU) split from this many values: a prefill
 * chunk's (64 x 576 and up), never one decode row's (1536 at most here).
 */
export const SPLIT_VALUES = 1 << 14;
/**
 * Products of this many input rows and more (prefill chunks) are shared by
 * claiming rows (claimRows in matmul-module.ts) rather than split in fixed
 * halves. In alternating runs on SmolLM2 Q8_0 prefill it was 3-5% faster while
 * the VM's vCPUs were slowed unevenly by neighbours (common here) and no slower
 * while they were quiet; for decode batches it measured 3-4% slower, so they keep the halves.
 */
const CLAIM_MIN_ROWS = 16;

/** A matmul's `_claim` form: its arguments up to d, then the row counter's byte offset and the rows per claim. */
export type ClaimKernel = (...args: number[]) => void;

/**
 * A product's output split by columns: the first rows[0] output columns go to
 * outs[0] (B, rows[0]), the next rows[1] to outs[1], and so on (a fused group's
 * matrices, see wasm/placement.ts).
 */
export interface SplitOut {
  outs: readonly Float32Array[];
  rows: readonly number[];
}

/** A weight array placed in an arena: a view into its memory and its byte offset. */
export interface Placed<T> {
  view: T;
  ptr: number;
}

export class ArenaMemory {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the i32 row counter claiming products share: between the weights and the scratch. */
  protected readonly counterPtr: number;
  /** Where the scratch starts: past the weights and the counter. */
  protected readonly limit: number;
  protected f32 = new Float32Array(0);
  protected i8 = new Int8Array(0);
  protected f64 = new Float64Array(0);
  protected i32 = new Int32Array(0);
  private helperId = 0;
  /** Where the next weight goes (bytes from 0). */
  private top = 0;

  /** `threads`: big products and element-wise kernels are shared with the helper thread. */
  protected constructor(protected readonly mod: WebAssembly.Module, protected readonly weightBytes: number, private readonly threads: boolean) {
    const initial = Math.ceil((weightBytes + (1 << 20)) / PAGE);
    this.memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true });
    this.counterPtr = weightBytes;
    this.limit = weightBytes + 16;
  }

  /** Bytes `n` elements of `bytesPer` take in the arena (16-byte aligned). */
  static aligned(n: number, bytesPer: number): number {
    return (n * bytesPer + 15) & ~15;
  }

  private alloc(bytes: number): number {
    const ptr = this.top;
    this.top += (bytes + 15) & ~15;
    if (this.top > this.weightBytes) throw new RangeError(`arena: weights exceed the ${this.weightBytes} bytes reserved`);
    return ptr;
  }

  /** Copies a (rows, cols) float32 weight matrix into the arena, packed (see packed-rows.ts). */
  placeF32(src: Float32Array, rows: number, cols: number): Placed<Float32Array> {
    return this.placePacked(src, rows, cols, 4);
  }

  /** Copies a (rows, cols) matrix of f16 weight bits into the arena, packed. */
  placeU16(src: Uint16Array, rows: number, cols: number): Placed<Uint16Array> {
    return this.placePacked(src, rows, cols, 4);
  }

  /** Copies a (rows, cols) Q8_0 matrix (int8 quants, one f32 scale per 32 values) into the arena, packed. */
  placeQ8(quants: Int8Array, scales: Float32Array, rows: number, cols: number): { quants: Placed<Int8Array>; scales: Placed<Float32Array> } {
    return { quants: this.placeQ8Quants(quants, rows, cols), scales: this.placeQ8Scales(scales, rows, cols) };
  }

  /** A Q8_0 matrix's quants alone (placeQ8 in two steps, so a fused group's quants can lie back to back). */
  placeQ8Quants(quants: Int8Array, rows: number, cols: number): Placed<Int8Array> {
    return this.placePacked(quants, rows, cols, Q8_QUANT_CHUNK);
  }

  /** A Q8_0 matrix's scales alone (see placeQ8Quants). */
  placeQ8Scales(scales: Float32Array, rows: number, cols: number): Placed<Float32Array> {
    return this.placePacked(scales, rows, cols / 32, 1);
  }

  /** Copies `src` (rows, cols) into the arena, rows packed in chunks of `chunk` values. */
  private placePacked<T extends Float32Array | Uint16Array | Int8Array>(src: T, rows: number, cols: number, chunk: number): Placed<T> {
    const ptr = this.alloc(rows * cols * src.BYTES_PER_ELEMENT);
    const view = new (src.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T)(this.memory.buffer, ptr, rows * cols);
    packRows(view, src, rows, cols, chunk);
    return { view, ptr };
  }

  /** Copies a product's (B, d) output from the scratch at outPtr to out, or each part of a split output to its own array. */
  protected copyOut(out: Float32Array | SplitOut, outPtr: number, B: number, d: number): void {
    const base = outPtr >> 2;
    if (out instanceof Float32Array) {
      out.set(this.f32.subarray(base, base + B * d));
      return;
    }
    for (let i = 0, col = base; i < out.outs.length; col += out.rows[i++]) {
      const [o, r] = [out.outs[i], out.rows[i]];
      for (let b = 0; b < B; b++) o.set(this.f32.subarray(col + b * d, col + b * d + r), b * r);
    }
  }

  /** Grows the memory so scratch covers `bytes` past the weights; refreshes the scratch views. */
  protected scratch(bytes: number): void {
    const need = this.limit + bytes;
    if (need > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / PAGE));
    if (this.f32.buffer.byteLength !== this.memory.buffer.byteLength) {
      this.f32 = new Float32Array(this.memory.buffer);
      this.i8 = new Int8Array(this.memory.buffer);
      this.f64 = new Float64Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
  }

  /** Whether a product of `macs` multiply-adds over d rows is worth running on both threads. */
  protected static splits(macs: number, d: number): boolean {
    return macs >= SPLIT_MIN && d >= 8;
  }

  /** Where the helper's rows start: half of d (a multiple of 4), or d when the product is too small to split. */
  protected splitRow(macs: number, d: number): number {
    return ArenaMemory.splits(macs, d) ? (d >> 3) << 2 : d;
  }

  /**
   * A split product or kernel: the helper thread runs `op` on the `upper` part's
   * arguments (null: nothing to split) while the caller runs the lower part (all
   * of it when this returns null) with its own call, not a spread one (that
   * measured ~5% of decode), then finishUpper. Returns the started helper, or null.
   */
  protected startUpper(op: HelperOp, upper: number[] | null): Helper | null {
    const h = upper ? this.helper() : null;
    if (h && upper) h.start(this.helperId, op, upper);
    return h;
  }

  /**
   * The helper, when a (B, n) @ (d, n)^T product is a prefill chunk's
   * (B >= CLAIM_MIN_ROWS) big enough to split; else null: the caller splits it
   * in halves or runs it alone. Checked before the claim's arguments are built,
   * so decode products allocate nothing for it.
   */
  protected claimingHelper(B: number, n: number, d: number): Helper | null {
    return B >= CLAIM_MIN_ROWS && ArenaMemory.splits(B * n * d, d) ? this.helper() : null;
  }

  /** Runs a product on both threads, each claiming rows from the shared counter (`args` are the kernel's up to d). */
  protected shareByClaims(h: Helper, op: 8 | 9 | 10, claim: ClaimKernel, kernel: ClaimKernel, args: number[], d: number): void {
    // about an eighth of the rows a claim (a sixteenth measured 2-3% slower with both vCPUs quiet)
    const chunk = Math.max(4, ((d >> 3) + 3) & ~3);
    // a plain store: start()'s atomic store of the job counter publishes it to the worker
    this.i32[this.counterPtr >> 2] = 0;
    h.start(this.helperId, op, [...args, this.counterPtr, chunk]);
    claim(...args, this.counterPtr, chunk);
    // the helper died or stalled: every row here (any it wrote get the same values again)
    if (!h.wait()) kernel(...args, 0, d);
  }

  /** Waits for the helper's part; if the helper failed, runs it here (the parts are independent). */
  protected finishUpper(h: Helper | null, kernel: (...args: number[]) => void, upper: number[] | null): void {
    if (h && upper && !h.wait()) kernel(...upper);
  }

  /** The helper thread with this arena's memory registered, or null (single-threaded). */
  protected helper(): Helper | null {
    const h = this.threads ? Helper.get() : null;
    if (h && !this.helperId) this.helperId = h.register(this, this.memory, this.mod);
    return h;
  }
}
