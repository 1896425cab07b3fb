import type { ParamEntry } from "@/lib/train/model/config";

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWConfig = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };

/**
 * AdamW with decoupled weight decay (Loshchilov & Hutter): the decay is
 * applied to the weights directly, not mixed into the gradient. Norm weights
 * and embeddings are not decayed (mask 0), the usual choice for small LMs.
 * m and v are flat and parallel to the params so checkpoints copy them as is.
 */
export class AdamW {
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Number of updates taken so far (bias correction uses it; saved in checkpoints). */
  t = 0;
  private readonly decayMask: Uint8Array;

  constructor(readonly size: number, readonly config: AdamWConfig, decayMask?: Uint8Array) {
    const { beta1, beta2, eps, weightDecay } = config;
    if (!(beta1 >= 0 && beta1 < 1)) throw new Error(`beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new Error(`beta2 must be in [0, 1), got ${beta2}`);
    if (!(eps > 0)) throw new Error(`eps must be > 0, got ${eps}`);
    if (!(weightDecay >= 0)) throw new Error(`weightDecay must be >= 0, got ${weightDecay}`);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.decayMask = decayMask ?? new Uint8Array(size).fill(1);
  }

  step(params: Float32Array, grads: Float32Array, lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.config;
    this.t++;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2 = 1 - Math.pow(beta2, this.t);
    const { m, v, decayMask } = this;
    for (let i = 0; i < this.size; i++) {
      const g = grads[i]!;
      const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * g);
      const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * g * g);
      const update = mi / bc1 / (Math.sqrt(vi / bc2) + eps);
      params[i] = params[i]! - lr * (update + (decayMask[i] ? weightDecay * params[i]! : 0));
    }
  }
}

/** 1 for 2-D projection weights, 0 for norms and the embedding table. */
export function decayMaskFor(layout: readonly ParamEntry[], size: number): Uint8Array {
  const mask = new Uint8Array(size);
  for (const e of layout) {
    if (e.shape.length === 2 && !e.name.includes("embed_tokens")) mask.fill(1, e.offset, e.offset + e.size);
  }
  return mask;
}

/** Scales grads in place so their global L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grads.length; i++) ss += grads[i]! * grads[i]!;
  const norm = Math.sqrt(ss);
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grads.length; i++) grads[i] *= s;
  }
  return norm;
}

export interface LrSchedule {
  peakLr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

/** Linear warm-up to peakLr, then cosine decay to minLr at totalSteps. step counts from 0. */
export function learningRate(s: LrSchedule, step: number): number {
  if (step < s.warmupSteps) return (s.peakLr * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.minLr + 0.5 * (s.peakLr - s.minLr) * (1 + Math.cos(Math.PI * progress));
}
