/**
 * Emits rmsnorm(out, x, w, rows, n, epsPtr): RMSNorm of `rows` rows of n f32
 * values (n % 4 == 0), out = x * (1 / sqrt(mean(x^2) + eps)) * w, with eps the
 * f64 at epsPtr (an f64 argument could not pass through the helper's Int32
 * control block). out may alias x.
 *
 * Bit for bit what TypeScript's `rmsnorm` (kernels/norm.ts) computes: the
 * squares are summed in f64 in two interleaved sums (even and odd elements are
 * the two lanes of one f64x2 accumulator), the scale is computed in f64, and each
 * output is (x * scale) * w in f64, rounded once to f32. So switching kernels
 * changes no result, and a row's result never depends on its batch.
 */
import { F64, FuncBuilder, I32, V128, op, shuffle, simd, vstore } from "./emit";

export function rmsnormKernel(): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32]);
  const [out, x, w, rows, n, epsPtr] = [0, 1, 2, 3, 4, 5];
  const [r, j, bytes, xr, or] = [0, 1, 2, 3, 4].map(() => f.local(I32));
  const [v, acc, half, sv] = [0, 1, 2, 3].map(() => f.local(V128));
  const scale = f.local(F64);
  /** Pushes lanes 2, 3 of local `a` as lanes 0, 1 (for f64x2.promote_low). */
  const high = (a: number) => shuffle(f.get(a).get(a), [2, 3, 2, 3]);

  f.get(n).i32(2).emit(op.i32Shl).set(bytes);
  f.i32(0).set(r);
  f.doWhile(r, 1, rows, () => {
    f.get(r).get(bytes).emit(op.i32Mul).tee(xr).get(out).emit(op.i32Add).set(or);
    f.get(xr).get(x).emit(op.i32Add).set(xr);
    // acc lanes: sum of squares of the even, and of the odd, elements
    f.vzero().set(acc);
    f.i32(0).set(j);
    f.doWhile(j, 16, bytes, () => {
      f.get(xr).get(j).emit(op.i32Add).vload().set(v);
      f.get(v).v(simd.f64x2PromoteLowF32x4).tee(half).get(half).v(simd.f64x2Mul).get(acc).v(simd.f64x2Add).set(acc);
      high(v).v(simd.f64x2PromoteLowF32x4).tee(half).get(half).v(simd.f64x2Mul).get(acc).v(simd.f64x2Add).set(acc);
    });
    // scale = 1 / sqrt((even + odd) / n + eps)
    f.emit(op.f64Const, ...new Uint8Array(new Float64Array([1]).buffer));
    f.get(acc).v(simd.f64x2ExtractLane, 0).get(acc).v(simd.f64x2ExtractLane, 1).emit(op.f64Add);
    f.get(n).emit(op.f64ConvertI32U, op.f64Div).get(epsPtr).emit(op.f64Load, 3, 0, op.f64Add, op.f64Sqrt, op.f64Div).set(scale);
    f.get(scale).v(simd.f64x2Splat).set(sv);
    f.i32(0).set(j);
    f.doWhile(j, 16, bytes, () => {
      f.get(or).get(j).emit(op.i32Add);
      f.get(xr).get(j).emit(op.i32Add).vload().set(v);
      f.get(w).get(j).emit(op.i32Add).vload().set(half);
      // (x * scale) * w per pair of lanes, each pair rounded to f32 into lanes 0, 1
      f.get(v).v(simd.f64x2PromoteLowF32x4).get(sv).v(simd.f64x2Mul).get(half).v(simd.f64x2PromoteLowF32x4).v(simd.f64x2Mul);
      f.v(simd.f32x4DemoteF64x2Zero);
      high(v).v(simd.f64x2PromoteLowF32x4).get(sv).v(simd.f64x2Mul);
      high(half).v(simd.f64x2PromoteLowF32x4).v(simd.f64x2Mul).v(simd.f32x4DemoteF64x2Zero);
      shuffle(f, [0, 1, 4, 5]);
      vstore(f);
    });
  });
  return f;
}
