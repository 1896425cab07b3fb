import type { Buf } from "./buf";

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
