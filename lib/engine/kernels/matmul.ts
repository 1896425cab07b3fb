/**
 * Matrix products for linear layers. Weights are row-major (d, n) — one row
 * per output — so each weight row is read once per call and reused for all B
 * input rows: batched decode makes one pass over the weights per step.
 *   x (B, n) @ W^T, W (d, n) -> out (B, d)
 */

/** Naive reference: out (B, d) = x (B, n) @ W (d, n)^T. */
export function matmulRef(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, d: number): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j] * x[b * n + j];
      out[b * d + i] = s;
    }
  }
}

/** Weight-row-outer, 4-way unrolled version of matmulRef (same shapes). */
export function matmul(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, d: number): void {
  const n4 = n & ~3;
  for (let i = 0; i < d; i++) {
    const wo = i * n;
    for (let b = 0; b < B; b++) {
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
