/**
 * The one epoch loop with early stopping: both reward trainers (the
 * frozen-feature head and the fine-tuned top layers) run it. Each epoch
 * reshuffles the items, takes one optimizer step per batch, validates, keeps
 * a snapshot of the best weights, reports, and stops on patience, on the
 * callback, on cancellation or on divergence. Async only so an AbortSignal
 * (and progress reports) can get through between steps.
 */
import type { Xoshiro128ss } from "./rng";

/** Why training ended. */
export type StopReason = "completed" | "early_stopping" | "callback" | "aborted";

/** Reported after every epoch, and kept in the result's history. */
export interface EpochMetrics {
  epoch: number;
  /** Mean batch loss over the epoch. */
  trainLoss: number;
  valLoss: number;
  /** The caller's validation accuracy (for reward models: strict pairwise accuracy, ties count wrong). */
  valAccuracy: number;
  bestValLoss: number;
  steps: number;
}

/** Where a run stopped being finite. */
export interface Divergence {
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  loss: number;
}

export interface EarlyStoppingOptions<T, S> {
  /** Training items; reshuffled in place by `rng` at the start of every epoch, then cut into batches. */
  items: T[];
  batchSize: number;
  rng: Xoshiro128ss;
  epochs: number;
  /** Epochs without a new best validation loss before stopping; Infinity never stops early. */
  patience: number;
  /** One optimizer step on a batch; returns the batch loss. */
  step(batch: readonly T[]): number;
  /** Whether the weights are still finite; checked with the loss after every step. */
  finite(): boolean;
  /** Loss (lower is better) and accuracy on the validation set, after every epoch. */
  validate(): { loss: number; accuracy: number };
  /** A copy of the weights: taken before the first epoch and at every new best. */
  snapshot(): S;
  /** Called with the run so far (best weights included) when a step is not finite; throws the caller's error. */
  diverged(at: Divergence, partial: EarlyStoppingResult<S>): never;
  /** Return "stop" to end training after this epoch (the best weights are kept). */
  onEpoch?: (metrics: EpochMetrics) => void | "stop";
  /** Aborting ends training before the next step; the best weights so far are returned. */
  signal?: AbortSignal;
  /** Steps between turns given to the event loop (cheap steps: many; slow steps: few). */
  yieldEvery: number;
}

export interface EarlyStoppingResult<S> {
  /** The snapshot of the best epoch; the initial weights if no epoch finished. */
  best: S;
  /** 1-based epoch whose weights were kept; 0 if no epoch finished. */
  bestEpoch: number;
  bestValLoss: number;
  history: EpochMetrics[];
  stopReason: StopReason;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** One pass over the shuffled items; null when aborted before a step. */
async function runEpoch<T, S>(o: EarlyStoppingOptions<T, S>, epoch: number, partial: () => EarlyStoppingResult<S>): Promise<{ loss: number; steps: number } | null> {
  o.rng.shuffle(o.items);
  let lossSum = 0;
  let steps = 0;
  for (let start = 0; start < o.items.length; start += o.batchSize) {
    if (o.signal?.aborted) return null;
    const loss = o.step(o.items.slice(start, start + o.batchSize));
    steps++;
    if (!Number.isFinite(loss) || !o.finite()) o.diverged({ epoch, step: steps, loss }, partial());
    lossSum += loss;
    if (steps % o.yieldEvery === 0) await yieldToEventLoop();
  }
  return { loss: lossSum / steps, steps };
}

function checkOptions(o: Pick<EarlyStoppingOptions<never, never>, "epochs" | "batchSize" | "yieldEvery" | "patience">): void {
  const positiveInt = (x: number) => Number.isInteger(x) && x >= 1;
  for (const key of ["epochs", "batchSize", "yieldEvery"] as const) {
    if (!positiveInt(o[key])) throw new RangeError(`${key} must be a positive integer, got ${o[key]}`);
  }
  if (!(positiveInt(o.patience) || o.patience === Number.POSITIVE_INFINITY)) {
    throw new RangeError(`patience must be a positive integer or Infinity, got ${o.patience}`);
  }
}

/** Runs up to `epochs` epochs and returns the best snapshot with the run's record. */
export async function trainWithEarlyStopping<T, S>(o: EarlyStoppingOptions<T, S>): Promise<EarlyStoppingResult<S>> {
  checkOptions(o);
  const r: EarlyStoppingResult<S> = { best: o.snapshot(), bestEpoch: 0, bestValLoss: Number.POSITIVE_INFINITY, history: [], stopReason: "completed" };
  let sinceBest = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const trained = await runEpoch(o, epoch, () => ({ ...r, history: [...r.history] }));
    if (!trained) {
      r.stopReason = "aborted";
      break;
    }
    const { loss: valLoss, accuracy: valAccuracy } = o.validate();
    if (valLoss < r.bestValLoss) {
      [r.bestValLoss, r.bestEpoch, r.best, sinceBest] = [valLoss, epoch, o.snapshot(), 0];
    } else {
      sinceBest++;
    }
    const metrics: EpochMetrics = { epoch, trainLoss: trained.loss, valLoss, valAccuracy, bestValLoss: r.bestValLoss, steps: trained.steps };
    r.history.push(metrics);
    if (o.onEpoch?.(metrics) === "stop") {
      r.stopReason = "callback";
      break;
    }
    if (sinceBest >= o.patience) {
      r.stopReason = "early_stopping";
      break;
    }
    await yieldToEventLoop();
  }
  return r;
}
