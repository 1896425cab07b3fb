/**
 * Element-wise math emitted as WASM SIMD: the exp polynomial shared by the
 * attention softmax and SwiGLU, and the SwiGLU kernel.
 */
import { FuncBuilder, I32, V128, op, simd, uleb, vf32, vi32, vstore } from "./emit";

/** 1.5 * 2^23: adding it to |v| < 2^22 rounds v to an integer (nearest, ties to even) held in the low mantissa bits. */
const ROUND_MAGIC = 12582912;

/**
 * Pushes exp(local x), clobbering x and n: x = k ln2 + r with k = round(x / ln2)
 * (Cody-Waite split of ln2), exp = p(r) * 2^k, 2^k built in the exponent bits,
 * p of degree 7 (|r| <= ln2/2: truncation ~5e-9, so f32 rounding dominates, ~2 ulp).
 * x is clamped to [-87, 88] so 2^k stays a normal float: below, exp < 2e-38 is
 * nothing next to the 1 it is added to (softmax max, SwiGLU's 1 + e^-g); above,
 * 1.6e38 already makes silu's quotient vanish.
 * The clamp is pmax/pmin (one instruction each; f32x4.max/min take ~7 in V8 for
 * IEEE NaN rules, and a NaN x still passes through), and k comes from adding
 * ROUND_MAGIC (n = x/ln2 + magic), whose bits give k + 127 << 23 with one add and
 * one shift instead of nearest + trunc_sat (~7 instructions): the kernel took
 * 3.1 ns a value, mostly these.
 */
export function expV(f: FuncBuilder, x: number, n: number): void {
  f.get(x);
  vf32(f, -87).v(simd.f32x4Pmax);
  vf32(f, 88).v(simd.f32x4Pmin).set(x);
  f.get(x);
  vf32(f, Math.LOG2E).v(simd.f32x4Mul);
  vf32(f, ROUND_MAGIC).v(simd.f32x4Add).set(n);
  /** pushes k = n - magic (exact) */
  const k = () => { f.get(n); vf32(f, ROUND_MAGIC).v(simd.f32x4Sub); };
  f.get(x);
  k();
  vf32(f, 0.693359375).v(simd.f32x4Mul).v(simd.f32x4Sub);
  k();
  vf32(f, -2.12194440e-4).v(simd.f32x4Mul).v(simd.f32x4Sub).set(x);
  // Horner: p = 1 + r(1 + r(1/2 + r(1/6 + ... r/5040)))
  const c = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  vf32(f, c[0]);
  for (const ck of c.slice(1)) {
    f.get(x).v(simd.f32x4Mul);
    vf32(f, ck).v(simd.f32x4Add);
  }
  // n's bits are magic's + k; only the low 9 survive the shift: (k + 127) << 23 = 2^k
  f.get(n);
  vi32(f, 127).v(simd.i32x4Add).i32(23).v(simd.i32x4Shl).v(simd.f32x4Mul);
}

/**
 * swiglu(out, gate, up, n): out = silu(gate) * up = gate * up / (1 + e^-gate)
 * over n values (byte pointers; n rounded up to 4, so the caller pads).
 * out may alias gate or up.
 */
export function swigluKernel(): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32]);
  const [out, gate, up, n] = [0, 1, 2, 3];
  const [i, end] = [f.local(I32), f.local(I32)];
  const [g, x, e] = [f.local(V128), f.local(V128), f.local(V128)];
  f.get(n).i32(2).emit(op.i32Shl).set(end); // bytes
  f.i32(0).set(i);
  f.doWhile(i, 16, end, () => {
    f.get(gate).get(i).emit(op.i32Add).vload().set(g); // i32.add
    f.get(g).v(simd.f32x4Neg).set(x);
    expV(f, x, e);
    f.set(e);
    f.get(out).get(i).emit(op.i32Add);
    f.get(g).get(up).get(i).emit(op.i32Add).vload().v(simd.f32x4Mul);
    vf32(f, 1).get(e).v(simd.f32x4Add).v(simd.f32x4Div);
    vstore(f);
  });
  return f;
}

/**
 * swiglu_rows(out, gu, B, h): out (B, h) = silu(g) * u for each row [g | u] of
 * gu (B, 2h), the output of a fused gate/up product; h % 4 == 0. Calls swiglu
 * (function `swigluIndex` of the module) once a row.
 */
export function swigluRowsKernel(swigluIndex: number): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32]);
  const [out, gu, B, h] = [0, 1, 2, 3];
  const [b, rowBytes] = [f.local(I32), f.local(I32)];
  f.get(h).i32(2).emit(op.i32Shl).set(rowBytes);
  f.i32(0).set(b);
  f.doWhile(b, 1, B, () => {
    f.get(out).get(gu).get(gu).get(rowBytes).emit(op.i32Add).get(h).emit(op.call, ...uleb(swigluIndex));
    f.get(out).get(rowBytes).emit(op.i32Add).set(out);
    f.get(gu).get(rowBytes).get(rowBytes).emit(op.i32Add, op.i32Add).set(gu);
  });
  return f;
}
