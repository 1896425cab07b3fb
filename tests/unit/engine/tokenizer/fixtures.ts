import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Test inputs and vocabularies. Vocabularies come from dev-dependency npm
 * packages; expected ids always come from those packages' own encoders
 * (@lenml/tokenizers, gpt-3-encoder), never from the engine under test.
 */
const modules = path.resolve(import.meta.dirname, "../../../../node_modules");
const require = createRequire(import.meta.url);

export const LENML_MODELS = ["llama2", "llama3", "qwen3", "gemma3"] as const;
export type LenmlModel = (typeof LENML_MODELS)[number];

export function readLenmlFiles(model: LenmlModel): { json: unknown; config: Record<string, unknown> } {
  const dir = path.join(modules, "@lenml", `tokenizer-${model}`, "models");
  return {
    json: JSON.parse(readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    config: JSON.parse(readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
  };
}

/** Minimal shape of a @lenml/tokenizers tokenizer, the independent reference. */
export interface ReferenceTokenizer {
  encode(text: string, opts?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], opts?: { skip_special_tokens?: boolean; clean_up_tokenization_spaces?: boolean }): string;
  apply_chat_template(messages: unknown[], opts: { tokenize: false; add_generation_prompt?: boolean }): string;
}

export async function loadReference(model: LenmlModel): Promise<ReferenceTokenizer> {
  const pkg = (await import(`@lenml/tokenizer-${model}`)) as { fromPreTrained: () => ReferenceTokenizer };
  return pkg.fromPreTrained();
}

/** GPT-2 as a tokenizer.json, assembled from gpt-3-encoder's encoder.json and vocab.bpe. */
export function gpt2TokenizerJson(): unknown {
  const dir = path.join(modules, "gpt-3-encoder");
  const vocab = JSON.parse(readFileSync(path.join(dir, "encoder.json"), "utf8")) as Record<string, number>;
  const merges = readFileSync(path.join(dir, "vocab.bpe"), "utf8")
    .split("\n")
    .slice(1) // "#version: 0.2" header
    .filter((line) => line.trim().length > 0);
  return {
    added_tokens: [{ id: 50256, content: "<|endoftext|>", special: true, lstrip: false, rstrip: false, normalized: true, single_word: false }],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", vocab, merges, unk_token: null, fuse_unk: false, byte_fallback: false },
  };
}

export function gpt2Reference(): { encode(text: string): number[]; decode(ids: number[]): string } {
  return require("gpt-3-encoder") as { encode(text: string): number[]; decode(ids: number[]): string };
}

/** Inputs every tokenizer is checked on: empty, whitespace, unicode, numbers, code. */
export const TEXTS: readonly string[] = [
  "",
  " ",
  "   ",
  "\n",
  "\n\n\n",
  "\t\t  \n  x",
  "hello   world",
  "trailing spaces   ",
  "  leading spaces",
  "Hello, world!",
  "I'm sure you've seen it; they'll say IT'S DON'T.",
  "你好，世界！这是一个测试。",
  "こんにちは、カタカナ",
  "Привет, мир! Ελληνικά. مرحبا",
  "😀👍🏽🎉🦙",
  "👨‍👩‍👧‍👦 family",
  "e\u0301 cafe\u0301 naïve résumé",
  "ḁ̵̝̓ z̸̢̛͎ͅ",
  "1234567890",
  "3.14159 and 1,000,000 and -42",
  "2024-01-01T12:34:56Z",
  "function add(a, b) {\n  return a + b;\n}\n",
  "def f(x):\n\treturn x**2  # square\n",
  '<div class="x">&amp;</div>',
  "if (x != y && z >= 10) { i++; } // done",
  "The quick brown fox jumps over the lazy dog. " + "Lorem ipsum dolor sit amet. ".repeat(3),
];

/** A long mixed document for the speed check. */
export function longText(bytes: number): string {
  let out = "";
  for (let i = 0; out.length < bytes; i++) out += `${TEXTS[i % TEXTS.length]} line ${i}\n`;
  return out;
}

export const CONVERSATION = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: "What is 2 + 2?" },
  { role: "assistant", content: "2 + 2 = 4." },
  { role: "user", content: "And times 3?" },
];

/** mulberry32: a tiny seeded RNG so every failing string can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces random strings are built from: scripts, emoji, whitespace, digits, special-token fragments. */
const POOL = [
  ..."abcXYZ019 '.,;:!?-_()[]{}<>/\\\"#$%&*+=|~`@^",
  " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u3000",
  "é", "e\u0301", "ß", "ñ", "你", "好", "世界", "カ", "한", "ب", "Ж", "ω",
  "😀", "🦙", "👍🏽", "👨‍👩‍👧", "\u200d", "\ufeff",
  "'s", "'LL", "123", "4567", "<s>", "</s>", "<|", "|>", "<|im_start|>", "<|eot_id|>", "<bos>", "\u2581",
];

export function randomTexts(seed: number, count: number): string[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 24);
    let text = "";
    for (let i = 0; i < length; i++) text += POOL[Math.floor(next() * POOL.length)];
    return text;
  });
}
