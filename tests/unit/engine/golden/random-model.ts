/**
 * Seeded random-weight checkpoints in Hugging Face layout (config.json object
 * + F32 tensors) for golden tests. Small on purpose: they run in well under a second.
 */
import type { RawTensor } from "@/lib/engine/tensor/dtype";

/** mulberry32: a tiny seeded PRNG for test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately normal values with standard deviation `std` (sum of uniforms). */
export function randn(rand: () => number, n: number, std: number, mean = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * (rand() + rand() + rand() + rand() - 2) * Math.sqrt(3);
  return out;
}

export function rawTensor(name: string, shape: number[], data: Float32Array): RawTensor {
  return { name, dtype: "F32", shape, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export interface RandomModel {
  config: Record<string, unknown>;
  tensors: Map<string, RawTensor>;
}

export interface LlamaSpec {
  arch: "LlamaForCausalLM" | "Qwen2ForCausalLM" | "MistralForCausalLM";
  dim: number; nLayers: number; nHeads: number; nKvHeads: number; hidden: number; vocab: number; ctx: number;
  tied: boolean; seed: number;
}

/** A random Llama / Qwen2 (with q/k/v biases) checkpoint. */
export function randomLlama(s: LlamaSpec): RandomModel {
  const rand = seeded(s.seed);
  const hd = s.dim / s.nHeads;
  const t = new Map<string, RawTensor>();
  const add = (name: string, shape: number[], std: number, mean = 0) =>
    t.set(name, rawTensor(name, shape, randn(rand, shape.reduce((a, b) => a * b, 1), std, mean)));
  add("model.embed_tokens.weight", [s.vocab, s.dim], 1);
  for (let i = 0; i < s.nLayers; i++) {
    const p = `model.layers.${i}.`;
    add(p + "input_layernorm.weight", [s.dim], 0.1, 1);
    add(p + "self_attn.q_proj.weight", [s.nHeads * hd, s.dim], 1 / Math.sqrt(s.dim));
    add(p + "self_attn.k_proj.weight", [s.nKvHeads * hd, s.dim], 1 / Math.sqrt(s.dim));
    add(p + "self_attn.v_proj.weight", [s.nKvHeads * hd, s.dim], 1 / Math.sqrt(s.dim));
    if (s.arch === "Qwen2ForCausalLM") {
      add(p + "self_attn.q_proj.bias", [s.nHeads * hd], 0.2);
      add(p + "self_attn.k_proj.bias", [s.nKvHeads * hd], 0.2);
      add(p + "self_attn.v_proj.bias", [s.nKvHeads * hd], 0.2);
    }
    add(p + "self_attn.o_proj.weight", [s.dim, s.nHeads * hd], 1 / Math.sqrt(s.dim));
    add(p + "post_attention_layernorm.weight", [s.dim], 0.1, 1);
    add(p + "mlp.gate_proj.weight", [s.hidden, s.dim], 1 / Math.sqrt(s.dim));
    add(p + "mlp.up_proj.weight", [s.hidden, s.dim], 1 / Math.sqrt(s.dim));
    add(p + "mlp.down_proj.weight", [s.dim, s.hidden], 1 / Math.sqrt(s.hidden));
  }
  add("model.norm.weight", [s.dim], 0.1, 1);
  if (!s.tied) add("lm_head.weight", [s.vocab, s.dim], 0.5);
  const config = {
    architectures: [s.arch], hidden_size: s.dim, intermediate_size: s.hidden, num_hidden_layers: s.nLayers,
    num_attention_heads: s.nHeads, num_key_value_heads: s.nKvHeads, vocab_size: s.vocab, max_position_embeddings: s.ctx,
    rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: s.tied, bos_token_id: 1, eos_token_id: 2, hidden_act: "silu",
  };
  return { config, tensors: t };
}

export interface Gpt2Spec { dim: number; nLayers: number; nHeads: number; vocab: number; ctx: number; seed: number }

/** A random GPT-2 checkpoint (HF Conv1D layout: weights are (in, out)), tied head. */
export function randomGpt2(s: Gpt2Spec): RandomModel {
  const rand = seeded(s.seed);
  const t = new Map<string, RawTensor>();
  const add = (name: string, shape: number[], std: number, mean = 0) =>
    t.set(name, rawTensor(name, shape, randn(rand, shape.reduce((a, b) => a * b, 1), std, mean)));
  const h = 4 * s.dim;
  add("transformer.wte.weight", [s.vocab, s.dim], 1);
  add("transformer.wpe.weight", [s.ctx, s.dim], 0.3);
  for (let i = 0; i < s.nLayers; i++) {
    const p = `transformer.h.${i}.`;
    add(p + "ln_1.weight", [s.dim], 0.1, 1);
    add(p + "ln_1.bias", [s.dim], 0.1);
    add(p + "attn.c_attn.weight", [s.dim, 3 * s.dim], 1 / Math.sqrt(s.dim));
    add(p + "attn.c_attn.bias", [3 * s.dim], 0.1);
    add(p + "attn.c_proj.weight", [s.dim, s.dim], 1 / Math.sqrt(s.dim));
    add(p + "attn.c_proj.bias", [s.dim], 0.1);
    add(p + "ln_2.weight", [s.dim], 0.1, 1);
    add(p + "ln_2.bias", [s.dim], 0.1);
    add(p + "mlp.c_fc.weight", [s.dim, h], 1 / Math.sqrt(s.dim));
    add(p + "mlp.c_fc.bias", [h], 0.1);
    add(p + "mlp.c_proj.weight", [h, s.dim], 1 / Math.sqrt(h));
    add(p + "mlp.c_proj.bias", [s.dim], 0.1);
  }
  add("transformer.ln_f.weight", [s.dim], 0.1, 1);
  add("transformer.ln_f.bias", [s.dim], 0.1);
  const config = {
    architectures: ["GPT2LMHeadModel"], n_embd: s.dim, n_layer: s.nLayers, n_head: s.nHeads, n_positions: s.ctx,
    vocab_size: s.vocab, layer_norm_epsilon: 1e-5, activation_function: "gelu_new", bos_token_id: 1, eos_token_id: 2,
  };
  return { config, tensors: t };
}
