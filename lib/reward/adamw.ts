/**
 * AdamW (Loshchilov & Hutter): Adam with weight decay applied to the weights
 * directly instead of through the gradient, so decay strength does not get
 * rescaled by Adam's per-parameter step size. Small and local to lib/reward
 * so the reward head does not depend on lib/train's optimizer API.
 */
import { RewardError } from "@/lib/reward/types";

/** Optimizer hyper-parameters; betas and eps default to the usual values. */
export interface AdamWConfig {
  lr: number;
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** AdamW over named Float32Array parameters, updated in place. */
export class AdamW {
  private readonly m: Record<string, Float32Array> = {};
  private readonly v: Record<string, Float32Array> = {};
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  /**
   * @param params tensors to update in place
   * @param decayed predicate: which parameters receive weight decay
   */
  constructor(
    private readonly params: Record<string, Float32Array>,
    private readonly config: AdamWConfig,
    private readonly decayed: (name: string) => boolean = () => true,
  ) {
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.eps = config.eps ?? 1e-8;
    if (!(config.lr > 0)) throw new RewardError("invalid_config", `lr must be > 0, got ${config.lr}`);
    if (!(config.weightDecay >= 0)) {
      throw new RewardError("invalid_config", `weightDecay must be >= 0, got ${config.weightDecay}`);
    }
    for (const [name, p] of Object.entries(params)) {
      this.m[name] = new Float32Array(p.length);
      this.v[name] = new Float32Array(p.length);
    }
  }

  /** One update from `grads` (same names and lengths as the parameters). */
  step(grads: Record<string, Float32Array>): void {
    this.t++;
    const { lr, weightDecay } = this.config;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    for (const [name, p] of Object.entries(this.params)) {
      const g = grads[name];
      const m = this.m[name];
      const v = this.v[name];
      const decay = this.decayed(name) ? 1 - lr * weightDecay : 1;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] = p[i] * decay - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + this.eps);
      }
    }
  }
}
