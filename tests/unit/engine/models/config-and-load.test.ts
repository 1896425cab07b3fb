import { describe, expect, it } from "vitest";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { configFromGguf, configFromHf } from "@/lib/engine/models/config";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import { permuteQk } from "@/lib/engine/models/llama/weights";
import { modelFromGguf, modelFromHf } from "@/lib/engine/models/load";
import { engineGreedy } from "../golden/compare";
import { randomGpt2, randomLlama, rawTensor } from "../golden/random-model";

const spec = { dim: 64, nLayers: 1, nHeads: 4, nKvHeads: 2, hidden: 64, vocab: 260, ctx: 32, tied: false, seed: 9 } as const;

describe("configFromHf", () => {
  it("normalizes Llama with llama3 rope scaling, Mistral, Qwen2 and GPT-2", () => {
    const llama = configFromHf({
      ...randomLlama({ ...spec, arch: "LlamaForCausalLM" }).config,
      rope_theta: 500000,
      rope_scaling: { rope_type: "llama3", factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
      eos_token_id: [128001, 128009],
    });
    expect(llama).toMatchObject({ family: "llama", dim: 64, nKvHeads: 2, headDim: 16, ropeTheta: 500000, qkvBias: false, eosTokenIds: [128001, 128009] });
    expect(llama.ropeScaling).toEqual({ type: "llama3", factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    expect(configFromHf(randomLlama({ ...spec, arch: "MistralForCausalLM" }).config).family).toBe("llama");
    expect(configFromHf(randomLlama({ ...spec, arch: "Qwen2ForCausalLM" }).config)).toMatchObject({ family: "qwen2", qkvBias: true });
    expect(configFromHf(randomGpt2({ dim: 32, nLayers: 1, nHeads: 2, vocab: 260, ctx: 16, seed: 1 }).config)).toMatchObject({
      family: "gpt2", hiddenDim: 128, headDim: 16, tieEmbeddings: true,
    });
  });

  it("refuses unsupported architectures by name", () => {
    expect(() => configFromHf({ architectures: ["MambaForCausalLM"] })).toThrow(/config.json: architecture MambaForCausalLM is not supported/);
    expect(() => configFromGguf({ "general.architecture": "falcon" }, [])).toThrow(/architecture falcon is not supported/);
  });

  it("names the bad field", () => {
    const base = randomLlama({ ...spec, arch: "LlamaForCausalLM" }).config;
    expect(() => configFromHf({ ...base, hidden_size: "abc" })).toThrow(/hidden_size must be a positive integer, got "abc"/);
    expect(() => configFromHf({ ...base, num_key_value_heads: 3 })).toThrow(/not a multiple of num_key_value_heads 3/);
    expect(() => configFromHf({ ...base, rope_scaling: { type: "yarn", factor: 2 } })).toThrow(/rope_scaling type "yarn" is not supported/);
    expect(() => configFromGguf({ "general.architecture": "llama" }, [])).toThrow(/llama.vocab_size must be a positive integer/);
  });
});

describe("model loading", () => {
  it("refuses a tensor of the wrong shape, naming it and both shapes", () => {
    const m = randomLlama({ ...spec, arch: "LlamaForCausalLM" });
    m.tensors.set("model.layers.0.mlp.up_proj.weight", rawTensor("x", [63, 64], new Float32Array(63 * 64)));
    expect(() => modelFromHf(m.config, m.tensors)).toThrow(/tensor "model.layers.0.mlp.up_proj.weight" has shape \[63,64\], expected \[64,64\]/);
    m.tensors.delete("model.layers.0.mlp.up_proj.weight");
    expect(() => modelFromHf(m.config, m.tensors)).toThrow(/missing tensor "model.layers.0.mlp.up_proj.weight"/);
  });

  it("GGUF q/k permutation is undone exactly at load", () => {
    const w = new Float32Array(32 * 3).map((_, i) => i);
    const t = rawTensor("q", [32, 3], w);
    const there = permuteQk(t, 4, false);
    expect(new Float32Array(there.bytes.buffer)).not.toEqual(w);
    expect(new Float32Array(permuteQk(there, 4, true).bytes.buffer)).toEqual(w);
  });

  it.each(["LlamaForCausalLM", "Qwen2ForCausalLM"] as const)("%s: the GGUF export and the HF weights give the same greedy ids", (arch) => {
    const m = randomLlama({ ...spec, arch });
    const gg = modelFromGguf(readGguf(ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(260), dtype: "F32" })));
    const hf = modelFromHf(m.config, m.tensors);
    expect(engineGreedy(gg, [1, 5, 6], 12).ids).toEqual(engineGreedy(hf, [1, 5, 6], 12).ids);
  });

  it("Q8_0 quantization at load stays close to F32 (same top token on most steps)", () => {
    const m = randomLlama({ ...spec, arch: "LlamaForCausalLM" });
    const f = engineGreedy(modelFromHf(m.config, m.tensors), [1, 5, 6], 16);
    const q = engineGreedy(modelFromHf(m.config, m.tensors, { format: "q8_0" }), [1, 5, 6], 16);
    let maxDiff = 0;
    for (let j = 0; j < 260; j++) maxDiff = Math.max(maxDiff, Math.abs(f.logprobs[0][j] - q.logprobs[0][j]));
    expect(maxDiff).toBeGreaterThan(0); // it really quantized
    expect(maxDiff).toBeLessThan(0.5);
    expect(q.ids[0]).toBe(f.ids[0]);
  });

  it("a session refuses rows outside its vocabulary, slots or context", () => {
    const m = randomLlama({ ...spec, arch: "LlamaForCausalLM" });
    const s = modelFromHf(m.config, m.tensors).createSession({ slots: 2, contextLength: 8 });
    expect(() => s.forward(Int32Array.of(260), Int32Array.of(0), Int32Array.of(0), 1, "last")).toThrow(/token id 260 .* outside the vocabulary/);
    expect(() => s.forward(Int32Array.of(1), Int32Array.of(2), Int32Array.of(0), 1, "last")).toThrow(/slot 2/);
    expect(() => s.forward(Int32Array.of(1), Int32Array.of(0), Int32Array.of(8), 1, "last")).toThrow(/position 8 .* outside the context/);
  });
});

describe("Mistral sliding window", () => {
  it("with one layer, the last position's logits equal those of the last `window` tokens run alone", () => {
    const m = randomLlama({ ...spec, arch: "MistralForCausalLM", nLayers: 1, seed: 13 });
    const seq = [1, 40, 41, 42, 43, 44, 45, 46, 47];
    const run = (cfg: Record<string, unknown>, ids: number[]) => {
      const s = modelFromHf(cfg, m.tensors).createSession({ slots: 1 });
      return Array.from(s.forward(Int32Array.from(ids), new Int32Array(ids.length), Int32Array.from(ids.map((_, i) => i)), ids.length, "last"));
    };
    const windowed = run({ ...m.config, sliding_window: 4 }, seq);
    const alone = run(m.config, seq.slice(-4));
    const full = run(m.config, seq);
    windowed.forEach((x, i) => expect(x).toBeCloseTo(alone[i], 4));
    expect(Math.max(...windowed.map((x, i) => Math.abs(x - full[i])))).toBeGreaterThan(1e-3);
  });

  it("refuses Qwen2's use_sliding_window rather than ignoring it", () => {
    const cfg = { ...randomLlama({ ...spec, arch: "Qwen2ForCausalLM" }).config, use_sliding_window: true };
    expect(() => configFromHf(cfg)).toThrow(/use_sliding_window: true is not supported/);
  });
});
