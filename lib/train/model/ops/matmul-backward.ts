/**
 * Backward of the linear layers (no bias). The forward product is the engine's
 * kernel (lib/engine/kernels/matmul.ts, matmul/matmulRef over Float32Array or
 * Float64Array); the trainer keeps only the two products backward adds. No allocation.
 */
import type { Buf } from "./buf";

/**
 * Backward of out = x @ W^T given dOut (T,m):
 * dx (T,n) += dOut @ W (skipped when dx is null), dW (m,n) += dOut^T @ x.
 * Four rows are folded per pass so each dx / dW element is loaded and stored
 * a quarter as often (the loops are memory-bound otherwise).
 */
export function matmulBackward(dx: Buf | null, dw: Buf, dOut: Buf, x: Buf, w: Buf, T: number, n: number, m: number): void {
  if (dx) {
    for (let t = 0; t < T; t++) {
      const xo = t * n;
      const go = t * m;
      let o = 0;
      for (; o + 3 < m; o += 4) {
        const g0 = dOut[go + o]!, g1 = dOut[go + o + 1]!, g2 = dOut[go + o + 2]!, g3 = dOut[go + o + 3]!;
        const w0 = o * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
        for (let i = 0; i < n; i++) dx[xo + i] += g0 * w[w0 + i]! + g1 * w[w1 + i]! + g2 * w[w2 + i]! + g3 * w[w3 + i]!;
      }
      for (; o < m; o++) {
        const g = dOut[go + o]!;
        const wo = o * n;
        for (let i = 0; i < n; i++) dx[xo + i] += g * w[wo + i]!;
      }
    }
  }
  for (let o = 0; o < m; o++) {
    const wo = o * n;
    let t = 0;
    for (; t + 3 < T; t += 4) {
      const g0 = dOut[t * m + o]!, g1 = dOut[(t + 1) * m + o]!, g2 = dOut[(t + 2) * m + o]!, g3 = dOut[(t + 3) * m + o]!;
      const x0 = t * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
      for (let i = 0; i < n; i++) dw[wo + i] += g0 * x[x0 + i]! + g1 * x[x1 + i]! + g2 * x[x2 + i]! + g3 * x[x3 + i]!;
    }
    for (; t < T; t++) {
      const g = dOut[t * m + o]!;
      if (g === 0) continue;
      const xo = t * n;
      for (let i = 0; i < n; i++) dw[wo + i] += g * x[xo + i]!;
    }
  }
}
