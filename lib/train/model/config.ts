/** Llama-architecture hyper-parameters for the trainer (HF LlamaConfig names in comments). */
export interface LlamaTrainConfig {
  vocabSize: number; // vocab_size
  dim: number; // hidden_size
  nLayers: number; // num_hidden_layers
  nHeads: number; // num_attention_heads
  nKvHeads: number; // num_key_value_heads (grouped-query when < nHeads)
  hiddenDim: number; // intermediate_size (SwiGLU width)
  maxSeqLen: number; // max_position_embeddings
  ropeTheta: number; // rope_theta
  normEps: number; // rms_norm_eps
  tieEmbeddings: boolean; // tie_word_embeddings
}

export interface ParamEntry {
  /** Hugging Face Llama tensor name, e.g. model.layers.0.self_attn.q_proj.weight. */
  name: string;
  /** Row-major shape; linear weights are (out, in) like torch.nn.Linear. */
  shape: number[];
  offset: number;
  size: number;
}

export function headDim(c: LlamaTrainConfig): number {
  return c.dim / c.nHeads;
}

export function validateConfig(c: LlamaTrainConfig): void {
  const ints: (keyof LlamaTrainConfig)[] = ["vocabSize", "dim", "nLayers", "nHeads", "nKvHeads", "hiddenDim", "maxSeqLen"];
  for (const k of ints) {
    const v = c[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new Error(`${k} must be a positive integer, got ${v}`);
  }
  if (c.dim % c.nHeads !== 0) throw new Error(`dim must be divisible by nHeads, got ${c.dim} and ${c.nHeads}`);
  if (c.nHeads % c.nKvHeads !== 0) throw new Error(`nHeads must be divisible by nKvHeads, got ${c.nHeads} and ${c.nKvHeads}`);
  if (headDim(c) % 2 !== 0) throw new Error(`head dim must be even for RoPE, got ${headDim(c)}`);
  if (!(c.normEps > 0)) throw new Error(`normEps must be > 0, got ${c.normEps}`);
  if (!(c.ropeTheta > 0)) throw new Error(`ropeTheta must be > 0, got ${c.ropeTheta}`);
}

/** All weights live in one flat buffer in this order, so the optimizer, clipping and checkpoints see one array. */
export function paramLayout(c: LlamaTrainConfig): ParamEntry[] {
  validateConfig(c);
  const hd = headDim(c);
  const entries: ParamEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, shape, offset, size });
    offset += size;
  };
  add("model.embed_tokens.weight", [c.vocabSize, c.dim]);
  for (let l = 0; l < c.nLayers; l++) {
    const p = `model.layers.${l}`;
    add(`${p}.input_layernorm.weight`, [c.dim]);
    add(`${p}.self_attn.q_proj.weight`, [c.nHeads * hd, c.dim]);
    add(`${p}.self_attn.k_proj.weight`, [c.nKvHeads * hd, c.dim]);
    add(`${p}.self_attn.v_proj.weight`, [c.nKvHeads * hd, c.dim]);
    add(`${p}.self_attn.o_proj.weight`, [c.dim, c.nHeads * hd]);
    add(`${p}.post_attention_layernorm.weight`, [c.dim]);
    add(`${p}.mlp.gate_proj.weight`, [c.hiddenDim, c.dim]);
    add(`${p}.mlp.up_proj.weight`, [c.hiddenDim, c.dim]);
    add(`${p}.mlp.down_proj.weight`, [c.dim, c.hiddenDim]);
  }
  add("model.norm.weight", [c.dim]);
  if (!c.tieEmbeddings) add("lm_head.weight", [c.vocabSize, c.dim]);
  return entries;
}

export function paramCount(c: LlamaTrainConfig): number {
  const layout = paramLayout(c);
  const last = layout[layout.length - 1]!;
  return last.offset + last.size;
}
