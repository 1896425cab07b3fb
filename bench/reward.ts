/**
 * Reward-head training throughput on synthetic cached features.
 *   npx tsx bench/reward.ts [--pairs 100000] [--dim 576] [--hidden 64] [--k 4] [--epochs 2] [--batch 32]
 * Prints seconds per epoch (train steps + validation pass) for the linear and
 * MLP heads, and the batched kernels beside the per-completion reference
 * they replace. Figures only; nothing is asserted.
 */
import { parseArgs } from "node:util";
import { splitGroupsByPrompt } from "@/lib/reward/data";
import { HeadWorkspace, backwardHead, createRewardHead, forwardHead, zerosLikeParams, type HeadKind } from "@/lib/reward/head";
import { backwardSlots, forwardSlots } from "@/lib/reward/head-batch";
import { createRng } from "@/lib/numerics/rng";
import { trainRewardModel } from "@/lib/reward/train";
import type { RewardTrainConfig } from "@/lib/reward/train-config";
import { makeSyntheticTask } from "@/tests/unit/reward/synthetic";

const { values } = parseArgs({
  options: {
    pairs: { type: "string", default: "100000" },
    dim: { type: "string", default: "576" },
    hidden: { type: "string", default: "64" },
    k: { type: "string", default: "4" },
    epochs: { type: "string", default: "2" },
    batch: { type: "string", default: "32" },
  },
});
const pairsWanted = Number(values.pairs);
const dim = Number(values.dim);
const hidden = Number(values.hidden);
const k = Number(values.k);
const epochs = Number(values.epochs);
const batchSize = Number(values.batch);

const pairsPerPrompt = (k * (k - 1)) / 2;
const prompts = Math.ceil(pairsWanted / pairsPerPrompt);
let t0 = performance.now();
const task = makeSyntheticTask({ prompts, completionsPerPrompt: k, dim, rule: "direction", noise: 0.5, seed: 1, annotators: 8 });
const { train, val } = splitGroupsByPrompt(task.groups, 0.05, 1);
const trainPairs = train.reduce((n, g) => n + g.pairs.length, 0);
console.log(`data: ${prompts * pairsPerPrompt} pairs (${trainPairs} train), ${prompts * k} completions, D=${dim}, k=${k}; generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

for (const head of ["linear", "mlp"] as const) {
  const config: RewardTrainConfig = { head, hidden, lr: 1e-3, weightDecay: 0.01, epochs, batchSize, patience: Number.POSITIVE_INFINITY, seed: 1 };
  const times: number[] = [];
  t0 = performance.now();
  let last = 0;
  const result = await trainRewardModel({
    features: task.features,
    trainGroups: train,
    valGroups: val,
    config,
    onEpoch: () => {
      const now = performance.now();
      times.push((now - (last || t0)) / 1000);
      last = now;
    },
  });
  const total = (performance.now() - t0) / 1000;
  const perEpoch = times.slice(1).length ? times.slice(1) : times; // epoch 1 includes setup (standardisation, JIT)
  const mean = perEpoch.reduce((a, b) => a + b, 0) / perEpoch.length;
  const m = result.history.at(-1)!;
  const label = head === "mlp" ? `mlp (H=${hidden})` : "linear";
  console.log(
    `${label.padEnd(14)} ${mean.toFixed(2)} s/epoch  ${(trainPairs / mean / 1000).toFixed(0)}k pairs/s  ` +
      `epochs [${times.map((t) => t.toFixed(2)).join(", ")}] s  total ${total.toFixed(1)} s  val acc ${(m.valAccuracy * 100).toFixed(1)}%`,
  );
}

/** µs per completion for forward + backward: reference (one at a time) vs batched (4 per weight pass). */
function kernelMicros(kind: HeadKind, xs: Float32Array[]): { ref: number; batched: number } {
  const stats = { mean: new Float32Array(dim), std: new Float32Array(dim).fill(1) };
  const head = createRewardHead({ kind, inputDim: dim, hidden, activation: "gelu" }, stats, createRng(1));
  const grads = zerosLikeParams(head);
  const n = xs.length;
  const ws = new HeadWorkspace(head, n);
  const rewards = new Float64Array(n);
  const dr = new Float64Array(n).fill(0.01);
  const reps = 20;
  let t = performance.now();
  for (let r = 0; r < reps; r++) {
    for (let s = 0; s < n; s++) {
      forwardHead(ws, xs[s], 0);
      backwardHead(ws, 0, 0.01, grads);
    }
  }
  const ref = ((performance.now() - t) * 1000) / (reps * n);
  t = performance.now();
  for (let r = 0; r < reps; r++) {
    forwardSlots(ws, xs, n, rewards);
    backwardSlots(ws, n, dr, grads);
  }
  return { ref, batched: ((performance.now() - t) * 1000) / (reps * n) };
}

const sample = [...task.features.values()].slice(0, 128);
for (const kind of ["linear", "mlp"] as const) {
  kernelMicros(kind, sample); // warm-up
  const { ref, batched } = kernelMicros(kind, sample);
  console.log(`kernel ${kind.padEnd(6)} fwd+bwd per completion: reference ${ref.toFixed(1)} µs  batched ${batched.toFixed(1)} µs  (${(ref / batched).toFixed(2)}x)`);
}
