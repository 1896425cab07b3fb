/**
 * A KV cache's K and V in a WebAssembly.Memory of their own, beside the
 * scratch the SIMD attention kernel works in, so attention reads the cache in
 * place. The memory is sized once for the session and never grows (so the
 * Float32Array views stay attached and nothing beyond the cache is held):
 *   [ k (n) | v (n) | q (R, qDim) | out (R, qDim) | att (ctx + 3) | att2 (ctx + 3) | rows (R, 2) i32 ]
 * The memory is shared with the helper thread, which attends the later rows of a
 * big batch (a prefill chunk, several decode rows) in att2 while this thread
 * attends the first ones.
 * q follows v with at least three kv rows of room: the kernel reads up to
 * three K rows past a row's last position, which land in v or q (never past
 * the end). R = the session's maximum rows per forward.
 */
import type { KvHeads } from "../kv-cache";
import { KvCache, kvFloats } from "../kv-cache";
import { SPLIT_MIN } from "./arena-memory";
import { attentionModuleBytes } from "./attention-module";
import { Helper } from "./threads";

const PAGE = 65536;
const MAX_PAGES = 65536;

type AttentionKernel = (
  out: number, q: number, k: number, v: number, rows: number, B: number, nKvHeads: number, group: number, hd: number,
  att: number, scale: number,
) => void;

// Compiled once per process on first use (a fact of the host, never changed after).
let compiled: WebAssembly.Module | null | undefined;

/** The compiled attention module, or null (with a notice) if it does not validate; only WASM backends ask, so SIMD is there. */
function attentionModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const bytes = attentionModuleBytes(MAX_PAGES);
  if (!WebAssembly.validate(bytes)) {
    console.warn("engine: WASM SIMD attention kernel failed to validate; using the TypeScript attention");
    return null;
  }
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

export class WasmKv {
  readonly memory: WebAssembly.Memory;
  readonly k: Float32Array;
  readonly v: Float32Array;
  /** Query rows (R, qDim) and attention output rows, as views the caller fills / reads. */
  readonly q: Float32Array;
  readonly out: Float32Array;
  /** Per row: float offset of its first position in k / v, then its position count. */
  readonly rows: Int32Array;
  private readonly kernel: AttentionKernel;
  private readonly ptr: { q: number; out: number; att: number; att2: number; rows: number };
  /** This memory's id with the helper thread (0: not registered yet). */
  private helperId = 0;
  // the attention scale's f32 bits for the helper's control block (i32s only)
  private readonly bitsF32 = new Float32Array(1);
  private readonly bitsI32 = new Int32Array(this.bitsF32.buffer);

  private constructor(
    private readonly mod: WebAssembly.Module, n: number, private readonly heads: KvHeads, ctx: number, maxRows: number,
    private readonly threads: boolean,
  ) {
    const kvDim = heads.nKvHeads * heads.headDim;
    const qDim = heads.nHeads * heads.headDim;
    const qPtr = 8 * n + 12 * kvDim;
    const outPtr = qPtr + 4 * maxRows * qDim;
    const attPtr = outPtr + 4 * maxRows * qDim;
    const att2Ptr = attPtr + 4 * (((ctx + 3) >> 2) << 2);
    const rowsPtr = att2Ptr + 4 * (((ctx + 3) >> 2) << 2);
    const pages = Math.ceil((rowsPtr + 8 * maxRows) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const inst = new WebAssembly.Instance(mod, { env: { memory: this.memory } });
    this.kernel = inst.exports.attention_rows as AttentionKernel;
    const buf = this.memory.buffer;
    this.k = new Float32Array(buf, 0, n);
    this.v = new Float32Array(buf, 4 * n, n);
    this.q = new Float32Array(buf, qPtr, maxRows * qDim);
    this.out = new Float32Array(buf, outPtr, maxRows * qDim);
    this.rows = new Int32Array(buf, rowsPtr, 2 * maxRows);
    this.ptr = { q: qPtr, out: outPtr, att: attPtr, att2: att2Ptr, rows: rowsPtr };
  }

  /** Bytes a cache of n floats per K and V takes with its scratch (before rounding up to pages). */
  static bytes(n: number, heads: KvHeads, ctx: number, maxRows: number): number {
    const kvDim = heads.nKvHeads * heads.headDim;
    return 8 * n + 12 * kvDim + 8 * maxRows * heads.nHeads * heads.headDim + 8 * (((ctx + 3) >> 2) << 2) + 8 * maxRows;
  }

  /** Whether the kernel takes this head size (a multiple of 16) and the cache fits in 4 GiB. */
  static fits(n: number, heads: KvHeads, ctx: number, maxRows: number): boolean {
    return heads.headDim % 16 === 0 && WasmKv.bytes(n, heads, ctx, maxRows) <= MAX_PAGES * PAGE;
  }

  /**
   * K and V of n floats each in WASM memory (see fits), or null when the module
   * does not validate or the host cannot allocate the memory. `threads`: a big
   * batch's later rows run on the helper thread.
   */
  static create(n: number, heads: KvHeads, ctx: number, maxRows: number, threads: boolean): WasmKv | null {
    const mod = attentionModule();
    if (!mod) return null;
    try {
      return new WasmKv(mod, n, heads, ctx, maxRows, threads);
    } catch (e) {
      // each memory reserves address space; a host out of it gets the plain arrays instead
      if (!(e instanceof RangeError)) throw e;
      console.warn(`engine: no WebAssembly memory for a ${n}-float KV cache (${e.message}); using the TypeScript attention`);
      return null;
    }
  }

  /**
   * Runs the kernel on rows 0..B-1 of q with `rows` filled in; results land in
   * `out`. A big batch's later rows run on the helper thread (each row's result
   * is the same on either thread).
   */
  attend(B: number): void {
    const { nHeads, nKvHeads, headDim } = this.heads;
    const { q, out, att, att2, rows } = this.ptr;
    const [group, scale, v] = [nHeads / nKvHeads, Math.fround(1 / Math.sqrt(headDim)), this.v.byteOffset];
    const mid = this.splitRow(B);
    const h = mid < B ? this.helper() : null;
    if (!h) return this.kernel(out, q, 0, v, rows, B, nKvHeads, group, headDim, att, scale);
    const rowBytes = 4 * nHeads * headDim;
    const upper: Parameters<AttentionKernel> = [
      out + mid * rowBytes, q + mid * rowBytes, 0, v, rows + 8 * mid, B - mid, nKvHeads, group, headDim, att2, scale,
    ];
    this.bitsF32[0] = scale;
    h.start(this.helperId, 7, [...upper.slice(0, 10), this.bitsI32[0]]);
    this.kernel(out, q, 0, v, rows, mid, nKvHeads, group, headDim, att, scale);
    // the helper died or stalled: its rows here (each row's result is independent)
    if (!h.wait()) this.kernel(...upper);
  }

  /**
   * The first row the helper takes: about half the batch's work (scores and
   * sums grow with each row's position count), or B when the batch is too small
   * to be worth a barrier (a single decode row).
   */
  private splitRow(B: number): number {
    if (B < 2) return B;
    let total = 0;
    for (let b = 0; b < B; b++) total += this.rows[2 * b + 1];
    if (2 * total * this.heads.nHeads * this.heads.headDim < SPLIT_MIN) return B;
    let mid = 0;
    for (let done = 0; mid < B - 1 && 2 * (done + this.rows[2 * mid + 1]) <= total; mid++) done += this.rows[2 * mid + 1];
    return Math.max(1, mid);
  }

  private helper(): Helper | null {
    const h = this.threads ? Helper.get() : null;
    if (h && !this.helperId) this.helperId = h.register(this, this.memory, this.mod);
    return h;
  }
}

/** K and V in a WasmKv's memory; attend() runs the SIMD kernel there, reading the cache in place. */
export class WasmKvCache extends KvCache {
  private constructor(nLayers: number, slots: number, ctx: number, heads: KvHeads, private readonly wasm: WasmKv) {
    super(nLayers, slots, ctx, heads, wasm.k, wasm.v);
  }

  /** A cache whose attention takes up to maxRows rows a call, or null where WasmKv can't hold it (the caller keeps TsKvCache). */
  static create(nLayers: number, slots: number, ctx: number, heads: KvHeads, maxRows: number, threads: boolean): WasmKvCache | null {
    const n = kvFloats(nLayers, slots, ctx, heads);
    if (!WasmKv.fits(n, heads, ctx, maxRows)) return null;
    const wasm = WasmKv.create(n, heads, ctx, maxRows, threads);
    return wasm && new WasmKvCache(nLayers, slots, ctx, heads, wasm);
  }

  /** The WebAssembly memory K, V and the attention scratch live in (tests check its size). */
  get memory(): WebAssembly.Memory {
    return this.wasm.memory;
  }

  attend(
    out: Float32Array, q: Float32Array, qStride: number, layer: number,
    slots: Int32Array, positions: Int32Array, B: number, window: number | null,
  ): void {
    const qDim = this.heads.nHeads * this.heads.headDim;
    const w = this.wasm;
    for (let b = 0; b < B; b++) {
      const start = window ? Math.max(0, positions[b] - window + 1) : 0;
      w.rows[2 * b] = this.offset(layer, slots[b]) + start * this.kvDim;
      w.rows[2 * b + 1] = positions[b] + 1 - start;
      w.q.set(q.subarray(b * qStride, b * qStride + qDim), b * qDim);
    }
    w.attend(B);
    out.set(w.out.subarray(0, B * qDim));
  }
}
