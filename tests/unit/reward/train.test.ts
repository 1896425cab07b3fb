import { describe, expect, it } from "vitest";
import { splitGroupsByPrompt } from "@/lib/reward/data";
import { createScorer } from "@/lib/reward/head";
import { evaluateRewardModel } from "@/lib/reward/metrics";
import { trainRewardModel } from "@/lib/reward/train";
import type { RewardTrainConfig } from "@/lib/reward/train-config";
import type { PromptGroup } from "@/lib/reward/types";
import { makeSyntheticTask, type SyntheticOptions } from "@/tests/unit/reward/synthetic";

const base: RewardTrainConfig = {
  head: "linear",
  hidden: 16,
  lr: 3e-3,
  weightDecay: 0.01,
  epochs: 30,
  batchSize: 16,
  patience: 3,
  seed: 7,
};

function task(overrides: Partial<SyntheticOptions>) {
  const t = makeSyntheticTask({ prompts: 500, completionsPerPrompt: 4, dim: 24, rule: "dim3", seed: 1, ...overrides });
  // Held-out prompts come from a separate split so accuracy is measured on unseen completions.
  const { train, val: rest } = splitGroupsByPrompt(t.groups, 0.4, 2);
  const half = Math.floor(rest.length / 2);
  return { ...t, train, val: rest.slice(0, half), test: rest.slice(half) };
}

const pairsOf = (groups: PromptGroup[]) => groups.flatMap((g) => g.pairs);

describe("trainRewardModel on synthetic preferences", () => {
  it.each(["linear", "mlp"] as const)("learns 'feature 3 wins' to at least 90 percent held-out accuracy with the %s head", async (head) => {
    const t = task({ scale: 4, offset: -3 });
    const result = await trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: { ...base, head } });
    const metrics = evaluateRewardModel({ head: result.head, pairs: pairsOf(t.test), features: t.features });
    expect(metrics.pairs).toBeGreaterThan(500);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("recovers a hidden linear direction under label noise", async () => {
    const t = task({ rule: "direction", noise: 0.2, seed: 4 });
    const result = await trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: base });
    const metrics = evaluateRewardModel({ head: result.head, pairs: pairsOf(t.test), features: t.features });
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("stays near chance on random preferences (cannot fake accuracy)", async () => {
    const t = task({ rule: "random", prompts: 2000, seed: 9 });
    const result = await trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: { ...base, head: "mlp" } });
    const metrics = evaluateRewardModel({ head: result.head, pairs: pairsOf(t.test), features: t.features });
    expect(metrics.pairs).toBeGreaterThan(2000);
    expect(metrics.accuracy).toBeGreaterThan(0.4);
    expect(metrics.accuracy).toBeLessThan(0.6);
  });

  it("decreases the training loss from epoch 1 to the last", async () => {
    const t = task({ rule: "direction", noise: 0.5 });
    const result = await trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: { ...base, head: "mlp", epochs: 5, patience: 10, lr: 1e-3 } });
    const losses = result.history.map((h) => h.trainLoss);
    expect(losses).toHaveLength(5);
    expect(losses[4]).toBeLessThan(losses[0] - 0.05);
    expect(losses[0]).toBeLessThan(Math.LN2 + 0.2); // starts near chance
  });
});

describe("early stopping and best weights", () => {
  it("stops when validation loss stops improving and keeps the best epoch's weights", async () => {
    // 40 prompts, 64-dim features, a wide MLP and noisy labels: memorises train, val loss rises.
    const t = makeSyntheticTask({ prompts: 140, completionsPerPrompt: 4, dim: 64, rule: "direction", noise: 1.5, seed: 5 });
    const train = t.groups.slice(0, 40);
    const val = t.groups.slice(40);
    const seen: number[] = [];
    const result = await trainRewardModel({
      features: t.features,
      trainGroups: train,
      valGroups: val,
      config: { ...base, head: "mlp", hidden: 128, lr: 1e-2, weightDecay: 0, epochs: 200, batchSize: 4, patience: 4 },
      onEpoch: (m) => void seen.push(m.valLoss),
    });
    expect(result.stopReason).toBe("early_stopping");
    expect(result.history.length).toBe(result.bestEpoch + 4);
    expect(result.history.length).toBeLessThan(200);
    expect(Math.min(...seen)).toBe(result.bestValLoss);
    // The returned head reproduces the best validation loss, not the last epoch's.
    const m = evaluateRewardModel({ head: result.head, pairs: pairsOf(val), features: t.features });
    expect(result.history.at(-1)!.valLoss).toBeGreaterThan(result.bestValLoss);
    expect(m.pairs).toBe(600);
    const groupMeanLoss = val.reduce((s, g) => s + evaluateRewardModel({ head: result.head, pairs: g.pairs, features: t.features }).meanLoss, 0) / val.length;
    expect(groupMeanLoss).toBeCloseTo(result.bestValLoss, 4);
  });
});

describe("reward centring", () => {
  it("shifts the bias so the mean reward over training completions is 0", async () => {
    const t = task({ rule: "direction", noise: 0.3, offset: 5 });
    for (const head of ["linear", "mlp"] as const) {
      const result = await trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: { ...base, head, epochs: 5 } });
      const score = createScorer(result.head);
      const ids = new Set(pairsOf(t.train).flatMap((p) => [p.chosenId, p.rejectedId]));
      let sum = 0;
      for (const id of ids) sum += score(t.features.get(id)!);
      expect(Math.abs(sum / ids.size)).toBeLessThan(1e-4);
      if (head === "mlp") expect(Math.abs(result.rewardOffset)).toBeGreaterThan(1e-3);
    }
  });

  it("the rewardCentering term pulls raw rewards towards 0 (changes the result)", async () => {
    const t = task({ rule: "direction", noise: 0.3 });
    const run = (rewardCentering: number) =>
      trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: { ...base, head: "mlp", epochs: 5, rewardCentering } });
    const [off, on] = [await run(0), await run(0.5)];
    expect(Math.abs(on.rewardOffset)).toBeLessThan(Math.abs(off.rewardOffset));
  });
});

describe("determinism", () => {
  it("gives identical weights for the same seed and different ones for another seed", async () => {
    const t = task({ rule: "direction", noise: 0.3, prompts: 200 });
    const run = (seed: number) =>
      trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config: { ...base, head: "mlp", epochs: 3, seed } });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    for (const name of Object.keys(a.head.params)) expect(b.head.params[name]).toEqual(a.head.params[name]);
    expect(c.head.params.w1).not.toEqual(a.head.params.w1);
    expect(a.history).toEqual(b.history);
  });

  it("accepts a lookup function instead of a Map with the same result", async () => {
    const t = task({ prompts: 100 });
    const config = { ...base, epochs: 2 };
    const viaMap = await trainRewardModel({ features: t.features, trainGroups: t.train, valGroups: t.val, config });
    const viaFn = await trainRewardModel({ features: (id) => t.features.get(id), trainGroups: t.train, valGroups: t.val, config });
    expect(viaFn.head.params.w).toEqual(viaMap.head.params.w);
  });
});
