/**
 * Emits the WASM SIMD matmul kernels. All pointers are byte offsets into the
 * imported memory; each kernel computes output columns i0..i1 (weight rows),
 * so two threads can split one product by rows.
 *
 *   matmul_f32(out, x, w, B, n, d, i0, i1):
 *     x (B, n) f32 @ W (d, n)^T f32 -> out (B, d) f32
 *   matmul_q8(out, xq, xs, wq, ws, B, n, d, i0, i1):
 *     x as Q8_0 (xq (B, n) int8, xs (B, n/32) f32) @ W as Q8_0 (wq (d, n) int8, ws (d, n/32) f32) -> out (B, d)
 *
 * Contract (checked by the caller): n % 4 == 0 (f32) or n % 32 == 0 (q8),
 * i0 < i1, (i1 - i0) % 4 == 0, B >= 1. Four weight rows are processed at
 * once, so each x load feeds four independent f32x4 accumulators and the four
 * rows (<= 4*n floats) stay in L1 while all B input rows pass over them; the
 * f32 kernel takes input rows two at a time, so each weight load feeds two.
 */
import { F32, FuncBuilder, I32, V128, assembleModule, op, simd } from "./emit";

/** out[off..off+3] = horizontal sums of the four accumulators (one f32 each). */
function storeSums(f: FuncBuilder, outPtr: number, acc: number[]): void {
  acc.forEach((a, r) => {
    f.get(outPtr);
    f.get(a).v(simd.f32x4ExtractLane, 0).get(a).v(simd.f32x4ExtractLane, 1).emit(op.f32Add);
    f.get(a).v(simd.f32x4ExtractLane, 2).get(a).v(simd.f32x4ExtractLane, 3).emit(op.f32Add, op.f32Add);
    f.f32store(4 * r);
  });
}

/** local[dst] = local[base] + local[a] * local[b] (i32). */
function addMul(f: FuncBuilder, dst: number, base: number, a: number, b: number): void {
  f.get(base).get(a).get(b).emit(op.i32Mul, op.i32Add).set(dst);
}

/** local[dst] = local[a] + local[b] (i32). */
function add(f: FuncBuilder, dst: number, a: number, b: number): void {
  f.get(a).get(b).emit(op.i32Add).set(dst);
}

function matmulF32(): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [out, x, w, B, n, d, i0, i1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, b, j, rowBytes, outPtr] = [0, 1, 2, 3, 4].map(() => f.local(I32));
  const wr = [0, 1, 2, 3].map(() => f.local(I32));
  const xp = [0, 1].map(() => f.local(I32));
  // acc[r][k]: weight row i+r against input row b+k; 8 accumulators + 4 temporaries fit 16 SIMD registers
  const acc = [0, 1, 2, 3].map(() => [f.local(V128), f.local(V128)]);
  const xv = [f.local(V128), f.local(V128)];
  const wv = f.local(V128);

  /** Dot products of the four weight rows with `k` input rows starting at b; stores 4*k sums. */
  const tile = (k: 1 | 2) => {
    addMul(f, xp[0], x, b, rowBytes);
    if (k === 2) add(f, xp[1], xp[0], rowBytes);
    for (const row of acc) for (let c = 0; c < k; c++) f.vzero().set(row[c]);
    f.i32(0).set(j);
    f.doWhile(j, 16, rowBytes, () => {
      for (let c = 0; c < k; c++) f.get(xp[c]).get(j).emit(op.i32Add).vload().set(xv[c]);
      acc.forEach((row, r) => {
        f.get(wr[r]).get(j).emit(op.i32Add).vload().set(wv);
        for (let c = 0; c < k; c++) f.get(row[c]).get(wv).get(xv[c]).v(simd.f32x4Mul).v(simd.f32x4Add).set(row[c]);
      });
    });
    // outPtr = out + (b*d + i) * 4, then one output row further per input row
    f.get(out).get(b).get(d).emit(op.i32Mul).get(i).emit(op.i32Add).i32(2).emit(op.i32Shl, op.i32Add).set(outPtr);
    for (let c = 0; c < k; c++) {
      if (c) f.get(outPtr).get(d).i32(2).emit(op.i32Shl, op.i32Add).set(outPtr);
      storeSums(f, outPtr, acc.map((row) => row[c]));
    }
  };

  f.get(n).i32(2).emit(op.i32Shl).set(rowBytes);
  f.get(i0).set(i);
  f.doWhile(i, 4, i1, () => {
    addMul(f, wr[0], w, i, rowBytes);
    for (let r = 1; r < 4; r++) add(f, wr[r], wr[r - 1], rowBytes);
    f.i32(0).set(b);
    // pairs of input rows while b + 2 <= B, i.e. b + 1 < B
    f.get(B).i32(2).emit(op.i32GeU, op.if, 0x40, op.loop, 0x40);
    tile(2);
    f.inc(b, 2).get(b).i32(1).emit(op.i32Add).get(B).emit(op.i32LtU, op.brIf, 0, op.end, op.end);
    // the odd row left over
    f.get(b).get(B).emit(op.i32LtU, op.if, 0x40);
    tile(1);
    f.emit(op.end);
  });
  return f;
}

function matmulQ8(): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [out, xq, xs, wq, ws, B, n, d, i0, i1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, b, j, s, scaleBytes, xqp, xsp, outPtr] = [0, 1, 2, 3, 4, 5, 6, 7].map(() => f.local(I32));
  const qr = [0, 1, 2, 3].map(() => f.local(I32));
  const sr = [0, 1, 2, 3].map(() => f.local(I32));
  const acc = [0, 1, 2, 3].map(() => f.local(V128));
  const [xa, xb, wa, wb] = [0, 1, 2, 3].map(() => f.local(V128));
  const sx = f.local(F32);

  // one f32 scale per 32 values: n/32 * 4 bytes per row
  f.get(n).i32(3).emit(op.i32ShrU).set(scaleBytes);
  f.get(i0).set(i);
  f.doWhile(i, 4, i1, () => {
    addMul(f, qr[0], wq, i, n);
    addMul(f, sr[0], ws, i, scaleBytes);
    for (let r = 1; r < 4; r++) {
      add(f, qr[r], qr[r - 1], n);
      add(f, sr[r], sr[r - 1], scaleBytes);
    }
    f.i32(0).set(b);
    f.doWhile(b, 1, B, () => {
      addMul(f, xqp, xq, b, n);
      addMul(f, xsp, xs, b, scaleBytes);
      for (const a of acc) f.vzero().set(a);
      f.i32(0).set(j).i32(0).set(s);
      f.doWhile(j, 32, n, () => {
        // one 32-value block: x quants (2 x i8x16) and x scale
        f.get(xqp).get(j).emit(op.i32Add).vload().set(xa);
        f.get(xqp).get(j).emit(op.i32Add).vload(16).set(xb);
        f.get(xsp).get(s).emit(op.i32Add).f32load().set(sx);
        acc.forEach((a, r) => {
          f.get(qr[r]).get(j).emit(op.i32Add).vload().set(wa);
          f.get(qr[r]).get(j).emit(op.i32Add).vload(16).set(wb);
          // integer dot: i8*i8 -> i16 (|p| <= 16384) -> pairwise i32, four partial sums
          f.get(wa).get(xa).v(simd.i16x8ExtmulLowI8x16S).v(simd.i32x4ExtaddPairwiseI16x8S);
          f.get(wa).get(xa).v(simd.i16x8ExtmulHighI8x16S).v(simd.i32x4ExtaddPairwiseI16x8S).v(simd.i32x4Add);
          f.get(wb).get(xb).v(simd.i16x8ExtmulLowI8x16S).v(simd.i32x4ExtaddPairwiseI16x8S).v(simd.i32x4Add);
          f.get(wb).get(xb).v(simd.i16x8ExtmulHighI8x16S).v(simd.i32x4ExtaddPairwiseI16x8S).v(simd.i32x4Add);
          f.v(simd.f32x4ConvertI32x4S);
          // * (weight scale * x scale), accumulated per lane
          f.get(sr[r]).get(s).emit(op.i32Add).f32load().get(sx).emit(op.f32Mul).v(simd.f32x4Splat);
          f.v(simd.f32x4Mul).get(a).v(simd.f32x4Add).set(a);
        });
        f.inc(s, 4);
      });
      f.get(out).get(b).get(d).emit(op.i32Mul).get(i).emit(op.i32Add).i32(2).emit(op.i32Shl, op.i32Add).set(outPtr);
      storeSums(f, outPtr, acc);
    });
  });
  return f;
}

/** The kernel module's bytes; the memory import is shared (threads) or not. */
export function matmulModuleBytes(shared: boolean, minPages: number, maxPages: number): Uint8Array<ArrayBuffer> {
  return assembleModule([{ name: "matmul_f32", fn: matmulF32() }, { name: "matmul_q8", fn: matmulQ8() }], shared, minPages, maxPages);
}
