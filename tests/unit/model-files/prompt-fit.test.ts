import { describe, expect, it } from "vitest";
import { EngineError } from "@/lib/engine/errors";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { checkRequestFits, kvCacheBytes, kvSlots, PromptError, type KvShape } from "@/lib/model-files/prompt-fit";

// A small Llama: 4 layers, 2 KV heads of 32 → kvDim 64; context 2048.
const shape: KvShape = { nLayers: 4, nKvHeads: 2, headDim: 32, maxSeqLen: 2048 };
const sampling = (n: number, maxNewTokens: number) => Array.from({ length: n }, (_, i) => parseDecodingConfig({ max_new_tokens: maxNewTokens, seed: i }));
const MiB = 1024 * 1024;

function thrown(f: () => void): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("the KV cache a request asks for", () => {
  it("counts one slot per sampling config and 2 × num_beams for beam search", () => {
    expect(kvSlots(sampling(4, 8))).toBe(4);
    expect(kvSlots([parseDecodingConfig({ num_beams: 5, temperature: 0 })])).toBe(10);
  });

  it("is K and V × layers × slots × positions × kvDim × 4 bytes", () => {
    expect(kvCacheBytes(shape, 3, 100)).toBe(2 * 4 * 3 * 100 * 64 * 4);
  });
});

describe("checkRequestFits", () => {
  it("lets a prompt through when prompt + max_new_tokens fit the context and the budget", () => {
    expect(() => checkRequestFits(shape, sampling(4, 128), 1920, 64 * MiB)).not.toThrow();
  });

  it("blames the prompt when prompt + max_new_tokens exceed the context", () => {
    const e = thrown(() => checkRequestFits(shape, sampling(4, 128), 1921, 64 * MiB));
    expect(e).toBeInstanceOf(PromptError);
    expect(e).toMatchObject({ kind: "too_long", message: "prompt of 1921 tokens + max_new_tokens 128 do not fit the model's context of 2048" });
  });

  it("blames the settings, in the engine's words, when max_new_tokens exceeds the context for any prompt", () => {
    const e = thrown(() => checkRequestFits(shape, sampling(2, 100_000), 5, 64 * MiB));
    expect(e).toBeInstanceOf(EngineError);
    expect(e).not.toBeInstanceOf(PromptError);
    expect(e.message).toBe("max_new_tokens must be ≤ 2048 (the model's context), got 100000");
    expect(thrown(() => checkRequestFits(shape, sampling(1, 2048), 1, 64 * MiB)).message).toBe("max_new_tokens 2048 leaves no room for a prompt in the model's context of 2048");
  });

  it("blames the settings when even a one-token prompt needs a KV cache over the budget", () => {
    // 16 beams → 32 slots × 1025 positions × 4 layers × 64 floats × 2 × 4 bytes = 67.2 MB.
    const beams = [parseDecodingConfig({ num_beams: 16, temperature: 0, max_new_tokens: 1024 })];
    const e = thrown(() => checkRequestFits(shape, beams, 1, 64 * MiB));
    expect(e).toBeInstanceOf(EngineError);
    expect(e).not.toBeInstanceOf(PromptError);
    expect(e.message).toBe(
      "these decoding settings need a KV cache of 67.2 MB (32 slots × 1025 positions × 4 layers × 64 floats × K and V × 4 bytes) even for a one-token prompt, over the budget of 67.1 MB (KV_CACHE_BUDGET_MB); lower max_new_tokens or the completions per prompt",
    );
  });

  it("with stopAtContext, lets a prompt run until the context is full and refuses only one that fills it", () => {
    expect(() => checkRequestFits(shape, sampling(4, 2048), 2000, 64 * MiB, { stopAtContext: true })).not.toThrow();
    const e = thrown(() => checkRequestFits(shape, sampling(4, 128), 2048, 64 * MiB, { stopAtContext: true }));
    expect(e).toMatchObject({ kind: "too_long", message: "prompt of 2048 tokens does not leave room for one new token in the model's context of 2048" });
    // The KV cache is sized as generate() sizes it: prompt + max_new_tokens, capped by the context.
    expect(() => checkRequestFits(shape, sampling(8, 2048), 10, 8 * 2048 * 2048, { stopAtContext: true })).not.toThrow();
    expect(() => checkRequestFits(shape, sampling(8, 2048), 10, 8 * 2048 * 2048 - 1, { stopAtContext: true })).toThrow(EngineError);
  });

  it("blames the prompt when its length alone takes the KV cache over the budget", () => {
    // 8 slots × (prompt + 64) positions × 2048 bytes each: the 1 MiB budget holds 64 positions, so any prompt is too long.
    const e = thrown(() => checkRequestFits(shape, sampling(8, 63), 2, MiB));
    expect(e).toBeInstanceOf(PromptError);
    expect(e.message).toBe("prompt of 2 tokens + max_new_tokens 63 need a KV cache of 1.1 MB (8 slots × 65 positions × 4 layers × 64 floats × K and V × 4 bytes), over the budget of 1.0 MB (KV_CACHE_BUDGET_MB)");
    expect(() => checkRequestFits(shape, sampling(8, 63), 1, MiB)).not.toThrow();
  });
});
