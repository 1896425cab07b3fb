/**
 * The dense ops of the trainer, forward and backward, on flat row-major
 * buffers. Float64Array is accepted so gradient checks can run in double
 * precision; training uses Float32Array only. Output argument first; no
 * allocation inside.
 */
export type Buf = Float32Array | Float64Array;

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

/** y = x / rms(x) * w per row. x (T,d), w (d) -> out (T,d), inv (T) saved for backward. */
export function rmsnorm(out: Buf, inv: Buf, x: Buf, w: Buf, T: number, d: number, eps: number): void {
  for (let t = 0; t < T; t++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x[t * d + i]! * x[t * d + i]!;
    const r = 1 / Math.sqrt(ss / d + eps);
    inv[t] = r;
    for (let i = 0; i < d; i++) out[t * d + i] = x[t * d + i]! * r * w[i]!;
  }
}

/**
 * RMSNorm backward. With g = dy*w: dx = r*g - x * r^3/d * sum(g*x); dw += dy*x*r.
 * dx is accumulated (+=) because it adds onto the residual gradient.
 */
export function rmsnormBackward(dx: Buf, dw: Buf, dy: Buf, x: Buf, inv: Buf, w: Buf, T: number, d: number): void {
  for (let t = 0; t < T; t++) {
    const r = inv[t]!;
    let dot = 0;
    for (let i = 0; i < d; i++) {
      const g = dy[t * d + i]! * w[i]!;
      dot += g * x[t * d + i]!;
      dw[i] += dy[t * d + i]! * x[t * d + i]! * r;
    }
    const c = (r * r * r * dot) / d;
    for (let i = 0; i < d; i++) dx[t * d + i] += r * dy[t * d + i]! * w[i]! - c * x[t * d + i]!;
  }
}

/** cos/sin tables (maxT, hd/2) for HF rotate-half RoPE: frequency i is theta^(-2i/hd). */
export function ropeTables(maxT: number, hd: number, theta: number): { cos: Float64Array; sin: Float64Array } {
  const half = hd / 2;
  const cos = new Float64Array(maxT * half);
  const sin = new Float64Array(maxT * half);
  for (let p = 0; p < maxT; p++) {
    for (let i = 0; i < half; i++) {
      const a = p * Math.pow(theta, (-2 * i) / hd);
      cos[p * half + i] = Math.cos(a);
      sin[p * half + i] = Math.sin(a);
    }
  }
  return { cos, sin };
}

/**
 * In-place rotate-half RoPE on x (T, nh*hd) starting at position pos0. Pairs are
 * (i, i+hd/2) within each head, matching transformers' LlamaRotaryEmbedding, so
 * the exported q/k weights need no permutation. sign=-1 applies the inverse
 * rotation, which is exactly the backward pass.
 */
export function rope(x: Buf, T: number, nh: number, hd: number, cos: Float64Array, sin: Float64Array, pos0: number, sign: 1 | -1): void {
  const half = hd / 2;
  for (let t = 0; t < T; t++) {
    const tab = (pos0 + t) * half;
    for (let h = 0; h < nh; h++) {
      const base = (t * nh + h) * hd;
      for (let i = 0; i < half; i++) {
        const c = cos[tab + i]!;
        const s = sign * sin[tab + i]!;
        const x1 = x[base + i]!;
        const x2 = x[base + i + half]!;
        x[base + i] = x1 * c - x2 * s;
        x[base + i + half] = x2 * c + x1 * s;
      }
    }
  }
}

/** SwiGLU: a = silu(g) * u elementwise over n values. */
export function swiglu(a: Buf, g: Buf, u: Buf, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = g[i]!;
    a[i] = (x / (1 + Math.exp(-x))) * u[i]!;
  }
}

/** Backward of swiglu: du = da*silu(g), dg = da*u*sig(g)*(1 + g*(1-sig(g))). Overwrites dg, du. */
export function swigluBackward(dg: Buf, du: Buf, da: Buf, g: Buf, u: Buf, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = g[i]!;
    const sg = 1 / (1 + Math.exp(-x));
    du[i] = da[i]! * x * sg;
    dg[i] = da[i]! * u[i]! * sg * (1 + x * (1 - sg));
  }
}
