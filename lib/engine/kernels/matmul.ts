/**
 * Matrix products for linear layers. Weights are row-major (d, n) — one row
 * per output — so each weight row is read once per call and reused for all B
 * input rows: batched decode makes one pass over the weights per step.
 *   x (B, n) @ W^T, W (d, n) -> out (B, d)
 * The float32 products take Float64Array too (the trainer's forward uses them,
 * and its gradient checks run in float64); the engine passes Float32Array only,
 * so its calls stay monomorphic.
 */

/** A flat row-major buffer of either float width. */
export type FloatBuf = Float32Array | Float64Array;

/** Naive reference: out (B, d) = x (B, n) @ W (d, n)^T. */
export function matmulRef(out: FloatBuf, x: FloatBuf, w: FloatBuf, B: number, n: number, d: number): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j] * x[b * n + j];
      out[b * d + i] = s;
    }
  }
}

/**
 * Same contract as matmulRef. Weight row outer; inside it two input rows at a
 * time share each load of W (4-way unrolled), an odd last row on its own.
 */
export function matmul(out: FloatBuf, x: FloatBuf, w: FloatBuf, B: number, n: number, d: number): void {
  const n4 = n & ~3;
  for (let i = 0; i < d; i++) {
    const wo = i * n;
    let b = 0;
    for (; b + 1 < B; b += 2) {
      const xa = b * n;
      const xb = xa + n;
      let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
      let j = 0;
      for (; j < n4; j += 4) {
        const w0 = w[wo + j], w1 = w[wo + j + 1], w2 = w[wo + j + 2], w3 = w[wo + j + 3];
        a0 += x[xa + j] * w0 + x[xa + j + 2] * w2;
        a1 += x[xa + j + 1] * w1 + x[xa + j + 3] * w3;
        b0 += x[xb + j] * w0 + x[xb + j + 2] * w2;
        b1 += x[xb + j + 1] * w1 + x[xb + j + 3] * w3;
      }
      for (; j < n; j++) {
        a0 += x[xa + j] * w[wo + j];
        b0 += x[xb + j] * w[wo + j];
      }
      out[b * d + i] = a0 + a1;
      out[(b + 1) * d + i] = b0 + b1;
    }
    if (b < B) {
      const xo = b * n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let j = 0;
      for (; j < n4; j += 4) {
        s0 += w[wo + j] * x[xo + j];
        s1 += w[wo + j + 1] * x[xo + j + 1];
        s2 += w[wo + j + 2] * x[xo + j + 2];
        s3 += w[wo + j + 3] * x[xo + j + 3];
      }
      for (; j < n; j++) s0 += w[wo + j] * x[xo + j];
      out[b * d + i] = s0 + s1 + s2 + s3;
    }
  }
}

/**
 * Naive Q8_0 reference: W (d, n) given as int8 `quants` (d*n) and one float32
 * scale per 32-value block `scales` (d*n/32); n must be a multiple of 32.
 */
export function matmulQ8_0Ref(
  out: Float32Array, x: Float32Array, scales: Float32Array, quants: Int8Array, B: number, n: number, d: number,
): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += scales[(i * n + j) >> 5] * quants[i * n + j] * x[b * n + j];
      out[b * d + i] = s;
    }
  }
}

/** Block-wise Q8_0 matmul: integer-weight dot per 32-block, scaled once per block. */
export function matmulQ8_0(
  out: Float32Array, x: Float32Array, scales: Float32Array, quants: Int8Array, B: number, n: number, d: number,
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
          t0 += quants[q + j] * x[xx + j];
          t1 += quants[q + j + 1] * x[xx + j + 1];
        }
        s += scales[i * nb + k] * (t0 + t1);
      }
      out[b * d + i] = s;
    }
  }
}

/** Naive F16 reference: W (d, n) as raw f16 bits, decoded through `table` (65536 floats). */
export function matmulF16Ref(
  out: Float32Array, x: Float32Array, bits: Uint16Array, table: Float32Array, B: number, n: number, d: number,
): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += table[bits[i * n + j]] * x[b * n + j];
      out[b * d + i] = s;
    }
  }
}

/** F16 matmul, weight-row outer (same shapes as matmulF16Ref). */
export function matmulF16(
  out: Float32Array, x: Float32Array, bits: Uint16Array, table: Float32Array, B: number, n: number, d: number,
): void {
  for (let i = 0; i < d; i++) {
    const wo = i * n;
    for (let b = 0; b < B; b++) {
      const xo = b * n;
      let s0 = 0, s1 = 0;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        s0 += table[bits[wo + j]] * x[xo + j];
        s1 += table[bits[wo + j + 1]] * x[xo + j + 1];
      }
      if (j < n) s0 += table[bits[wo + j]] * x[xo + j];
      out[b * d + i] = s0 + s1;
    }
  }
}
