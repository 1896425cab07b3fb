import { describe, expect, it } from "vitest";
import { validateTrainingData } from "@/lib/reward/data";
import { RewardDivergedError, trainRewardModel } from "@/lib/reward/train";
import type { RewardTrainConfig } from "@/lib/reward/train-config";
import { RewardError, type PromptGroup } from "@/lib/reward/types";
import { makeSyntheticTask } from "@/tests/unit/reward/synthetic";

const config: RewardTrainConfig = { head: "linear", hidden: 8, lr: 1e-2, weightDecay: 0, epochs: 20, batchSize: 8, patience: 3, seed: 1 };
const t = makeSyntheticTask({ prompts: 60, completionsPerPrompt: 3, dim: 8, rule: "dim3", seed: 3 });
const train = t.groups.slice(0, 40);
const val = t.groups.slice(40);

const withAnnotator = (groups: PromptGroup[], annotatorId: string | undefined): PromptGroup[] =>
  groups.map((g) => ({ ...g, pairs: g.pairs.map((p) => ({ ...p, annotatorId })) }));

async function refusal(run: Promise<unknown>): Promise<RewardError> {
  const err = await run.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RewardError);
  return err as RewardError;
}

describe("refusals before training", () => {
  it("refuses fewer pairs than minPairs, saying how many there are", async () => {
    const err = await refusal(trainRewardModel({ features: t.features, trainGroups: train.slice(0, 5), valGroups: val, config }));
    expect(err.code).toBe("insufficient_pairs");
    expect(err.message).toBe("need at least 50 training pairs, got 15");
    await expect(trainRewardModel({ features: t.features, trainGroups: train.slice(0, 5), valGroups: val, config: { ...config, minPairs: 10 } })).resolves.toBeDefined();
  });

  it("refuses when every pair comes from one annotator", async () => {
    const err = await refusal(
      trainRewardModel({ features: t.features, trainGroups: withAnnotator(train, "alice"), valGroups: withAnnotator(val, "alice"), config }),
    );
    expect(err.code).toBe("single_annotator");
    expect(err.message).toMatch(/one annotator \(alice\)/);
  });

  it("accepts pairs that carry no annotator id", () => {
    expect(validateTrainingData(withAnnotator(train, undefined), val).ok).toBe(true);
  });

  it("refuses an empty validation set and a pair comparing a completion with itself", () => {
    expect(validateTrainingData(train, [])).toMatchObject({ ok: false, code: "no_validation" });
    const self = [{ promptId: "p", pairs: [{ promptId: "p", chosenId: "a", rejectedId: "a" }] }];
    expect(validateTrainingData(train, self)).toMatchObject({ ok: false, code: "invalid_pair" });
  });

  it("names a completion without cached features", async () => {
    const features = new Map(t.features);
    features.delete("p41c2");
    const err = await refusal(trainRewardModel({ features, trainGroups: train, valGroups: val, config }));
    expect(err.code).toBe("missing_features");
    expect(err.message).toBe("no cached features for completion p41c2");
  });

  it("names a non-finite feature value", async () => {
    const features = new Map(t.features);
    features.set("p0c1", new Float32Array(8).fill(Number.NaN));
    const err = await refusal(trainRewardModel({ features, trainGroups: train, valGroups: val, config }));
    expect(err.message).toBe("features of completion p0c1 contain NaN at index 0");
  });

  it.each([
    [{ lr: 0 }, "lr must be a finite number > 0, got 0"],
    [{ batchSize: 2.5 }, "batchSize must be a positive integer, got 2.5"],
    [{ head: "mlp" as const, hidden: 0 }, "hidden must be a positive integer, got 0"],
    [{ rewardCentering: -1 }, "rewardCentering must be >= 0, got -1"],
    [{ patience: 0 }, "patience must be a positive integer or Infinity, got 0"],
    [{ seed: -1 }, "seed must be a non-negative safe integer, got -1"],
  ])("rejects config %o", async (bad, message) => {
    const err = await refusal(trainRewardModel({ features: t.features, trainGroups: train, valGroups: val, config: { ...config, ...bad } }));
    expect(err.code).toBe("invalid_config");
    expect(err.message).toBe(message);
  });
});

describe("stopping", () => {
  it("stops with a clear error on NaN and keeps the last good weights", async () => {
    // An absurd lr overflows float32 parameters to ∞ within a few Adam steps.
    const err = await trainRewardModel({ features: t.features, trainGroups: train, valGroups: val, config: { ...config, lr: 1e38 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RewardDivergedError);
    const diverged = err as RewardDivergedError;
    expect(diverged.code).toBe("diverged");
    expect(diverged.message).toMatch(/^training diverged at epoch 1, step \d+ \(loss .*\); try an lr below 1e\+38$/);
    for (const p of Object.values(diverged.partial.head.params)) expect(p.every(Number.isFinite)).toBe(true);
  });

  it("stops after the epoch where onEpoch returns 'stop'", async () => {
    const result = await trainRewardModel({ features: t.features, trainGroups: train, valGroups: val, config, onEpoch: (m) => (m.epoch === 2 ? "stop" : undefined) });
    expect(result.stopReason).toBe("callback");
    expect(result.history).toHaveLength(2);
  });

  it("returns the best weights so far when the signal aborts", async () => {
    const controller = new AbortController();
    const result = await trainRewardModel({
      features: t.features,
      trainGroups: train,
      valGroups: val,
      config,
      signal: controller.signal,
      onEpoch: (m) => void (m.epoch === 3 && controller.abort()),
    });
    expect(result.stopReason).toBe("aborted");
    expect(result.history).toHaveLength(3);
    expect(result.bestEpoch).toBeGreaterThan(0);
  });

  it("runs every epoch when patience is never exhausted", async () => {
    const result = await trainRewardModel({ features: t.features, trainGroups: train, valGroups: val, config: { ...config, epochs: 4, patience: Number.POSITIVE_INFINITY } });
    expect(result.stopReason).toBe("completed");
    expect(result.history).toHaveLength(4);
  });
});

describe("every config field is wired", () => {
  const run = (over: Partial<RewardTrainConfig>) =>
    trainRewardModel({ features: t.features, trainGroups: train, valGroups: val, config: { ...config, epochs: 3, patience: 10, ...over } });
  const norm = (p: Float32Array) => Math.sqrt(p.reduce((s, v) => s + v * v, 0));

  it("batchSize sets the number of optimizer steps per epoch", async () => {
    expect((await run({ batchSize: 8 })).history[0].steps).toBe(5); // 40 groups / 8
    expect((await run({ batchSize: 7 })).history[0].steps).toBe(6);
  });

  it("weightDecay shrinks the weights", async () => {
    const [plain, decayed] = [await run({ weightDecay: 0 }), await run({ weightDecay: 20 })];
    expect(norm(decayed.head.params.w)).toBeLessThan(0.8 * norm(plain.head.params.w));
  });

  it("activation and hidden change the MLP", async () => {
    const gelu = await run({ head: "mlp", activation: "gelu" });
    const relu = await run({ head: "mlp", activation: "relu" });
    expect(relu.head.config.activation).toBe("relu");
    expect(relu.history[0].trainLoss).not.toBe(gelu.history[0].trainLoss);
    expect((await run({ head: "mlp", hidden: 3 })).head.params.w1).toHaveLength(3 * 8);
  });

  it("lr scales the first update", async () => {
    const [slow, fast] = [await run({ lr: 1e-4, epochs: 1 }), await run({ lr: 1e-2, epochs: 1 })];
    expect(norm(fast.head.params.w)).toBeGreaterThan(10 * norm(slow.head.params.w));
  });
});
