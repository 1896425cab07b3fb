/**
 * Trains a reward head on cached backbone features with the Bradley–Terry
 * loss, InstructGPT prompt grouping, AdamW, early stopping on validation
 * loss and best-weight selection. Async only so an AbortSignal can fire
 * between steps; all compute is synchronous and deterministic given `seed`.
 */
import { AdamW } from "@/lib/numerics/adamw";
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
  type Activation,
  type HeadKind,
  type RewardHead,
} from "@/lib/reward/head";
import { backwardSlots, forwardSlots } from "@/lib/reward/head-batch";
import { groupLoss, lossAndAccuracy } from "@/lib/reward/loss";
import { createRng, type Xoshiro128ss } from "@/lib/numerics/rng";
import { checkTrainConfig } from "@/lib/reward/train-config";
import { RewardError, type FeatureSource, type PromptGroup } from "@/lib/reward/types";

/** Hyper-parameters of one run; every field is used. */
export interface RewardTrainConfig {
  head: HeadKind;
  /** Hidden width of the MLP head (ignored for linear). */
  hidden: number;
  /** MLP activation; default "gelu". */
  activation?: Activation;
  lr: number;
  weightDecay: number;
  epochs: number;
  /** Prompt groups per optimizer step. */
  batchSize: number;
  /** Epochs without a new best validation loss before stopping. */
  patience: number;
  seed: number;
  /** Coefficient of the mean((r_c + r_r)²) auxiliary loss; default 0 (off). */
  rewardCentering?: number;
  /** Fewest training pairs accepted; default {@link DEFAULT_MIN_PAIRS}. */
  minPairs?: number;
}

/** Reported after every epoch, and kept in the result's history. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  /** Strict pairwise accuracy on validation pairs (ties count wrong). */
  valAccuracy: number;
  bestValLoss: number;
  steps: number;
}

/** Why training ended. */
export type StopReason = "completed" | "early_stopping" | "callback" | "aborted";

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

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

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

/**
 * One pass over the shuffled training groups. Returns the mean batch loss, or
 * null when aborted. Calls `diverged` (which throws) on a non-finite value.
 */
async function runEpoch(
  run: Run,
  order: CompiledGroup[],
  config: RewardTrainConfig,
  signal: AbortSignal | undefined,
  diverged: (step: number, loss: number) => never,
): Promise<{ loss: number; steps: number } | null> {
  run.rng.shuffle(order);
  let lossSum = 0;
  let steps = 0;
  for (let start = 0; start < order.length; start += config.batchSize) {
    if (signal?.aborted) return null;
    const batch = order.slice(start, start + config.batchSize);
    const loss = accumulateBatch(run.ws, batch, run.buf, config.rewardCentering ?? 0);
    run.optimizer(run.buf.grads);
    steps++;
    if (!Number.isFinite(loss) || !allFinite(run.head.params)) diverged(steps, loss);
    lossSum += loss;
    if (steps % 256 === 0) await yieldToEventLoop();
  }
  return { loss: lossSum / steps, steps };
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
  const { config, signal } = options;
  const run = prepareRun(options);
  const history: EpochMetrics[] = [];
  let best = cloneHead(run.head);
  let bestEpoch = 0;
  let bestValLoss = Number.POSITIVE_INFINITY;
  let sinceBest = 0;
  let stopReason: StopReason = "completed";
  const finish = (): RewardTrainResult => {
    const rewardOffset = centerRewards(best, run.trainFeatures);
    return { head: best, bestEpoch, bestValLoss, history, stopReason, rewardOffset };
  };
  const order = [...run.train];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const diverged = (step: number, loss: number): never => {
      const where = `epoch ${epoch}, step ${step}`;
      throw new RewardDivergedError(`training diverged at ${where} (loss ${loss}); try an lr below ${config.lr}`, finish());
    };
    const epochResult = await runEpoch(run, order, config, signal, diverged);
    if (!epochResult) {
      stopReason = "aborted";
      break;
    }
    const { loss: valLoss, accuracy: valAccuracy } = evaluateGroups(run.evalWs, run.val);
    if (valLoss < bestValLoss) {
      [bestValLoss, bestEpoch, best, sinceBest] = [valLoss, epoch, cloneHead(run.head), 0];
    } else {
      sinceBest++;
    }
    const metrics: EpochMetrics = { epoch, trainLoss: epochResult.loss, valLoss, valAccuracy, bestValLoss, steps: epochResult.steps };
    history.push(metrics);
    if (options.onEpoch?.(metrics) === "stop") {
      stopReason = "callback";
      break;
    }
    if (sinceBest >= config.patience) {
      stopReason = "early_stopping";
      break;
    }
    await yieldToEventLoop();
  }
  return finish();
}
