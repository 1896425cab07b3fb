import { describe, expect, it } from "vitest";
import { tokenizerFromJson } from "@/lib/engine/tokenizer/index";
import { BpeCodec } from "@/lib/train/bpe-encode";
import { SPECIAL_TOKENS, toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { BYTE_TO_UNICODE, UNICODE_TO_BYTE } from "@/lib/train/byte-level";
import { CHATML_TEMPLATE } from "@/lib/train/export-hf";
import { generateCorpus } from "@/lib/tasks";

const corpus = generateCorpus(3, 2000).flatMap((x) => [x.prompt, x.response]);
const bpe = trainBpe(corpus, 300);
const codec = new BpeCodec(bpe);

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

describe("byte-level BPE", () => {
  it("maps all 256 bytes to distinct printable characters and back", () => {
    expect(new Set(BYTE_TO_UNICODE).size).toBe(256);
    for (let b = 0; b < 256; b++) expect(UNICODE_TO_BYTE.get(BYTE_TO_UNICODE[b]!)).toBe(b);
    expect(BYTE_TO_UNICODE[32]).toBe("Ġ");
  });

  it("learns the requested merges and appends the three special tokens", () => {
    expect(bpe.merges.length).toBe(300);
    expect(vocabSize(bpe)).toBe(256 + 300 + 3);
    expect([...bpe.special.keys()]).toEqual([...SPECIAL_TOKENS]);
  });

  it("is deterministic", () => {
    expect(trainBpe(corpus, 50).merges).toEqual(trainBpe(corpus, 50).merges);
  });

  it("compresses the corpus it was trained on", () => {
    const text = corpus.slice(0, 200).join("\n");
    expect(codec.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  for (const text of TABLE) {
    it(`round-trips ${JSON.stringify(text).slice(0, 40)}`, () => {
      expect(codec.decode(codec.encode(text))).toBe(text);
    });
  }

  it("encodes special tokens as single ids", () => {
    const ids = codec.encode("<|im_start|>user\nhi<|im_end|>");
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

  it("gives the engine's tokenizer the same ids as the trainer's encoder", () => {
    const tok = tokenizerFromJson(JSON.parse(JSON.stringify(json)), { chat_template: CHATML_TEMPLATE, eos_token: "<|im_end|>" });
    for (const text of TABLE) {
      expect(Array.from(tok.encode(text) as ArrayLike<number>), JSON.stringify(text)).toEqual(codec.encode(text));
    }
  });
});
