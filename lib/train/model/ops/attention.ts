import type { Buf } from "./buf";

/** Shapes shared by the attention forward and backward. */
export interface AttnDims {
  T: number;
  nHeads: number;
  nKv: number;
  hd: number;
}

/**
 * Causal grouped-query attention. q (T, H*hd), k/v (T, KV*hd) -> out (T, H*hd);
 * probs (H, T, T) saved for backward (only s <= t is written/read). Query head h
 * reads kv head floor(h / (H/KV)).
 */
export function attention(out: Buf, probs: Buf, q: Buf, k: Buf, v: Buf, dims: AttnDims): void {
  const { T, nHeads, nKv, hd } = dims;
  const group = nHeads / nKv;
  const scale = 1 / Math.sqrt(hd);
  const qs = nHeads * hd;
  const ks = nKv * hd;
  for (let h = 0; h < nHeads; h++) {
    const kh = Math.floor(h / group) * hd;
    for (let t = 0; t < T; t++) {
      const qo = t * qs + h * hd;
      const po = (h * T + t) * T;
      let max = -Infinity;
      for (let s = 0; s <= t; s++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += q[qo + i]! * k[s * ks + kh + i]!;
        dot *= scale;
        probs[po + s] = dot;
        if (dot > max) max = dot;
      }
      let sum = 0;
      for (let s = 0; s <= t; s++) {
        const e = Math.exp(probs[po + s]! - max);
        probs[po + s] = e;
        sum += e;
      }
      for (let i = 0; i < hd; i++) out[qo + i] = 0;
      for (let s = 0; s <= t; s++) {
        const p = probs[po + s]! / sum;
        probs[po + s] = p;
        for (let i = 0; i < hd; i++) out[qo + i] += p * v[s * ks + kh + i]!;
      }
    }
  }
}

/**
 * Backward of attention given dOut (T, H*hd). Overwrites dq, dk, dv (dk/dv
 * accumulate over the query heads sharing a kv head). Softmax backward:
 * dscore = p * (dp - sum(p*dp)). dpRow is scratch of length >= T.
 */
export function attentionBackward(
  dq: Buf, dk: Buf, dv: Buf, dpRow: Buf, dOut: Buf, probs: Buf, q: Buf, k: Buf, v: Buf, dims: AttnDims,
): void {
  const { T, nHeads, nKv, hd } = dims;
  const group = nHeads / nKv;
  const scale = 1 / Math.sqrt(hd);
  const qs = nHeads * hd;
  const ks = nKv * hd;
  dk.fill(0, 0, T * ks);
  dv.fill(0, 0, T * ks);
  for (let h = 0; h < nHeads; h++) {
    const kh = Math.floor(h / group) * hd;
    for (let t = 0; t < T; t++) {
      const qo = t * qs + h * hd;
      const po = (h * T + t) * T;
      // dp_s = dOut_t · v_s, and dv_s += p_s * dOut_t
      let pdp = 0;
      for (let s = 0; s <= t; s++) {
        const p = probs[po + s]!;
        let dp = 0;
        for (let i = 0; i < hd; i++) {
          dp += dOut[qo + i]! * v[s * ks + kh + i]!;
          dv[s * ks + kh + i] += p * dOut[qo + i]!;
        }
        dpRow[s] = dp;
        pdp += p * dp;
      }
      for (let i = 0; i < hd; i++) dq[qo + i] = 0;
      for (let s = 0; s <= t; s++) {
        const ds = probs[po + s]! * (dpRow[s]! - pdp) * scale;
        for (let i = 0; i < hd; i++) {
          dq[qo + i] += ds * k[s * ks + kh + i]!;
          dk[s * ks + kh + i] += ds * q[qo + i]!;
        }
      }
    }
  }
}
