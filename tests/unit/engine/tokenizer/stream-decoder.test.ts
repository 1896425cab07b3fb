import { describe, expect, it } from "vitest";
import { tokenizerFromJson, type Tokenizer } from "@/lib/engine/tokenizer";
import { TEXTS, gpt2TokenizerJson, readLenmlFiles } from "./fixtures";

const EMOJI = "Hi 😀👍🏽 🦙! 你好 👨‍👩‍👧‍👦";

function streamPieces(tokenizer: Tokenizer, ids: number[], skipSpecialTokens = false): string[] {
  const stream = tokenizer.createStreamDecoder({ skipSpecialTokens });
  const pieces = ids.map((id) => stream.push(id));
  pieces.push(stream.flush());
  return pieces;
}

describe.each([
  ["gpt2", () => tokenizerFromJson(gpt2TokenizerJson())],
  ["llama2 (byte fallback)", () => tokenizerFromJson(readLenmlFiles("llama2").json, readLenmlFiles("llama2").config)],
])("stream decoder, %s", (_name, load) => {
  const tokenizer = load();

  it("splits emoji across several tokens", () => {
    // Otherwise this test would not exercise held-back bytes.
    const ids = tokenizer.encode("🦙", { addSpecialTokens: false }).filter((id) => tokenizer.idToToken(id) !== "▁");
    expect(ids.length).toBeGreaterThan(1);
  });

  it("emits only whole characters while an emoji's bytes arrive", () => {
    const pieces = streamPieces(tokenizer, tokenizer.encode(EMOJI, { addSpecialTokens: false }));
    for (const piece of pieces) expect(piece).not.toContain("\uFFFD");
    expect(pieces.filter((p) => p === "").length).toBeGreaterThan(0);
    expect(pieces.join("")).toBe(EMOJI);
  });

  it("concatenates to exactly decode(ids) for every table text", () => {
    for (const text of TEXTS) {
      const ids = tokenizer.encode(text);
      for (const skip of [false, true]) {
        expect(streamPieces(tokenizer, ids, skip).join("")).toBe(tokenizer.decode(ids, { skipSpecialTokens: skip }));
      }
    }
  });

  it("turns a dangling partial character into U+FFFD on flush", () => {
    const ids = tokenizer.encode("a🦙", { addSpecialTokens: false });
    const stream = tokenizer.createStreamDecoder();
    const text = ids.slice(0, -1).map((id) => stream.push(id)).join("");
    expect(text).toBe("a");
    expect(stream.flush()).toBe("\uFFFD");
  });
});
