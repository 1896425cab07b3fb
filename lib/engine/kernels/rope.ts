/**
 * Rotary position embeddings in the rotate-half (GPT-NeoX / Hugging Face)
 * layout: within each head of size hd, element i pairs with i + hd/2.
 * GGUF Llama weights come in the interleaved layout and are permuted to this one at load.
 */
import type { RopeScaling } from "@/lib/engine/models/config";

/**
 * Inverse frequencies (hd/2): theta^(-2i/hd), with HF's llama3 / linear scaling
 * applied, and divided by GGUF `rope_freqs.weight` factors when given.
 */
export function ropeInvFreq(
  headDim: number, theta: number, scaling: RopeScaling | null, freqFactors?: Float32Array,
): Float32Array {
  const half = headDim / 2;
  const inv = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    let f = 1 / theta ** ((2 * i) / headDim);
    if (scaling?.type === "linear") f /= scaling.factor;
    if (scaling?.type === "llama3") {
      const old = scaling.originalMaxPositionEmbeddings;
      const lowWavelen = old / scaling.lowFreqFactor;
      const highWavelen = old / scaling.highFreqFactor;
      const wavelen = (2 * Math.PI) / f;
      if (wavelen > lowWavelen) f /= scaling.factor;
      else if (wavelen >= highWavelen) {
        const smooth = (old / wavelen - scaling.lowFreqFactor) / (scaling.highFreqFactor - scaling.lowFreqFactor);
        f = (1 - smooth) * (f / scaling.factor) + smooth * f;
      }
    }
    if (freqFactors) f /= freqFactors[i];
    inv[i] = f;
  }
  return inv;
}

/**
 * Naive reference, in place: x (B, nHeads*hd), row b at position pos[b].
 * x[i], x[i+hd/2] <- (x[i] cos - x[i+hd/2] sin, x[i] sin + x[i+hd/2] cos), angle = pos * invFreq[i].
 */
export function ropeRef(
  x: Float32Array, pos: Int32Array, invFreq: Float32Array, B: number, nHeads: number, headDim: number,
): void {
  const half = headDim / 2;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nHeads; h++) {
      for (let i = 0; i < half; i++) {
        const a = pos[b] * invFreq[i];
        const o = b * nHeads * headDim + h * headDim + i;
        const x0 = x[o];
        const x1 = x[o + half];
        x[o] = x0 * Math.cos(a) - x1 * Math.sin(a);
        x[o + half] = x0 * Math.sin(a) + x1 * Math.cos(a);
      }
    }
  }
}

/**
 * cs (B, hd/2, 2) = cos and sin of every row's angles pos[b] * invFreq[i]: a
 * forward computes them once and ropeFromTable applies them to every layer's q
 * and k (they were ~2% of a prefill when recomputed per layer and per tensor).
 */
export function ropeTable(cs: Float64Array, pos: Int32Array, invFreq: Float32Array, B: number): void {
  const half = invFreq.length;
  for (let b = 0, o = 0; b < B; b++) {
    for (let i = 0; i < half; i++, o += 2) {
      const a = pos[b] * invFreq[i];
      cs[o] = Math.cos(a);
      cs[o + 1] = Math.sin(a);
    }
  }
}

/** rope with the angles of ropeTable(cs, ...) for the same B rows: identical results. */
export function ropeFromTable(x: Float32Array, cs: Float64Array, B: number, nHeads: number, headDim: number): void {
  const half = headDim / 2;
  const rowLen = nHeads * headDim;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < half; i++) {
      const c = cs[2 * (b * half + i)];
      const s = cs[2 * (b * half + i) + 1];
      for (let o = b * rowLen + i; o < (b + 1) * rowLen; o += headDim) {
        const x0 = x[o];
        const x1 = x[o + half];
        x[o] = x0 * c - x1 * s;
        x[o + half] = x0 * s + x1 * c;
      }
    }
  }
}

/** Same as ropeRef with cos/sin computed once per (row, frequency) and applied to every head. */
export function rope(
  x: Float32Array, pos: Int32Array, invFreq: Float32Array, B: number, nHeads: number, headDim: number,
): void {
  const cs = new Float64Array(B * headDim);
  ropeTable(cs, pos, invFreq, B);
  ropeFromTable(x, cs, B, nHeads, headDim);
}
