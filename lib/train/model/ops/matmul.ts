/** Linear layers without bias, forward and backward. Output argument first; no allocation. */
import type { Buf } from "./buf";

/** x (T,n) @ W(m,n)^T -> out (T,m). W is stored (out,in) like torch.nn.Linear. */
export function matmulRef(out: Buf, x: Buf, w: Buf, T: number, n: number, m: number): void {
  for (let t = 0; t < T; t++) {
    for (let o = 0; o < m; o++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[t * n + i]! * w[o * n + i]!;
      out[t * m + o] = s;
    }
  }
}

/** Same contract as matmulRef; two rows of x at a time and 4-way unrolled dots so W is read half as often. */
export function matmul(out: Buf, x: Buf, w: Buf, T: number, n: number, m: number): void {
  const n4 = n & ~3;
  let t = 0;
  for (; t + 1 < T; t += 2) {
    const xa = t * n;
    const xb = xa + n;
    for (let o = 0; o < m; o++) {
      const wo = o * n;
      let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
      let i = 0;
      for (; i < n4; i += 4) {
        const w0 = w[wo + i]!, w1 = w[wo + i + 1]!, w2 = w[wo + i + 2]!, w3 = w[wo + i + 3]!;
        a0 += x[xa + i]! * w0 + x[xa + i + 2]! * w2;
        a1 += x[xa + i + 1]! * w1 + x[xa + i + 3]! * w3;
        b0 += x[xb + i]! * w0 + x[xb + i + 2]! * w2;
        b1 += x[xb + i + 1]! * w1 + x[xb + i + 3]! * w3;
      }
      for (; i < n; i++) {
        a0 += x[xa + i]! * w[wo + i]!;
        b0 += x[xb + i]! * w[wo + i]!;
      }
      out[t * m + o] = a0 + a1;
      out[(t + 1) * m + o] = b0 + b1;
    }
  }
  if (t < T) matmulRef(out.subarray(t * m), x.subarray(t * n), w, 1, n, m);
}

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
