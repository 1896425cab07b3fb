/**
 * A model's weights in one WebAssembly.Memory, plus the SIMD kernels that read
 * them. Weights are bump-allocated once at load (16-byte aligned, in the
 * packed layout of packed-rows.ts) and the caller keeps only views into the
 * memory, so weights are not held twice.
 * Everything after the weights is scratch for one call's activations:
 *   [ weights ... | x (B, n) | out (B, d) ]
 * The memory is shared (SharedArrayBuffer-backed) so it can grow for scratch
 * without detaching the weight views, and so worker threads can share it
 * (arena-memory.ts: placing weights, the scratch, and sharing work with the helper).
 */
import type { RowNorm } from "../backend/types";
import { rmsnorm } from "../norm";
import type { ClaimKernel, SplitOut } from "./arena-memory";
import { ArenaMemory, PAGE, SPLIT_VALUES } from "./arena-memory";
import type { ArenaKernels } from "./kernel-module";
import type { Q8Kernel, QuantizeKernel } from "./kernel-module";
import { MAX_PAGES } from "./kernel-module";
import { q8InputBytesPerValue } from "./matmul-q8-module";

type F32Kernel = (out: number, x: number, w: number, B: number, n: number, d: number, i0: number, i1: number) => void;
type SwigluKernel = (out: number, gate: number, up: number, n: number) => void;
type SwigluRowsKernel = (out: number, gu: number, B: number, h: number) => void;
type RmsnormKernel = (out: number, x: number, w: number, rows: number, n: number, epsPtr: number) => void;

/** A weight matrix in an arena, as its products read it: f32 or f16 at ptr, or Q8_0 quants and scales. */
export type ArenaMatrix = { kind: "f32" | "f16"; ptr: number } | { kind: "q8_0"; qPtr: number; sPtr: number };

export class WasmArena extends ArenaMemory {
  private readonly f32Kernel: F32Kernel;
  private readonly q8Kernel: Q8Kernel;
  private readonly f16Kernel: F32Kernel;
  private readonly quantizeKernel: QuantizeKernel;
  private readonly swigluKernel: SwigluKernel;
  private readonly swigluRowsKernel: SwigluRowsKernel;
  private readonly rmsnormKernel: RmsnormKernel;
  private readonly f32Claim: ClaimKernel;
  private readonly q8Claim: ClaimKernel;
  private readonly f16Claim: ClaimKernel;
  /** Values quantizeQ8 last left in the scratch; 0 once another product has overwritten it. */
  private quantized = 0;

  /** Bytes a quantized input value takes: 4 in the relaxed kernels' paired layout (quantize-module.ts), else 1. */
  private readonly xqBytes: number;

  private constructor(k: ArenaKernels, weightBytes: number) {
    super(k.module, weightBytes, k.threads);
    const mod = k.module;
    this.xqBytes = q8InputBytesPerValue(k.relaxed);
    const inst = new WebAssembly.Instance(mod, { env: { memory: this.memory } });
    this.f32Kernel = inst.exports.matmul_f32 as F32Kernel;
    this.q8Kernel = inst.exports.matmul_q8 as Q8Kernel;
    this.f16Kernel = inst.exports.matmul_f16 as F32Kernel;
    this.quantizeKernel = inst.exports.quantize_q8 as QuantizeKernel;
    this.swigluKernel = inst.exports.swiglu as SwigluKernel;
    this.swigluRowsKernel = inst.exports.swiglu_rows as SwigluRowsKernel;
    this.rmsnormKernel = inst.exports.rmsnorm as RmsnormKernel;
    this.f32Claim = inst.exports.matmul_f32_claim as ClaimKernel;
    this.q8Claim = inst.exports.matmul_q8_claim as ClaimKernel;
    this.f16Claim = inst.exports.matmul_f16_claim as ClaimKernel;
  }

  /** Whether `weightBytes` of weights leave an arena room for its scratch within 4 GiB. */
  static fits(weightBytes: number): boolean {
    return weightBytes + (64 << 20) <= MAX_PAGES * PAGE;
  }

  /** An arena with room for `weightBytes` of weights (sum of aligned sizes; see fits), running `kernels`. */
  static create(weightBytes: number, kernels: ArenaKernels): WasmArena {
    if (!WasmArena.fits(weightBytes)) throw new RangeError(`arena: ${weightBytes} bytes of weights exceed the 4 GiB WebAssembly memory`);
    return new WasmArena(kernels, weightBytes);
  }

  /**
   * out (B, d) = x (B, n) @ W^T, W (d, n) f32 at byte offset wPtr. Big products
   * run on both threads: a decode batch's rows mid..d on the helper while this
   * thread runs rows 0..mid, a prefill chunk's rows as each thread claims them.
   */
  matmulF32(out: Float32Array | SplitOut, x: Float32Array, wPtr: number, B: number, n: number, d: number, norm?: RowNorm): void {
    this.matmulFloat(0, this.f32Kernel, out, x, wPtr, B, n, d, norm);
  }

  /** out (B, d) = x (B, n) @ W^T, W (d, n) as f16 bits at byte offset wPtr, converted in the kernel. */
  matmulF16(out: Float32Array | SplitOut, x: Float32Array, wPtr: number, B: number, n: number, d: number, norm?: RowNorm): void {
    this.matmulFloat(3, this.f16Kernel, out, x, wPtr, B, n, d, norm);
  }

  private matmulFloat(
    op: 0 | 3, kernel: F32Kernel, out: Float32Array | SplitOut, x: Float32Array, wPtr: number, B: number, n: number, d: number,
    norm?: RowNorm,
  ): void {
    const xPtr = this.limit;
    const outPtr = xPtr + WasmArena.aligned(B * n, 4);
    this.scratch(outPtr - xPtr + Math.max(B * d * 4, 16 + 4 * n));
    this.quantized = 0;
    this.inputRows(x, xPtr, B * n, norm, outPtr);
    this.productFloat(op, kernel, outPtr, xPtr, wPtr, B, n, d);
    this.copyOut(out, outPtr, B, d);
  }

  /** out (B, d) at outPtr = x (B, n) at xPtr @ W^T, on both threads when it pays. */
  private productFloat(op: 0 | 3, kernel: F32Kernel, outPtr: number, xPtr: number, wPtr: number, B: number, n: number, d: number): void {
    const claiming = this.claimingHelper(B, n, d);
    if (claiming) {
      const [claimOp, claim] = op === 0 ? [8 as const, this.f32Claim] : [10 as const, this.f16Claim];
      return this.shareByClaims(claiming, claimOp, claim, kernel, [outPtr, xPtr, wPtr, B, n, d], d);
    }
    const mid = this.splitRow(B * n * d, d);
    const upper = mid < d ? [outPtr, xPtr, wPtr, B, n, d, mid, d] : null;
    const h = this.startUpper(op, upper);
    kernel(outPtr, xPtr, wPtr, B, n, d, 0, h ? mid : d);
    this.finishUpper(h, kernel, upper);
  }

  /**
   * Scratch for a quantized input of `count` values: [x f32 | xq int8 | xs f32 | out].
   * x is only read while quantizing; the layout depends on count alone, so a
   * quantized input stays put for every product that reads it.
   */
  private q8Scratch(count: number): { xPtr: number; xqPtr: number; xsPtr: number; outPtr: number } {
    const xPtr = this.limit;
    const xqPtr = xPtr + WasmArena.aligned(count, 4);
    const xsPtr = xqPtr + WasmArena.aligned(count, this.xqBytes);
    return { xPtr, xqPtr, xsPtr, outPtr: xsPtr + WasmArena.aligned(count / 32, 4) };
  }

  /**
   * Quantizes x's first `count` values (a multiple of 32) to Q8_0 in the scratch,
   * exactly as quantizeRowsQ8_0 does; matmulQ8 reads it until another product runs.
   * With `norm`, the rows are RMS-normalized first (as rmsnorm() would).
   */
  quantizeQ8(x: Float32Array, count: number, norm?: RowNorm): void {
    const { xPtr, outPtr } = this.q8Scratch(count);
    this.scratch(outPtr - xPtr + (norm ? 16 + 4 * norm.w.length : 0));
    this.inputRows(x, xPtr, count, norm, outPtr);
    this.quantizeScratch(count);
  }

  /**
   * Copies x's first `count` values to the scratch at xPtr; with `norm`, normalizes
   * its rows there in place, eps and w placed at paramsPtr (free until the
   * product writes its output there). Saves rmsnorm()'s copy out and back in.
   */
  private inputRows(x: Float32Array, xPtr: number, count: number, norm: RowNorm | undefined, paramsPtr: number): void {
    this.f32.set(x.subarray(0, count), xPtr >> 2);
    if (norm) this.normRows(xPtr, count / norm.w.length, norm.w.length, norm.w, norm.eps, paramsPtr);
  }

  /** Quantizes the `count` values at the scratch's x (q8Scratch(count).xPtr) in place (see quantizeQ8). */
  private quantizeScratch(count: number): void {
    const { xPtr, xqPtr, xsPtr } = this.q8Scratch(count);
    const blocks = count / 32;
    const qBytes = 32 * this.xqBytes; // per block
    const mid = count >= SPLIT_VALUES ? blocks >> 1 : blocks;
    const upper = mid < blocks ? [xPtr + mid * 128, xqPtr + mid * qBytes, xsPtr + mid * 4, blocks - mid] : null;
    const h = this.startUpper(4, upper);
    this.quantizeKernel(xPtr, xqPtr, xsPtr, h ? mid : blocks);
    this.finishUpper(h, this.quantizeKernel, upper);
    this.quantized = count;
  }

  /** The Q8_0 input quantizeQ8 last wrote: xq (count) int8 and xs (count/32) scales (tests compare them). */
  quantizedInput(): { xq: Int8Array; xs: Float32Array } {
    const n = this.quantized;
    const { xqPtr, xsPtr } = this.q8Scratch(n);
    const xq = this.i8.slice(xqPtr, xqPtr + this.xqBytes * n);
    const xs = this.f32.slice(xsPtr >> 2, (xsPtr >> 2) + n / 32);
    if (this.xqBytes === 1) return { xq, xs };
    // paired layout: per block, |x|'s 8-value chunks twice over (64 bytes), then the sign masks likewise;
    // a value whose two copies differ reads as -128, which no Q8_0 quant is, so comparisons catch it
    const signed = new Int8Array(n);
    for (let k = 0; k < n; k++) {
      const o = (k >> 5) * 128 + ((k & 31) >> 3) * 16 + (k & 7);
      const same = xq[o] === xq[o + 8] && xq[o + 64] === xq[o + 72];
      signed[k] = !same ? -128 : xq[o + 64] ? -xq[o] : xq[o];
    }
    return { xq: signed, xs };
  }

  /**
   * out (B, d) = the Q8_0 input quantizeQ8 wrote (B rows of n) @ Q8_0 W^T
   * (quants at qPtr, scales at sPtr, packed).
   */
  matmulQ8(out: Float32Array | SplitOut, qPtr: number, sPtr: number, B: number, n: number, d: number): void {
    if (this.quantized !== B * n) throw new Error(`arena: matmulQ8 needs ${B * n} quantized values, the scratch holds ${this.quantized}`);
    const { outPtr } = this.q8Scratch(B * n);
    this.scratch(outPtr - this.limit + B * d * 4);
    this.productQ8(outPtr, qPtr, sPtr, B, n, d);
    this.copyOut(out, outPtr, B, d);
  }

  /** out (B, d) at outPtr = the quantized input in the scratch (B rows of n) @ Q8_0 W^T, on both threads when it pays. */
  private productQ8(outPtr: number, qPtr: number, sPtr: number, B: number, n: number, d: number): void {
    const { xqPtr, xsPtr } = this.q8Scratch(B * n);
    const claiming = this.claimingHelper(B, n, d);
    if (claiming) return this.shareByClaims(claiming, 9, this.q8Claim, this.q8Kernel, [outPtr, xqPtr, xsPtr, qPtr, sPtr, B, n, d], d);
    const mid = this.splitRow(B * n * d, d);
    const upper = mid < d ? [outPtr, xqPtr, xsPtr, qPtr, sPtr, B, n, d, mid, d] : null;
    const h = this.startUpper(1, upper);
    this.q8Kernel(outPtr, xqPtr, xsPtr, qPtr, sPtr, B, n, d, 0, h ? mid : d);
    this.finishUpper(h, this.q8Kernel, upper);
  }

  /**
   * out = silu(gate) * up over n values, in WASM SIMD: ~11 ns a value with
   * TypeScript's Math.exp was ~10% of a Q8_0 prefill. Within a few f32 ulp of swigluRef.
   */
  swiglu(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
    const gPtr = this.limit;
    const uPtr = gPtr + WasmArena.aligned(n, 4);
    this.scratch(uPtr - gPtr + WasmArena.aligned(n, 4));
    this.quantized = 0;
    this.f32.set(gate.subarray(0, n), gPtr >> 2);
    this.f32.set(up.subarray(0, n), uPtr >> 2);
    const mid = n >= SPLIT_VALUES ? (n >> 3) << 2 : n; // a multiple of 4: the kernel goes 4 values at a time
    const upper = mid < n ? [gPtr + mid * 4, gPtr + mid * 4, uPtr + mid * 4, n - mid] : null;
    const h = this.startUpper(5, upper);
    this.swigluKernel(gPtr, gPtr, uPtr, h ? mid : n);
    this.finishUpper(h, this.swigluKernel, upper);
    out.set(this.f32.subarray(gPtr >> 2, (gPtr >> 2) + n));
  }

  /**
   * The SwiGLU feed-forward with its activations kept in the scratch:
   * out (B, dOut) = (silu(g) * u) @ Wdown^T, [g | u] (B, 2h) = x (B, n) @ Wgu^T
   * (gate and up fused, gate's h rows first), x RMS-normalized first with `norm`.
   * The same values as the (rmsnorm,) gate/up
   * product, swiglu and down product one after another, without copying the
   * (B, 2h) and (B, h) activations out of the memory and back (~4% of a prefill).
   * Scratch: the down product's input at the start (B, h); the gate/up output
   * past both products' inputs, so neither overwrites it before swiglu reads it.
   */
  feedForward(
    out: Float32Array, x: Float32Array, gu: ArenaMatrix, down: ArenaMatrix, B: number, n: number, h: number, dOut: number, norm?: RowNorm,
  ): void {
    if (gu.kind !== down.kind || h % 4 !== 0) throw new Error(`arena: feedForward needs one weight kind and h % 4 == 0, got ${gu.kind}/${down.kind}, h=${h}`);
    const q8 = gu.kind === "q8_0";
    const inEnd = q8 ? this.q8Scratch(B * n).outPtr : this.limit + WasmArena.aligned(B * n, 4);
    const downOut = q8 ? this.q8Scratch(B * h).outPtr : this.limit + WasmArena.aligned(B * h, 4);
    const keepPtr = Math.max(inEnd, this.limit + WasmArena.aligned(B * h, 4));
    this.scratch(Math.max(keepPtr + B * 2 * h * 4, downOut + B * dOut * 4, inEnd + 16 + 4 * n) - this.limit);
    if (q8) this.quantizeQ8(x, B * n, norm);
    else this.inputRows(x, this.limit, B * n, norm, inEnd);
    this.product(gu, keepPtr, B, n, 2 * h);
    // (B, h) = swiglu of each row, at the scratch's start: the down product's input
    const mid = B * h >= SPLIT_VALUES ? B >> 1 : B;
    const upper = mid < B ? [this.limit + mid * h * 4, keepPtr + mid * 2 * h * 4, B - mid, h] : null;
    const helper = this.startUpper(11, upper);
    this.swigluRowsKernel(this.limit, keepPtr, helper ? mid : B, h);
    this.finishUpper(helper, this.swigluRowsKernel, upper);
    if (q8) this.quantizeScratch(B * h);
    else this.quantized = 0;
    this.product(down, downOut, B, h, dOut);
    this.copyOut(out, downOut, B, dOut);
  }

  /** out (B, d) at outPtr = the scratch's input @ m^T: quantized (Q8_0) or f32 at the scratch's start. */
  private product(m: ArenaMatrix, outPtr: number, B: number, n: number, d: number): void {
    if (m.kind === "q8_0") return this.productQ8(outPtr, m.qPtr, m.sPtr, B, n, d);
    if (m.kind === "f32") return this.productFloat(0, this.f32Kernel, outPtr, this.limit, m.ptr, B, n, d);
    this.productFloat(3, this.f16Kernel, outPtr, this.limit, m.ptr, B, n, d);
  }

  /**
   * out (B, n) = RMSNorm of x (B, n) with weight w (n), bit-identical to
   * kernels/norm.ts's rmsnorm, which runs instead when n % 4 != 0. In TypeScript
   * it took 2-3 ns a value, ~3% of a Q8_0 prefill; a prefill chunk's rows are
   * split across the helper. out may alias x.
   */
  rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, eps: number): void {
    if (n % 4 !== 0) return rmsnorm(out, x, w, B, n, eps);
    // scratch: eps (f64, 16 bytes with padding) | w (n) | x (B, n), normalized in place
    const ePtr = this.limit;
    const wPtr = ePtr + 16;
    const xPtr = wPtr + WasmArena.aligned(n, 4);
    this.scratch(xPtr - ePtr + B * n * 4);
    this.quantized = 0;
    this.f32.set(x.subarray(0, B * n), xPtr >> 2);
    this.normRows(xPtr, B, n, w, eps, ePtr);
    out.set(this.f32.subarray(xPtr >> 2, (xPtr >> 2) + B * n));
  }

  /** RMSNorm of the (B, n) rows at xPtr in place (n % 4 == 0), with eps (f64) and w put at ePtr, ePtr + 16. */
  private normRows(xPtr: number, B: number, n: number, w: Float32Array, eps: number, ePtr: number): void {
    const wPtr = ePtr + 16;
    this.f64[ePtr >> 3] = eps;
    this.f32.set(w.subarray(0, n), wPtr >> 2);
    const mid = B * n >= SPLIT_VALUES ? B >> 1 : B;
    const upperRows = xPtr + mid * n * 4;
    const upper = mid < B ? [upperRows, upperRows, wPtr, B - mid, n, ePtr] : null;
    const h = this.startUpper(6, upper);
    this.rmsnormKernel(xPtr, xPtr, wPtr, h ? mid : B, n, ePtr);
    this.finishUpper(h, this.rmsnormKernel, upper);
  }
}
