/**
 * The state of one mode (b) fine-tuning run: the backbone's trainable slice
 * (top layers + final norm), the scalar head, their AdamW optimizers and the
 * frozen-layer cache. ./finetune.ts checks the inputs and drives a run through
 * the shared early-stopping loop (lib/numerics/early-stopping.ts).
 */
import { AdamW, DEFAULT_ADAMW, decayMaskFor } from "@/lib/numerics/adamw";
import { clipGradNorm } from "@/lib/numerics/clip";
import type { Xoshiro128ss } from "@/lib/numerics/rng";
import { RewardRunner, trainableRange, type FinetunedRewardModel } from "@/lib/reward/finetune-model";
import { groupLoss, lossAndAccuracy, type IndexedPairs } from "@/lib/reward/loss";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount, paramLayout } from "@/lib/train/model/config";

/** A prompt group with local pair indexes into its completion ids. */
export interface FinetuneGroup extends IndexedPairs {
  ids: string[];
}

/** The step's settings, defaults already resolved. */
export interface FinetuneSettings {
  trainLayers: number;
  lr: number;
  headLr: number;
  weightDecay: number;
  clipNorm: number;
  rewardCentering: number;
  cacheBytes: number;
}

/** What an epoch can be rolled back to: the trainable slice and the head. */
export interface FinetuneSnapshot {
  body: Float32Array;
  w: Float32Array;
  b: number;
}

export class FinetuneRun {
  private readonly runner: RewardRunner;
  private readonly start: number;
  private readonly stopLayer: number;
  /** Trainable slice of the params (top layers + final norm) and its gradient, views into the runner's buffers. */
  private readonly body: Float32Array;
  private readonly gBody: Float32Array;
  /** Scalar head r = w·h + b on the last token's final-norm hidden state h (dim). */
  private readonly w: Float32Array;
  private readonly b = new Float32Array(1);
  private readonly gw: Float32Array;
  private readonly gb = new Float32Array(1);
  private readonly bodyOpt: AdamW;
  private readonly wOpt: AdamW;
  private readonly bOpt: AdamW;
  /** Frozen layers' output (tokens × dim) per completion, while it fits the budget. */
  private readonly cache = new Map<string, Float32Array>();
  private cacheLeft: number;
  /** dLoss/dr and r per completion of the group in hand. */
  private readonly dR: Float64Array;
  private readonly rewards: number[] = [];

  /**
   * Copies the backbone, clips every token list in `tokens` to the runner's
   * length (in place) and draws the head's initial weights from `rng`.
   */
  constructor(
    private readonly backbone: { config: LlamaTrainConfig; params: Float32Array },
    private readonly tokens: Map<string, ArrayLike<number>>,
    private readonly s: FinetuneSettings,
    rng: Xoshiro128ss,
    largestGroup: number,
  ) {
    const bc = backbone.config;
    const d = bc.dim;
    let longest = 1;
    for (const t of tokens.values()) longest = Math.max(longest, t.length);
    const params = backbone.params.slice();
    this.runner = new RewardRunner(bc, params, longest);
    for (const [id, t] of tokens) tokens.set(id, this.runner.clip(t));
    const { start, end } = trainableRange(bc, s.trainLayers);
    [this.start, this.stopLayer] = [start, bc.nLayers - s.trainLayers];
    // A small random head: large initial rewards would push the BT loss into saturation.
    this.w = Float32Array.from({ length: d }, () => rng.normal() / (4 * Math.sqrt(d)));
    this.gw = new Float32Array(d);
    this.body = params.subarray(start, end);
    this.gBody = this.runner.grads.subarray(start, end);
    // Decay on the 2-D projections and the head weight, not on norms or the bias (as lib/train does).
    const adam = (size: number, weightDecay: number, mask?: Uint8Array) => new AdamW(size, { ...DEFAULT_ADAMW, weightDecay }, mask);
    this.bodyOpt = adam(this.body.length, s.weightDecay, decayMaskFor(paramLayout(bc), paramCount(bc)).subarray(start, end));
    this.wOpt = adam(d, s.weightDecay);
    this.bOpt = adam(1, 0);
    this.cacheLeft = s.cacheBytes;
    this.dR = new Float64Array(largestGroup);
  }

  /** Reward and last-token hidden state of one completion, from the frozen-layer cache when it has it. */
  private forward(id: string): { h: Float32Array; r: number } {
    const { runner, stopLayer, cache } = this;
    const d = this.backbone.config.dim;
    const t = this.tokens.get(id)!;
    const cached = stopLayer > 0 ? cache.get(id) : undefined;
    const out = runner.reward(t, this.w, this.b[0]!, cached && { layer: stopLayer, x: cached });
    if (stopLayer > 0 && !cached && this.cacheLeft >= t.length * d * 4) {
      cache.set(id, (runner.model.residual(stopLayer, t.length) as Float32Array).slice());
      this.cacheLeft -= t.length * d * 4;
    }
    return out;
  }

  /** Accumulates one group's loss gradient (scaled by 1/batch) into gBody, gw, gb; returns its loss share. */
  private accumulateGroup(g: FinetuneGroup, batch: number): number {
    const { dR, rewards, gw, gb } = this;
    const d = this.backbone.config.dim;
    const k = g.ids.length;
    let lastH: Float32Array = new Float32Array(0);
    for (let i = 0; i < k; i++) {
      const out = this.forward(g.ids[i]!);
      rewards[i] = out.r;
      lastH = out.h;
    }
    dR.fill(0, 0, k);
    const loss = groupLoss(rewards, g, dR, this.s.rewardCentering, 1 / batch) / batch;
    // Backward newest first, so the last forward pass needs no recompute.
    for (let i = k - 1; i >= 0; i--) {
      if (dR[i] === 0) continue;
      // The last completion's activations are still in the model; the others are recomputed.
      const h = i === k - 1 ? lastH : this.forward(g.ids[i]!).h;
      for (let j = 0; j < d; j++) gw[j] += dR[i]! * h[j]!;
      gb[0] += dR[i]!;
      this.runner.backward(this.tokens.get(g.ids[i]!)!, this.w, dR[i]!, this.stopLayer);
    }
    return loss;
  }

  /** One optimizer step on a batch of groups (joint gradient clip over layers and head); returns the batch loss. */
  step(batch: readonly FinetuneGroup[]): number {
    this.gBody.fill(0);
    this.gw.fill(0);
    this.gb.fill(0);
    let loss = 0;
    for (const g of batch) loss += this.accumulateGroup(g, batch.length);
    clipGradNorm([this.gBody, this.gw, this.gb], this.s.clipNorm);
    this.bodyOpt.step(this.body, this.gBody, this.s.lr);
    this.wOpt.step(this.w, this.gw, this.s.headLr);
    this.bOpt.step(this.b, this.gb, this.s.headLr);
    return loss;
  }

  /** The head is where a blown-up step shows first (the loss is checked separately). */
  finite(): boolean {
    return Number.isFinite(this.b[0]!) && Number.isFinite(this.w[0]!);
  }

  validate(val: readonly FinetuneGroup[]): { loss: number; accuracy: number } {
    return lossAndAccuracy(val, (g) => g.ids.map((id) => this.forward(id).r));
  }

  snapshot(): FinetuneSnapshot {
    return { body: this.body.slice(), w: this.w.slice(), b: this.b[0]! };
  }

  /** The model with `best`'s weights, its bias set so the mean reward over the training completions is 0. */
  finish(best: FinetuneSnapshot, train: readonly FinetuneGroup[]): { model: FinetunedRewardModel; rewardOffset: number } {
    const bc = this.backbone.config;
    const out = this.backbone.params.slice();
    out.set(best.body, this.start);
    const model: FinetunedRewardModel = { config: bc, trainLayers: this.s.trainLayers, params: out, scoreWeight: best.w, scoreBias: best.b };
    const scorer = new RewardRunner(bc, out, this.runner.maxTokens);
    const trainIds = new Set(train.flatMap((g) => g.ids));
    let sum = 0;
    for (const id of trainIds) sum += scorer.reward(this.tokens.get(id)!, best.w, best.b).r;
    const rewardOffset = trainIds.size ? sum / trainIds.size : 0;
    model.scoreBias -= rewardOffset;
    return { model, rewardOffset };
  }
}
