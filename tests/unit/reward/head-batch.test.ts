import { describe, expect, it } from "vitest";
import { HeadWorkspace, backwardHead, computeStandardization, createRewardHead, forwardHead, zerosLikeParams, type HeadConfig } from "@/lib/reward/head";
import { backwardSlots, forwardSlots } from "@/lib/reward/head-batch";
import { createRng } from "@/lib/numerics/rng";

const D = 13; // not a multiple of 4, to exercise loop tails

describe("forwardSlots / backwardSlots", () => {
  it.each([
    ["linear", "gelu"],
    ["mlp", "gelu"],
    ["mlp", "relu"],
  ] as const)("match the per-completion reference for every batch size 1..9 (%s, %s)", (kind, activation) => {
    const config: HeadConfig = { kind, inputDim: D, hidden: 6, activation };
    const rng = createRng(21);
    const xs = Array.from({ length: 9 }, () => Float32Array.from({ length: D }, () => rng.normal() * 2 + 0.5));
    const head = createRewardHead(config, computeStandardization(xs, D), createRng(4));
    for (const p of Object.values(head.params)) for (let i = 0; i < p.length; i++) p[i] = rng.normal() * 0.7;
    for (let n = 1; n <= 9; n++) {
      const dr = Float64Array.from({ length: n }, () => rng.normal());
      const refWs = new HeadWorkspace(head, 1);
      const refGrads = zerosLikeParams(head);
      const refRewards = xs.slice(0, n).map((x, s) => {
        const r = forwardHead(refWs, x, 0);
        backwardHead(refWs, 0, dr[s], refGrads);
        return r;
      });
      const ws = new HeadWorkspace(head, 1); // grows on demand
      const rewards = new Float64Array(n);
      const grads = zerosLikeParams(head);
      forwardSlots(ws, xs, n, rewards);
      backwardSlots(ws, n, dr, grads);
      rewards.forEach((r, s) => expect(r).toBeCloseTo(refRewards[s], 5));
      for (const name of Object.keys(grads)) {
        grads[name].forEach((g, i) => expect(g, `${name}[${i}] n=${n}`).toBeCloseTo(refGrads[name][i], 4));
      }
    }
  });
});
