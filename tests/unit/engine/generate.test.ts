import { describe, expect, it } from "vitest";
import { EngineError } from "@/lib/engine/errors";
import { generate } from "@/lib/engine/generate";
import type { GenerateEvent, GenerateOptions, GenerationResult } from "@/lib/engine/generate";
import { byteFallbackVocab } from "@/lib/engine/models/export-gguf";
import { modelFromHf } from "@/lib/engine/models/load";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { tokenizerFromGguf } from "@/lib/engine/tokenizer";
import { engineGreedy } from "./golden/compare";
import { randomLlama } from "./golden/random-model";

const m = randomLlama({ arch: "LlamaForCausalLM", dim: 32, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 64, vocab: 300, ctx: 48, tied: false, seed: 11 });
const model = modelFromHf(m.config, m.tensors);
const v = byteFallbackVocab(300);
const tokenizer = tokenizerFromGguf({
  "tokenizer.ggml.model": "llama", "tokenizer.ggml.tokens": v.tokens, "tokenizer.ggml.scores": v.scores,
  "tokenizer.ggml.token_type": v.tokenTypes, "tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2,
});
const PROMPT = [1, 270, 280, 290];

async function run(opts: Partial<GenerateOptions> & Pick<GenerateOptions, "configs">) {
  const events: GenerateEvent[] = [];
  for await (const e of generate({ model, promptIds: PROMPT, eosIds: [], ...opts })) events.push(e);
  const results: GenerationResult[] = [];
  for (const e of events) if (e.type === "done") results[e.seq] = e.result;
  return { events, results };
}

const greedy = (n: number, extra: Record<string, unknown> = {}) => parseDecodingConfig({ temperature: 0, max_new_tokens: n, ...extra });
const sampled = (seed: number, n: number) => parseDecodingConfig({ temperature: 0.9, top_p: 0.95, seed, max_new_tokens: n, logprobs: true });

describe("generate", () => {
  it("batched greedy over a shared prefill matches single-sequence greedy for every sequence", async () => {
    const ref = engineGreedy(model, PROMPT, 12);
    const { results } = await run({ configs: [greedy(12), greedy(12), greedy(12)] });
    for (const r of results) {
      expect(r.ids).toEqual(ref.ids);
      expect(r.finishReason).toBe("length");
    }
  });

  it("each sampled sequence in a batch equals the same config run alone", async () => {
    const configs = [sampled(1, 10), sampled(2, 10), sampled(3, 10)];
    const batch = await run({ configs });
    expect(new Set(batch.results.map((r) => r.ids.join())).size).toBeGreaterThan(1);
    for (let k = 0; k < 3; k++) {
      const alone = await run({ configs: [configs[k]] });
      expect(batch.results[k].ids).toEqual(alone.results[0].ids);
      expect(batch.results[k].logprobs).toEqual(alone.results[0].logprobs);
    }
  });

  it("finished sequences drop out while the others continue to their own budgets", async () => {
    const { results, events } = await run({ configs: [greedy(3), greedy(9)] });
    expect(results.map((r) => r.tokenCount)).toEqual([3, 9]);
    expect(events.filter((e) => e.type === "token" && e.seq === 0)).toHaveLength(3);
  });

  it("stops on a stop id or a model EOS id with finishReason stop, keeping the stop id", async () => {
    const ref = engineGreedy(model, PROMPT, 12).ids;
    const byStopId = await run({ configs: [greedy(12, { stop_token_ids: [ref[4]] })] });
    expect(byStopId.results[0].ids).toEqual(ref.slice(0, ref.indexOf(ref[4]) + 1));
    expect(byStopId.results[0].finishReason).toBe("stop");
    const byEos = await run({ configs: [greedy(12)], eosIds: [ref[4]] });
    expect(byEos.results[0].finishReason).toBe("stop");
    expect(byEos.results[0].ids.length).toBe(ref.indexOf(ref[4]) + 1);
  });

  it("cuts the text before a stop string, and the streamed pieces add up to the final text", async () => {
    const full = (await run({ configs: [greedy(16)], tokenizer })).results[0].text;
    const stop = full.slice(6, 9);
    const { results, events } = await run({ configs: [greedy(16, { stop_strings: [stop] })], tokenizer });
    expect(results[0].finishReason).toBe("stop_string");
    expect(results[0].text).toBe(full.slice(0, full.indexOf(stop)));
    const streamed = events.map((e) => (e.type === "token" ? e.text : "")).join("");
    expect(streamed).toBe(results[0].text);
  });

  it("returns logprobs equal to the log-softmax of the raw logits when asked", async () => {
    const ref = engineGreedy(model, PROMPT, 5);
    const { results } = await run({ configs: [greedy(5, { logprobs: true })] });
    results[0].logprobs!.forEach((lp, i) => expect(lp).toBeCloseTo(ref.logprobs[i][ref.ids[i]], 5));
    expect((await run({ configs: [greedy(5)] })).results[0].logprobs).toBeNull();
  });

  it("stops every running sequence with finishReason abort when the signal fires", async () => {
    const ac = new AbortController();
    const results: GenerationResult[] = [];
    let tokens = 0;
    for await (const e of generate({ model, promptIds: PROMPT, configs: [greedy(30), greedy(30)], signal: ac.signal })) {
      if (e.type === "token" && ++tokens === 3) ac.abort();
      if (e.type === "done") results[e.seq] = e.result;
    }
    expect(results.map((r) => r.finishReason)).toEqual(["abort", "abort"]);
    expect(results[0].tokenCount).toBeLessThan(30);
  });

  it("refuses a prompt that does not fit the context", async () => {
    const long = Array.from({ length: 48 }, (_, i) => 3 + i);
    await expect(run({ promptIds: long, configs: [greedy(4)] })).rejects.toThrow(EngineError);
    await expect(run({ promptIds: long, configs: [greedy(4)] })).rejects.toThrow(/does not fit the model's context of 48/);
  });

  it("refuses a prompt id outside the vocabulary", async () => {
    await expect(run({ promptIds: [1, 300], configs: [greedy(4)] })).rejects.toThrow(/outside the vocabulary/);
  });

  it("beam search finds a sequence at least as likely as greedy", async () => {
    const ref = engineGreedy(model, PROMPT, 4);
    const greedySum = ref.ids.reduce((s, id, i) => s + ref.logprobs[i][id], 0);
    const { results } = await run({ configs: [parseDecodingConfig({ temperature: 0, num_beams: 3, max_new_tokens: 4 })] });
    const ids = results[0].ids;
    expect(ids).toHaveLength(4);
    // Score the beam's ids with the engine itself.
    const s = model.createSession({ slots: 1 });
    const seq = [...PROMPT, ...ids];
    const all = s.forward(Int32Array.from(seq), new Int32Array(seq.length), Int32Array.from(seq.map((_, i) => i)), seq.length, "all");
    let beamSum = 0;
    for (let i = 0; i < 4; i++) {
      const row = all.subarray((PROMPT.length - 1 + i) * 300, (PROMPT.length + i) * 300);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
      beamSum += row[ids[i]] - lse;
    }
    expect(beamSum).toBeGreaterThanOrEqual(greedySum - 1e-5);
  });
});
