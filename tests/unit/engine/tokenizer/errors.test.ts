import { describe, expect, it } from "vitest";
import { EngineError } from "@/lib/engine/errors";
import { tokenizerFromGguf, tokenizerFromJson } from "@/lib/engine/tokenizer";

const tiny = (model: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ added_tokens: [], model, ...extra });

describe("tokenizer loading errors", () => {
  it.each(["WordPiece", "Unigram", "WordLevel"])("rejects a %s model naming the type and the file", (type) => {
    const load = () => tokenizerFromJson(tiny({ type, vocab: {} }), undefined, "bert/tokenizer.json");
    expect(load).toThrow(EngineError);
    expect(load).toThrow(`bert/tokenizer.json: model.type "${type}" is not supported (only BPE)`);
  });

  it("rejects an unsupported pre-tokenizer naming its field", () => {
    const json = tiny({ type: "BPE", vocab: { a: 0 }, merges: [] }, { pre_tokenizer: { type: "BertPreTokenizer" } });
    expect(() => tokenizerFromJson(json)).toThrow('pre_tokenizer.type "BertPreTokenizer" is not supported');
  });

  it("rejects a merge that uses a token missing from the vocabulary", () => {
    const json = tiny({ type: "BPE", vocab: { a: 0, b: 1 }, merges: ["a b"] });
    expect(() => tokenizerFromJson(json)).toThrow(/merges\[0\] \["a","b"\] uses a token missing/);
  });

  it("rejects a GGUF tokenizer model other than gpt2 or llama", () => {
    expect(() => tokenizerFromGguf({ "tokenizer.ggml.model": "bert" })).toThrow(
      'GGUF metadata: tokenizer.ggml.model "bert" is not supported',
    );
  });

  it("rejects an unknown GGUF pre-tokenizer instead of guessing its regex", () => {
    const metadata = { "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "mystery", "tokenizer.ggml.tokens": ["a"], "tokenizer.ggml.merges": [] };
    expect(() => tokenizerFromGguf(metadata)).toThrow('tokenizer.ggml.pre "mystery" is not supported');
  });

  it("reports a missing chat template", () => {
    const tokenizer = tokenizerFromJson(tiny({ type: "BPE", vocab: { a: 0 }, merges: [] }));
    expect(tokenizer.chatTemplate).toBeNull();
    expect(() => tokenizer.applyChatTemplate([{ role: "user", content: "a" }])).toThrow("tokenizer has no chat_template");
  });
});
