import type { SftExample } from "./chat-format";
import type { LlamaTrainConfig } from "./model/config";
import { paramCount } from "./model/config";
import { LlamaTrainModel } from "./model/model";

/**
 * Computes gradients for a list of examples into `grads` (accumulating).
 * The in-thread engine runs them one by one; lib/train/parallel splits them
 * across worker threads that share `params` through a SharedArrayBuffer.
 */
export interface GradEngine {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  /** Adds gradScale * d(sum of token losses)/dθ into grads; returns the summed loss and scored-token count. */
  accumulate(examples: readonly SftExample[], gradScale: number): Promise<{ loss: number; count: number }>;
  close(): Promise<void>;
}

export class LocalGradEngine implements GradEngine {
  readonly grads: Float32Array;
  private readonly model: LlamaTrainModel;

  constructor(config: LlamaTrainConfig, readonly params: Float32Array) {
    this.grads = new Float32Array(paramCount(config));
    this.model = new LlamaTrainModel(config, params, this.grads);
  }

  async accumulate(examples: readonly SftExample[], gradScale: number) {
    return accumulateInto(this.model, examples, gradScale);
  }

  async close() {}
}

export function accumulateInto(model: LlamaTrainModel, examples: readonly SftExample[], gradScale: number) {
  let loss = 0;
  let count = 0;
  for (const ex of examples) {
    const r = model.forwardBackward(ex.tokens, ex.targets, gradScale);
    loss += r.loss;
    count += r.count;
  }
  return { loss, count };
}

export function scoredCount(ex: SftExample): number {
  let n = 0;
  for (let i = 0; i < ex.targets.length; i++) if (ex.targets[i]! >= 0) n++;
  return n;
}
