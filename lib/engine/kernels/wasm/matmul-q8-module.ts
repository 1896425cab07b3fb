/**
 * Emits matmul_q8(out, xq, xs, wq, ws, B, n, d, i0, i1):
 *   x as Q8_0 (xq, xs (B, n/32) f32) @ W as Q8_0 (wq (d, n) int8, ws (d, n/32) f32) -> out (B, d) f32,
 * output columns (weight rows) i0..i1, four rows at a time (see matmul-module.ts
 * for the contract). Weight quants are packed in chunks of Q8_QUANT_CHUNK = 8
 * values (packed-rows.ts): per block of 32 values and group of four rows,
 * chunk c holds rows 0..3's values 8c..8c+7, 8 bytes each, so one 16-byte
 * vector is one chunk of two rows.
 *
 * Per block, each (weight row, input row) pair gives an exact integer dot; the
 * four rows' dots are gathered into one vector, converted, scaled by (weight
 * scale * x scale) and added to one accumulator whose lanes are the four rows.
 * So each row's sum is ggml's reference order, block after block:
 * sum += dot * (dw * dx), and a row's result does not depend on the batch.
 *
 * Relaxed (i16x8.relaxed_dot_i8x16_i7x16_s, whose second operand must lie in
 * [0, 127]): it takes |x| and the weights with x's sign moved onto them,
 * w' = (w ^ m) - m with m = (x < 0 ? -1 : 0). Q8_0 quants lie in [-127, 127]
 * (x's by construction; ggml never writes -128), so |x| and w' are exact, and
 * a pair of products fits i16 (2 * 127 * 127 < 2^15). xq comes in quantize_q8's
 * paired layout (quantize-module.ts): per block, |x|'s chunk c twice over
 * (16 bytes) for c = 0..3, then x's sign masks likewise, 4 bytes a value. One
 * vector op then serves two weight rows, and the i16x8 -> i32x4 pair sums land
 * as [row a, row a, row b, row b], which two shuffles turn into one lane per
 * row. That is 46 vector ops a block of four rows against 50 with rows a whole
 * vector each (four horizontal sums), and it measured 6-10% faster.
 *
 * Plain SIMD: xq is n bytes a row; each chunk of x and of a weight row is
 * loaded widened to i16 (v128.load8x8_s) and multiplied with i32x4.dot_i16x8_s.
 */
import { FuncBuilder, I32, V128, addMul, hsum4, op, shuffle, simd, uleb, vstore } from "./emit";

/** Bytes of one quantized input row of n values: the paired layout (relaxed) takes 4 a value. */
export function q8InputBytesPerValue(relaxed: boolean): number {
  return relaxed ? 4 : 1;
}

export function matmulQ8(relaxed: boolean): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [out, xq, xs, wq, ws, B, n, d, i0, i1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, b, j, s, scaleBytes, xsp, xp] = [0, 1, 2, 3, 4, 5, 6].map(() => f.local(I32));
  // the group of four rows: its quants and scales (packed), and the current block's
  const [qGroup, sGroup, qp, sp] = [0, 1, 2, 3].map(() => f.local(I32));
  const acc = f.local(V128);
  // relaxed: ones (i16 lanes), |x| and sign masks of one chunk, the two row pairs' sums;
  // plain: x's chunk widened, the four rows' sums
  const ones = f.local(V128);
  const [xa, m] = [f.local(V128), f.local(V128)];
  const sums = [0, 1, 2, 3].map(() => f.local(V128));
  const xBlockBytes = 32 * q8InputBytesPerValue(relaxed);

  /** sums[p] (+)= the i32x4 [row 2p, row 2p, row 2p+1, row 2p+1] partial dots of chunk c. */
  const relaxedChunk = (c: number) => {
    f.get(xp).vload(16 * c).set(xa).get(xp).vload(64 + 16 * c).set(m);
    for (let p = 0; p < 2; p++) {
      if (c) f.get(sums[p]);
      f.get(qp).vload(32 * c + 16 * p).get(m).v(simd.v128Xor).get(m).v(simd.i8x16Sub);
      f.get(xa).v(simd.i16x8RelaxedDotI8x16I7x16S).get(ones).v(simd.i32x4DotI16x8S);
      if (c) f.v(simd.i32x4Add);
      f.set(sums[p]);
    }
  };
  /** sums[r] (+)= row r's i32x4 partial dots of chunk c (8 bytes at 32c + 8r). */
  const plainChunk = (c: number) => {
    f.get(xp).v(simd.v128Load8x8S, 3, ...uleb(8 * c)).set(xa);
    for (let r = 0; r < 4; r++) {
      if (c) f.get(sums[r]);
      f.get(qp).v(simd.v128Load8x8S, 3, ...uleb(32 * c + 8 * r)).get(xa).v(simd.i32x4DotI16x8S);
      if (c) f.v(simd.i32x4Add);
      f.set(sums[r]);
    }
  };

  if (relaxed) f.vsplat32(0x00010001).set(ones);
  // one f32 scale per 32 values: n/32 * 4 bytes per row
  f.get(n).i32(3).emit(op.i32ShrU).set(scaleBytes);
  f.get(i0).set(i);
  f.doWhile(i, 4, i1, () => {
    addMul(f, qGroup, wq, i, n);
    addMul(f, sGroup, ws, i, scaleBytes);
    f.i32(0).set(b);
    f.doWhile(b, 1, B, () => {
      // xp = xq + b * n * bytes a value
      f.get(xq).get(b).get(n).emit(op.i32Mul).i32(Math.log2(xBlockBytes / 32)).emit(op.i32Shl, op.i32Add).set(xp);
      addMul(f, xsp, xs, b, scaleBytes);
      f.vzero().set(acc);
      f.i32(0).set(j).i32(0).set(s).get(qGroup).set(qp).get(sGroup).set(sp);
      f.doWhile(j, 32, n, () => {
        for (let c = 0; c < 4; c++) (relaxed ? relaxedChunk : plainChunk)(c);
        // the four rows' block dots, lanes = rows (exact: integer adds)
        f.get(acc);
        if (relaxed) {
          f.get(sums[0]).get(sums[1]);
          shuffle(f, [0, 2, 4, 6]).get(sums[0]).get(sums[1]);
          shuffle(f, [1, 3, 5, 7]).v(simd.i32x4Add);
        } else {
          hsum4(f, sums, simd.i32x4Add);
        }
        // acc += f32(dots) * (the four rows' scales * x's scale)
        f.v(simd.f32x4ConvertI32x4S).get(sp).vload().get(xsp).get(s).emit(op.i32Add).f32load().v(simd.f32x4Splat);
        f.v(simd.f32x4Mul).v(simd.f32x4Mul).v(simd.f32x4Add).set(acc);
        f.inc(s, 4).inc(qp, 128).inc(sp, 16).inc(xp, xBlockBytes);
      });
      // out[b][i..i+3] = acc
      f.get(out).get(b).get(d).emit(op.i32Mul).get(i).emit(op.i32Add).i32(2).emit(op.i32Shl, op.i32Add).get(acc);
      vstore(f);
    });
  });
  return f;
}
