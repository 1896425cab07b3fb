/**
 * A KV cache's K and V in a WebAssembly.Memory of their own, beside the
 * scratch the SIMD attention kernel works in, so attention reads the cache in
 * place. The memory is sized once for the session and never grows (so the
 * Float32Array views stay attached and nothing beyond the cache is held):
 *   [ k (n) | v (n) | q (R, qDim) | out (R, qDim) | att (ctx + 3) | rows (R, 2) i32 ]
 * q follows v with at least three kv rows of room: the kernel reads up to
 * three K rows past a row's last position, which land in v or q (never past
 * the end). R = the session's maximum rows per forward.
 */
import { kernelModule, wasmKernelsEnabled } from "./arena";
import { attentionModuleBytes } from "./attention-module";

const PAGE = 65536;
const MAX_PAGES = 65536;

type AttentionKernel = (
  out: number, q: number, k: number, v: number, rows: number, B: number, nKvHeads: number, group: number, hd: number,
  att: number, scale: number,
) => void;

let compiled: WebAssembly.Module | null | undefined;
let attentionOn = true;

/** Turns the WASM attention on or off for sessions created afterwards (benchmarks compare both); setWasmKernels(false) also turns it off. */
export function setWasmAttention(on: boolean): void {
  attentionOn = on;
}

/** The compiled attention module, or null (kernelModule() has printed why) on hosts without WASM SIMD. */
function attentionModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (!kernelModule()) return null;
  const bytes = attentionModuleBytes(MAX_PAGES);
  if (!WebAssembly.validate(bytes)) {
    console.warn("engine: WASM SIMD attention kernel failed to validate; using the TypeScript attention");
    return null;
  }
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

/** Head layout of the attention the cache serves. */
export interface KvHeads {
  nHeads: number;
  nKvHeads: number;
  headDim: number;
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
  private readonly ptr: { q: number; out: number; att: number; rows: number };

  private constructor(mod: WebAssembly.Module, n: number, private readonly heads: KvHeads, ctx: number, maxRows: number) {
    const kvDim = heads.nKvHeads * heads.headDim;
    const qDim = heads.nHeads * heads.headDim;
    const qPtr = 8 * n + 12 * kvDim;
    const outPtr = qPtr + 4 * maxRows * qDim;
    const attPtr = outPtr + 4 * maxRows * qDim;
    const rowsPtr = attPtr + 4 * (((ctx + 3) >> 2) << 2);
    const pages = Math.ceil((rowsPtr + 8 * maxRows) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(mod, { env: { memory: this.memory } });
    this.kernel = inst.exports.attention_rows as AttentionKernel;
    const buf = this.memory.buffer;
    this.k = new Float32Array(buf, 0, n);
    this.v = new Float32Array(buf, 4 * n, n);
    this.q = new Float32Array(buf, qPtr, maxRows * qDim);
    this.out = new Float32Array(buf, outPtr, maxRows * qDim);
    this.rows = new Int32Array(buf, rowsPtr, 2 * maxRows);
    this.ptr = { q: qPtr, out: outPtr, att: attPtr, rows: rowsPtr };
  }

  /** Bytes a cache of n floats per K and V takes with its scratch (before rounding up to pages). */
  static bytes(n: number, heads: KvHeads, ctx: number, maxRows: number): number {
    const kvDim = heads.nKvHeads * heads.headDim;
    return 8 * n + 12 * kvDim + 8 * maxRows * heads.nHeads * heads.headDim + 4 * (((ctx + 3) >> 2) << 2) + 8 * maxRows;
  }

  /**
   * K and V of n floats each in WASM memory, or null when the fast path is off
   * or unsupported, the head size is not a multiple of 16, it exceeds 4 GiB, or
   * the host cannot allocate the memory.
   */
  static create(n: number, heads: KvHeads, ctx: number, maxRows: number): WasmKv | null {
    const mod = wasmKernelsEnabled() && attentionOn ? attentionModule() : null;
    if (!mod || heads.headDim % 16 !== 0 || WasmKv.bytes(n, heads, ctx, maxRows) > MAX_PAGES * PAGE) return null;
    try {
      return new WasmKv(mod, n, heads, ctx, maxRows);
    } catch (e) {
      // each memory reserves address space; a host out of it gets the plain arrays instead
      if (!(e instanceof RangeError)) throw e;
      console.warn(`engine: no WebAssembly memory for a ${n}-float KV cache (${e.message}); using the TypeScript attention`);
      return null;
    }
  }

  /** Runs the kernel on rows 0..B-1 of q with `rows` filled in; results land in `out`. */
  attend(B: number): void {
    const { nHeads, nKvHeads, headDim } = this.heads;
    const { q, out, att, rows } = this.ptr;
    this.kernel(out, q, 0, this.v.byteOffset, rows, B, nKvHeads, nHeads / nKvHeads, headDim, att, 1 / Math.sqrt(headDim));
  }
}
