import { describe, expect, it } from "vitest";
import { tokenizerFromJson } from "@/lib/engine/tokenizer";
import { gpt2Reference, gpt2TokenizerJson, readLenmlFiles } from "./fixtures";

/** GPT-2 plus extra added tokens, so expected ids for the plain-text pieces come from gpt-3-encoder. */
function gpt2With(...tokens: Record<string, unknown>[]) {
  const json = gpt2TokenizerJson() as { added_tokens: unknown[] };
  const base = { special: true, lstrip: false, rstrip: false, normalized: false, single_word: false };
  json.added_tokens.push(...tokens.map((t, i) => ({ ...base, id: 50257 + i, ...t })));
  return tokenizerFromJson(json);
}

describe("added tokens", () => {
  const ref = gpt2Reference();

  it("keeps the surrounding spaces by default", () => {
    const tokenizer = gpt2With({ content: "<mask>" });
    expect(tokenizer.encode("a <mask> b")).toEqual([...ref.encode("a "), 50257, ...ref.encode(" b")]);
  });

  it("swallows the whitespace beside the token with lstrip / rstrip", () => {
    const tokenizer = gpt2With({ content: "<mask>", lstrip: true, rstrip: true });
    expect(tokenizer.encode("a  <mask>  b")).toEqual([...ref.encode("a"), 50257, ...ref.encode("b")]);
  });

  it("matches a single_word token only outside words", () => {
    const tokenizer = gpt2With({ content: "cat", single_word: true, special: false });
    expect(tokenizer.encode("cat concat")).toEqual([50257, ...ref.encode(" concat")]);
  });

  it("prefers the longest token at a position", () => {
    const tokenizer = gpt2With({ content: "<|im" }, { content: "<|im_start|>" });
    expect(tokenizer.encode("<|im_start|>x<|im")).toEqual([50258, ...ref.encode("x"), 50257]);
  });

  it("drops only special tokens with skipSpecialTokens", () => {
    const tokenizer = gpt2With({ content: "<sp>" }, { content: "<plain>", special: false });
    const ids = tokenizer.encode("<sp>a<plain>");
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe("a<plain>");
  });
});

describe("normalized added tokens", () => {
  // Llama 2 normalizes "a zz" to "▁a▁zz", so "▁zz" can only match after normalization.
  function llama2With(normalized: boolean) {
    const { json, config } = readLenmlFiles("llama2");
    const base = json as { added_tokens: unknown[] };
    const token = { id: 32000, content: "▁zz", special: false, lstrip: false, rstrip: false, single_word: false, normalized };
    return tokenizerFromJson({ ...base, added_tokens: [...base.added_tokens, token] }, config);
  }

  it("match in the normalized text when normalized is true", () => {
    const plain = llama2With(false);
    expect(llama2With(true).encode("a zz")).toEqual([...plain.encode("a"), 32000]);
  });

  it("match only the raw text when normalized is false", () => {
    expect(llama2With(false).encode("a zz")).not.toContain(32000);
    expect(llama2With(false).encode("a▁zz", { addSpecialTokens: false })).toContain(32000);
  });
});

describe("BOS from tokenizer_config.json", () => {
  it("follows add_bos_token over the post-processor template", () => {
    const { json, config } = readLenmlFiles("llama2");
    expect(tokenizerFromJson(json, config).encode("hi")[0]).toBe(1);
    const noBos = tokenizerFromJson(json, { ...config, add_bos_token: false });
    expect(noBos.addBosToken).toBe(false);
    expect(noBos.encode("hi")).toEqual(tokenizerFromJson(json, config).encode("hi", { addSpecialTokens: false }));
  });

  it("appends EOS when add_eos_token is set", () => {
    const { json, config } = readLenmlFiles("llama2");
    const ids = tokenizerFromJson(json, { ...config, add_eos_token: true }).encode("hi");
    expect(ids[0]).toBe(1);
    expect(ids.at(-1)).toBe(2);
  });
});
