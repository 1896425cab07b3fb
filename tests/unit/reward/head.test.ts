import { describe, expect, it } from "vitest";
import {
  HeadWorkspace,
  backwardHead,
  computeStandardization,
  createRewardHead,
  createScorer,
  forwardHead,
  zerosLikeParams,
  type HeadConfig,
  type RewardHead,
} from "@/lib/reward/head";
import { groupLoss, type IndexedPairs } from "@/lib/reward/loss";
import { createRng } from "@/lib/numerics/rng";
import { RewardError } from "@/lib/reward/types";

const D = 7;

function randomVectors(n: number, seed: number, scale = 1, offset = 0): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: D }, () => rng.normal() * scale + offset));
}

function randomHead(config: HeadConfig, xs: Float32Array[]): RewardHead {
  const head = createRewardHead(config, computeStandardization(xs, D), createRng(3));
  // Non-zero everywhere so every gradient entry is exercised (linear starts at 0).
  const rng = createRng(11);
  for (const p of Object.values(head.params)) for (let i = 0; i < p.length; i++) p[i] = rng.normal() * 0.5;
  return head;
}

// A group of 4 completions and 5 pairs with margins: the loss the trainer optimises.
const pairs: IndexedPairs = {
  chosen: Int32Array.from([0, 0, 1, 2, 3]),
  rejected: Int32Array.from([1, 2, 3, 3, 1]),
  margins: Float64Array.from([0, 0.5, 0, 1, 0]),
};

function lossAndGrads(head: RewardHead, xs: Float32Array[], grads?: Record<string, Float32Array>): number {
  const ws = new HeadWorkspace(head, xs.length);
  const rewards = xs.map((x, i) => forwardHead(ws, x, i));
  const d = new Float64Array(xs.length);
  const loss = groupLoss(rewards, pairs, d, 0.05);
  if (grads) xs.forEach((_, i) => backwardHead(ws, i, d[i], grads));
  return loss;
}

const configs: HeadConfig[] = [
  { kind: "linear", inputDim: D, hidden: 0, activation: "gelu" },
  { kind: "mlp", inputDim: D, hidden: 5, activation: "gelu" },
  { kind: "mlp", inputDim: D, hidden: 5, activation: "relu" },
];

describe("head backward", () => {
  it.each(configs)("matches finite differences of the BT group loss ($kind, $activation)", (config) => {
    const xs = randomVectors(4, 1, 3, 2);
    const head = randomHead(config, randomVectors(50, 2, 3, 2));
    const grads = zerosLikeParams(head);
    lossAndGrads(head, xs, grads);
    let checked = 0;
    for (const [name, p] of Object.entries(head.params)) {
      for (let i = 0; i < p.length; i++) {
        const orig = p[i];
        p[i] = orig + 1e-2;
        const up = lossAndGrads(head, xs);
        const hUp = p[i] - orig; // the step float32 actually took
        p[i] = orig - 1e-2;
        const down = lossAndGrads(head, xs);
        const hDown = orig - p[i];
        p[i] = orig;
        const numeric = (up - down) / (hUp + hDown);
        expect(grads[name][i], `${name}[${i}]`).toBeCloseTo(numeric, 3);
        checked++;
      }
    }
    expect(checked).toBe(Object.values(head.params).reduce((n, p) => n + p.length, 0));
  });
});

describe("standardisation", () => {
  it("stores train mean/std and gives a constant feature std 1", () => {
    const xs = [Float32Array.from([1, 5, 0, 0, 0, 0, 0]), Float32Array.from([3, 5, 0, 0, 0, 0, 0])];
    const { mean, std } = computeStandardization(xs, D);
    expect(mean[0]).toBe(2);
    expect(std[0]).toBe(1);
    expect(mean[1]).toBe(5);
    expect(std[1]).toBe(1); // constant: would divide by 0
  });

  it("makes a linear head's output invariant to feature scale and offset", () => {
    const base = randomVectors(30, 4);
    const shifted = base.map((x) => x.map((v) => v * 100 + 7));
    const config = configs[0];
    const a = randomHead(config, base);
    const b = randomHead(config, shifted);
    const sa = createScorer(a);
    const sb = createScorer(b);
    for (let i = 0; i < 5; i++) expect(sb(shifted[i])).toBeCloseTo(sa(base[i]), 3);
  });
});

describe("createScorer", () => {
  it("rejects a feature vector of the wrong length", () => {
    const head = randomHead(configs[1], randomVectors(10, 5));
    expect(() => createScorer(head)(new Float32Array(D + 1))).toThrow(/length 8, head expects 7/);
  });
});

describe("createRewardHead", () => {
  it("names the bad hidden size", () => {
    const stats = computeStandardization(randomVectors(3, 6), D);
    expect(() => createRewardHead({ ...configs[1], hidden: 0 }, stats, createRng(1))).toThrow(RewardError);
    expect(() => createRewardHead({ ...configs[1], hidden: 0 }, stats, createRng(1))).toThrow(/hidden must be a positive integer, got 0/);
  });
});
