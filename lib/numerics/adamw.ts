/**
 * The one AdamW of the project: the trainer's whole-model step, the reward
 * fine-tune's layers + head and the frozen-feature reward head all use it.
 */

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** The usual choice for small language models (betas 0.9 / 0.95, decay 0.1). */
export const DEFAULT_ADAMW: AdamWConfig = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };

/**
 * AdamW with decoupled weight decay (Loshchilov & Hutter): the decay is
 * applied to the weights directly, not mixed into the gradient, so its
 * strength is not rescaled by Adam's per-parameter step size. Bias-corrected
 * first and second moments. m and v are flat and parallel to the params so
 * checkpoints copy them as is.
 */
export class AdamW {
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Number of updates taken so far (bias correction uses it; saved in checkpoints). */
  t = 0;
  private readonly decayMask: Uint8Array;

  /**
   * @param decay which parameters are decayed: all (true, the default), none
   *   (false), or a 0/1 mask of length `size` (see {@link decayMaskFor}).
   */
  constructor(readonly size: number, readonly config: AdamWConfig, decay: boolean | Uint8Array = true) {
    const { beta1, beta2, eps, weightDecay } = config;
    if (!(Number.isInteger(size) && size >= 0)) throw new RangeError(`size must be a non-negative integer, got ${size}`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${beta2}`);
    if (!(eps > 0)) throw new RangeError(`eps must be > 0, got ${eps}`);
    if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) throw new RangeError(`weightDecay must be >= 0, got ${weightDecay}`);
    if (typeof decay !== "boolean" && decay.length !== size) throw new RangeError(`decay mask has ${decay.length} entries, expected ${size}`);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.decayMask = typeof decay === "boolean" ? new Uint8Array(size).fill(decay ? 1 : 0) : decay;
  }

  /** One update of `params` in place from `grads` (both of length `size`) at learning rate `lr`. */
  step(params: Float32Array, grads: Float32Array, lr: number): void {
    if (params.length !== this.size || grads.length !== this.size) {
      throw new RangeError(`AdamW of size ${this.size} got ${params.length} params and ${grads.length} grads`);
    }
    if (!(lr >= 0)) throw new RangeError(`lr must be >= 0, got ${lr}`);
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

/** One named tensor in a flat parameter buffer (the trainer's paramLayout entries fit). */
export interface TensorSlot {
  name: string;
  shape: readonly number[];
  offset: number;
  size: number;
}

/**
 * The usual decay mask for a transformer: 1 for 2-D projection weights, 0 for
 * norms, biases (1-D) and embedding tables (decaying them shrinks rare tokens
 * towards 0 for no benefit).
 */
export function decayMaskFor(layout: readonly TensorSlot[], size: number): Uint8Array {
  const mask = new Uint8Array(size);
  for (const e of layout) {
    if (e.shape.length === 2 && !e.name.includes("embed")) mask.fill(1, e.offset, e.offset + e.size);
  }
  return mask;
}
