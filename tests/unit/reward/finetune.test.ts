/**
 * Mode (b) reward model: top layers + scalar head fine-tuned on a random
 * tiny backbone. A token rule decides the preferences (the completion that
 * contains the marker token more often wins), so the trainer must learn it to
 * score on held-out prompts; random preferences must stay near chance.
 */
import { describe, expect, it } from "vitest";
import { createFinetunedScorer, trainableRange } from "@/lib/reward/finetune-model";
import { finetuneRewardModel, type FinetuneConfig } from "@/lib/reward/finetune";
import { splitGroupsByPrompt } from "@/lib/reward/data";
import { createRng } from "@/lib/numerics/rng";
import { RewardError, type PreferencePair, type PromptGroup } from "@/lib/reward/types";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";

const MARKER = 3;
const backboneConfig: LlamaTrainConfig = {
  vocabSize: 16, dim: 16, nLayers: 2, nHeads: 2, nKvHeads: 1, hiddenDim: 32, maxSeqLen: 16, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true,
};
const backbone = { config: backboneConfig, params: initParams(backboneConfig, createRng(11), new Float32Array(paramCount(backboneConfig))) as Float32Array };

function task(rule: "marker" | "random", prompts: number, seed: number) {
  const rng = createRng(seed);
  const tokens = new Map<string, number[]>();
  const groups: PromptGroup[] = [];
  for (let p = 0; p < prompts; p++) {
    const ids: string[] = [];
    const counts: number[] = [];
    for (let c = 0; c < 4; c++) {
      const len = 6 + rng.int(0, 5);
      const t = Array.from({ length: len }, () => rng.int(1, 15));
      const id = `p${p}c${c}`;
      tokens.set(id, t);
      ids.push(id);
      counts.push(t.filter((x) => x === MARKER).length);
    }
    const pairs: PreferencePair[] = [];
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) {
      if (rule === "marker" && counts[a] === counts[b]) continue;
      const aWins = rule === "random" ? rng.next() < 0.5 : counts[a]! > counts[b]!;
      pairs.push({ promptId: `p${p}`, chosenId: aWins ? ids[a]! : ids[b]!, rejectedId: aWins ? ids[b]! : ids[a]!, annotatorId: `ann${(p + a) % 3}` });
    }
    if (pairs.length) groups.push({ promptId: `p${p}`, pairs });
  }
  const { train: trainAll, val: test } = splitGroupsByPrompt(groups, 0.25, 1);
  const { train, val } = splitGroupsByPrompt(trainAll, 0.2, 2);
  return { tokens, train, val, test };
}

const config: FinetuneConfig = { trainLayers: 1, lr: 3e-3, weightDecay: 0, epochs: 12, batchSize: 8, patience: 4, seed: 1, minPairs: 20 };

async function heldOutAccuracy(rule: "marker" | "random", over: Partial<FinetuneConfig> = {}) {
  const t = task(rule, 200, 5);
  const result = await finetuneRewardModel({ backbone, tokens: t.tokens, trainGroups: t.train, valGroups: t.val, config: { ...config, ...over } });
  const score = createFinetunedScorer(result.model);
  const pairs = t.test.flatMap((g) => g.pairs);
  const correct = pairs.filter((p) => score(t.tokens.get(p.chosenId)!) > score(t.tokens.get(p.rejectedId)!)).length;
  return { accuracy: correct / pairs.length, pairs: pairs.length, result, t };
}

describe("finetuneRewardModel", () => {
  it("learns a token rule to >= 90% held-out pairwise accuracy", async () => {
    const { accuracy, pairs, result } = await heldOutAccuracy("marker");
    expect(pairs).toBeGreaterThan(50);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.history.length).toBeGreaterThan(0);
    expect(result.history.at(-1)!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
  });

  it("stays near chance on random preferences (cannot fake accuracy)", async () => {
    const { accuracy } = await heldOutAccuracy("random", { epochs: 4 });
    expect(accuracy).toBeGreaterThan(0.35);
    expect(accuracy).toBeLessThan(0.65);
  });

  it("changes only the top layers and the final norm; the rest equals the backbone", async () => {
    const { result } = await heldOutAccuracy("marker", { epochs: 1 });
    const { start, end } = trainableRange(backboneConfig, 1);
    const p = result.model.params;
    for (let i = 0; i < start; i++) if (p[i] !== backbone.params[i]) throw new Error(`frozen parameter ${i} changed`);
    let changed = 0;
    for (let i = start; i < end; i++) if (p[i] !== backbone.params[i]) changed++;
    expect(changed).toBeGreaterThan((end - start) / 2);
  });

  it("centres rewards: the mean over training completions is 0", async () => {
    const { result, t } = await heldOutAccuracy("marker", { epochs: 2 });
    const score = createFinetunedScorer(result.model);
    const ids = new Set(t.train.flatMap((g) => g.pairs.flatMap((p) => [p.chosenId, p.rejectedId])));
    const mean = [...ids].reduce((s, id) => s + score(t.tokens.get(id)!), 0) / ids.size;
    expect(Math.abs(mean)).toBeLessThan(1e-4);
  });

  it("gives the same weights with or without the frozen-layer cache", async () => {
    const t = task("marker", 40, 9);
    const run = (cacheBytes: number) => finetuneRewardModel({ backbone, tokens: t.tokens, trainGroups: t.train, valGroups: t.val, config: { ...config, epochs: 2, cacheBytes } });
    const [a, b] = [await run(0), await run(2 ** 24)];
    expect(Array.from(a.model.params)).toEqual(Array.from(b.model.params));
    expect(Array.from(a.model.scoreWeight)).toEqual(Array.from(b.model.scoreWeight));
  });

  it("stops at the next step when aborted and keeps the best weights so far", async () => {
    const t = task("marker", 40, 9);
    const ac = new AbortController();
    const result = await finetuneRewardModel({
      backbone, tokens: t.tokens, trainGroups: t.train, valGroups: t.val, config: { ...config, epochs: 50, patience: 50 }, signal: ac.signal,
      onEpoch: (m) => { if (m.epoch === 2) ac.abort(); },
    });
    expect(result.stopReason).toBe("aborted");
    expect(result.history).toHaveLength(2);
  });

  it("refuses bad input before any compute, naming the problem", async () => {
    const t = task("marker", 40, 9);
    const run = (over: Partial<FinetuneConfig>, tokens: ReadonlyMap<string, number[]> = t.tokens) =>
      finetuneRewardModel({ backbone, tokens, trainGroups: t.train, valGroups: t.val, config: { ...config, ...over } });
    await expect(run({ trainLayers: 3 })).rejects.toThrow(/trainLayers must be an integer in \[1, 2\], got 3/);
    await expect(run({ lr: -1 })).rejects.toThrow(/lr must be/);
    await expect(run({ minPairs: 10_000 })).rejects.toThrow(/need at least 10000 training pairs/);
    const missing = new Map(t.tokens);
    missing.delete(t.train[0]!.pairs[0]!.chosenId);
    await expect(run({}, missing)).rejects.toThrow(/no token ids for completion/);
    const bad = new Map(t.tokens);
    bad.set(t.train[0]!.pairs[0]!.chosenId, [1, 99]);
    await expect(run({}, bad)).rejects.toThrow(RewardError);
    await expect(run({}, bad)).rejects.toThrow(/token 99 at position 1 is outside the vocab/);
  });
});
