import { EngineError } from "@/lib/engine/errors";
import type { AddedToken } from "./added-tokens";
import { BpeModel } from "./bpe";
import { GPT2_PATTERN, LLAMA3_PATTERN, QWEN2_PATTERN } from "./byte-level";
import { BpeTokenizer } from "./core";
import { buildDecoder } from "./decoders";
import { asInt, asString, describe, optBool } from "./json";
import { checkVocabSize, mergesFromList, mergesFromScores, type MergeTable } from "./merges";
import { buildNormalizer } from "./normalizers";
import { buildPreTokenizer, byteLevel, type PreTokenizer } from "./pre-tokenizers";
import { collectEosIds, compileTemplate } from "./special-tokens";
import type { Tokenizer } from "./types";

const SOURCE = "GGUF metadata";

/** llama.cpp token types (tokenizer.ggml.token_type). */
const TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

/** tokenizer.ggml.pre values -> [split regex, ignore_merges], following the HF tokenizers they come from. */
const PRE_TOKENIZERS: Record<string, () => { pre: PreTokenizer; ignoreMerges: boolean }> = {
  default: () => ({ pre: byteLevel(false, true, GPT2_PATTERN), ignoreMerges: false }),
  gpt2: () => ({ pre: byteLevel(false, true, GPT2_PATTERN), ignoreMerges: false }),
  // llama.cpp's converter names GPT-2's split "gpt-2".
  "gpt-2": () => ({ pre: byteLevel(false, true, GPT2_PATTERN), ignoreMerges: false }),
  "llama-bpe": () => ({ pre: byteLevel(false, true, LLAMA3_PATTERN), ignoreMerges: true }),
  llama3: () => ({ pre: byteLevel(false, true, LLAMA3_PATTERN), ignoreMerges: true }),
  qwen2: () => ({ pre: byteLevel(false, true, QWEN2_PATTERN), ignoreMerges: false }),
  smollm: () => {
    // SmolLM's tokenizer.json: single digits first, then GPT-2's split.
    const pre = buildPreTokenizer(
      { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, { type: "ByteLevel", add_prefix_space: false, use_regex: true }] },
      SOURCE,
    );
    return { pre: pre as PreTokenizer, ignoreMerges: false };
  },
};

/**
 * Builds a tokenizer from GGUF `tokenizer.ggml.*` metadata: model "gpt2"
 * (byte-level BPE with merges, split regex chosen by tokenizer.ggml.pre) or
 * "llama" (SentencePiece: pieces with scores and types, `<0xNN>` byte
 * tokens, merged by score). Control tokens become special added tokens.
 *
 * @throws EngineError naming the metadata key at fault.
 */
export function tokenizerFromGguf(metadata: Record<string, unknown>): Tokenizer {
  const kind = metadata["tokenizer.ggml.model"];
  if (kind !== "gpt2" && kind !== "llama") {
    throw new EngineError(`tokenizer.ggml.model ${describe(kind)} is not supported (expected "gpt2" or "llama")`, SOURCE);
  }
  const tokens = list(metadata, "tokenizer.ggml.tokens").map((t, i) => asString(t, `tokenizer.ggml.tokens[${i}]`, SOURCE));
  checkVocabSize(tokens.length, SOURCE);
  const types = optionalList(metadata, "tokenizer.ggml.token_type")?.map((t, i) => asInt(t, `tokenizer.ggml.token_type[${i}]`, SOURCE));
  const optId = (key: string): number | null => {
    const value = metadata[key];
    if (value === undefined || value === null) return null;
    const id = asInt(value, key, SOURCE);
    if (id >= tokens.length) throw new EngineError(`${key} ${id} is out of range [0, ${tokens.length})`, SOURCE);
    return id;
  };
  const bosId = optId("tokenizer.ggml.bos_token_id");
  const eosId = optId("tokenizer.ggml.eos_token_id");
  const unkId = optId("tokenizer.ggml.unknown_token_id");
  const typeOf = (id: number): number => types?.[id] ?? defaultType(tokens[id], id, [bosId, eosId, unkId]);
  const vocab = new Map<string, number>();
  tokens.forEach((t, id) => {
    if (!vocab.has(t)) vocab.set(t, id);
  });
  const addedTokens = tokens.flatMap((content, id): AddedToken[] => {
    const type = typeOf(id);
    if (type !== TYPE.control && type !== TYPE.userDefined && type !== TYPE.unknown) return [];
    // Like HF, <unk> counts as special so skipSpecialTokens drops it.
    const special = type !== TYPE.userDefined;
    // llama.cpp matches every added token in the raw text, before the ▁ escaping.
    return [{ id, content, special, lstrip: false, rstrip: false, singleWord: false, normalized: false }];
  });

  const parts = kind === "gpt2" ? gpt2Parts(metadata, tokens, vocab) : llamaParts(metadata, tokens, vocab, typeOf, unkId);
  const addBos = optBool(metadata["tokenizer.ggml.add_bos_token"], "tokenizer.ggml.add_bos_token", SOURCE) ?? kind === "llama";
  const addEos = optBool(metadata["tokenizer.ggml.add_eos_token"], "tokenizer.ggml.add_eos_token", SOURCE) ?? false;
  const chatTemplate = ggufChatTemplate(metadata, tokens, { bos_token: bosId, eos_token: eosId, unk_token: unkId });
  return new BpeTokenizer({
    source: SOURCE,
    tokens,
    vocab,
    addedTokens,
    ...parts,
    prefixIds: addBos && bosId !== null ? [bosId] : [],
    suffixIds: addEos && eosId !== null ? [eosId] : [],
    bosId,
    eosIds: collectEosIds(
      [eosId, optId("tokenizer.ggml.eot_token_id"), optId("tokenizer.ggml.eom_token_id")],
      addedTokens,
      chatTemplate,
    ),
    chatTemplate,
  });
}

/** tokenizer.chat_template, rendered with the BOS/EOS/UNK token texts. */
function ggufChatTemplate(metadata: Record<string, unknown>, tokens: readonly string[], ids: Record<string, number | null>) {
  const text = metadata["tokenizer.chat_template"];
  if (text === undefined) return null;
  const names: Record<string, string> = {};
  for (const [name, id] of Object.entries(ids)) if (id !== null) names[name] = tokens[id];
  return compileTemplate(asString(text, "tokenizer.chat_template", SOURCE), names, SOURCE);
}

function gpt2Parts(metadata: Record<string, unknown>, tokens: readonly string[], vocab: Map<string, number>) {
  const preName = metadata["tokenizer.ggml.pre"] ?? "default";
  const preset = typeof preName === "string" ? PRE_TOKENIZERS[preName] : undefined;
  if (!preset) {
    throw new EngineError(
      `tokenizer.ggml.pre ${describe(preName)} is not supported (known: ${Object.keys(PRE_TOKENIZERS).join(", ")})`,
      SOURCE,
    );
  }
  const { pre, ignoreMerges } = preset();
  const merges = mergesFromList(list(metadata, "tokenizer.ggml.merges"), vocab, `${SOURCE} tokenizer.ggml.merges`);
  return {
    normalizer: null,
    preTokenizer: pre,
    model: bpe(vocab, merges, null, false, ignoreMerges),
    decoder: buildDecoder({ type: "ByteLevel" }, SOURCE),
  };
}

function llamaParts(
  metadata: Record<string, unknown>,
  tokens: readonly string[],
  vocab: Map<string, number>,
  typeOf: (id: number) => number,
  unkId: number | null,
) {
  const scores = list(metadata, "tokenizer.ggml.scores").map((s, i) => {
    if (typeof s !== "number" || Number.isNaN(s)) throw new EngineError(`tokenizer.ggml.scores[${i}] must be a number, got ${describe(s)}`, SOURCE);
    return s;
  });
  if (scores.length !== tokens.length) {
    throw new EngineError(`tokenizer.ggml.scores has ${scores.length} entries for ${tokens.length} tokens`, SOURCE);
  }
  const merges = mergesFromScores(tokens, scores, (id) => typeOf(id) === TYPE.normal, vocab);
  const spacePrefix = optBool(metadata["tokenizer.ggml.add_space_prefix"], "tokenizer.ggml.add_space_prefix", SOURCE) ?? true;
  const replaceSpace = { type: "Replace", pattern: { String: " " }, content: "\u2581" };
  const normalizer = spacePrefix ? { type: "Sequence", normalizers: [{ type: "Prepend", prepend: "\u2581" }, replaceSpace] } : replaceSpace;
  const decoders: unknown[] = [{ type: "Replace", pattern: { String: "\u2581" }, content: " " }, { type: "ByteFallback" }, { type: "Fuse" }];
  if (spacePrefix) decoders.push({ type: "Strip", content: " ", start: 1, stop: 0 });
  return {
    normalizer: buildNormalizer(normalizer, SOURCE),
    preTokenizer: null,
    model: bpe(vocab, merges, unkId, true, false),
    decoder: buildDecoder({ type: "Sequence", decoders }, SOURCE),
  };
}

function bpe(vocab: Map<string, number>, merges: MergeTable, unkId: number | null, byteFallback: boolean, ignoreMerges: boolean): BpeModel {
  return new BpeModel({ vocab, merges, unkId, fuseUnk: byteFallback, byteFallback, ignoreMerges });
}

/** Without token_type: `<0xNN>` are byte tokens, the BOS/EOS/UNK ids are control, the rest normal. */
function defaultType(token: string, id: number, controlIds: readonly (number | null)[]): number {
  if (controlIds.includes(id)) return TYPE.control;
  return /^<0x[0-9A-F]{2}>$/.test(token) ? TYPE.byte : TYPE.normal;
}

function optionalList(metadata: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = metadata[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value;
  // GGUF readers may hand back typed arrays for numeric arrays.
  if (ArrayBuffer.isView(value) && "length" in value) return Array.from(value as unknown as ArrayLike<number>);
  throw new EngineError(`${key} must be an array, got ${describe(value)}`, SOURCE);
}

function list(metadata: Record<string, unknown>, key: string): unknown[] {
  const value = optionalList(metadata, key);
  if (value === undefined) throw new EngineError(`${key} is missing`, SOURCE);
  return value;
}
