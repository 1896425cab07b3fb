import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR } from "@/lib/engine/tokenizer/byte-level";
import { SPECIAL_TOKENS, specialIds, toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { hfTokenizer } from "@/lib/train/export-hf";
import { generateCorpus } from "@/lib/tasks";

const corpus = generateCorpus(3, 2000).flatMap((x) => [x.prompt, x.response]);
const bpe = trainBpe(corpus, 300);
// The trained tokenizer is used through the engine, from the tokenizer.json the trainer writes.
const tokenizer = hfTokenizer(toTokenizerJson(bpe), 64, specialIds(bpe));
const encode = (text: string) => tokenizer.encode(text, { addSpecialTokens: false });
const decode = (ids: number[]) => tokenizer.decode(ids, { skipSpecialTokens: false });

// Covers the empty string, whitespace runs, unicode, digits, punctuation and specials.
const TABLE = [
  "",
  " ",
  "   two  spaces\n\nand lines\t",
  "What is 12 + 7?",
  "héllo wörld — naïve café ✓ 日本",
  "it's we'll they've",
  "x=1; y = [2,3];",
  "<|im_start|>user\nSort: pear fig apple<|im_end|>\n<|im_start|>assistant\napple fig pear<|im_end|>",
];

describe("trainBpe", () => {
  it("gives the 256 bytes ids 0..255 in byte order, as the engine's byte-level table spells them", () => {
    for (let b = 0; b < 256; b++) expect(bpe.vocab.get(BYTE_TO_CHAR[b]!)).toBe(b);
  });

  it("learns the requested merges and appends the three special tokens", () => {
    expect(bpe.merges.length).toBe(300);
    expect(vocabSize(bpe)).toBe(256 + 300 + 3);
    expect([...bpe.special.keys()]).toEqual([...SPECIAL_TOKENS]);
    expect(specialIds(bpe)).toEqual({ endOfText: 556, imStart: 557, imEnd: 558 });
  });

  it("merges the most frequent pair first, within GPT-2 pre-tokens, and adds each result to the vocab", () => {
    // Pre-tokens "ab", " ab" ×2, " cd": a+b occurs 3 times, then Ġ+ab twice; a pair seen once is never merged.
    const small = trainBpe(["ab ab ab cd"], 5);
    expect(small.merges).toEqual([["a", "b"], ["Ġ", "ab"]]);
    expect(small.vocab.get("ab")).toBe(256);
    expect(small.vocab.get("Ġab")).toBe(257);
    const tok = hfTokenizer(toTokenizerJson(small), 16, specialIds(small));
    expect(tok.encode(" ab ab", { addSpecialTokens: false })).toEqual([257, 257]);
  });

  it("is deterministic", () => {
    expect(trainBpe(corpus, 50).merges).toEqual(trainBpe(corpus, 50).merges);
  });

  it("compresses the corpus it was trained on", () => {
    const text = corpus.slice(0, 200).join("\n");
    expect(encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  for (const text of TABLE) {
    it(`round-trips ${JSON.stringify(text).slice(0, 40)} through the engine's tokenizer`, () => {
      expect(decode(encode(text))).toBe(text);
    });
  }

  it("encodes special tokens as single ids", () => {
    const ids = encode("<|im_start|>user\nhi<|im_end|>");
    expect(ids[0]).toBe(bpe.special.get("<|im_start|>"));
    expect(ids[ids.length - 1]).toBe(bpe.special.get("<|im_end|>"));
  });
});

describe("tokenizer.json export", () => {
  const json = toTokenizerJson(bpe);

  it("declares a byte-level BPE model with the ChatML added tokens", () => {
    expect(json.model).toMatchObject({ type: "BPE" });
    expect(json.pre_tokenizer).toMatchObject({ type: "ByteLevel" });
    expect(json.decoder).toMatchObject({ type: "ByteLevel" });
    expect((json.added_tokens as { content: string }[]).map((t) => t.content)).toEqual([...SPECIAL_TOKENS]);
  });
});
