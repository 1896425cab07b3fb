/**
 * Golden tests: random-weight models written with the engine's GGUF writer are
 * run by llama.cpp (node-llama-cpp, F32 KV cache, flash attention off) and by
 * the engine, from the in-memory HF weights and from the GGUF bytes, on the
 * default (WASM) kernel backend and on the TypeScript one.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import type { KernelOptions } from "@/lib/engine/kernels/backend/types";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import { modelFromGguf, modelFromHf } from "@/lib/engine/models/load";
import { engineGreedy, firstDivergence, maxLogprobDiff } from "./compare";
import type { ReferenceRun } from "./llama-cpp";
import { llamaCppGreedy } from "./llama-cpp";
import type { RandomModel } from "./random-model";
import { randomGpt2, randomLlama } from "./random-model";

const dir = mkdtempSync(path.join(tmpdir(), "engine-golden-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VOCAB = 320;
const PROMPT = [1, 300, 301, 17];
const STEPS = 64;

type Run = ReturnType<typeof engineGreedy>;

/** llama.cpp's run, and the engine's from the GGUF bytes and the HF tensors, each on both backends (TypeScript runs listed second). */
async function compare(m: RandomModel, dtype: "F32" | "F16" | "Q8_0", name: string): Promise<{ ref: ReferenceRun; fromGguf: Run[]; fromHf: Run[] }> {
  const bytes = ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(VOCAB), dtype });
  const file = path.join(dir, `${name}.gguf`);
  writeFileSync(file, bytes);
  const ref = await llamaCppGreedy(file, PROMPT, STEPS, VOCAB);
  const kernels: KernelOptions[] = [{}, { backend: "typescript" }];
  const fromGguf = kernels.map((k) => engineGreedy(modelFromGguf(readGguf(bytes), { kernels: k }), PROMPT, STEPS));
  const fromHf = kernels.map((k) => engineGreedy(modelFromHf(m.config, m.tensors, { kernels: k }), PROMPT, STEPS));
  expect(fromHf.map((r) => r.ids.length)).toEqual([STEPS, STEPS]);
  return { ref, fromGguf, fromHf };
}

const llamaSpec = { dim: 64, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 96, vocab: VOCAB, ctx: 128 } as const;

describe("engine vs llama.cpp (F32)", () => {
  it.each([
    ["llama-gqa-untied", randomLlama({ ...llamaSpec, arch: "LlamaForCausalLM", tied: false, seed: 1 })],
    ["llama-gqa-tied", randomLlama({ ...llamaSpec, arch: "LlamaForCausalLM", tied: true, seed: 2 })],
    ["qwen2-biases", randomLlama({ ...llamaSpec, arch: "Qwen2ForCausalLM", tied: false, seed: 3 })],
    ["mistral", randomLlama({ ...llamaSpec, arch: "MistralForCausalLM", nKvHeads: 1, tied: false, seed: 4 })],
  ])("%s: identical greedy 64 tokens and log-probs within 1e-3", async (name, m) => {
    const { ref, fromGguf, fromHf } = await compare(m, "F32", name);
    for (const run of [...fromGguf, ...fromHf]) {
      expect(run.ids).toEqual(ref.ids);
      expect(maxLogprobDiff(run, ref)).toBeLessThan(1e-3);
    }
  });

  it("gpt2: identical greedy 64 tokens; log-probs within 1e-2 (llama.cpp's GELU is an f16 lookup table)", async () => {
    const m = randomGpt2({ dim: 64, nLayers: 2, nHeads: 4, vocab: VOCAB, ctx: 128, seed: 5 });
    const { ref, fromGguf, fromHf } = await compare(m, "F32", "gpt2");
    for (const run of [...fromGguf, ...fromHf]) {
      expect(run.ids).toEqual(ref.ids);
      expect(maxLogprobDiff(run, ref)).toBeLessThan(1e-2);
    }
  });
});

describe("engine vs llama.cpp (F16 GGUF)", () => {
  // llama.cpp's F16 matmuls round activations to f16 (and differ by ~2e-3 more for reasons
  // not pinned down); the engine keeps activations in f32. So: likely tokens within 1e-2,
  // and greedy ids identical except where llama.cpp's top two are within 1e-2 (a near tie).
  it("llama F16: greedy ids identical up to a near tie; log-probs of tokens with p >= 1e-3 within 1e-2", async () => {
    const m = randomLlama({ ...llamaSpec, arch: "LlamaForCausalLM", tied: false, seed: 1 });
    const { ref, fromGguf } = await compare(m, "F16", "llama-f16");
    for (const run of fromGguf) {
      const div = firstDivergence(run, ref, 1e-2);
      expect(div.explained).toBe(true);
      expect(div.index === -1 || div.index >= 8).toBe(true);
      expect(maxLogprobDiff(run, ref, 1e-3)).toBeLessThan(1e-2);
    }
  });
});

describe("engine vs llama.cpp (llama3 rope scaling)", () => {
  it("llama3 rope_scaling (exported as rope_freqs.weight): identical greedy 64 tokens and log-probs within 1e-3", async () => {
    const m = randomLlama({ ...llamaSpec, arch: "LlamaForCausalLM", tied: false, seed: 12 });
    const plain = engineGreedy(modelFromHf(m.config, m.tensors), PROMPT, STEPS);
    m.config.rope_scaling = { rope_type: "llama3", factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 };
    const { ref, fromGguf, fromHf } = await compare(m, "F32", "llama3-rope");
    expect(fromHf[0].ids).not.toEqual(plain.ids); // the scaling matters for this model
    for (const run of [...fromGguf, ...fromHf]) {
      expect(run.ids).toEqual(ref.ids);
      expect(maxLogprobDiff(run, ref)).toBeLessThan(1e-3);
    }
  });
});

describe("engine vs llama.cpp (Q8_0 GGUF)", () => {
  // Both sides quantize activations to Q8_0 inside matmuls (llama.cpp's semantics).
  // Llama agrees to ~1e-5. Qwen2 agrees to ~1e-5 on most steps, but on a few decode steps
  // llama.cpp's logits differ (up to ~0.1 on likely tokens, ~0.3 in the far tail); the cause
  // is not found (F32 Qwen2 agrees to 1e-5 everywhere), hence the stated Q8_0 tolerance:
  // 1e-3 for Llama, 0.15 on tokens with p >= 1e-3 for Qwen2.
  it("llama Q8_0: identical greedy 64 tokens and log-probs within 1e-3", async () => {
    const m = randomLlama({ ...llamaSpec, arch: "LlamaForCausalLM", tied: false, seed: 1 });
    const { ref, fromGguf } = await compare(m, "Q8_0", "llama-q8");
    for (const run of fromGguf) {
      expect(run.ids).toEqual(ref.ids);
      expect(maxLogprobDiff(run, ref)).toBeLessThan(1e-3);
    }
  });

  it("qwen2 Q8_0 (tied): identical greedy 64 tokens and likely-token log-probs within 0.15", async () => {
    const m = randomLlama({ ...llamaSpec, arch: "Qwen2ForCausalLM", tied: true, seed: 6 });
    const { ref, fromGguf } = await compare(m, "Q8_0", "qwen2-q8");
    for (const run of fromGguf) {
      expect(run.ids).toEqual(ref.ids);
      expect(maxLogprobDiff(run, ref, 1e-3)).toBeLessThan(0.15);
    }
  });
});
