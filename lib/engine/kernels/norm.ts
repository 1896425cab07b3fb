/**
 * Normalizations over the last axis of x (B, n) -> out (B, n).
 * rmsnorm:   out = x / sqrt(mean(x^2) + eps) * w           (Llama, Qwen2)
 * layernorm: out = (x - mean) / sqrt(var + eps) * w + bias  (GPT-2)
 * out may alias x.
 */

/** Naive RMSNorm reference; w (n). */
export function rmsnormRef(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, eps: number): void {
  for (let b = 0; b < B; b++) {
    let ss = 0;
    for (let j = 0; j < n; j++) ss += x[b * n + j] * x[b * n + j];
    const scale = 1 / Math.sqrt(ss / n + eps);
    for (let j = 0; j < n; j++) out[b * n + j] = x[b * n + j] * scale * w[j];
  }
}

/** RMSNorm with two accumulators (same contract as rmsnormRef). */
export function rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, eps: number): void {
  for (let b = 0, o = 0; b < B; b++, o += n) {
    let s0 = 0, s1 = 0, j = 0;
    for (; j + 1 < n; j += 2) {
      s0 += x[o + j] * x[o + j];
      s1 += x[o + j + 1] * x[o + j + 1];
    }
    if (j < n) s0 += x[o + j] * x[o + j];
    const scale = 1 / Math.sqrt((s0 + s1) / n + eps);
    for (j = 0; j < n; j++) out[o + j] = x[o + j] * scale * w[j];
  }
}

/** Naive LayerNorm reference; w, bias (n). Variance is the biased (1/n) one, as in PyTorch. */
export function layernormRef(
  out: Float32Array, x: Float32Array, w: Float32Array, bias: Float32Array, B: number, n: number, eps: number,
): void {
  for (let b = 0; b < B; b++) {
    let mean = 0;
    for (let j = 0; j < n; j++) mean += x[b * n + j];
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (x[b * n + j] - mean) ** 2;
    v /= n;
    const r = 1 / Math.sqrt(v + eps);
    for (let j = 0; j < n; j++) out[b * n + j] = (x[b * n + j] - mean) * r * w[j] + bias[j];
  }
}

/** LayerNorm, one pass for sum and sum of squares around a shift (same contract as layernormRef). */
export function layernorm(
  out: Float32Array, x: Float32Array, w: Float32Array, bias: Float32Array, B: number, n: number, eps: number,
): void {
  for (let b = 0, o = 0; b < B; b++, o += n) {
    // Shifting by the first element keeps the one-pass variance numerically safe.
    const k = x[o];
    let s = 0, ss = 0;
    for (let j = 0; j < n; j++) {
      const t = x[o + j] - k;
      s += t;
      ss += t * t;
    }
    const mean = s / n;
    const v = Math.max(0, ss / n - mean * mean);
    const r = 1 / Math.sqrt(v + eps);
    const m = mean + k;
    for (let j = 0; j < n; j++) out[o + j] = (x[o + j] - m) * r * w[j] + bias[j];
  }
}
