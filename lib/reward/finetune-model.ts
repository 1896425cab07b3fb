/**
 * Mode (b) reward model: the backbone transformer itself, with its top
 * `trainLayers` layers and final norm trainable, and a scalar head
 * r = score.w · h_last + score.b on the final-norm hidden state of the last
 * token (InstructGPT: the SFT model with its unembedding replaced by a scalar
 * head). Training runs on lib/train's LlamaTrainModel, which owns forward and
 * backward; scoring runs the weights on the engine (engineModelFromParams).
 */
import { lastHiddenState } from "@/lib/engine/hidden-state";
import type { CausalLM } from "@/lib/engine/models/types";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount, paramLayout } from "@/lib/train/model/config";
import { engineModelFromParams } from "@/lib/train/model/engine-model";
import { LlamaTrainModel } from "@/lib/train/model/model";
import { RewardError } from "@/lib/reward/types";

/** Fine-tuned backbone + scalar head; `params` is the trainer's flat layout with the top layers updated. */
export interface FinetunedRewardModel {
  config: LlamaTrainConfig;
  trainLayers: number;
  params: Float32Array;
  scoreWeight: Float32Array;
  scoreBias: number;
}

/** Token ids of prompt + completion, as the backbone's chat template encodes them. */
export type TokenSource = ReadonlyMap<string, ArrayLike<number>> | ((completionId: string) => ArrayLike<number> | undefined);

export function lookupTokens(source: TokenSource, id: string): ArrayLike<number> | undefined {
  return typeof source === "function" ? source(id) : source.get(id);
}

/** [start, end) of the trainable span: layers nLayers-k.. and the final norm are contiguous in paramLayout. */
export function trainableRange(config: LlamaTrainConfig, trainLayers: number): { start: number; end: number } {
  if (!(Number.isInteger(trainLayers) && trainLayers >= 1 && trainLayers <= config.nLayers)) {
    throw new RewardError("invalid_config", `trainLayers must be an integer in [1, ${config.nLayers}] for this backbone, got ${trainLayers}`);
  }
  const layout = paramLayout(config);
  const first = layout.find((e) => e.name === `model.layers.${config.nLayers - trainLayers}.input_layernorm.weight`)!;
  const norm = layout.find((e) => e.name === "model.norm.weight")!;
  return { start: first.offset, end: norm.offset + norm.size };
}

/** HF names of the tensors a fine-tuned reward model changes (top layers + final norm), with their views. */
export function trainedTensors(model: FinetunedRewardModel): Array<{ name: string; shape: number[]; data: Float32Array }> {
  const { start, end } = trainableRange(model.config, model.trainLayers);
  return paramLayout(model.config)
    .filter((e) => e.offset >= start && e.offset + e.size <= end)
    .map((e) => ({ name: e.name, shape: e.shape, data: model.params.subarray(e.offset, e.offset + e.size) }));
}

/**
 * Runs sequences through a model in training and reads the reward, keeping
 * what backward needs; one LlamaTrainModel sized for the longest sequence it
 * will see. Scoring a finished model goes through the engine instead
 * ({@link createFinetunedScorer}).
 */
export class RewardRunner {
  readonly model: LlamaTrainModel;
  readonly grads: Float32Array;
  private readonly dHidden: Float32Array;

  constructor(readonly config: LlamaTrainConfig, params: Float32Array, maxTokens: number) {
    if (params.length !== paramCount(config)) {
      throw new RewardError("invalid_head", `backbone has ${params.length} parameters, its config needs ${paramCount(config)}`);
    }
    const sized = { ...config, maxSeqLen: Math.max(1, Math.min(config.maxSeqLen, maxTokens)) };
    this.grads = new Float32Array(params.length);
    this.model = new LlamaTrainModel(sized, params, this.grads);
    this.dHidden = new Float32Array(sized.maxSeqLen * config.dim);
  }

  /** Longest sequence accepted; longer ones keep their last tokens (the reward reads the end). */
  get maxTokens(): number {
    return this.model.config.maxSeqLen;
  }

  clip(tokens: ArrayLike<number>): ArrayLike<number> {
    return tokens.length > 0 && tokens.length <= this.maxTokens ? tokens : clipTokens(tokens, this.maxTokens);
  }

  /** Forward pass; returns the last token's final-norm hidden state (a view) and its reward. */
  reward(tokens: ArrayLike<number>, w: Float32Array, b: number, from?: { layer: number; x: Float32Array }): { h: Float32Array; r: number } {
    const d = this.config.dim;
    const hidden = this.model.forwardHidden(tokens, from) as Float32Array;
    const h = hidden.subarray((tokens.length - 1) * d, tokens.length * d);
    let r = b;
    for (let i = 0; i < d; i++) r += w[i]! * h[i]!;
    return { h, r };
  }

  /** Adds dr · d(reward)/dθ for the layers from `stopLayer` up; the forward pass of `tokens` must be the last one run. */
  backward(tokens: ArrayLike<number>, w: Float32Array, dr: number, stopLayer: number): void {
    const d = this.config.dim, T = tokens.length;
    this.dHidden.fill(0, 0, T * d);
    for (let i = 0; i < d; i++) this.dHidden[(T - 1) * d + i] = dr * w[i]!;
    this.model.backwardHidden(tokens, this.dHidden.subarray(0, T * d), stopLayer);
  }
}

/** Keeps the last `maxTokens` ids (the reward reads the end); refuses an empty sequence. */
function clipTokens(tokens: ArrayLike<number>, maxTokens: number): number[] {
  const n = tokens.length;
  if (n === 0) throw new RewardError("missing_features", "a conversation encoded to no tokens");
  return Array.prototype.slice.call(tokens, Math.max(0, n - maxTokens)) as number[];
}

/**
 * r = w · h + b, with h (dim) the final-norm hidden state of the last token as
 * the engine computes it: any engine model with Session.hidden, e.g. a backbone
 * with fine-tuned tensors. One session of `contextLength` positions serves every call.
 */
export function engineRewardScorer(model: CausalLM, w: Float32Array, b: number, contextLength: number): (tokens: ArrayLike<number>) => number {
  const d = model.config.dim;
  if (w.length !== d) throw new RewardError("invalid_head", `score head has ${w.length} weights, the model's hidden size is ${d}`);
  const session = model.createSession({ slots: 1, contextLength });
  const h = new Float32Array(d);
  return (tokens) => {
    lastHiddenState(session, clipTokens(tokens, contextLength), h);
    let r = b;
    for (let i = 0; i < d; i++) r += w[i]! * h[i]!;
    return r;
  };
}

/**
 * A scorer for stored completions: token ids in, reward out. The fine-tuned
 * weights run on the engine (its kernels, one KV-cached session); sequences
 * longer than `maxTokens` (capped at the model's context) keep their last tokens.
 */
export function createFinetunedScorer(m: FinetunedRewardModel, maxTokens = m.config.maxSeqLen): (tokens: ArrayLike<number>) => number {
  if (m.params.length !== paramCount(m.config)) {
    throw new RewardError("invalid_head", `backbone has ${m.params.length} parameters, its config needs ${paramCount(m.config)}`);
  }
  const contextLength = Math.max(1, Math.min(m.config.maxSeqLen, maxTokens));
  return engineRewardScorer(engineModelFromParams(m.config, m.params), m.scoreWeight, m.scoreBias, contextLength);
}
