import { BYTE_TO_CHAR, compilePattern, GPT2_PATTERN, toByteLevel } from "@/lib/engine/tokenizer/byte-level";
import type { HfSpecialIds } from "./export-hf";

export const SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] as const;

export interface BpeModel {
  /** token string (byte-level chars) → id; ids 0..255 are the single bytes in byte order. */
  vocab: Map<string, number>;
  /** merges in rank order, each as [left, right]. */
  merges: [string, string][];
  /** special token → id (after the BPE vocab). */
  special: Map<string, number>;
}

/** GPT-2's pre-tokenizer split, as the exported ByteLevel pre_tokenizer (use_regex) applies it. */
const PRETOKENIZE = compilePattern(GPT2_PATTERN);

/** A pre-token's UTF-8 bytes, each as its byte-level character (the engine's table; all are single UTF-16 units). */
const byteChars = (piece: string): string[] => [...toByteLevel(piece)];

interface Word {
  symbols: string[];
  count: number;
}

function countPairs(words: Word[]): Map<string, number> {
  const pairs = new Map<string, number>();
  for (const w of words) {
    for (let i = 0; i + 1 < w.symbols.length; i++) {
      const key = `${w.symbols[i]}\u0000${w.symbols[i + 1]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + w.count);
    }
  }
  return pairs;
}

/** Most frequent pair; ties go to the lexicographically smaller key so training is deterministic. */
function bestPair(pairs: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 1; // a pair seen once is not worth a vocab slot
  for (const [key, c] of pairs) {
    if (c > bestCount || (c === bestCount && best !== null && key < best)) {
      best = key;
      bestCount = c;
    }
  }
  return best;
}

function applyMerge(words: Word[], left: string, right: string): void {
  const joined = left + right;
  for (const w of words) {
    const s = w.symbols;
    if (s.length < 2) continue;
    const out: string[] = [];
    for (let i = 0; i < s.length; i++) {
      if (i + 1 < s.length && s[i] === left && s[i + 1] === right) {
        out.push(joined);
        i++;
      } else out.push(s[i]!);
    }
    w.symbols = out;
  }
}

/**
 * Trains byte-level BPE on `texts` (special tokens must already be removed).
 * Recounts pairs after every merge: O(merges × corpus words), fine for the
 * few thousand distinct pre-tokens of the task corpus.
 */
export function trainBpe(texts: Iterable<string>, numMerges: number): BpeModel {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const piece of text.match(PRETOKENIZE) ?? []) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  }
  const words: Word[] = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([p, c]) => ({ symbols: byteChars(p), count: c }));
  const vocab = new Map<string, number>(BYTE_TO_CHAR.map((c, b) => [c, b]));
  const merges: [string, string][] = [];
  while (merges.length < numMerges) {
    const key = bestPair(countPairs(words));
    if (key === null) break;
    const [left, right] = key.split("\u0000") as [string, string];
    merges.push([left, right]);
    if (!vocab.has(left + right)) vocab.set(left + right, vocab.size);
    applyMerge(words, left, right);
  }
  const special = new Map<string, number>(SPECIAL_TOKENS.map((t, i) => [t, vocab.size + i]));
  return { vocab, merges, special };
}

/** Hugging Face `tokenizer.json` for a trained model: BPE + ByteLevel pre-tokenizer/decoder + ChatML specials. */
export function toTokenizerJson(model: BpeModel): Record<string, unknown> {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [...model.special].map(([content, id]) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(model.vocab),
      merges: model.merges.map(([a, b]) => [a, b]),
    },
  };
}

/** Ids of the three ChatML specials, for the exported config and tokenizer files. */
export function specialIds(model: BpeModel): HfSpecialIds {
  const id = (t: (typeof SPECIAL_TOKENS)[number]) => model.special.get(t)!;
  return { endOfText: id("<|endoftext|>"), imStart: id("<|im_start|>"), imEnd: id("<|im_end|>") };
}

/** Total ids the embedding needs: BPE vocab plus special tokens. */
export function vocabSize(model: BpeModel): number {
  return model.vocab.size + model.special.size;
}
