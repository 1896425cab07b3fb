/**
 * Causal multi-head attention for one query row against a KV cache, with
 * grouped-query heads (query head h reads kv head floor(h / (nHeads / nKvHeads))).
 *   q   (nHeads*hd)            at qOff
 *   k,v (nPos, nKvHeads*hd)    at kvOff, rows = positions 0..nPos-1 of this sequence
 *   att (nPos)                 scratch
 *   out (nHeads*hd)            at outOff
 * Scores are scaled by 1/sqrt(hd).
 */
import { softmax, softmaxRef } from "./softmax";

/** Naive reference (see module comment for shapes). */
export function attentionRef(
  out: Float32Array, outOff: number, q: Float32Array, qOff: number, k: Float32Array, v: Float32Array, kvOff: number,
  nPos: number, nHeads: number, nKvHeads: number, headDim: number, att: Float32Array,
): void {
  const kvDim = nKvHeads * headDim;
  const group = nHeads / nKvHeads;
  const scale = 1 / Math.sqrt(headDim);
  for (let h = 0; h < nHeads; h++) {
    const kh = Math.floor(h / group);
    for (let t = 0; t < nPos; t++) {
      let s = 0;
      for (let i = 0; i < headDim; i++) s += q[qOff + h * headDim + i] * k[kvOff + t * kvDim + kh * headDim + i];
      att[t] = s * scale;
    }
    softmaxRef(att, att, nPos);
    for (let i = 0; i < headDim; i++) {
      let s = 0;
      for (let t = 0; t < nPos; t++) s += att[t] * v[kvOff + t * kvDim + kh * headDim + i];
      out[outOff + h * headDim + i] = s;
    }
  }
}

/** Same contract as attentionRef; accumulates V rows in place instead of per output element. */
export function attention(
  out: Float32Array, outOff: number, q: Float32Array, qOff: number, k: Float32Array, v: Float32Array, kvOff: number,
  nPos: number, nHeads: number, nKvHeads: number, headDim: number, att: Float32Array,
): void {
  const kvDim = nKvHeads * headDim;
  const group = nHeads / nKvHeads;
  const scale = 1 / Math.sqrt(headDim);
  for (let h = 0; h < nHeads; h++) {
    const qo = qOff + h * headDim;
    const ko = kvOff + ((h / group) | 0) * headDim;
    for (let t = 0; t < nPos; t++) {
      const kt = ko + t * kvDim;
      let s = 0;
      for (let i = 0; i < headDim; i++) s += q[qo + i] * k[kt + i];
      att[t] = s * scale;
    }
    softmax(att, 0, nPos);
    const oo = outOff + h * headDim;
    for (let i = 0; i < headDim; i++) out[oo + i] = 0;
    for (let t = 0; t < nPos; t++) {
      const a = att[t];
      const vt = ko + t * kvDim;
      for (let i = 0; i < headDim; i++) out[oo + i] += a * v[vt + i];
    }
  }
}
