/**
 * tokenizer.json (+ tokenizer_config.json) -> GGUF tokenizer metadata, so a
 * model trained here (byte-level BPE, ChatML specials) runs in llama.cpp with
 * its own tokenizer. Only byte-level BPE is converted: SentencePiece-style
 * tokenizers need their scores, which tokenizer.json does not carry.
 */
import { EngineError, check } from "@/lib/engine/errors";
import type { GgufVocab } from "./export-gguf";

const SOURCE = "tokenizer.json";
/** llama.cpp token types. */
const NORMAL = 1;
const CONTROL = 3;
const USER_DEFINED = 4;
const UNUSED = 5;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** True when a pre-tokenizer / decoder (or any step of a Sequence) is ByteLevel. */
function hasByteLevel(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (v.type === "ByteLevel") return true;
  const steps = v.pretokenizers ?? v.decoders;
  return Array.isArray(steps) && steps.some(hasByteLevel);
}

function tokenContent(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (isObj(v) && typeof v.content === "string") return v.content;
  return null;
}

/**
 * Builds GGUF tokenizer metadata ("gpt2" model: tokens by id, token types,
 * merges as "a b", BOS/EOS/padding ids and chat template from tokenizer_config.json).
 * @param pre llama.cpp pre-tokenizer name (tokenizer.ggml.pre): "gpt-2" (GPT-2's split regex, the default), "qwen2", "llama-bpe", ...
 * @throws EngineError for a tokenizer that is not byte-level BPE or has malformed vocab/merges.
 */
export function ggufVocabFromTokenizerJson(tokenizerJson: unknown, tokenizerConfig?: unknown, pre = "gpt-2"): GgufVocab {
  check(isObj(tokenizerJson) && isObj(tokenizerJson.model), "must be an object with a model", SOURCE);
  const model = tokenizerJson.model;
  check(model.type === "BPE", `model.type ${JSON.stringify(model.type)} cannot be exported to GGUF (only byte-level BPE)`, SOURCE);
  check(
    hasByteLevel(tokenizerJson.pre_tokenizer) || hasByteLevel(tokenizerJson.decoder),
    "only byte-level BPE (a ByteLevel pre-tokenizer or decoder) can be exported to GGUF",
    SOURCE,
  );
  check(isObj(model.vocab), "model.vocab must be an object of token -> id", SOURCE);
  const byId = new Map<number, { text: string; type: number }>();
  for (const [text, id] of Object.entries(model.vocab)) {
    check(Number.isInteger(id) && (id as number) >= 0, `model.vocab["${text}"] must be an id, got ${JSON.stringify(id)}`, SOURCE);
    byId.set(id as number, { text, type: NORMAL });
  }
  const added = Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : [];
  added.forEach((t, i) => {
    check(isObj(t) && Number.isInteger(t.id) && typeof t.content === "string", `added_tokens[${i}] must have an id and content`, SOURCE);
    byId.set(t.id as number, { text: t.content as string, type: t.special === true ? CONTROL : USER_DEFINED });
  });
  const size = Math.max(...byId.keys()) + 1;
  const tokens: string[] = [];
  const tokenTypes: number[] = [];
  for (let id = 0; id < size; id++) {
    const t = byId.get(id);
    tokens.push(t ? t.text : `[UNUSED_${id}]`);
    tokenTypes.push(t ? t.type : UNUSED);
  }
  check(Array.isArray(model.merges), "model.merges must be a list", SOURCE);
  const merges = (model.merges as unknown[]).map((m, i) => {
    if (typeof m === "string") return m;
    if (Array.isArray(m) && m.length === 2 && m.every((s) => typeof s === "string")) return `${m[0]} ${m[1]}`;
    throw new EngineError(`model.merges[${i}] must be "a b" or ["a", "b"], got ${JSON.stringify(m)}`, SOURCE);
  });

  const cfg = isObj(tokenizerConfig) ? tokenizerConfig : {};
  const idOf = (key: string): number | undefined => {
    const content = tokenContent(cfg[key]);
    if (content === null) return undefined;
    const id = tokens.indexOf(content);
    check(id >= 0, `tokenizer_config.json: ${key} ${JSON.stringify(content)} is not in the vocabulary`, SOURCE);
    return id;
  };
  let chatTemplate: string | undefined;
  if (typeof cfg.chat_template === "string") chatTemplate = cfg.chat_template;
  else if (Array.isArray(cfg.chat_template)) {
    const named = cfg.chat_template.find((t) => isObj(t) && t.name === "default");
    if (isObj(named) && typeof named.template === "string") chatTemplate = named.template;
  }
  return {
    model: "gpt2",
    pre,
    tokens,
    tokenTypes,
    merges,
    bosId: idOf("bos_token"),
    eosId: idOf("eos_token"),
    padId: idOf("pad_token"),
    addBos: cfg.add_bos_token === true,
    chatTemplate,
  };
}
