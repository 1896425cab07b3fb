/**
 * evaluate() on the engine, with hand-set weights whose next token is always
 * "7" or "8" with equal logits: greedy takes the lower id ("7"), samples split
 * about evenly. So the figures are known in advance for prompts whose answer is 7, 8 or 4.
 */
import { describe, expect, it } from "vitest";
import { specialIds, toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { evaluate } from "@/lib/train/eval";
import { hfTokenizer } from "@/lib/train/export-hf";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount, paramLayout } from "@/lib/train/model/config";
import { engineModelFromParams } from "@/lib/train/model/engine-model";
import { initParams } from "@/lib/train/model/init";
import { createRng } from "@/lib/numerics/rng";
import type { TaskItem } from "@/lib/tasks";

const bpe = trainBpe(["What is 3 + 4? Which is larger: 7 or 3?"], 10);
const tokenizer = hfTokenizer(toTokenizerJson(bpe), 64, specialIds(bpe));
const config: LlamaTrainConfig = {
  vocabSize: vocabSize(bpe), dim: 8, nLayers: 1, nHeads: 2, nKvHeads: 1, hiddenDim: 16, maxSeqLen: 64, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: false,
};
const SEVEN = tokenizer.tokenToId("7")!;
const EIGHT = tokenizer.tokenToId("8")!;

/**
 * The layer writes nothing to the residual (o_proj, down_proj = 0) and every
 * embedding row is e = (1, 0, ..., 0), so the final-norm state is the same at
 * every position; the head's rows for "7" and "8" are +5e, all others -5e.
 */
function fixedAnswerParams(): Float32Array {
  const p = initParams(config, createRng(1), new Float32Array(paramCount(config))) as Float32Array;
  const d = config.dim;
  for (const e of paramLayout(config)) {
    const view = p.subarray(e.offset, e.offset + e.size);
    if (e.name.endsWith("o_proj.weight") || e.name.endsWith("down_proj.weight")) view.fill(0);
    if (e.name === "model.embed_tokens.weight") for (let v = 0; v < config.vocabSize; v++) view.fill(0, v * d, v * d + d).fill(1, v * d, v * d + 1);
    if (e.name === "lm_head.weight") {
      view.fill(0);
      for (let v = 0; v < config.vocabSize; v++) view[v * d] = v === SEVEN || v === EIGHT ? 5 : -5;
    }
  }
  return p;
}

const arith = (a: number, b: number): TaskItem => ({ family: "arithmetic", verifierId: "int-equals-arith", prompt: `What is ${a} + ${b}?`, response: String(a + b), meta: { a, b, op: "+" } });
const items: TaskItem[] = [arith(3, 4), arith(4, 4), arith(2, 2), { family: "compare", verifierId: "compare-pick", prompt: "Which is larger: 7 or 3?", response: "7", meta: { a: 7, b: 3, want: 7 } }];
const model = engineModelFromParams(config, fixedAnswerParams(), specialIds(bpe));
const opts = { samplesPerPrompt: 16, temperature: 1, maxNewTokens: 1, seed: 3 };

describe("evaluate (on the engine)", () => {
  it("reports greedy accuracy, sample accuracy and the mixed share per family and overall", async () => {
    expect(SEVEN).toBeLessThan(EIGHT);
    const r = await evaluate(model, tokenizer, items, opts);
    const arithmetic = r.families.find((f) => f.family === "arithmetic")!;
    const compare = r.families.find((f) => f.family === "compare")!;
    // Greedy always answers "7": right for 3 + 4 and for "larger: 7 or 3", wrong for 4 + 4 and 2 + 2.
    expect(arithmetic).toMatchObject({ prompts: 3, greedyAccuracy: 1 / 3 });
    expect(compare).toMatchObject({ prompts: 1, greedyAccuracy: 1 });
    expect(r.examples.map((e) => [e.greedy, e.correct])).toEqual([["7", true], ["7", false], ["7", true]]);
    // Samples are "7" or "8" about half each: 3 + 4 and 4 + 4 get some right and some wrong, 2 + 2 none right.
    expect(arithmetic.mixedShare).toBeCloseTo(2 / 3, 10);
    expect(compare.mixedShare).toBe(1);
    expect(arithmetic.sampleAccuracy).toBeGreaterThan(0.2);
    expect(arithmetic.sampleAccuracy).toBeLessThan(0.47);
    expect(r.overall).toMatchObject({ prompts: 4, greedyAccuracy: 0.5, mixedShare: 0.75 });
  });

  it("is reproducible from its seed, and the seed changes the samples", async () => {
    const a = await evaluate(model, tokenizer, items, opts);
    expect(await evaluate(model, tokenizer, items, opts)).toEqual(a);
    const others = await Promise.all([4, 5, 6].map((seed) => evaluate(model, tokenizer, items, { ...opts, seed })));
    expect(others.some((o) => o.overall.sampleAccuracy !== a.overall.sampleAccuracy)).toBe(true);
  });

  it("samples at the given temperature: at 50 the other tokens take over and sample accuracy collapses", async () => {
    // Logits ±14.1 become ±0.28: "7" and "8" keep well under 1% of the mass between them, greedy is unchanged.
    const r = await evaluate(model, tokenizer, items, { ...opts, temperature: 50 });
    expect(r.overall.greedyAccuracy).toBe(0.5);
    expect(r.overall.sampleAccuracy).toBeLessThan(0.05);
  });
});
