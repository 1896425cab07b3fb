/**
 * Scoring a fine-tuned reward model runs on the engine: its score must be the
 * trainer forward's (what training optimised) within float32 tolerance.
 */
import { describe, expect, it } from "vitest";
import { createFinetunedScorer, RewardRunner, trainableRange, type FinetunedRewardModel } from "@/lib/reward/finetune-model";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { createRng } from "@/lib/numerics/rng";

const config: LlamaTrainConfig = {
  vocabSize: 40, dim: 16, nLayers: 3, nHeads: 4, nKvHeads: 2, hiddenDim: 32, maxSeqLen: 128, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true,
};

/** A random backbone whose top `trainLayers` layers and final norm were "fine-tuned" (perturbed), with a random head. */
function randomModel(trainLayers: number, seed: number): FinetunedRewardModel {
  const rng = createRng(seed);
  const params = initParams(config, rng, new Float32Array(paramCount(config))) as Float32Array;
  const { start, end } = trainableRange(config, trainLayers);
  for (let i = start; i < end; i++) params[i] += 0.2 * rng.normal();
  const scoreWeight = Float32Array.from({ length: config.dim }, () => rng.normal());
  return { config, trainLayers, params, scoreWeight, scoreBias: 0.3 };
}

function sequences(count: number, seed: number, maxLen: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(rng.next() * maxLen) }, () => Math.floor(rng.next() * config.vocabSize)));
}

describe("createFinetunedScorer (engine)", () => {
  it("gives the trainer forward's reward within 1e-4 (float32) for 1- to 100-token sequences", () => {
    const m = randomModel(2, 1);
    // Up to 100 tokens: longer than one engine prefill chunk (64 rows).
    const seqs = [[7], ...sequences(30, 2, 100)];
    const score = createFinetunedScorer(m);
    const runner = new RewardRunner(config, m.params, config.maxSeqLen);
    let worst = 0;
    const scores = seqs.map((t) => {
      const want = runner.reward(t, m.scoreWeight, m.scoreBias).r;
      const got = score(t);
      worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
      return got;
    });
    expect(worst).toBeLessThan(1e-4);
    expect(new Set(scores.map((s) => s.toFixed(4))).size).toBeGreaterThan(25); // not a constant
  });

  it("reads the last maxTokens tokens of a longer sequence, as the trainer's clip does", () => {
    const m = randomModel(1, 3);
    const [long] = sequences(1, 4, 1);
    const t = [...Array.from({ length: 40 }, (_, i) => i % config.vocabSize), ...long!];
    const runner = new RewardRunner(config, m.params, 16);
    const want = runner.reward(runner.clip(t), m.scoreWeight, m.scoreBias).r;
    expect(createFinetunedScorer(m, 16)(t)).toBeCloseTo(want, 4);
    expect(createFinetunedScorer(m, 16)(t)).toBeCloseTo(createFinetunedScorer(m)(t.slice(-16)), 6);
  });

  it("refuses an empty sequence and parameters that do not fit the config", () => {
    const m = randomModel(1, 5);
    expect(() => createFinetunedScorer(m)([])).toThrow(/encoded to no tokens/);
    expect(() => createFinetunedScorer({ ...m, params: m.params.subarray(1) })).toThrow(/backbone has \d+ parameters, its config needs/);
  });
});
