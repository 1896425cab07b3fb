import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { tokenizerFromGguf } from "@/lib/engine/tokenizer";

const BYTES = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);

/** A SentencePiece-type ('llama') vocab: <unk>, <s>, </s>, 256 byte tokens, then scored pieces. */
function spmMetadata(pieces: [string, number][], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "tokenizer.ggml.model": "llama",
    "tokenizer.ggml.tokens": ["<unk>", "<s>", "</s>", ...BYTES, ...pieces.map(([t]) => t)],
    "tokenizer.ggml.scores": [0, 0, 0, ...BYTES.map(() => 0), ...pieces.map(([, s]) => s)],
    "tokenizer.ggml.token_type": [2, 3, 3, ...BYTES.map(() => 6), ...pieces.map(() => 1)],
    "tokenizer.ggml.bos_token_id": 1,
    "tokenizer.ggml.eos_token_id": 2,
    "tokenizer.ggml.unknown_token_id": 0,
    ...extra,
  };
}

const FIRST_PIECE = 3 + 256;

describe("GGUF 'llama' (SentencePiece) metadata", () => {
  const pieces: [string, number][] = [["▁", -1], ["a", -2], ["b", -2], ["c", -2], ["ab", -1], ["bc", -2], ["▁a", -5], ["▁ab", -3]];
  const id = (piece: string): number => FIRST_PIECE + pieces.findIndex(([t]) => t === piece);

  it("merges by score: the best-scoring pair first", () => {
    const tokenizer = tokenizerFromGguf(spmMetadata(pieces));
    expect(tokenizer.encode("abc")).toEqual([1, id("▁ab"), id("c")]);
  });

  it("changes the split when the scores change", () => {
    const rescored = pieces.map(([t, s]): [string, number] => [t, t === "bc" ? -0.5 : s]);
    const tokenizer = tokenizerFromGguf(spmMetadata(rescored));
    expect(tokenizer.encode("abc")).toEqual([1, id("▁a"), id("bc")]);
  });

  it("falls back to <0xNN> byte tokens for characters outside the vocabulary", () => {
    const tokenizer = tokenizerFromGguf(spmMetadata(pieces));
    expect(tokenizer.encode("é", { addSpecialTokens: false })).toEqual([id("▁"), 3 + 0xc3, 3 + 0xa9]);
    expect(tokenizer.decode(tokenizer.encode("a é abc"), { skipSpecialTokens: true })).toBe("a é abc");
  });

  it("matches control tokens in text and reads BOS/EOS/add_bos_token", () => {
    const tokenizer = tokenizerFromGguf(spmMetadata(pieces, { "tokenizer.ggml.add_bos_token": false }));
    expect(tokenizer.bosId).toBe(1);
    expect(tokenizer.eosIds).toEqual([2]);
    expect(tokenizer.addBosToken).toBe(false);
    expect(tokenizer.encode("a</s>")).toEqual([id("▁a"), 2]);
    expect(tokenizer.decode([1, id("▁ab"), 2])).toBe("<s> ab</s>");
  });

  it("omits the leading ▁ when add_space_prefix is false", () => {
    const tokenizer = tokenizerFromGguf(spmMetadata(pieces, { "tokenizer.ggml.add_space_prefix": false }));
    expect(tokenizer.encode("ab c", { addSpecialTokens: false })).toEqual([id("ab"), id("▁"), id("c")]);
    expect(tokenizer.decode(tokenizer.encode("ab c"), { skipSpecialTokens: true })).toBe("ab c");
  });

  it("renders tokenizer.chat_template with bos_token from the vocabulary", () => {
    const template = "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}";
    const tokenizer = tokenizerFromGguf(spmMetadata(pieces, { "tokenizer.chat_template": template }));
    expect(tokenizer.applyChatTemplate([{ role: "user", content: "ab" }], { addGenerationPrompt: true })).toBe("<s>[user]ab[assistant]");
  });

  it("loads the stories260K fixture's placeholder vocabulary", () => {
    const file = readGguf(readFileSync("/work/shared/fixtures/stories260K/stories260K-f32.gguf"), "stories260K-f32.gguf");
    const tokenizer = tokenizerFromGguf(file.metadata);
    expect(tokenizer.vocabSize).toBe(512);
    expect(tokenizer.bosId).toBe(1);
    expect(tokenizer.eosIds).toEqual([2]);
    // No piece covers "H" or "i", so both fall back to byte tokens after the ▁ prefix (itself 3 bytes).
    expect(tokenizer.encode("Hi").slice(-2)).toEqual([3 + 0x48, 3 + 0x69]);
  });
});

describe("GGUF 'gpt2' (byte-level BPE) metadata", () => {
  // "Ġ" is GPT-2's byte-level spelling of a space.
  const tokens = ["h", "e", "l", "o", "Ġ", "w", "r", "d", "he", "ll", "hell", "hello", "Ġw", "or", "Ġwor", "ld", "Ġworld", "<|endoftext|>"];
  const merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"];
  const metadata = {
    "tokenizer.ggml.model": "gpt2",
    "tokenizer.ggml.pre": "gpt2",
    "tokenizer.ggml.tokens": tokens,
    "tokenizer.ggml.token_type": tokens.map((t) => (t === "<|endoftext|>" ? 3 : 1)),
    "tokenizer.ggml.merges": merges,
    "tokenizer.ggml.bos_token_id": 17,
    "tokenizer.ggml.eos_token_id": 17,
  };

  it("applies merges in rank order and adds no BOS by default", () => {
    const tokenizer = tokenizerFromGguf(metadata);
    expect(tokenizer.addBosToken).toBe(false);
    expect(tokenizer.encode("hello world")).toEqual([11, 16]);
    expect(tokenizer.encode("he world<|endoftext|>")).toEqual([8, 16, 17]);
    expect(tokenizer.decode([11, 16, 17], { skipSpecialTokens: true })).toBe("hello world");
  });

  it("stops merging where the merge list ends", () => {
    const tokenizer = tokenizerFromGguf({ ...metadata, "tokenizer.ggml.merges": merges.slice(0, 2) });
    expect(tokenizer.encode("hello")).toEqual([8, 9, 3]);
  });
});
