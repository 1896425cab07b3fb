/**
 * Trains mode (b) of the reward model: the backbone's top layers, its final
 * norm and a scalar head, on Bradley–Terry pairs grouped by prompt
 * (InstructGPT), with AdamW, gradient clipping, early stopping on the
 * validation loss and best-weight selection — the same contract as the
 * frozen-feature trainer in ./train.ts. Layers below the trained ones are
 * frozen, so their output is computed once per completion and cached.
 */
import { groupLoss, lossAndAccuracy, type IndexedPairs } from "@/lib/reward/loss";
import { RewardRunner, lookupTokens, trainableRange, type FinetunedRewardModel, type TokenSource } from "@/lib/reward/finetune-model";
import { indexPairs, validateTrainingData } from "@/lib/reward/data";
import { AdamW, DEFAULT_ADAMW, decayMaskFor } from "@/lib/numerics/adamw";
import { clipGradNorm } from "@/lib/numerics/clip";
import { createRng } from "@/lib/numerics/rng";
import type { EpochMetrics, StopReason } from "@/lib/reward/train";
import { checkOptimizerFields } from "@/lib/reward/train-config";
import { RewardError, type PromptGroup } from "@/lib/reward/types";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount, paramLayout } from "@/lib/train/model/config";

export interface FinetuneConfig {
  /** Top transformer layers trained with the head (the rest stay frozen). */
  trainLayers: number;
  lr: number;
  /** Learning rate of the scalar head; default 10 × lr (it starts from random). */
  headLr?: number;
  weightDecay: number;
  epochs: number;
  /** Prompt groups per optimizer step. */
  batchSize: number;
  patience: number;
  seed: number;
  /** Global gradient-norm clip; default 1. */
  clipNorm?: number;
  rewardCentering?: number;
  minPairs?: number;
  /** Bytes the frozen-layer cache may hold; default 256 MiB (beyond it, frozen layers are recomputed). */
  cacheBytes?: number;
}

export interface FinetuneOptions {
  backbone: { config: LlamaTrainConfig; params: Float32Array };
  tokens: TokenSource;
  trainGroups: readonly PromptGroup[];
  valGroups: readonly PromptGroup[];
  config: FinetuneConfig;
  onEpoch?: (metrics: EpochMetrics) => void | "stop";
  signal?: AbortSignal;
}

export interface FinetuneResult {
  model: FinetunedRewardModel;
  bestEpoch: number;
  bestValLoss: number;
  history: EpochMetrics[];
  stopReason: StopReason;
  rewardOffset: number;
}

/** NaN/∞ in the loss or the weights; `partial` holds the best weights so far. */
export class FinetuneDivergedError extends RewardError {
  constructor(message: string, readonly partial: FinetuneResult) {
    super("diverged", message);
    this.name = "FinetuneDivergedError";
  }
}

interface Group extends IndexedPairs {
  ids: string[];
}

function checkConfig(c: FinetuneConfig, nLayers: number): void {
  const fail = (m: string): never => {
    throw new RewardError("invalid_config", m);
  };
  if (!(Number.isInteger(c.trainLayers) && c.trainLayers >= 1 && c.trainLayers <= nLayers)) fail(`trainLayers must be an integer in [1, ${nLayers}], got ${c.trainLayers}`);
  if (c.headLr !== undefined && !(c.headLr > 0 && Number.isFinite(c.headLr))) fail(`headLr must be a finite number > 0, got ${c.headLr}`);
  if (c.clipNorm !== undefined && !(c.clipNorm > 0)) fail(`clipNorm must be > 0, got ${c.clipNorm}`);
  checkOptimizerFields(c);
}

/** Local indexes per prompt; every completion's tokens resolved (and checked) once. */
function indexGroups(groups: readonly PromptGroup[], source: TokenSource, vocab: number, tokens: Map<string, ArrayLike<number>>): Group[] {
  return groups.filter((g) => g.pairs.length).map((g) => {
    const index = new Map<string, number>();
    const ids: string[] = [];
    const local = (id: string): number => {
      let i = index.get(id);
      if (i !== undefined) return i;
      if (!tokens.has(id)) {
        const t = lookupTokens(source, id);
        if (!t || t.length === 0) throw new RewardError("missing_features", `no token ids for completion ${id}`);
        for (let k = 0; k < t.length; k++) {
          if (!(Number.isInteger(t[k]) && t[k]! >= 0 && t[k]! < vocab)) {
            throw new RewardError("invalid_features", `completion ${id}: token ${t[k]} at position ${k} is outside the vocab (size ${vocab})`);
          }
        }
        tokens.set(id, t);
      }
      index.set(id, (i = ids.length));
      ids.push(id);
      return i;
    };
    return { ids, ...indexPairs(g.pairs, local) };
  });
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Fine-tunes the top layers and a scalar head. Refuses unusable data or
 * config before any compute (RewardError); throws FinetuneDivergedError on
 * NaN with the best weights so far. The returned model holds the
 * best-validation-loss weights, with the bias set so the mean reward over
 * training completions is 0.
 */
export async function finetuneRewardModel(options: FinetuneOptions): Promise<FinetuneResult> {
  const { config: c, backbone, signal } = options;
  const bc = backbone.config;
  checkConfig(c, bc.nLayers);
  const check = validateTrainingData(options.trainGroups, options.valGroups, c.minPairs);
  if (!check.ok) throw new RewardError(check.code, check.reason);

  const tokens = new Map<string, ArrayLike<number>>();
  const train = indexGroups(options.trainGroups, options.tokens, bc.vocabSize, tokens);
  const val = indexGroups(options.valGroups, options.tokens, bc.vocabSize, tokens);
  let longest = 1;
  for (const t of tokens.values()) longest = Math.max(longest, t.length);

  const params = backbone.params.slice();
  const runner = new RewardRunner(bc, params, longest);
  for (const [id, t] of tokens) tokens.set(id, runner.clip(t));
  const { start, end } = trainableRange(bc, c.trainLayers);
  const stopLayer = bc.nLayers - c.trainLayers;
  const rng = createRng(c.seed);
  const d = bc.dim;
  // A small random head: large initial rewards would push the BT loss into saturation.
  const w = Float32Array.from({ length: d }, () => rng.normal() / (4 * Math.sqrt(d)));
  const b = new Float32Array(1);
  const gw = new Float32Array(d);
  const gb = new Float32Array(1);
  const body = params.subarray(start, end);
  const gBody = runner.grads.subarray(start, end);
  // Decay on the 2-D projections and the head weight, not on norms or the bias (as lib/train does).
  const adam = (size: number, weightDecay: number, mask?: Uint8Array) => new AdamW(size, { ...DEFAULT_ADAMW, weightDecay }, mask);
  const bodyOpt = adam(body.length, c.weightDecay, decayMaskFor(paramLayout(bc), paramCount(bc)).subarray(start, end));
  const wOpt = adam(d, c.weightDecay);
  const bOpt = adam(1, 0);

  // Frozen layers' output per completion, while it fits the budget.
  const cache = new Map<string, Float32Array>();
  let cacheLeft = c.cacheBytes ?? 256 * 2 ** 20;
  const forward = (id: string) => {
    const t = tokens.get(id)!;
    const cached = stopLayer > 0 ? cache.get(id) : undefined;
    const out = runner.reward(t, w, b[0]!, cached && { layer: stopLayer, x: cached });
    if (stopLayer > 0 && !cached && cacheLeft >= t.length * d * 4) {
      cache.set(id, (runner.model.residual(stopLayer, t.length) as Float32Array).slice());
      cacheLeft -= t.length * d * 4;
    }
    return out;
  };

  const snapshot = () => ({ body: body.slice(), w: w.slice(), b: b[0]! });
  let best = snapshot();
  let bestEpoch = 0, bestValLoss = Number.POSITIVE_INFINITY, sinceBest = 0;
  let stopReason: StopReason = "completed";
  const history: EpochMetrics[] = [];
  const finish = (): FinetuneResult => {
    const out = backbone.params.slice();
    out.set(best.body, start);
    const model: FinetunedRewardModel = { config: bc, trainLayers: c.trainLayers, params: out, scoreWeight: best.w, scoreBias: best.b };
    // Centre: mean training reward under the best weights becomes 0.
    const scorer = new RewardRunner(bc, out, longest);
    const trainIds = new Set(train.flatMap((g) => g.ids));
    let sum = 0;
    for (const id of trainIds) sum += scorer.reward(tokens.get(id)!, best.w, best.b).r;
    const rewardOffset = trainIds.size ? sum / trainIds.size : 0;
    model.scoreBias -= rewardOffset;
    return { model, bestEpoch, bestValLoss, history, stopReason, rewardOffset };
  };

  const order = [...train];
  const dR = new Float64Array(train.reduce((most, g) => Math.max(most, g.ids.length), 0));
  const rewards: number[] = [];
  for (let epoch = 1; epoch <= c.epochs && stopReason === "completed"; epoch++) {
    rng.shuffle(order);
    let lossSum = 0, steps = 0;
    for (let s = 0; s < order.length; s += c.batchSize) {
      if (signal?.aborted) {
        stopReason = "aborted";
        break;
      }
      const batch = order.slice(s, s + c.batchSize);
      gBody.fill(0);
      gw.fill(0);
      gb.fill(0);
      let loss = 0;
      for (const g of batch) {
        const k = g.ids.length;
        let lastH: Float32Array = new Float32Array(0);
        for (let i = 0; i < k; i++) {
          const out = forward(g.ids[i]!);
          rewards[i] = out.r;
          lastH = out.h;
        }
        dR.fill(0, 0, k);
        loss += groupLoss(rewards, g, dR, c.rewardCentering ?? 0, 1 / batch.length) / batch.length;
        // Backward newest first, so the last forward pass needs no recompute.
        for (let i = k - 1; i >= 0; i--) {
          if (dR[i] === 0) continue;
          // The last completion's activations are still in the model; the others are recomputed.
          const h = i === k - 1 ? lastH : forward(g.ids[i]!).h;
          for (let j = 0; j < d; j++) gw[j] += dR[i]! * h[j]!;
          gb[0] += dR[i]!;
          runner.backward(tokens.get(g.ids[i]!)!, w, dR[i]!, stopLayer);
        }
      }
      clipGradNorm([gBody, gw, gb], c.clipNorm ?? 1);
      bodyOpt.step(body, gBody, c.lr);
      wOpt.step(w, gw, c.headLr ?? 10 * c.lr);
      bOpt.step(b, gb, c.headLr ?? 10 * c.lr);
      steps++;
      if (!Number.isFinite(loss) || !Number.isFinite(b[0]!) || !Number.isFinite(w[0]!)) {
        throw new FinetuneDivergedError(`training diverged at epoch ${epoch}, step ${steps} (loss ${loss}); try an lr below ${c.lr}`, finish());
      }
      lossSum += loss;
      if (steps % 8 === 0) await yieldToEventLoop();
    }
    if (stopReason === "aborted") break;
    const { loss: valLoss, accuracy: valAccuracy } = lossAndAccuracy(val, (g) => g.ids.map((id) => forward(id).r));
    if (valLoss < bestValLoss) {
      [bestValLoss, bestEpoch, best, sinceBest] = [valLoss, epoch, snapshot(), 0];
    } else {
      sinceBest++;
    }
    const metrics: EpochMetrics = { epoch, trainLoss: lossSum / steps, valLoss, valAccuracy, bestValLoss, steps };
    history.push(metrics);
    if (options.onEpoch?.(metrics) === "stop") stopReason = "callback";
    else if (sinceBest >= c.patience) stopReason = "early_stopping";
  }
  return finish();
}
