/**
 * Emits quantize_q8(x, xq, xs, nBlocks): the activation side of the Q8_0 dot,
 * bit for bit what quantizeRowsQ8_0 (matmul-q8.ts) computes, so Q8_0 models
 * keep matching llama.cpp. Per block of 32 floats at x:
 *   amax = max |x| (NaN ignored, as `a > amax` does), d = amax / 127 (f32),
 *   id = d ? 1 / d : 0, xs = d rounded to f16 (nearest, ties to even),
 *   xq = round(x * id), halves away from zero (roundf).
 * Each f32 operation here is the one TypeScript rounds with Math.fround: one
 * f32 division or product (a double result rounded to f32 is the same for
 * these), so the results are identical, not merely close.
 *
 * Paired layout (for the relaxed matmul_q8, which wants |x| and x's sign apart,
 * each 8-value chunk facing two weight rows at once): per block, |xq|'s chunks
 * 0..3, each written twice (16 bytes a chunk), then the sign masks (-1 where
 * xq < 0) likewise, so xq takes 4 bytes a value. Computed once here instead of
 * once per four weight rows in the product, where the vector ALUs, not loads,
 * are the limit.
 */
import { F32, FuncBuilder, I32, V128, f32const, op, simd, vf32, vi32, vstore } from "./emit";

/** Pushes d (f32 local, >= 0) rounded to the nearest f16 value, as an f32. */
function roundToF16(f: FuncBuilder, d: number, bits: number): void {
  // f16 subnormals (d < 2^-14) are multiples of 2^-24: adding 0.5, whose f32 ulp is
  // 2^-24, rounds d to one (ties to even); subtracting 0.5 again is exact.
  f.get(d);
  f32const(f, 0.5).emit(op.f32Add);
  f32const(f, 0.5).emit(op.f32Sub);
  // normals: round the 23-bit mantissa to 10 bits, ties to even; a carry moves into the exponent
  f.get(d).emit(op.i32ReinterpretF32).set(bits);
  f.get(bits).i32(0xfff).emit(op.i32Add).get(bits).i32(13).emit(op.i32ShrU).i32(1).emit(op.i32And, op.i32Add);
  f.i32(~0x1fff).emit(op.i32And, op.f32ReinterpretI32);
  f.get(d);
  f32const(f, 2 ** -14).emit(op.f32Lt, op.select);
  // past the largest f16 (65504) everything rounds to infinity
  f.set(d);
  f32const(f, Infinity).get(d).get(d);
  f32const(f, 65536).emit(op.f32Ge, op.select);
}

/** i8x16.shuffle of one vector with itself: its bytes 8*chunk .. 8*chunk+7, twice. */
function shuffle8(f: FuncBuilder, chunk: number): void {
  const bytes = Array.from({ length: 8 }, (_, k) => 8 * chunk + k);
  f.v(simd.i8x16Shuffle, ...bytes, ...bytes);
}

export function quantizeQ8(paired: boolean): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32]);
  const [x, xq, xs, nBlocks] = [0, 1, 2, 3];
  const [blk, bits] = [f.local(I32), f.local(I32)];
  const [amax, lane, d, id] = [f.local(F32), f.local(F32), f.local(F32), f.local(F32)];
  const [m, vid, v, t] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const q = Array.from({ length: 8 }, () => f.local(V128));

  f.i32(0).set(blk);
  f.doWhile(blk, 1, nBlocks, () => {
    // amax: pmax keeps the running max when a lane is NaN, like `if (a > amax) amax = a`
    f.vzero().set(m);
    for (let k = 0; k < 8; k++) f.get(m).get(x).vload(16 * k).v(simd.f32x4Abs).v(simd.f32x4Pmax).set(m);
    f.get(m).v(simd.f32x4ExtractLane, 0).set(amax);
    for (let l = 1; l < 4; l++) {
      f.get(m).v(simd.f32x4ExtractLane, l).set(lane);
      f.get(lane).get(amax).get(amax).get(lane).emit(op.f32Lt, op.select).set(amax);
    }
    f.get(amax);
    f32const(f, 127).emit(op.f32Div).set(d);
    f32const(f, 1).get(d).emit(op.f32Div);
    f32const(f, 0).get(d);
    f32const(f, 0).emit(op.f32Ne, op.select).set(id);
    f.get(xs);
    roundToF16(f, d, bits);
    f.f32store();
    f.get(id).v(simd.f32x4Splat).set(vid);
    for (let k = 0; k < 8; k++) {
      f.get(x).vload(16 * k).get(vid).v(simd.f32x4Mul).set(v);
      // t = trunc(v); t + sign(v) where |v - t| >= 0.5 (v - t is exact)
      f.get(v).v(simd.f32x4Trunc).set(t);
      f.get(t);
      f.get(v);
      vi32(f, 0x80000000).v(simd.v128And);
      vf32(f, 1).v(simd.v128Or);
      f.get(v).get(t).v(simd.f32x4Sub).v(simd.f32x4Abs);
      vf32(f, 0.5).v(simd.f32x4Ge).v(simd.v128And);
      f.v(simd.f32x4Add).v(simd.i32x4TruncSatF32x4S).set(q[k]);
    }
    // |q| <= 127: the saturating narrows are exact
    for (const half of [0, 1]) {
      const [a, b, c, e] = q.slice(4 * half, 4 * half + 4);
      f.get(a).get(b).v(simd.i16x8NarrowI32x4S).get(c).get(e).v(simd.i16x8NarrowI32x4S).v(simd.i8x16NarrowI16x8S).set(v);
      if (!paired) {
        f.get(xq).get(v);
        vstore(f, 16 * half);
        continue;
      }
      // chunks 2*half and 2*half + 1 (bytes 0-7 and 8-15 of v), each twice over
      f.get(v).v(simd.i8x16Abs).set(t);
      f.get(v).vzero().v(simd.i8x16LtS).set(v);
      for (const [src, base] of [[t, 0], [v, 64]]) {
        for (const chunk of [0, 1]) {
          f.get(xq).get(src).get(src);
          shuffle8(f, chunk);
          vstore(f, base + 32 * half + 16 * chunk);
        }
      }
    }
    f.inc(x, 128).inc(xq, paired ? 128 : 32).inc(xs, 4);
  });
  return f;
}
