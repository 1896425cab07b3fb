/**
 * Llama-family weights (Llama, Mistral, Qwen2) and their loaders from HF
 * safetensors names and GGUF names. Shapes (row-major, rows = outputs):
 *   tokenEmbedding (vocab, dim) — float32, or the Q8_0 / F16 head itself when tied to one
 *   per layer: attnNorm (dim); wq (nHeads*hd, dim); wk, wv (nKvHeads*hd, dim);
 *              bq (nHeads*hd), bk, bv (nKvHeads*hd) when qkvBias; wo (dim, nHeads*hd);
 *              ffnNorm (dim); wGate, wUp (hidden, dim); wDown (dim, hidden)
 *   finalNorm (dim); output (vocab, dim) — the embedding itself when tied
 * q/k rows are kept in the rotate-half layout (HF); GGUF Llama files store
 * them interleaved (llama.cpp's converter permutes them) and are un-permuted here.
 */
import { check } from "@/lib/engine/errors";
import { ropeInvFreq } from "@/lib/engine/kernels/rope";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { byteSize, tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import type { ModelConfig } from "../config";
import type { Linear, WeightFormat } from "../linear";
import { expectShape, linearFromF32, linearFromTensor } from "../linear";

export interface LlamaLayer {
  attnNorm: Float32Array;
  wq: Linear;
  wk: Linear;
  wv: Linear;
  bq: Float32Array | null;
  bk: Float32Array | null;
  bv: Float32Array | null;
  wo: Linear;
  ffnNorm: Float32Array;
  wGate: Linear;
  wUp: Linear;
  wDown: Linear;
}

export interface LlamaWeights {
  /** Rows are looked up through the backend (KernelBackend.embedding); a tied quantized head is not also kept dequantized. */
  tokenEmbedding: Linear;
  layers: LlamaLayer[];
  finalNorm: Float32Array;
  output: Linear;
  /** RoPE inverse frequencies (hd/2), scaling applied. */
  invFreq: Float32Array;
}

/**
 * Reorders the rows of a (nHeads*hd, ...) q/k tensor between layouts. Within a
 * head, HF row s*(hd/2)+j (s in {0,1}) is interleaved row 2j+s.
 * toHf = true un-permutes a GGUF tensor; false produces the GGUF layout.
 */
export function permuteQk(t: RawTensor, nHeads: number, toHf: boolean): RawTensor {
  const rows = t.shape[0];
  const rowBytes = byteSize(t.dtype, t.shape.length > 1 ? t.shape[1] : 1);
  const hd = rows / nHeads;
  const half = hd / 2;
  const out = new Uint8Array(t.bytes.length);
  for (let h = 0; h < nHeads; h++) {
    for (let s = 0; s < 2; s++) {
      for (let j = 0; j < half; j++) {
        const hfRow = h * hd + s * half + j;
        const ggRow = h * hd + 2 * j + s;
        const [src, dst] = toHf ? [ggRow, hfRow] : [hfRow, ggRow];
        out.set(t.bytes.subarray(src * rowBytes, (src + 1) * rowBytes), dst * rowBytes);
      }
    }
  }
  return { ...t, bytes: out };
}

/** Float32 permutation of q/k rows (rows, cols), used by the GGUF export. */
export function permuteQkF32(w: Float32Array, rows: number, cols: number, nHeads: number, toHf: boolean): Float32Array {
  const t: RawTensor = { name: "", dtype: "F32", shape: [rows, cols], bytes: new Uint8Array(w.buffer, w.byteOffset, w.byteLength) };
  const p = permuteQk(t, nHeads, toHf);
  return new Float32Array(p.bytes.buffer, p.bytes.byteOffset, rows * cols);
}

type Names = {
  embed: string; finalNorm: string; output: string; ropeFreqs: string | null;
  layer: (i: number, part: "attnNorm" | "q" | "k" | "v" | "o" | "ffnNorm" | "gate" | "up" | "down" | "bq" | "bk" | "bv") => string;
};

const HF_NAMES: Names = {
  embed: "model.embed_tokens.weight",
  finalNorm: "model.norm.weight",
  output: "lm_head.weight",
  ropeFreqs: null,
  layer: (i, p) => {
    const pre = `model.layers.${i}.`;
    const m = {
      attnNorm: "input_layernorm.weight", q: "self_attn.q_proj.weight", k: "self_attn.k_proj.weight",
      v: "self_attn.v_proj.weight", o: "self_attn.o_proj.weight", ffnNorm: "post_attention_layernorm.weight",
      gate: "mlp.gate_proj.weight", up: "mlp.up_proj.weight", down: "mlp.down_proj.weight",
      bq: "self_attn.q_proj.bias", bk: "self_attn.k_proj.bias", bv: "self_attn.v_proj.bias",
    } as const;
    return pre + m[p];
  },
};

const GGUF_NAMES: Names = {
  embed: "token_embd.weight",
  finalNorm: "output_norm.weight",
  output: "output.weight",
  ropeFreqs: "rope_freqs.weight",
  layer: (i, p) => {
    const m = {
      attnNorm: "attn_norm.weight", q: "attn_q.weight", k: "attn_k.weight", v: "attn_v.weight",
      o: "attn_output.weight", ffnNorm: "ffn_norm.weight", gate: "ffn_gate.weight", up: "ffn_up.weight",
      down: "ffn_down.weight", bq: "attn_q.bias", bk: "attn_k.bias", bv: "attn_v.bias",
    } as const;
    return `blk.${i}.${m[p]}`;
  },
};

/**
 * Builds Llama-family weights from file tensors.
 * @param layout "hf" for safetensors names, "gguf" for llama.cpp names (q/k un-permuted for family llama).
 * @param format "auto" keeps F16/Q8_0 as stored; "q8_0" quantizes every matrix whose row length allows it.
 * @throws EngineError naming a missing tensor or a shape mismatch.
 */
export function loadLlamaWeights(
  cfg: ModelConfig, tensors: ReadonlyMap<string, RawTensor>, layout: "hf" | "gguf", format: WeightFormat, source: string,
): LlamaWeights {
  check(cfg.family === "llama" || cfg.family === "qwen2", `family ${cfg.family} is not a Llama-family model`, source);
  const names = layout === "hf" ? HF_NAMES : GGUF_NAMES;
  const qDim = cfg.nHeads * cfg.headDim;
  const kvDim = cfg.nKvHeads * cfg.headDim;
  const vec = (name: string, n: number) => tensorToFloat32(expectShape(tensors.get(name), name, [n], source));
  const mat = (name: string, rows: number, cols: number, permuteHeads = 0) => {
    let t = expectShape(tensors.get(name), name, [rows, cols], source);
    if (permuteHeads) t = permuteQk(t, permuteHeads, true);
    return linearFromTensor(t, format);
  };
  const unpermute = layout === "gguf" && cfg.family === "llama";
  const bias = (name: string, n: number, heads: number) => {
    if (!cfg.qkvBias) return null;
    let t = expectShape(tensors.get(name), name, [n], source);
    if (unpermute) t = permuteQk(t, heads, true);
    return tensorToFloat32(t);
  };
  const layers: LlamaLayer[] = [];
  for (let i = 0; i < cfg.nLayers; i++) {
    const n = (p: Parameters<Names["layer"]>[1]) => names.layer(i, p);
    layers.push({
      attnNorm: vec(n("attnNorm"), cfg.dim),
      wq: mat(n("q"), qDim, cfg.dim, unpermute ? cfg.nHeads : 0),
      wk: mat(n("k"), kvDim, cfg.dim, unpermute ? cfg.nKvHeads : 0),
      wv: mat(n("v"), kvDim, cfg.dim),
      bq: bias(n("bq"), qDim, cfg.nHeads),
      bk: bias(n("bk"), kvDim, cfg.nKvHeads),
      bv: cfg.qkvBias ? vec(n("bv"), kvDim) : null,
      wo: mat(n("o"), cfg.dim, qDim),
      ffnNorm: vec(n("ffnNorm"), cfg.dim),
      wGate: mat(n("gate"), cfg.hiddenDim, cfg.dim),
      wUp: mat(n("up"), cfg.hiddenDim, cfg.dim),
      wDown: mat(n("down"), cfg.dim, cfg.hiddenDim),
    });
  }
  const embT = expectShape(tensors.get(names.embed), names.embed, [cfg.vocabSize, cfg.dim], source);
  const quantizedTie = cfg.tieEmbeddings && format === "auto" && embT.dtype !== "F32" && embT.dtype !== "BF16";
  const tokenEmbedding = quantizedTie ? null : tensorToFloat32(embT);
  const output =
    cfg.tieEmbeddings
      ? tokenEmbedding
        ? linearFromF32(tokenEmbedding, cfg.vocabSize, cfg.dim, format === "q8_0" ? "q8_0" : "f32")
        : linearFromTensor(embT, "auto")
      : mat(names.output, cfg.vocabSize, cfg.dim);
  const freqT = names.ropeFreqs ? tensors.get(names.ropeFreqs) : undefined;
  const freqFactors = freqT ? tensorToFloat32(expectShape(freqT, names.ropeFreqs!, [cfg.headDim / 2], source)) : undefined;
  // a tied head is also the embedding table (one copy)
  const sharesHead = !tokenEmbedding || (output.kind === "f32" && output.w === tokenEmbedding);
  return {
    tokenEmbedding: sharesHead || !tokenEmbedding ? output : linearFromF32(tokenEmbedding, cfg.vocabSize, cfg.dim, "f32"),
    layers,
    finalNorm: vec(names.finalNorm, cfg.dim),
    output,
    invFreq: ropeInvFreq(cfg.headDim, cfg.ropeTheta, cfg.ropeScaling, freqFactors),
  };
}

/**
 * The matrices a backend takes at creation (a tied head once: it is also the
 * embedding table), and the groups that read one input: q, k, v and gate, up.
 */
export function llamaMatrices(w: LlamaWeights): { matrices: Linear[]; groups: Linear[][] } {
  return {
    matrices: [...w.layers.flatMap((L) => [L.wq, L.wk, L.wv, L.wo, L.wGate, L.wUp, L.wDown]), w.output],
    groups: w.layers.flatMap((L) => [[L.wq, L.wk, L.wv], [L.wGate, L.wUp]]),
  };
}

/**
 * Once the backend has copied the matrices into its memory: the vectors and an
 * untied f32 embedding, possibly views into the file's buffer, are copied out
 * of it, so the file can be freed (weights are then held once).
 */
export function ownLlamaVectors(w: LlamaWeights): void {
  const own = (a: Float32Array | null) => a && a.slice();
  for (const L of w.layers) {
    Object.assign(L, { attnNorm: own(L.attnNorm), ffnNorm: own(L.ffnNorm), bq: own(L.bq), bk: own(L.bk), bv: own(L.bv) });
  }
  w.finalNorm = w.finalNorm.slice();
  const E = w.tokenEmbedding;
  if (E !== w.output && E.kind === "f32") E.w = E.w.slice();
}
