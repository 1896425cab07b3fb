import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import type { Tokenizer } from "@/lib/engine/tokenizer";
import { tokenizerFromJson } from "@/lib/engine/tokenizer";
import type { LlamaTrainConfig } from "./model/config";
import { paramLayout } from "./model/config";

/** ChatML template (jinja) with the usual add_generation_prompt switch; training data is encoded with it too (hfTokenizer below, encodeSft in ./chat-format). */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface HfSpecialIds {
  endOfText: number;
  imStart: number;
  imEnd: number;
}

const json = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;

/**
 * config.json of the trained model (transformers' LlamaConfig). Without `ids`
 * (an in-memory engine model that never generates on its own) the BOS/EOS ids are left out.
 */
export function hfConfigJson(config: LlamaTrainConfig, ids?: HfSpecialIds): Record<string, unknown> {
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    vocab_size: config.vocabSize,
    hidden_size: config.dim,
    intermediate_size: config.hiddenDim,
    num_hidden_layers: config.nLayers,
    num_attention_heads: config.nHeads,
    num_key_value_heads: config.nKvHeads,
    head_dim: config.dim / config.nHeads,
    max_position_embeddings: config.maxSeqLen,
    rms_norm_eps: config.normEps,
    rope_theta: config.ropeTheta,
    rope_scaling: null,
    hidden_act: "silu",
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: config.tieEmbeddings,
    ...(ids ? { bos_token_id: ids.imStart, eos_token_id: ids.imEnd } : {}),
    torch_dtype: "float32",
    initializer_range: 0.02,
  };
}

/** tokenizer_config.json: the ChatML specials and chat template (what lib/engine/tokenizer reads besides tokenizer.json). */
export function hfTokenizerConfig(maxSeqLen: number, ids: HfSpecialIds): Record<string, unknown> {
  const added = Object.fromEntries(
    ([["<|endoftext|>", ids.endOfText], ["<|im_start|>", ids.imStart], ["<|im_end|>", ids.imEnd]] as const).map(([content, id]) => [
      String(id),
      { content, lstrip: false, rstrip: false, normalized: false, single_word: false, special: true },
    ]),
  );
  return {
    tokenizer_class: "PreTrainedTokenizerFast",
    model_max_length: maxSeqLen,
    add_bos_token: false,
    add_eos_token: false,
    bos_token: null,
    eos_token: "<|im_end|>",
    pad_token: "<|endoftext|>",
    unk_token: null,
    added_tokens_decoder: added,
    additional_special_tokens: ["<|im_start|>", "<|im_end|>"],
    chat_template: CHATML_TEMPLATE,
    clean_up_tokenization_spaces: false,
  };
}

/**
 * The engine tokenizer the exported folder loads, built in memory from the
 * same tokenizer.json and tokenizer_config.json: training data, evaluation
 * prompts and decoding all go through lib/engine/tokenizer.
 */
export function hfTokenizer(tokenizerJson: Record<string, unknown>, maxSeqLen: number, ids: HfSpecialIds): Tokenizer {
  return tokenizerFromJson(tokenizerJson, hfTokenizerConfig(maxSeqLen, ids));
}

/**
 * The files of a Hugging Face model folder (transformers' LlamaForCausalLM
 * loads it as is): name → bytes or text. The caller writes them; this stays pure.
 */
export function hfModelFiles(
  config: LlamaTrainConfig,
  params: Float32Array,
  tokenizerJson: Record<string, unknown>,
  ids: HfSpecialIds,
): Map<string, Uint8Array | string> {
  const tensors = paramLayout(config).map((e) => ({ name: e.name, shape: e.shape, data: params.subarray(e.offset, e.offset + e.size) }));
  const files = new Map<string, Uint8Array | string>();
  files.set("model.safetensors", writeSafetensors(tensors, { format: "pt" }));
  files.set("config.json", json(hfConfigJson(config, ids)));
  files.set(
    "generation_config.json",
    json({ bos_token_id: ids.imStart, eos_token_id: [ids.imEnd, ids.endOfText], do_sample: true, temperature: 1.0, top_p: 1.0, max_new_tokens: 32 }),
  );
  files.set("tokenizer.json", json(tokenizerJson));
  files.set("tokenizer_config.json", json(hfTokenizerConfig(config.maxSeqLen, ids)));
  files.set("special_tokens_map.json", json({ eos_token: "<|im_end|>", pad_token: "<|endoftext|>", additional_special_tokens: ["<|im_start|>", "<|im_end|>"] }));
  return files;
}
