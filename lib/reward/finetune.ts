/**
 * Trains mode (b) of the reward model: the backbone's top layers, its final
 * norm and a scalar head, on Bradley–Terry pairs grouped by prompt
 * (InstructGPT), with AdamW, gradient clipping, early stopping on the
 * validation loss and best-weight selection — the same contract, and the
 * same epoch loop (lib/numerics/early-stopping.ts), as the frozen-feature
 * trainer in ./train.ts. Layers below the trained ones are frozen, so their
 * output is computed once per completion and cached (./finetune-run.ts).
 */
import { trainWithEarlyStopping, type EarlyStoppingResult, type EpochMetrics, type StopReason } from "@/lib/numerics/early-stopping";
import { createRng } from "@/lib/numerics/rng";
import { indexPairs, validateTrainingData } from "@/lib/reward/data";
import { lookupTokens, type FinetunedRewardModel, type TokenSource } from "@/lib/reward/finetune-model";
import { FinetuneRun, type FinetuneGroup, type FinetuneSnapshot } from "@/lib/reward/finetune-run";
import { checkOptimizerFields } from "@/lib/reward/train-config";
import { RewardError, type PromptGroup } from "@/lib/reward/types";
import type { LlamaTrainConfig } from "@/lib/train/model/config";

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
function indexGroups(groups: readonly PromptGroup[], source: TokenSource, vocab: number, tokens: Map<string, ArrayLike<number>>): FinetuneGroup[] {
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

/**
 * Fine-tunes the top layers and a scalar head. Refuses unusable data or
 * config before any compute (RewardError); throws FinetuneDivergedError on
 * NaN with the best weights so far. The returned model holds the
 * best-validation-loss weights, with the bias set so the mean reward over
 * training completions is 0.
 */
export async function finetuneRewardModel(options: FinetuneOptions): Promise<FinetuneResult> {
  const { config: c, backbone } = options;
  const bc = backbone.config;
  checkConfig(c, bc.nLayers);
  const check = validateTrainingData(options.trainGroups, options.valGroups, c.minPairs);
  if (!check.ok) throw new RewardError(check.code, check.reason);

  const tokens = new Map<string, ArrayLike<number>>();
  const train = indexGroups(options.trainGroups, options.tokens, bc.vocabSize, tokens);
  const val = indexGroups(options.valGroups, options.tokens, bc.vocabSize, tokens);
  const rng = createRng(c.seed);
  const settings = {
    trainLayers: c.trainLayers, lr: c.lr, headLr: c.headLr ?? 10 * c.lr, weightDecay: c.weightDecay,
    clipNorm: c.clipNorm ?? 1, rewardCentering: c.rewardCentering ?? 0, cacheBytes: c.cacheBytes ?? 256 * 2 ** 20,
  };
  const run = new FinetuneRun(backbone, tokens, settings, rng, train.reduce((most, g) => Math.max(most, g.ids.length), 0));
  const finish = (r: EarlyStoppingResult<FinetuneSnapshot>): FinetuneResult => {
    const { model, rewardOffset } = run.finish(r.best, train);
    return { model, bestEpoch: r.bestEpoch, bestValLoss: r.bestValLoss, history: r.history, stopReason: r.stopReason, rewardOffset };
  };
  const result = await trainWithEarlyStopping({
    items: [...train],
    batchSize: c.batchSize,
    rng,
    epochs: c.epochs,
    patience: c.patience,
    step: (batch) => run.step(batch),
    finite: () => run.finite(),
    validate: () => run.validate(val),
    snapshot: () => run.snapshot(),
    diverged: (at, partial) => {
      throw new FinetuneDivergedError(`training diverged at epoch ${at.epoch}, step ${at.step} (loss ${at.loss}); try an lr below ${c.lr}`, finish(partial));
    },
    onEpoch: options.onEpoch,
    signal: options.signal,
    // A step runs the transformer's top layers forward and back per completion: yield often.
    yieldEvery: 8,
  });
  return finish(result);
}
