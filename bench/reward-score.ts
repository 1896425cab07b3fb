/**
 * Scoring speed of a fine-tuned (mode b) reward model, in completions/s: the
 * trainer's forward (RewardRunner, what training runs) beside
 * createFinetunedScorer (what the job and best-of-N score with), on the same
 * conversations of the task corpus and the same weights (the backbone with
 * its top layer perturbed and a random head). Figures only.
 *
 *   npx tsx bench/reward-score.ts [--model models/demo] [--n 200] [--layers 1]
 */
import { parseArgs } from "node:util";
import { openFeaturizer } from "@/lib/model-files/features";
import { loadTrainableBackbone } from "@/lib/model-files/trainable-backbone";
import { createFinetunedScorer, RewardRunner, trainableRange, type FinetunedRewardModel } from "@/lib/reward/finetune-model";
import { createRng } from "@/lib/numerics/rng";
import { generateCorpus } from "@/lib/tasks";

const { values } = parseArgs({ options: { model: { type: "string", default: "models/demo" }, n: { type: "string", default: "200" }, layers: { type: "string", default: "1" } } });
const n = Number(values.n);
const trainLayers = Number(values.layers);

const backbone = await loadTrainableBackbone(values.model!);
const featurizer = await openFeaturizer(values.model!);
const rng = createRng(1);
const params = backbone.params.slice();
const { start, end } = trainableRange(backbone.config, trainLayers);
for (let i = start; i < end; i++) params[i] += 0.01 * rng.normal();
const d = backbone.config.dim;
const m: FinetunedRewardModel = {
  config: backbone.config, trainLayers, params, scoreWeight: Float32Array.from({ length: d }, () => rng.normal() / Math.sqrt(d)), scoreBias: 0.1,
};
const conversations = generateCorpus(5, n).map((x) => featurizer.tokens([{ role: "user", content: x.prompt }], x.response));
const longest = conversations.reduce((a, t) => Math.max(a, t.length), 1);
const meanLen = conversations.reduce((a, t) => a + t.length, 0) / n;
console.log(`${values.model}: dim ${d}, ${backbone.config.nLayers} layers; ${n} conversations, mean ${meanLen.toFixed(1)} tokens (longest ${longest})`);

function time(label: string, score: (t: number[]) => number): number[] {
  for (const t of conversations.slice(0, 20)) score(t); // warm-up (JIT)
  const t0 = performance.now();
  const out = conversations.map(score);
  const secs = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(44)} ${(n / secs).toFixed(0).padStart(6)} completions/s`);
  return out;
}

const runner = new RewardRunner(backbone.config, params, longest);
const a = time("trainer forward (RewardRunner)", (t) => runner.reward(runner.clip(t), m.scoreWeight, m.scoreBias).r);
const score = createFinetunedScorer(m, longest);
const b = time("createFinetunedScorer (job, best-of-N)", score);
let worst = 0;
for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
console.log(`largest score difference between the two: ${worst.toExponential(2)}`);
