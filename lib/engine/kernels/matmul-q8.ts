/**
 * Q8_0 x Q8_0 matmul, llama.cpp's semantics for Q8_0 weights: the input rows
 * are quantized to Q8_0 too (per 32 values: d = max|x|/127 rounded to f16,
 * q = round(x/d)), each block's dot product is an integer sum, scaled by both
 * block scales. Matches llama.cpp's Q8_0 models far closer than f32 activations.
 *   x (B, n) -> xq (B*n) int8, xs (B*n/32) scales;  W (d, n) as quants/scales -> out (B, d)
 */
import { f16ToF32Table, f32ToF16Bits } from "@/lib/engine/tensor/dtype";

/** Quantizes n values (n a multiple of 32) of x into xq / xs, the activation side of the Q8_0 dot. */
export function quantizeRowsQ8_0(xq: Int8Array, xs: Float32Array, x: Float32Array, n: number): void {
  const t = f16ToF32Table();
  for (let b = 0; b < n >> 5; b++) {
    const o = b << 5;
    let amax = 0;
    for (let j = 0; j < 32; j++) {
      const a = Math.abs(x[o + j]);
      if (a > amax) amax = a;
    }
    const d = Math.fround(amax / 127);
    const id = d ? Math.fround(1 / d) : 0;
    xs[b] = t[f32ToF16Bits(d)];
    for (let j = 0; j < 32; j++) {
      const v = Math.fround(x[o + j] * id);
      // roundf: half away from zero
      xq[o + j] = v < 0 ? -Math.round(-v) : Math.round(v);
    }
  }
}

/** Naive reference over already-quantized inputs (xq, xs) and weights (quants, scales). */
export function matmulQ8_0Q8Ref(
  out: Float32Array, xq: Int8Array, xs: Float32Array, scales: Float32Array, quants: Int8Array, B: number, n: number, d: number,
): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < n / 32; k++) {
        let dot = 0;
        for (let j = 0; j < 32; j++) dot += quants[i * n + k * 32 + j] * xq[b * n + k * 32 + j];
        s += scales[(i * n) / 32 + k] * xs[(b * n) / 32 + k] * dot;
      }
      out[b * d + i] = s;
    }
  }
}

/** Weight-row-outer version of matmulQ8_0Q8Ref (same contract); integer accumulators per block. */
export function matmulQ8_0Q8(
  out: Float32Array, xq: Int8Array, xs: Float32Array, scales: Float32Array, quants: Int8Array, B: number, n: number, d: number,
): void {
  const nb = n >> 5;
  for (let i = 0; i < d; i++) {
    const wo = i * n;
    for (let b = 0; b < B; b++) {
      const xo = b * n;
      let s = 0;
      for (let k = 0; k < nb; k++) {
        const q = wo + (k << 5);
        const xx = xo + (k << 5);
        let t0 = 0, t1 = 0;
        for (let j = 0; j < 32; j += 2) {
          t0 += quants[q + j] * xq[xx + j];
          t1 += quants[q + j + 1] * xq[xx + j + 1];
        }
        s += scales[i * nb + k] * xs[b * nb + k] * (t0 + t1);
      }
      out[b * d + i] = s;
    }
  }
}
