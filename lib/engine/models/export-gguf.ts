/**
 * HF-layout weights -> GGUF v3 bytes that llama.cpp opens: llama.cpp tensor
 * names, Llama q/k rows permuted to the interleaved layout, GPT-2 Conv1D
 * weights transposed, architecture and tokenizer.ggml.* metadata.
 */
import { check } from "@/lib/engine/errors";
import { writeGguf } from "@/lib/engine/formats/gguf/write";
import type { GgufTensorInput } from "@/lib/engine/formats/gguf/write";
import type { GgufTypedValue } from "@/lib/engine/formats/gguf/types";
import { GgufValueType, gguf } from "@/lib/engine/formats/gguf/types";
import type { GgufFileType } from "@/lib/engine/formats/gguf/recipe";
import { GGUF_FILE_TYPES, tensorTypes } from "@/lib/engine/formats/gguf/recipe";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import type { ModelConfig } from "./config";
import { configFromHf } from "./config";
import { ropeInvFreq } from "@/lib/engine/kernels/rope";
import { permuteQkF32 } from "./llama/weights";

/** Tokenizer metadata written as tokenizer.ggml.* (token_type: 1 normal, 2 unknown, 3 control, 6 byte). */
export interface GgufVocab {
  model: "llama" | "gpt2";
  tokens: string[];
  scores?: number[];
  tokenTypes?: number[];
  merges?: string[];
  pre?: string;
  bosId?: number;
  eosId?: number;
  unkId?: number;
  padId?: number;
  addBos?: boolean;
  chatTemplate?: string;
}

/**
 * A SentencePiece-style placeholder vocab of `size` tokens: <unk>, <s>, </s>,
 * the 256 byte tokens <0x00>..<0xFF>, then t259, t260, ... (size >= 259).
 */
export function byteFallbackVocab(size: number): GgufVocab {
  check(size >= 259, `byteFallbackVocab needs at least 259 tokens, got ${size}`);
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6);
  }
  for (let i = 259; i < size; i++) {
    tokens.push(`t${i}`);
    types.push(1);
  }
  return { model: "llama", tokens, tokenTypes: types, scores: tokens.map(() => 0), bosId: 1, eosId: 2, unkId: 0, addBos: true };
}

function archMetadata(c: ModelConfig, arch: string): [string, GgufTypedValue][] {
  const m: [string, GgufTypedValue][] = [
    [`${arch}.context_length`, gguf.u32(c.maxSeqLen)],
    [`${arch}.embedding_length`, gguf.u32(c.dim)],
    [`${arch}.block_count`, gguf.u32(c.nLayers)],
    [`${arch}.feed_forward_length`, gguf.u32(c.hiddenDim)],
    [`${arch}.attention.head_count`, gguf.u32(c.nHeads)],
  ];
  if (c.family === "gpt2") {
    m.push([`${arch}.attention.layer_norm_epsilon`, gguf.f32(c.normEps)]);
    return m;
  }
  m.push(
    [`${arch}.attention.head_count_kv`, gguf.u32(c.nKvHeads)],
    [`${arch}.attention.key_length`, gguf.u32(c.headDim)],
    [`${arch}.attention.value_length`, gguf.u32(c.headDim)],
    [`${arch}.rope.dimension_count`, gguf.u32(c.headDim)],
    [`${arch}.rope.freq_base`, gguf.f32(c.ropeTheta)],
    [`${arch}.attention.layer_norm_rms_epsilon`, gguf.f32(c.normEps)],
  );
  if (c.ropeScaling?.type === "linear") {
    m.push([`${arch}.rope.scaling.type`, gguf.str("linear")], [`${arch}.rope.scaling.factor`, gguf.f32(c.ropeScaling.factor)]);
  }
  return m;
}

function vocabMetadata(v: GgufVocab): [string, GgufTypedValue][] {
  const m: [string, GgufTypedValue][] = [
    ["tokenizer.ggml.model", gguf.str(v.model)],
    ["tokenizer.ggml.tokens", gguf.arr(GgufValueType.STRING, v.tokens)],
  ];
  if (v.pre) m.push(["tokenizer.ggml.pre", gguf.str(v.pre)]);
  if (v.scores) m.push(["tokenizer.ggml.scores", gguf.arr(GgufValueType.FLOAT32, v.scores)]);
  if (v.tokenTypes) m.push(["tokenizer.ggml.token_type", gguf.arr(GgufValueType.INT32, v.tokenTypes)]);
  if (v.merges) m.push(["tokenizer.ggml.merges", gguf.arr(GgufValueType.STRING, v.merges)]);
  if (v.bosId !== undefined) m.push(["tokenizer.ggml.bos_token_id", gguf.u32(v.bosId)]);
  if (v.eosId !== undefined) m.push(["tokenizer.ggml.eos_token_id", gguf.u32(v.eosId)]);
  if (v.unkId !== undefined) m.push(["tokenizer.ggml.unknown_token_id", gguf.u32(v.unkId)]);
  if (v.padId !== undefined) m.push(["tokenizer.ggml.padding_token_id", gguf.u32(v.padId)]);
  if (v.addBos !== undefined) m.push(["tokenizer.ggml.add_bos_token", gguf.bool(v.addBos)]);
  if (v.chatTemplate) m.push(["tokenizer.chat_template", gguf.str(v.chatTemplate)]);
  return m;
}

/** Pads a tokenizer smaller than the embedding (rows reserved for later tokens) with unused tokens. */
function padVocab(v: GgufVocab, size: number): GgufVocab {
  const n = v.tokens.length;
  check(n <= size, `the tokenizer has ${n} tokens but the model's embedding only ${size}`, "ggufFromHf");
  if (n === size) return v;
  const extra = Array.from({ length: size - n }, (_, i) => n + i);
  return {
    ...v,
    tokens: [...v.tokens, ...extra.map((i) => `[UNUSED_${i}]`)],
    tokenTypes: v.tokenTypes ? [...v.tokenTypes, ...extra.map(() => 5)] : undefined,
    scores: v.scores ? [...v.scores, ...extra.map(() => 0)] : undefined,
  };
}

/** (rows, cols) -> (cols, rows). */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/**
 * Converts a Hugging Face checkpoint (config.json object + safetensors tensors)
 * to GGUF v3 bytes of file type `dtype`: each tensor's type as llama-quantize
 * chooses it (formats/gguf/recipe.ts; e.g. Q4_K_M mixes Q4_K and Q6_K); norms
 * and biases stay F32.
 * @throws EngineError for an unsupported architecture or a missing tensor.
 */
export function ggufFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, RawTensor>,
  opts: { vocab: GgufVocab; dtype: GgufFileType; name?: string },
): Uint8Array {
  const c = configFromHf(configJson);
  const arch = c.family;
  const out: GgufTensorInput[] = [];
  const f32 = (name: string) => {
    const t = tensors.get(name);
    check(t, `missing tensor "${name}"`, "ggufFromHf");
    return { data: tensorToFloat32(t), shape: t.shape };
  };
  // types are chosen once every tensor is known (the recipe looks at the whole file)
  const put = (name: string, src: { data: Float32Array; shape: readonly number[] }) => {
    out.push({ name, shape: src.shape, data: src.data, dtype: "F32" });
  };
  if (arch === "gpt2") {
    const p = tensors.has("transformer.wte.weight") ? "transformer." : "";
    const conv = (n: string) => {
      const t = f32(p + n);
      return { data: transpose(t.data, t.shape[0], t.shape[1]), shape: [t.shape[1], t.shape[0]] };
    };
    put("token_embd.weight", f32(p + "wte.weight"));
    put("position_embd.weight", f32(p + "wpe.weight"));
    for (let i = 0; i < c.nLayers; i++) {
      const h = `${p}h.${i}.`;
      const b = `blk.${i}.`;
      put(b + "attn_norm.weight", f32(h + "ln_1.weight"));
      put(b + "attn_norm.bias", f32(h + "ln_1.bias"));
      put(b + "attn_qkv.weight", conv(`h.${i}.attn.c_attn.weight`));
      put(b + "attn_qkv.bias", f32(h + "attn.c_attn.bias"));
      put(b + "attn_output.weight", conv(`h.${i}.attn.c_proj.weight`));
      put(b + "attn_output.bias", f32(h + "attn.c_proj.bias"));
      put(b + "ffn_norm.weight", f32(h + "ln_2.weight"));
      put(b + "ffn_norm.bias", f32(h + "ln_2.bias"));
      put(b + "ffn_up.weight", conv(`h.${i}.mlp.c_fc.weight`));
      put(b + "ffn_up.bias", f32(h + "mlp.c_fc.bias"));
      put(b + "ffn_down.weight", conv(`h.${i}.mlp.c_proj.weight`));
      put(b + "ffn_down.bias", f32(h + "mlp.c_proj.bias"));
    }
    put("output_norm.weight", f32(p + "ln_f.weight"));
    put("output_norm.bias", f32(p + "ln_f.bias"));
    if (!c.tieEmbeddings && tensors.has("lm_head.weight")) put("output.weight", f32("lm_head.weight"));
  } else {
    // llama.cpp's Llama graph applies interleaved RoPE, so q/k rows are permuted; Qwen2 uses rotate-half as is.
    const qk = (n: string, heads: number) => {
      const t = f32(n);
      if (arch !== "llama") return t;
      const cols = t.shape.length > 1 ? t.shape[1] : 1;
      return { data: permuteQkF32(t.data, t.shape[0], cols, heads, false), shape: t.shape };
    };
    put("token_embd.weight", f32("model.embed_tokens.weight"));
    for (let i = 0; i < c.nLayers; i++) {
      const h = `model.layers.${i}.`;
      const b = `blk.${i}.`;
      put(b + "attn_norm.weight", f32(h + "input_layernorm.weight"));
      put(b + "attn_q.weight", qk(h + "self_attn.q_proj.weight", c.nHeads));
      put(b + "attn_k.weight", qk(h + "self_attn.k_proj.weight", c.nKvHeads));
      put(b + "attn_v.weight", f32(h + "self_attn.v_proj.weight"));
      if (c.qkvBias) {
        put(b + "attn_q.bias", qk(h + "self_attn.q_proj.bias", c.nHeads));
        put(b + "attn_k.bias", qk(h + "self_attn.k_proj.bias", c.nKvHeads));
        put(b + "attn_v.bias", f32(h + "self_attn.v_proj.bias"));
      }
      put(b + "attn_output.weight", f32(h + "self_attn.o_proj.weight"));
      put(b + "ffn_norm.weight", f32(h + "post_attention_layernorm.weight"));
      put(b + "ffn_gate.weight", f32(h + "mlp.gate_proj.weight"));
      put(b + "ffn_up.weight", f32(h + "mlp.up_proj.weight"));
      put(b + "ffn_down.weight", f32(h + "mlp.down_proj.weight"));
    }
    put("output_norm.weight", f32("model.norm.weight"));
    if (!c.tieEmbeddings) put("output.weight", f32("lm_head.weight"));
    if (c.ropeScaling?.type === "llama3") {
      // llama.cpp applies llama3 scaling as per-frequency divisors (rope_freqs.weight, hd/2).
      const base = ropeInvFreq(c.headDim, c.ropeTheta, null);
      const scaled = ropeInvFreq(c.headDim, c.ropeTheta, c.ropeScaling);
      put("rope_freqs.weight", { data: base.map((b, i) => b / scaled[i]), shape: [c.headDim / 2] });
    }
  }
  const types = tensorTypes(out, opts.dtype, c.nLayers);
  out.forEach((t, i) => (t.dtype = types[i]));
  const vocab = padVocab(opts.vocab, c.vocabSize);
  const fileType = GGUF_FILE_TYPES[opts.dtype].fileTypeId;
  const metadata: [string, GgufTypedValue][] = [
    ["general.architecture", gguf.str(arch)],
    ["general.name", gguf.str(opts.name ?? "rlhf-studio-model")],
    ["general.file_type", gguf.u32(fileType)],
    ["general.quantization_version", gguf.u32(2)],
    ["general.alignment", gguf.u32(32)],
    ...archMetadata(c, arch),
    ...vocabMetadata(vocab),
  ];
  return writeGguf(metadata, out);
}
