/**
 * GPT-2 weights and their loaders. Shapes (row-major, rows = outputs):
 *   tokenEmbedding = wte (vocab, dim); wpe (ctx, dim)
 *   per layer: ln1 w/b (dim); wqkv (3*dim, dim) + bqkv (3*dim) — q, k, v stacked;
 *              wo (dim, dim) + bo; ln2 w/b (dim); wfc (hidden, dim) + bfc; wproj (dim, hidden) + bproj
 *   lnf w/b (dim); output (vocab, dim) — wte when tied
 * HF GPT-2 stores its Conv1D weights as (in, out); they are transposed here.
 */
import { check } from "@/lib/engine/errors";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import type { ModelConfig } from "../config";
import type { Linear, WeightFormat } from "../linear";
import { expectShape, linearFromF32, linearFromTensor } from "../linear";

export interface Gpt2Layer {
  ln1W: Float32Array; ln1B: Float32Array;
  wqkv: Linear; bqkv: Float32Array;
  wo: Linear; bo: Float32Array;
  ln2W: Float32Array; ln2B: Float32Array;
  wfc: Linear; bfc: Float32Array;
  wproj: Linear; bproj: Float32Array;
}

export interface Gpt2Weights {
  /** wte; the head itself when tied (one copy). */
  tokenEmbedding: Linear;
  wpe: Float32Array;
  layers: Gpt2Layer[];
  lnfW: Float32Array;
  lnfB: Float32Array;
  output: Linear;
}

/** (rows, cols) -> (cols, rows). */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/**
 * Builds GPT-2 weights from HF (`transformer.` prefix optional) or GGUF tensor names.
 * @throws EngineError naming a missing tensor or a shape mismatch.
 */
export function loadGpt2Weights(
  cfg: ModelConfig, tensors: ReadonlyMap<string, RawTensor>, layout: "hf" | "gguf", format: WeightFormat, source: string,
): Gpt2Weights {
  check(cfg.family === "gpt2", `family ${cfg.family} is not GPT-2`, source);
  const { dim, hiddenDim: hid, vocabSize } = cfg;
  const prefix = layout === "hf" && tensors.has("transformer.wte.weight") ? "transformer." : "";
  const get = (name: string, shape: number[]) => expectShape(tensors.get(prefix + name), prefix + name, shape, source);
  const vec = (name: string, n: number) => tensorToFloat32(get(name, [n]));
  // HF Conv1D (in, out) -> Linear (out, in); GGUF is already (out, in).
  const conv = (name: string, nIn: number, nOut: number): Linear =>
    layout === "hf"
      ? linearFromF32(transpose(tensorToFloat32(get(name, [nIn, nOut])), nIn, nOut), nOut, nIn, format === "q8_0" ? "q8_0" : "f32")
      : linearFromTensor(get(name, [nOut, nIn]), format);
  const n = layout === "hf"
    ? { wte: "wte.weight", wpe: "wpe.weight", lnfW: "ln_f.weight", lnfB: "ln_f.bias", out: "lm_head.weight" }
    : { wte: "token_embd.weight", wpe: "position_embd.weight", lnfW: "output_norm.weight", lnfB: "output_norm.bias", out: "output.weight" };
  const layers: Gpt2Layer[] = [];
  for (let i = 0; i < cfg.nLayers; i++) {
    const h = layout === "hf"
      ? {
          ln1: `h.${i}.ln_1.`, qkv: `h.${i}.attn.c_attn.`, o: `h.${i}.attn.c_proj.`,
          ln2: `h.${i}.ln_2.`, fc: `h.${i}.mlp.c_fc.`, proj: `h.${i}.mlp.c_proj.`,
        }
      : {
          ln1: `blk.${i}.attn_norm.`, qkv: `blk.${i}.attn_qkv.`, o: `blk.${i}.attn_output.`,
          ln2: `blk.${i}.ffn_norm.`, fc: `blk.${i}.ffn_up.`, proj: `blk.${i}.ffn_down.`,
        };
    layers.push({
      ln1W: vec(h.ln1 + "weight", dim), ln1B: vec(h.ln1 + "bias", dim),
      wqkv: conv(h.qkv + "weight", dim, 3 * dim), bqkv: vec(h.qkv + "bias", 3 * dim),
      wo: conv(h.o + "weight", dim, dim), bo: vec(h.o + "bias", dim),
      ln2W: vec(h.ln2 + "weight", dim), ln2B: vec(h.ln2 + "bias", dim),
      wfc: conv(h.fc + "weight", dim, hid), bfc: vec(h.fc + "bias", hid),
      wproj: conv(h.proj + "weight", hid, dim), bproj: vec(h.proj + "bias", dim),
    });
  }
  const wte = tensorToFloat32(get(n.wte, [vocabSize, dim]));
  // The head is tied unless a separate matrix is present (HF checkpoints often omit lm_head).
  const outT = tensors.get(prefix + n.out) ?? tensors.get(n.out);
  const output = outT && !cfg.tieEmbeddings
    ? linearFromTensor(expectShape(outT, n.out, [vocabSize, dim], source), format)
    : linearFromF32(wte, vocabSize, dim, format === "q8_0" ? "q8_0" : "f32");
  const sharesHead = output.kind === "f32" && output.w === wte;
  return {
    tokenEmbedding: sharesHead ? output : linearFromF32(wte, vocabSize, dim, "f32"),
    wpe: tensorToFloat32(get(n.wpe, [cfg.maxSeqLen, dim])), layers,
    lnfW: vec(n.lnfW, dim), lnfB: vec(n.lnfB, dim), output,
  };
}

/** The matrices a backend takes at creation (a tied head once); GPT-2's q, k, v are already one matrix. */
export function gpt2Matrices(w: Gpt2Weights): Linear[] {
  return [...w.layers.flatMap((L) => [L.wqkv, L.wo, L.wfc, L.wproj]), w.output];
}

/**
 * Once the backend has copied the matrices into its memory: the vectors and an
 * untied embedding, possibly views into the file's buffer, are copied out of
 * it, so the file can be freed.
 */
export function ownGpt2Vectors(w: Gpt2Weights): void {
  for (const L of w.layers) {
    for (const key of ["ln1W", "ln1B", "bqkv", "bo", "ln2W", "ln2B", "bfc", "bproj"] as const) L[key] = L[key].slice();
  }
  [w.wpe, w.lnfW, w.lnfB] = [w.wpe.slice(), w.lnfW.slice(), w.lnfB.slice()];
  const E = w.tokenEmbedding;
  if (E !== w.output && E.kind === "f32") E.w = E.w.slice();
}
