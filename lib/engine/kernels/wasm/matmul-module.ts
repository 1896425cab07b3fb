/**
 * Emits the WASM SIMD matmul kernels. All pointers are byte offsets into the
 * imported memory; each kernel computes output columns i0..i1 (weight rows),
 * so two threads can split one product by rows. Weights are in the packed
 * layout of packed-rows.ts (four rows interleaved in SIMD-load-sized chunks).
 *
 *   matmul_f32(out, x, w, B, n, d, i0, i1):
 *     x (B, n) f32 @ W (d, n)^T f32 -> out (B, d) f32
 *   matmul_f16(out, x, w, B, n, d, i0, i1): the same with W (d, n) as f16 bits, converted in the kernel
 *   matmul_q8(out, xq, xs, wq, ws, B, n, d, i0, i1):
 *     x as Q8_0 (xq (B, n) int8, xs (B, n/32) f32) @ W as Q8_0 (wq (d, n) int8, ws (d, n/32) f32) -> out (B, d)
 *     (matmul-q8-module.ts)
 *   quantize_q8(x, xq, xs, nBlocks): x to Q8_0 for matmul_q8 (quantize-module.ts); with
 *     relaxed kernels xq is in the paired layout there (|x|, sign masks: 4n bytes a row)
 *   swiglu(out, gate, up, n): the feed-forward's activation (vector-math.ts)
 *   swiglu_rows(out, gu, B, h): the same on each row [gate | up] of a fused gate/up product
 *   rmsnorm(out, x, w, rows, n, epsPtr): RMSNorm, bit-identical to kernels/norm.ts (norm-module.ts)
 *   matmul_<f32|q8|f16>_claim(...the kernel's arguments up to d, counter, chunk):
 *     the kernel on rows claimed from a counter two threads share (claimRows)
 *
 * Contract (checked by the caller): n % 4 == 0 (f32, f16) or n % 32 == 0 (q8),
 * d % 4 == 0, i0 < i1, i0 % 4 == 0, i1 % 4 == 0, B >= 1. Four weight rows are
 * processed at once, so each x load feeds four independent f32x4 accumulators
 * and the four rows (<= 4*n values) stay in L1 while all B input rows pass over
 * them; the f32 kernel takes input rows two at a time, so each weight load feeds two.
 */
import { FuncBuilder, I32, V128, addMul, assembleModule, op, simd, uleb } from "./emit";
import type { ValType } from "./emit";
import { matmulQ8 } from "./matmul-q8-module";
import { rmsnormKernel } from "./norm-module";
import { quantizeQ8 } from "./quantize-module";
import { swigluKernel, swigluRowsKernel } from "./vector-math";

/** out[off..off+3] = horizontal sums of the four accumulators (one f32 each). */
function storeSums(f: FuncBuilder, outPtr: number, acc: number[]): void {
  acc.forEach((a, r) => {
    f.get(outPtr);
    f.get(a).v(simd.f32x4ExtractLane, 0).get(a).v(simd.f32x4ExtractLane, 1).emit(op.f32Add);
    f.get(a).v(simd.f32x4ExtractLane, 2).get(a).v(simd.f32x4ExtractLane, 3).emit(op.f32Add, op.f32Add);
    f.f32store(4 * r);
  });
}

/** local[dst] = local[a] + local[b] (i32). */
function add(f: FuncBuilder, dst: number, a: number, b: number): void {
  f.get(a).get(b).emit(op.i32Add).set(dst);
}

/**
 * Kernel variants: `relaxed` uses the relaxed-SIMD i8 dot product in matmul_q8
 * (see arena.ts for detection). Only exact integer ops are relaxed: a fused
 * multiply-add may round differently per host or JIT tier, and a row's result
 * must not depend on the batch it is computed in (batched decode = alone).
 */
export interface KernelOptions {
  relaxed: boolean;
}

/**
 * Emits `while (b + k <= B) { body(); b += k }` for k = C, then the rows left
 * over (fewer than C) in tiles of decreasing height, each at most once.
 */
function rowTiles(f: FuncBuilder, b: number, B: number, C: number, tile: (k: number) => void): void {
  f.i32(0).set(b);
  f.get(B).i32(C).emit(op.i32GeU, op.if, 0x40, op.loop, 0x40);
  tile(C);
  f.inc(b, C).get(b).i32(C).emit(op.i32Add).get(B).emit(op.i32LeU, op.brIf, 0, op.end, op.end);
  for (let k = C - 1; k >= 1; k--) {
    f.get(b).i32(k).emit(op.i32Add).get(B).emit(op.i32LeU, op.if, 0x40);
    tile(k);
    f.inc(b, k).emit(op.end);
  }
}

/**
 * Pushes four f16 weights (at local[ptr] + off) as f32x4. The 15 bits
 * below the sign, moved to an f32's exponent/mantissa place, read as 2^-112
 * times the value for normals and subnormals alike (so one multiply by 2^112
 * rescales exactly); exponent 31 (inf, NaN) gets the f32 exponent 255 instead.
 */
function loadF16(f: FuncBuilder, ptr: number, off: number, h: number, em: number): void {
  f.get(ptr).v(simd.v128Load16x4U, 3, ...uleb(off)).set(h);
  f.get(h).vsplat32(0x7fff).v(simd.v128And).i32(13).v(simd.i32x4Shl).set(em);
  f.get(em).vsplat32(0x77800000).v(simd.f32x4Mul); // * 2^112
  f.get(em).vsplat32(0x7bff << 13).v(simd.i32x4GtS).vsplat32(0x7f800000).v(simd.v128And).v(simd.v128Or);
  f.get(h).i32(16).v(simd.i32x4Shl).vsplat32(0x80000000).v(simd.v128And).v(simd.v128Or); // sign
}

/**
 * Four weight rows against two input rows per tile (8 accumulators + 2 x + 1 w
 * fit x64's 16 SIMD registers; a 4x3 tile spills and measured half as fast).
 * Mul + add, never fused: at 2 muls + 2 adds per cycle a fused op is no faster,
 * and it would make results depend on the host (see KernelOptions).
 * With f16 weights each weight vector is converted in registers once per tile.
 */
function matmulF32(weights: "f32" | "f16"): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [out, x, w, B, n, d, i0, i1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, b, j, wp, rowBytes, wRowBytes, outPtr, group] = [0, 1, 2, 3, 4, 5, 6, 7].map(() => f.local(I32));
  const [h, em] = [f.local(V128), f.local(V128)];
  const xp = [0, 1].map(() => f.local(I32));
  // acc[r][c]: weight row i+r against input row b+c
  const acc = [0, 1, 2, 3].map(() => [f.local(V128), f.local(V128)]);
  const xv = [f.local(V128), f.local(V128)];
  const wv = f.local(V128);
  // one packed chunk: 4 values of one row, 16 bytes as f32, 8 as f16
  const chunkBytes = weights === "f16" ? 8 : 16;

  /** Dot products of the four weight rows with `k` input rows starting at b; stores 4*k sums. */
  const tile = (k: number) => {
    addMul(f, xp[0], x, b, rowBytes);
    if (k === 2) add(f, xp[1], xp[0], rowBytes);
    for (const row of acc) for (let c = 0; c < k; c++) f.vzero().set(row[c]);
    f.i32(0).set(j).get(group).set(wp);
    f.doWhile(j, 16, rowBytes, () => {
      for (let c = 0; c < k; c++) f.get(xp[c]).get(j).emit(op.i32Add).vload().set(xv[c]);
      acc.forEach((row, r) => {
        if (weights === "f16") loadF16(f, wp, r * chunkBytes, h, em);
        else f.get(wp).vload(r * chunkBytes);
        f.set(wv);
        for (let c = 0; c < k; c++) f.get(row[c]).get(wv).get(xv[c]).v(simd.f32x4Mul).v(simd.f32x4Add).set(row[c]);
      });
      f.inc(wp, 4 * chunkBytes);
    });
    // outPtr = out + (b*d + i) * 4, then one output row further per input row
    f.get(out).get(b).get(d).emit(op.i32Mul).get(i).emit(op.i32Add).i32(2).emit(op.i32Shl, op.i32Add).set(outPtr);
    for (let c = 0; c < k; c++) {
      if (c) f.get(outPtr).get(d).i32(2).emit(op.i32Shl, op.i32Add).set(outPtr);
      storeSums(f, outPtr, acc.map((row) => row[c]));
    }
  };

  f.get(n).i32(2).emit(op.i32Shl).set(rowBytes);
  f.get(n).i32(weights === "f16" ? 1 : 2).emit(op.i32Shl).set(wRowBytes);
  f.get(i0).set(i);
  f.doWhile(i, 4, i1, () => {
    addMul(f, group, w, i, wRowBytes); // rows i..i+3 packed: 4 * wRowBytes from group i/4's start
    rowTiles(f, b, B, 2, tile);
  });
  return f;
}

/**
 * `<kernel>_claim(...the kernel's arguments up to d, counter, chunk)`: runs the
 * kernel on rows claimed `chunk` at a time (a multiple of 4) from the i32 at
 * byte offset `counter` (an atomic add) until d is reached. The caller and the
 * helper thread both run it on one product, so the faster of the two takes
 * more rows instead of waiting at the end for the other's fixed half.
 */
function claimRows(kernelIndex: number, argsBeforeRows: number): FuncBuilder {
  const f = new FuncBuilder(Array.from({ length: argsBeforeRows + 2 }, (): ValType => I32));
  const [d, counter, chunk] = [argsBeforeRows - 1, argsBeforeRows, argsBeforeRows + 1];
  const [start, end] = [f.local(I32), f.local(I32)];
  f.emit(op.block, 0x40, op.loop, 0x40);
  f.get(counter).get(chunk).i32AtomicAdd().tee(start).get(d).emit(op.i32GeU, op.brIf, 1);
  for (let a = 0; a < argsBeforeRows; a++) f.get(a);
  // rows start .. min(start + chunk, d)
  f.get(start).get(start).get(chunk).emit(op.i32Add).tee(end).get(d).get(end).get(d).emit(op.i32LtU, op.select);
  f.emit(op.call, ...uleb(kernelIndex), op.br, 0, op.end, op.end);
  return f;
}

/** The kernel module's bytes; the memory import is shared (threads) or not. */
export function matmulModuleBytes(
  shared: boolean, minPages: number, maxPages: number, o: KernelOptions = { relaxed: false },
): Uint8Array<ArrayBuffer> {
  // claimRows calls the three matmuls by index (they stay first, in this order), swiglu_rows calls swiglu (4)
  return assembleModule([
    { name: "matmul_f32", fn: matmulF32("f32") }, { name: "matmul_q8", fn: matmulQ8(o.relaxed) }, { name: "matmul_f16", fn: matmulF32("f16") },
    { name: "quantize_q8", fn: quantizeQ8(o.relaxed) }, { name: "swiglu", fn: swigluKernel() },
    { name: "rmsnorm", fn: rmsnormKernel() },
    { name: "matmul_f32_claim", fn: claimRows(0, 6) }, { name: "matmul_q8_claim", fn: claimRows(1, 8) },
    { name: "matmul_f16_claim", fn: claimRows(2, 6) }, { name: "swiglu_rows", fn: swigluRowsKernel(4) },
  ], shared, minPages, maxPages);
}
