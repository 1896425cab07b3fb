/**
 * Reward model on the demo model with verifier-decided preferences: the demo
 * model answers task prompts (K samples each), the task verifier plays the
 * annotator (a correct answer beats a wrong one), features come from the
 * demo model's final hidden state, and a Bradley–Terry head is trained on a
 * by-prompt split — (a) on frozen features, then (b) fine-tuning the top
 * layers with the head. Prints held-out pairwise accuracy. Figures only.
 *
 *   npx tsx bench/reward-verifier.ts [--prompts 240] [--k 4] [--model models/demo] [--layers 1,2]
 */
import { parseArgs } from "node:util";
import { generate } from "@/lib/engine/generate";
import { logProb, normalizer, parseDecodingConfig } from "@/lib/engine/sampling";
import { promptIds as chatPromptIds } from "@/lib/engine/tokenizer/conversation";
import { openFeaturizer } from "@/lib/model-files/features";
import { loadModelFromPath } from "@/lib/model-files/load";
import { loadTrainableBackbone } from "@/lib/model-files/trainable-backbone";
import { finetuneRewardModel } from "@/lib/reward/finetune";
import { createFinetunedScorer } from "@/lib/reward/finetune-model";
import { evaluateRewardModel, groupPairsByPrompt, splitGroupsByPrompt, trainRewardModel, type PreferencePair } from "@/lib/reward";
import { generateCorpus, verifiers } from "@/lib/tasks";

const { values } = parseArgs({ options: { prompts: { type: "string", default: "240" }, k: { type: "string", default: "4" }, model: { type: "string", default: "models/demo" }, layers: { type: "string", default: "1,2" } } });
const nPrompts = Number(values.prompts);
const k = Number(values.k);

const { model, tokenizer } = await loadModelFromPath(values.model!);
const featurizer = await openFeaturizer(values.model!);
const items = generateCorpus(777, nPrompts);
const features = new Map<string, Float32Array>();
const tokens = new Map<string, number[]>();
/** Where each completion's tokens start inside its (possibly clipped) token ids. */
const completionStart = new Map<string, number>();
const pairs: PreferencePair[] = [];
let completions = 0;
let correct = 0;
const t0 = performance.now();
for (const [i, item] of items.entries()) {
  const messages = [{ role: "user", content: item.prompt }];
  const promptIds = chatPromptIds(tokenizer!, messages);
  const configs = Array.from({ length: k }, (_, j) => parseDecodingConfig({ temperature: 1.0, max_new_tokens: 24, seed: i * 100 + j }));
  const texts: string[] = new Array(k);
  for await (const ev of generate({ model, tokenizer, promptIds, configs })) if (ev.type === "done") texts[ev.seq] = ev.result.text;
  const verdicts = texts.map((t) => verifiers[item.verifierId](item.meta, t).correct);
  texts.forEach((t, j) => {
    features.set(`${i}:${j}`, featurizer.featurize(messages, t));
    const conversation = featurizer.conversation(messages, t);
    tokens.set(`${i}:${j}`, conversation.ids);
    completionStart.set(`${i}:${j}`, Math.max(1, conversation.replyStart));
  });
  completions += k;
  correct += verdicts.filter(Boolean).length;
  // Two simulated annotators share the prompts, so the trainer's "not all from one annotator" rule holds.
  const annotatorId = i % 2 ? "verifier-a" : "verifier-b";
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    if (verdicts[a] && !verdicts[b]) pairs.push({ promptId: String(i), chosenId: `${i}:${a}`, rejectedId: `${i}:${b}`, annotatorId });
  }
}
const genSeconds = (performance.now() - t0) / 1000;
const groups = groupPairsByPrompt(pairs);
const { train: trainAll, val: test } = splitGroupsByPrompt(groups, 0.25, 1);
const { train, val } = splitGroupsByPrompt(trainAll, 0.2, 2);
const base = { hidden: 32, lr: 3e-3, weightDecay: 0.01, epochs: 200, batchSize: 8, patience: 20, seed: 1 };
console.log(`demo model ${values.model}: ${nPrompts} prompts × ${k} samples (T=1.0) in ${genSeconds.toFixed(0)} s; ${(100 * correct / completions).toFixed(1)}% judged correct by the verifiers`);
console.log(`pairs: ${pairs.length} (train ${train.reduce((s, g) => s + g.pairs.length, 0)}, val ${val.reduce((s, g) => s + g.pairs.length, 0)}, test ${test.reduce((s, g) => s + g.pairs.length, 0)}), feature dim ${featurizer.dim}`);
for (const head of ["linear", "mlp"] as const) {
  const result = await trainRewardModel({ features, trainGroups: train, valGroups: val, config: { ...base, head } });
  const m = evaluateRewardModel({ head: result.head, pairs: test.flatMap((g) => g.pairs), features });
  console.log(`${head.padEnd(6)} head: held-out pairwise accuracy ${(100 * m.accuracy).toFixed(1)}% on ${m.pairs} test pairs (best epoch ${result.bestEpoch}, ${result.stopReason})`);
}

const backbone = await loadTrainableBackbone(values.model!);
const testPairs = test.flatMap((g) => g.pairs);
// Reference without training: the policy's own mean log-probability of the completion's tokens (on the engine).
{
  const session = model.createSession({ slots: 1 });
  const V = model.config.vocabSize;
  const meanLogprob = (id: string) => {
    const ids = tokens.get(id)!;
    const start = completionStart.get(id)!;
    let sum = 0;
    // Chunks of maxRows; the logits row of position p - 1 predicts the token at p.
    for (let c = 0; c < ids.length; c += session.maxRows) {
      const n = Math.min(session.maxRows, ids.length - c);
      const logits = session.forward(Int32Array.from(ids.slice(c, c + n)), new Int32Array(n), Int32Array.from({ length: n }, (_, i) => c + i), n, "all");
      for (let p = Math.max(c, start - 1); p < c + n && p + 1 < ids.length; p++) {
        const row = logits.subarray((p - c) * V, (p - c + 1) * V);
        sum += logProb(row, ids[p + 1]!, normalizer(row));
      }
    }
    return sum / Math.max(1, ids.length - start);
  };
  const right = testPairs.filter((p) => meanLogprob(p.chosenId) > meanLogprob(p.rejectedId)).length;
  console.log(`reference, no training: the policy's mean log-prob of the completion orders ${(100 * right / testPairs.length).toFixed(1)}% of test pairs correctly`);
}
for (const trainLayers of values.layers!.split(",").map(Number)) {
  const t1 = performance.now();
  const result = await finetuneRewardModel({
    backbone, tokens, trainGroups: train, valGroups: val,
    config: { trainLayers, lr: 1e-4, weightDecay: 0.01, epochs: 10, batchSize: 8, patience: 3, seed: 1 },
  });
  const score = createFinetunedScorer(result.model);
  const correct = testPairs.filter((p) => score(tokens.get(p.chosenId)!) > score(tokens.get(p.rejectedId)!)).length;
  const epochs = result.history.length;
  const secs = (performance.now() - t1) / 1000;
  console.log(`fine-tuned top ${trainLayers} of ${backbone.config.nLayers} layers + linear head: held-out pairwise accuracy ${(100 * correct / testPairs.length).toFixed(1)}% on ${testPairs.length} test pairs (best epoch ${result.bestEpoch} of ${epochs}, ${result.stopReason}; ${(secs / Math.max(1, epochs)).toFixed(1)} s/epoch)`);
}
