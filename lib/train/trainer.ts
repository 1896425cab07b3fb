import type { SftExample } from "./chat-format";
import type { GradEngine } from "./grad-engine";
import { scoredCount } from "./grad-engine";
import type { LlamaTrainConfig } from "./model/config";
import { paramLayout } from "./model/config";
import type { AdamWConfig } from "@/lib/numerics/adamw";
import { AdamW, decayMaskFor } from "@/lib/numerics/adamw";
import { clipGradNorm } from "@/lib/numerics/clip";
import type { LrSchedule } from "@/lib/numerics/schedule";
import { learningRate } from "@/lib/numerics/schedule";
import { createRng, deriveSeed } from "@/lib/numerics/rng";

export interface TrainHyper {
  seed: number;
  /** Sequences per micro-batch. */
  batchSize: number;
  /** Micro-batches summed before one optimizer step. */
  gradAccum: number;
  schedule: LrSchedule;
  adamw: AdamWConfig;
  /** Global gradient-norm clip; 0 disables. */
  clipNorm: number;
}

/** Thrown before the optimizer step when the loss or gradient stops being finite; params are untouched. */
export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly value: number, what: "loss" | "gradient norm") {
    super(`${what} became ${value} at step ${step}; stopping so the last good checkpoint stays intact (try a lower --lr)`);
    this.name = "NonFiniteLossError";
  }
}

export interface StepResult {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokens: number;
}

/**
 * Which examples step `step` trains on. Drawn from a generator seeded by
 * (seed, step) rather than a running stream, so a resumed run sees exactly
 * the batches the uninterrupted run would have.
 */
export function batchIndices(seed: number, step: number, count: number, datasetSize: number): number[] {
  const rng = createRng(deriveSeed(seed, step));
  return Array.from({ length: count }, () => rng.int(0, datasetSize - 1));
}

/** Owns params + optimizer and takes optimizer steps over a fixed dataset. */
export class Trainer {
  readonly optimizer: AdamW;
  step = 0;

  constructor(readonly config: LlamaTrainConfig, readonly hyper: TrainHyper, readonly engine: GradEngine, readonly data: readonly SftExample[]) {
    if (data.length === 0) throw new Error("training data is empty");
    if (!(hyper.batchSize >= 1 && hyper.gradAccum >= 1)) {
      throw new Error(`batchSize and gradAccum must be >= 1, got ${hyper.batchSize} and ${hyper.gradAccum}`);
    }
    // Checked here rather than at the first step's createRng(deriveSeed(seed, step)).
    if (!(Number.isSafeInteger(hyper.seed) && hyper.seed >= 0)) throw new Error(`seed must be a non-negative safe integer, got ${hyper.seed}`);
    const layout = paramLayout(config);
    this.optimizer = new AdamW(engine.params.length, hyper.adamw, decayMaskFor(layout, engine.params.length));
  }

  async trainStep(): Promise<StepResult> {
    const { hyper, engine } = this;
    const per = hyper.batchSize;
    const idx = batchIndices(hyper.seed, this.step, per * hyper.gradAccum, this.data.length);
    const examples = idx.map((i) => this.data[i]!);
    // Mean over every scored token of the whole step, however it is split into micro-batches.
    const total = examples.reduce((s, ex) => s + scoredCount(ex), 0);
    engine.grads.fill(0);
    let loss = 0;
    let tokens = 0;
    for (let k = 0; k < hyper.gradAccum; k++) {
      const micro = examples.slice(k * per, (k + 1) * per);
      const r = await engine.accumulate(micro, 1 / Math.max(1, total));
      loss += r.loss;
      for (const ex of micro) tokens += ex.tokens.length;
    }
    const meanLoss = loss / Math.max(1, total);
    if (!Number.isFinite(meanLoss)) throw new NonFiniteLossError(this.step, meanLoss, "loss");
    const gradNorm = clipGradNorm(engine.grads, hyper.clipNorm);
    if (!Number.isFinite(gradNorm)) throw new NonFiniteLossError(this.step, gradNorm, "gradient norm");
    const lr = learningRate(hyper.schedule, this.step);
    this.optimizer.step(engine.params, engine.grads, lr);
    this.step++;
    return { step: this.step, loss: meanLoss, lr, gradNorm, tokens };
  }
}
