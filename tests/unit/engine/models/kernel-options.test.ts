/**
 * LoadOptions.kernels: the backend is chosen once when a model is built, every
 * option is wired (the backend, threads, WASM attention), and every backend
 * decodes the same greedy ids with log-probs close to the TypeScript reference's.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { generate } from "@/lib/engine/generate";
import { prefill } from "@/lib/engine/generate-steps";
import type { KernelOptions } from "@/lib/engine/kernels/backend/types";
import { WasmKvCache } from "@/lib/engine/kernels/wasm/kv-memory";
import { Helper } from "@/lib/engine/kernels/wasm/threads";
import type { LoadOptions } from "@/lib/engine/models/load";
import { modelFromHf } from "@/lib/engine/models/load";
import { DEFAULT_DECODING_CONFIG } from "@/lib/engine/sampling";
import { engineGreedy, maxLogprobDiff } from "../golden/compare";
import type { RandomModel } from "../golden/random-model";
import { randomGpt2, randomLlama } from "../golden/random-model";

const llama = () => randomLlama({ arch: "Qwen2ForCausalLM", dim: 64, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 128, vocab: 300, ctx: 96, tied: true, seed: 21 });
const gpt2 = () => randomGpt2({ dim: 64, nLayers: 2, nHeads: 4, vocab: 300, ctx: 96, seed: 22 });
const PROMPT = Array.from({ length: 40 }, (_, i) => 3 + ((i * 37) % 290));

afterEach(() => vi.restoreAllMocks());

describe("LoadOptions.kernels", () => {
  it.each([["llama", llama], ["gpt2", gpt2]] as const)("%s: builds on the backend named, the best the host has by default", (_name, make) => {
    const m = make();
    expect(modelFromHf(m.config, m.tensors).kernels.name).toBe("wasm-relaxed");
    for (const backend of ["wasm-relaxed", "wasm-plain", "typescript"] as const) {
      expect(modelFromHf(m.config, m.tensors, { kernels: { backend } }).kernels.name).toBe(backend);
    }
  });

  const cases: [string, LoadOptions["format"], () => RandomModel][] = [["llama", "auto", llama], ["llama", "q8_0", llama], ["gpt2", "auto", gpt2], ["gpt2", "q8_0", gpt2]];
  it.each(cases)("%s (%s weights): every backend decodes the TypeScript reference's greedy ids, log-probs within 1e-3", (_name, format, make) => {
    const m = make();
    const run = (kernels: KernelOptions) => engineGreedy(modelFromHf(m.config, m.tensors, { format, kernels }), PROMPT, 24);
    const ref = run({ backend: "typescript" });
    for (const backend of ["wasm-relaxed", "wasm-plain"] as const) {
      for (const threads of [true, false]) {
        const got = run({ backend, threads });
        expect(got.ids).toEqual(ref.ids);
        expect(maxLogprobDiff(got, { ids: ref.ids, logprobs: ref.logprobs.map((lp) => Float64Array.from(lp)) })).toBeLessThan(1e-3);
      }
    }
  });

  it("threads: false keeps every op on the calling thread; by default a prefill chunk is shared with the helper", () => {
    const m = llama();
    const start = vi.spyOn(Helper.prototype, "start");
    prefill(modelFromHf(m.config, m.tensors, { kernels: { threads: false } }).createSession({ slots: 1 }), PROMPT, 0);
    expect(start).not.toHaveBeenCalled();
    prefill(modelFromHf(m.config, m.tensors).createSession({ slots: 1 }), PROMPT, 0);
    expect(start).toHaveBeenCalled();
  });

  it("wasmAttention: false keeps the KV cache in plain arrays (TypeScript attention) with the same greedy ids", async () => {
    const m = llama();
    const create = vi.spyOn(WasmKvCache, "create");
    const ids = async (kernels: KernelOptions) => {
      const model = modelFromHf(m.config, m.tensors, { kernels });
      const configs = [{ ...DEFAULT_DECODING_CONFIG, temperature: 0, maxNewTokens: 8 }];
      for await (const ev of generate({ model, promptIds: PROMPT, configs, eosIds: [] })) if (ev.type === "done") return ev.result.ids;
      throw new Error("no result");
    };
    const off = await ids({ wasmAttention: false });
    expect(create).not.toHaveBeenCalled();
    expect(await ids({})).toEqual(off);
    expect(create).toHaveBeenCalled();
  });

  it("refuses a backend it does not know, naming the choices", () => {
    const m = llama();
    expect(() => modelFromHf(m.config, m.tensors, { kernels: { backend: "gpu" as never } })).toThrow(/backend must be one of auto, wasm-relaxed, wasm-plain, typescript, got "gpu"/);
  });
});
