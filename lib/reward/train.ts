/**
 * Trains a reward head on cached backbone features with the Bradley–Terry
 * loss, InstructGPT prompt grouping, AdamW, early stopping on validation
 * loss and best-weight selection (the epoch loop is lib/numerics'
 * trainWithEarlyStopping, shared with ./finetune.ts). Async only so an AbortSignal can fire
 * between steps; all compute is synchronous and deterministic given `seed`.
 */
import { AdamW } from "@/lib/numerics/adamw";
import { trainWithEarlyStopping, type EarlyStoppingResult, type EpochMetrics, type StopReason } from "@/lib/numerics/early-stopping";
import { createRng, type Xoshiro128ss } from "@/lib/numerics/rng";
import { compileGroups, inferDim, uniqueFeatures, validateTrainingData, type CompiledGroup } from "@/lib/reward/data";
import {
  HeadWorkspace,
  cloneHead,
  computeStandardization,
  createRewardHead,
  forwardHead,
  isDecayedParam,
  outputBiasName,
  zerosLikeParams,
  type RewardHead,
} from "@/lib/reward/head";
import { backwardSlots, forwardSlots } from "@/lib/reward/head-batch";
import { groupLoss, lossAndAccuracy } from "@/lib/reward/loss";
import { checkTrainConfig, type RewardTrainConfig } from "@/lib/reward/train-config";
import { RewardError, type FeatureSource, type PromptGroup } from "@/lib/reward/types";

/** A trained head (best validation loss, rewards centred) and its run record. */
export interface RewardTrainResult {
  head: RewardHead;
  /** 1-based epoch whose weights were kept; 0 if no epoch finished. */
  bestEpoch: number;
  bestValLoss: number;
  history: EpochMetrics[];
  stopReason: StopReason;
  /** Mean training reward before centring, subtracted from the output bias. */
  rewardOffset: number;
}

/** Inputs of {@link trainRewardModel}. */
export interface RewardTrainOptions {
  features: FeatureSource;
  trainGroups: readonly PromptGroup[];
  valGroups: readonly PromptGroup[];
  config: RewardTrainConfig;
  /** Return "stop" to end training after this epoch (keeps the best weights). */
  onEpoch?: (metrics: EpochMetrics) => void | "stop";
  /** Aborting ends training at the next step; the best weights so far are returned. */
  signal?: AbortSignal;
}

/** Thrown when the loss or a parameter becomes NaN/∞; `partial` holds the last good weights. */
export class RewardDivergedError extends RewardError {
  constructor(
    message: string,
    readonly partial: RewardTrainResult,
  ) {
    super("diverged", message);
    this.name = "RewardDivergedError";
  }
}

/** Mean group loss and strict pairwise accuracy of `head` on `groups`. */
export function evaluateGroups(ws: HeadWorkspace, groups: readonly CompiledGroup[]): { loss: number; accuracy: number } {
  return lossAndAccuracy(groups, (g) => g.features.map((x) => forwardHead(ws, x, 0)));
}

interface StepBuffers {
  grads: Record<string, Float32Array>;
  /** Features, rewards and dLoss/dr of every completion in the batch, group after group. */
  xs: Float32Array[];
  rewards: Float64Array;
  dRewards: Float64Array;
}

/** Forward, loss and backward over one batch of groups; returns the batch loss. */
function accumulateBatch(ws: HeadWorkspace, batch: readonly CompiledGroup[], buf: StepBuffers, centering: number): number {
  for (const g of Object.values(buf.grads)) g.fill(0);
  let n = 0;
  for (const g of batch) for (const x of g.features) buf.xs[n++] = x;
  forwardSlots(ws, buf.xs, n, buf.rewards);
  buf.dRewards.fill(0, 0, n);
  let loss = 0;
  const scale = 1 / batch.length;
  let offset = 0;
  for (const g of batch) {
    loss += groupLoss(buf.rewards, g, buf.dRewards, centering, scale, offset);
    offset += g.features.length;
  }
  backwardSlots(ws, n, buf.dRewards, buf.grads);
  return loss * scale;
}

function allFinite(params: Record<string, Float32Array>): boolean {
  for (const p of Object.values(params)) {
    let s = 0;
    for (let i = 0; i < p.length; i++) s += p[i] * 0;
    if (s !== 0) return false; // x·0 is NaN exactly when x is NaN or ±∞
  }
  return true;
}

/** Shifts the output bias so the mean reward over `features` is 0; returns the shift. */
export function centerRewards(head: RewardHead, features: readonly Float32Array[]): number {
  if (features.length === 0) return 0;
  const ws = new HeadWorkspace(head, 1);
  let sum = 0;
  for (const x of features) sum += forwardHead(ws, x, 0);
  const offset = sum / features.length;
  head.params[outputBiasName(head.config)][0] -= offset;
  return offset;
}

/** Steps every head tensor with AdamW at the run's lr, in place. */
type HeadOptimizer = (grads: Record<string, Float32Array>) => void;

/**
 * One AdamW per head tensor, stepped together: weights decay, biases do not
 * (isDecayedParam). Betas 0.9 / 0.999: a small convex-ish problem, not an LM.
 */
function headOptimizer(head: RewardHead, config: RewardTrainConfig): HeadOptimizer {
  const adamw = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: config.weightDecay };
  const parts = Object.entries(head.params).map(([name, p]) => ({ name, p, opt: new AdamW(p.length, adamw, isDecayedParam(name)) }));
  return (grads) => {
    for (const { name, p, opt } of parts) opt.step(p, grads[name], config.lr);
  };
}

interface Run {
  head: RewardHead;
  train: CompiledGroup[];
  val: CompiledGroup[];
  trainFeatures: Float32Array[];
  ws: HeadWorkspace;
  evalWs: HeadWorkspace;
  buf: StepBuffers;
  optimizer: HeadOptimizer;
  rng: Xoshiro128ss;
}

/** Validates, resolves features, standardises and initialises; no training yet. */
function prepareRun(options: RewardTrainOptions): Run {
  const { config } = options;
  checkTrainConfig(config);
  const check = validateTrainingData(options.trainGroups, options.valGroups, config.minPairs);
  if (!check.ok) throw new RewardError(check.code, check.reason);
  const dim = inferDim(options.trainGroups, options.features);
  const train = compileGroups(options.trainGroups, options.features, dim);
  const val = compileGroups(options.valGroups, options.features, dim);
  const trainFeatures = uniqueFeatures(train);
  const rng = createRng(config.seed);
  const headConfig = { kind: config.head, inputDim: dim, hidden: config.hidden, activation: config.activation ?? "gelu" };
  const head = createRewardHead(headConfig, computeStandardization(trainFeatures, dim), rng);
  // Workspace slots for the largest possible batch: the batchSize biggest groups.
  const sizes = train.map((g) => g.features.length).sort((a, b) => b - a);
  const maxBatch = sizes.slice(0, config.batchSize).reduce((a, b) => a + b, 0);
  return {
    head,
    train,
    val,
    trainFeatures,
    ws: new HeadWorkspace(head, maxBatch),
    evalWs: new HeadWorkspace(head, 1),
    buf: { grads: zerosLikeParams(head), xs: [], rewards: new Float64Array(maxBatch), dRewards: new Float64Array(maxBatch) },
    optimizer: headOptimizer(head, config),
    rng,
  };
}

/** The best head, centred, with the loop's record. */
function finish(run: Run, r: EarlyStoppingResult<RewardHead>): RewardTrainResult {
  const rewardOffset = centerRewards(r.best, run.trainFeatures);
  return { head: r.best, bestEpoch: r.bestEpoch, bestValLoss: r.bestValLoss, history: r.history, stopReason: r.stopReason, rewardOffset };
}

/**
 * Trains a reward head. Refuses (throws {@link RewardError}) before any
 * compute when the data or config is unusable; throws
 * {@link RewardDivergedError} on NaN with the best weights so far attached
 * (the initial weights if no epoch finished). The returned head holds the
 * best-validation-loss weights with the bias shifted so the mean reward over
 * training completions is 0.
 */
export async function trainRewardModel(options: RewardTrainOptions): Promise<RewardTrainResult> {
  const { config } = options;
  const run = prepareRun(options);
  const centering = config.rewardCentering ?? 0;
  const result = await trainWithEarlyStopping({
    items: [...run.train],
    batchSize: config.batchSize,
    rng: run.rng,
    epochs: config.epochs,
    patience: config.patience,
    step: (batch) => {
      const loss = accumulateBatch(run.ws, batch, run.buf, centering);
      run.optimizer(run.buf.grads);
      return loss;
    },
    finite: () => allFinite(run.head.params),
    validate: () => evaluateGroups(run.evalWs, run.val),
    snapshot: () => cloneHead(run.head),
    diverged: (at, partial) => {
      const message = `training diverged at epoch ${at.epoch}, step ${at.step} (loss ${at.loss}); try an lr below ${config.lr}`;
      throw new RewardDivergedError(message, finish(run, partial));
    },
    onEpoch: options.onEpoch,
    signal: options.signal,
    // A step is a few small matrix products: hand the event loop a turn only now and then.
    yieldEvery: 256,
  });
  return finish(run, result);
}
