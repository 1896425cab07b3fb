import { EngineError } from "@/lib/engine/errors";
import type { AddedToken } from "./added-tokens";
import { BpeModel } from "./bpe";
import { BpeTokenizer } from "./core";
import { buildDecoder } from "./decoders";
import { asArray, asInt, asObject, asString, describe, isObject, optBool, type JsonObject } from "./json";
import { checkVocabSize, mergesFromList } from "./merges";
import { buildNormalizer } from "./normalizers";
import { buildPreTokenizer } from "./pre-tokenizers";
import { collectEosIds, compileTemplate, pickChatTemplate, templateTokens, tokenText } from "./special-tokens";
import type { Tokenizer } from "./types";

/**
 * Builds a tokenizer from a Hugging Face tokenizer.json (BPE models only:
 * byte-level like GPT-2/Llama 3/Qwen, or SentencePiece-style with byte
 * fallback like Llama 2) plus tokenizer_config.json for special tokens,
 * add_bos_token/add_eos_token and chat_template.
 *
 * @param source names the file in error messages.
 * @throws EngineError naming the field at fault, e.g. an unsupported model type.
 */
export function tokenizerFromJson(tokenizerJson: unknown, tokenizerConfig?: unknown, source = "tokenizer.json"): Tokenizer {
  const root = asObject(tokenizerJson, "tokenizer.json", source);
  const config = tokenizerConfig === undefined || tokenizerConfig === null ? {} : asObject(tokenizerConfig, "tokenizer_config.json", source);
  const modelJson = asObject(root.model, "model", source);
  const type = modelJson.type ?? ("merges" in modelJson ? "BPE" : undefined);
  if (type !== "BPE") throw new EngineError(`model.type ${describe(type)} is not supported (only BPE)`, source);
  for (const key of ["continuing_subword_prefix", "end_of_word_suffix"]) {
    if (typeof modelJson[key] === "string" && modelJson[key] !== "") {
      throw new EngineError(`model.${key} ${describe(modelJson[key])} is not supported`, source);
    }
  }

  const vocab = readVocab(modelJson.vocab, source);
  const addedTokens = readAddedTokens(root.added_tokens, config.added_tokens_decoder, source);
  const tokens = tokenTable(vocab, addedTokens);
  checkVocabSize(tokens.length, source);
  const model = new BpeModel({
    vocab,
    merges: mergesFromList(asArray(modelJson.merges ?? [], "model.merges", source), vocab, source),
    unkId: typeof modelJson.unk_token === "string" ? (vocab.get(modelJson.unk_token) ?? null) : null,
    fuseUnk: modelJson.fuse_unk === true,
    byteFallback: modelJson.byte_fallback === true,
    ignoreMerges: modelJson.ignore_merges === true,
  });

  const idOf = (text: string | null): number | null => {
    if (text === null) return null;
    return addedTokens.find((t) => t.content === text)?.id ?? vocab.get(text) ?? null;
  };
  const bosId = idOf(tokenText(config.bos_token));
  const eosId = idOf(tokenText(config.eos_token));
  const { prefixIds, suffixIds } = specialWrapping(root.post_processor, config, bosId, eosId, source);
  const chatTemplate = compileTemplate(pickChatTemplate(config.chat_template), templateTokens(config), source);
  return new BpeTokenizer({
    source,
    tokens,
    vocab,
    addedTokens,
    normalizer: buildNormalizer(root.normalizer, source),
    preTokenizer: buildPreTokenizer(root.pre_tokenizer, source),
    model,
    decoder: buildDecoder(root.decoder, source),
    prefixIds,
    suffixIds,
    bosId: bosId ?? (prefixIds.length > 0 ? prefixIds[0] : null),
    eosIds: collectEosIds([eosId], addedTokens, chatTemplate),
    chatTemplate,
  });
}

function readVocab(value: unknown, source: string): Map<string, number> {
  const obj = asObject(value, "model.vocab", source);
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(obj)) {
    // Checked inline: building a field name per entry would dominate load time.
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) asInt(id, `model.vocab[${describe(token)}]`, source);
    vocab.set(token, id as number);
  }
  return vocab;
}

function readAddedToken(value: unknown, field: string, source: string, id?: number): AddedToken {
  const obj = asObject(value, field, source);
  return {
    id: id ?? asInt(obj.id, `${field}.id`, source),
    content: asString(obj.content, `${field}.content`, source),
    special: optBool(obj.special, `${field}.special`, source) ?? false,
    lstrip: optBool(obj.lstrip, `${field}.lstrip`, source) ?? false,
    rstrip: optBool(obj.rstrip, `${field}.rstrip`, source) ?? false,
    singleWord: optBool(obj.single_word, `${field}.single_word`, source) ?? false,
    normalized: optBool(obj.normalized, `${field}.normalized`, source) ?? false,
  };
}

/** tokenizer.json's added_tokens, plus any only listed in tokenizer_config.json's added_tokens_decoder. */
function readAddedTokens(list: unknown, fromConfig: unknown, source: string): AddedToken[] {
  const tokens = asArray(list ?? [], "added_tokens", source).map((t, i) => readAddedToken(t, `added_tokens[${i}]`, source));
  if (isObject(fromConfig)) {
    for (const [key, value] of Object.entries(fromConfig)) {
      const id = asInt(Number(key), `added_tokens_decoder[${describe(key)}]`, source);
      if (!tokens.some((t) => t.id === id)) tokens.push(readAddedToken(value, `added_tokens_decoder[${key}]`, source, id));
    }
  }
  return tokens;
}

function tokenTable(vocab: ReadonlyMap<string, number>, added: readonly AddedToken[]): (string | undefined)[] {
  const tokens: (string | undefined)[] = [];
  for (const [token, id] of vocab) tokens[id] = token;
  for (const t of added) tokens[t.id] = t.content;
  return Array.from(tokens);
}

/**
 * BOS/EOS wrapping for encode(addSpecialTokens): from a TemplateProcessing
 * post-processor, overridden by explicit add_bos_token / add_eos_token in
 * tokenizer_config.json (transformers rebuilds the post-processor from them).
 */
function specialWrapping(
  postProcessor: unknown,
  config: JsonObject,
  bosId: number | null,
  eosId: number | null,
  source: string,
): { prefixIds: number[]; suffixIds: number[] } {
  const wrap = templateWrapping(postProcessor, source);
  const addBos = optBool(config.add_bos_token, "tokenizer_config.add_bos_token", source);
  const addEos = optBool(config.add_eos_token, "tokenizer_config.add_eos_token", source);
  if (addBos !== undefined && bosId !== null) wrap.prefixIds = addBos ? [bosId] : [];
  if (addEos !== undefined && eosId !== null) wrap.suffixIds = addEos ? [eosId] : [];
  return wrap;
}

function templateWrapping(value: unknown, source: string, field = "post_processor"): { prefixIds: number[]; suffixIds: number[] } {
  const none = { prefixIds: [], suffixIds: [] };
  if (value === null || value === undefined) return none;
  const obj = asObject(value, field, source);
  if (obj.type === "ByteLevel") return none;
  if (obj.type === "Sequence") {
    const found = asArray(obj.processors, `${field}.processors`, source)
      .map((p, i) => templateWrapping(p, source, `${field}.processors[${i}]`))
      .find((w) => w.prefixIds.length + w.suffixIds.length > 0);
    return found ?? none;
  }
  if (obj.type !== "TemplateProcessing") throw new EngineError(`${field}.type ${describe(obj.type)} is not supported`, source);
  const specials = asObject(obj.special_tokens ?? {}, `${field}.special_tokens`, source);
  const out = { prefixIds: [] as number[], suffixIds: [] as number[] };
  let seenSequence = false;
  asArray(obj.single, `${field}.single`, source).forEach((piece, i) => {
    const p = asObject(piece, `${field}.single[${i}]`, source);
    if (isObject(p.Sequence)) seenSequence = true;
    if (!isObject(p.SpecialToken)) return;
    const name = asString(p.SpecialToken.id, `${field}.single[${i}].SpecialToken.id`, source);
    const entry = asObject(specials[name], `${field}.special_tokens[${describe(name)}]`, source);
    const ids = asArray(entry.ids, `${field}.special_tokens[${describe(name)}].ids`, source).map((id) => asInt(id, "ids", source));
    (seenSequence ? out.suffixIds : out.prefixIds).push(...ids);
  });
  return out;
}
