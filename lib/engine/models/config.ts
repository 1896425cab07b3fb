/**
 * One normalized model config for every supported architecture, parsed from
 * a Hugging Face config.json or from GGUF metadata. Every field is checked
 * here so the models can trust it; errors name the file and the field.
 */
import { EngineError, check } from "@/lib/engine/errors";

/** RoPE frequency scaling (HF `rope_scaling`). */
export type RopeScaling =
  | { type: "llama3"; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositionEmbeddings: number }
  | { type: "linear"; factor: number };

/** The normalized config every model is built from. */
export interface ModelConfig {
  /** Engine family: llama covers Llama and Mistral; qwen2 is llama + q/k/v biases; gpt2 is learned positions + LayerNorm + GELU. */
  family: "llama" | "qwen2" | "gpt2";
  /** The name the source used (`LlamaForCausalLM`, `llama`, ...), for messages. */
  architecture: string;
  vocabSize: number;
  dim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  headDim: number;
  hiddenDim: number;
  maxSeqLen: number;
  normEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  tieEmbeddings: boolean;
  /** q/k/v projections carry biases (Qwen2, or Llama with attention_bias). */
  qkvBias: boolean;
  /** Mistral's sliding window: each position attends to at most this many positions (itself included); null = full. */
  slidingWindow: number | null;
  bosTokenId: number | null;
  eosTokenIds: number[];
}

type Obj = Record<string, unknown>;

class Fields {
  constructor(
    readonly o: Obj,
    readonly source: string,
  ) {}
  int(key: string, fallback?: number): number {
    const v = this.o[key] ?? fallback;
    check(Number.isInteger(v) && (v as number) > 0, `${key} must be a positive integer, got ${JSON.stringify(this.o[key])}`, this.source);
    return v as number;
  }
  num(key: string, fallback?: number): number {
    const v = this.o[key] ?? fallback;
    check(typeof v === "number" && Number.isFinite(v) && v > 0, `${key} must be a positive number, got ${JSON.stringify(this.o[key])}`, this.source);
    return v;
  }
  bool(key: string, fallback: boolean): boolean {
    const v = this.o[key] ?? fallback;
    check(typeof v === "boolean", `${key} must be a boolean, got ${JSON.stringify(this.o[key])}`, this.source);
    return v;
  }
  optId(key: string): number | null {
    const v = this.o[key];
    if (v === undefined || v === null) return null;
    check(Number.isInteger(v) && (v as number) >= 0, `${key} must be a token id, got ${JSON.stringify(v)}`, this.source);
    return v as number;
  }
  ids(key: string): number[] {
    const v = this.o[key];
    if (v === undefined || v === null) return [];
    const arr = Array.isArray(v) ? v : [v];
    check(arr.every((x) => Number.isInteger(x) && x >= 0), `${key} must be a token id or a list of them, got ${JSON.stringify(v)}`, this.source);
    return arr as number[];
  }
}

function parseRopeScaling(v: unknown, source: string): RopeScaling | null {
  if (v === undefined || v === null) return null;
  check(typeof v === "object", `rope_scaling must be an object or null, got ${JSON.stringify(v)}`, source);
  const f = new Fields(v as Obj, source);
  const type = (v as Obj).rope_type ?? (v as Obj).type;
  if (type === "default") return null;
  if (type === "llama3") {
    return {
      type: "llama3",
      factor: f.num("factor"),
      lowFreqFactor: f.num("low_freq_factor"),
      highFreqFactor: f.num("high_freq_factor"),
      originalMaxPositionEmbeddings: f.int("original_max_position_embeddings"),
    };
  }
  if (type === "linear") return { type: "linear", factor: f.num("factor") };
  throw new EngineError(`rope_scaling type ${JSON.stringify(type)} is not supported (supported: llama3, linear)`, source);
}

const HF_FAMILIES: Record<string, ModelConfig["family"]> = {
  LlamaForCausalLM: "llama",
  MistralForCausalLM: "llama",
  Qwen2ForCausalLM: "qwen2",
  GPT2LMHeadModel: "gpt2",
};

/**
 * Parses a Hugging Face config.json object.
 * @throws EngineError naming the field, or the architecture when it is not supported.
 */
export function configFromHf(json: unknown, source = "config.json"): ModelConfig {
  check(json !== null && typeof json === "object" && !Array.isArray(json), "must be a JSON object", source);
  const o = json as Obj;
  const archs = o.architectures;
  check(Array.isArray(archs) && typeof archs[0] === "string", `architectures must be a list of names, got ${JSON.stringify(archs)}`, source);
  const architecture = archs[0] as string;
  const family = HF_FAMILIES[architecture];
  check(family, `architecture ${architecture} is not supported (supported: ${Object.keys(HF_FAMILIES).join(", ")})`, source);
  const f = new Fields(o, source);
  const bosTokenId = f.optId("bos_token_id");
  const eosTokenIds = f.ids("eos_token_id");
  if (family === "gpt2") {
    const dim = f.int("n_embd");
    const nHeads = f.int("n_head");
    check(dim % nHeads === 0, `n_embd ${dim} is not divisible by n_head ${nHeads}`, source);
    const act = o.activation_function ?? "gelu_new";
    check(act === "gelu_new" || act === "gelu", `activation_function ${JSON.stringify(act)} is not supported (gelu_new)`, source);
    return {
      family, architecture, bosTokenId, eosTokenIds,
      vocabSize: f.int("vocab_size"), dim, nLayers: f.int("n_layer"), nHeads, nKvHeads: nHeads, headDim: dim / nHeads,
      hiddenDim: f.int("n_inner", 4 * dim), maxSeqLen: f.int("n_positions"), normEps: f.num("layer_norm_epsilon", 1e-5),
      ropeTheta: 0, ropeScaling: null, tieEmbeddings: f.bool("tie_word_embeddings", true), qkvBias: true, slidingWindow: null,
    };
  }
  const dim = f.int("hidden_size");
  const nHeads = f.int("num_attention_heads");
  const nKvHeads = f.int("num_key_value_heads", nHeads);
  check(nHeads % nKvHeads === 0, `num_attention_heads ${nHeads} is not a multiple of num_key_value_heads ${nKvHeads}`, source);
  const headDim = f.int("head_dim", dim / nHeads);
  check(headDim % 2 === 0, `head_dim must be even for RoPE, got ${headDim}`, source);
  const act = o.hidden_act ?? "silu";
  check(act === "silu", `hidden_act ${JSON.stringify(act)} is not supported (silu)`, source);
  check(!o.mlp_bias, "mlp_bias: true is not supported", source);
  // Qwen2 only slides when use_sliding_window is set (and then only in some layers): refuse rather than ignore.
  check(!(family === "qwen2" && o.use_sliding_window === true), "use_sliding_window: true is not supported", source);
  const slidingWindow =
    architecture === "MistralForCausalLM" && o.sliding_window !== undefined && o.sliding_window !== null ? f.int("sliding_window") : null;
  return {
    family, architecture, bosTokenId, eosTokenIds,
    vocabSize: f.int("vocab_size"), dim, nLayers: f.int("num_hidden_layers"), nHeads, nKvHeads, headDim,
    hiddenDim: f.int("intermediate_size"), maxSeqLen: f.int("max_position_embeddings"), normEps: f.num("rms_norm_eps", 1e-6),
    ropeTheta: f.num("rope_theta", 10000), ropeScaling: parseRopeScaling(o.rope_scaling, source),
    tieEmbeddings: f.bool("tie_word_embeddings", false),
    qkvBias: family === "qwen2" ? true : f.bool("attention_bias", false),
    slidingWindow,
  };
}

const GGUF_FAMILIES: Record<string, ModelConfig["family"]> = { llama: "llama", qwen2: "qwen2", gpt2: "gpt2" };

/**
 * Parses GGUF metadata (`general.architecture` llama / qwen2 / gpt2).
 * `tensorNames` tells whether a separate `output.weight` exists (untied head).
 * @throws EngineError naming the metadata key, or the architecture when it is not supported.
 */
export function configFromGguf(metadata: Record<string, unknown>, tensorNames: Iterable<string>, source = "model.gguf"): ModelConfig {
  const architecture = metadata["general.architecture"];
  check(typeof architecture === "string", "general.architecture is missing", source);
  const family = GGUF_FAMILIES[architecture];
  check(family, `architecture ${architecture} is not supported (supported: ${Object.keys(GGUF_FAMILIES).join(", ")})`, source);
  const a = architecture;
  const f = new Fields(metadata as Obj, source);
  const names = new Set(tensorNames);
  const tokens = metadata["tokenizer.ggml.tokens"];
  const vocabSize = Array.isArray(tokens) ? tokens.length : f.int(`${a}.vocab_size`);
  const dim = f.int(`${a}.embedding_length`);
  const nHeads = f.int(`${a}.attention.head_count`);
  const nKvHeads = f.int(`${a}.attention.head_count_kv`, nHeads);
  const headDim = f.int(`${a}.attention.key_length`, dim / nHeads);
  const bosTokenId = f.optId("tokenizer.ggml.bos_token_id");
  const eosTokenIds = f.ids("tokenizer.ggml.eos_token_id");
  const eot = f.optId("tokenizer.ggml.eot_token_id");
  if (eot !== null && !eosTokenIds.includes(eot)) eosTokenIds.push(eot);
  const base = {
    family, architecture, vocabSize, dim, nLayers: f.int(`${a}.block_count`), nHeads, nKvHeads, headDim,
    hiddenDim: f.int(`${a}.feed_forward_length`), maxSeqLen: f.int(`${a}.context_length`),
    tieEmbeddings: !names.has("output.weight"), bosTokenId, eosTokenIds,
  };
  if (family === "gpt2") {
    return {
      ...base, normEps: f.num(`${a}.attention.layer_norm_epsilon`, 1e-5), ropeTheta: 0, ropeScaling: null, qkvBias: true, slidingWindow: null,
    };
  }
  check(nHeads % nKvHeads === 0, `${a}.attention.head_count ${nHeads} is not a multiple of head_count_kv ${nKvHeads}`, source);
  const ropeDim = f.int(`${a}.rope.dimension_count`, headDim);
  check(ropeDim === headDim, `${a}.rope.dimension_count ${ropeDim} != head dim ${headDim} (partial RoPE is not supported)`, source);
  let ropeScaling: RopeScaling | null = null;
  const scaleType = metadata[`${a}.rope.scaling.type`];
  if (scaleType === "linear") ropeScaling = { type: "linear", factor: f.num(`${a}.rope.scaling.factor`) };
  else check(scaleType === undefined || scaleType === "none", `${a}.rope.scaling.type ${String(scaleType)} is not supported`, source);
  return {
    ...base,
    normEps: f.num(`${a}.attention.layer_norm_rms_epsilon`, 1e-5),
    ropeTheta: f.num(`${a}.rope.freq_base`, 10000),
    // llama3-style scaling arrives as the rope_freqs.weight tensor; the loader applies it.
    ropeScaling,
    qkvBias: family === "qwen2" || names.has("blk.0.attn_q.bias"),
    slidingWindow: null,
  };
}
