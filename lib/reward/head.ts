/**
 * Scalar reward heads over frozen backbone features: a linear head and a
 * one-hidden-layer MLP, with hand-written backward passes. Inputs are
 * standardised with the train-set mean/std stored in the head, so the
 * learning rate means the same thing whatever the backbone's feature scale.
 */
import type { Xoshiro128ss } from "@/lib/numerics/rng";
import { RewardError } from "@/lib/reward/types";

export type HeadKind = "linear" | "mlp";
export type Activation = "gelu" | "relu";

/** Shape of a head. `hidden`/`activation` are ignored by the linear head. */
export interface HeadConfig {
  kind: HeadKind;
  inputDim: number;
  hidden: number;
  activation: Activation;
}

/**
 * A trained or initialised head. Parameter layouts:
 * - linear: `w` (D), `b` (1)             r = w·x̂ + b
 * - mlp:    `w1` (H,D) row-major, `b1` (H), `w2` (H), `b2` (1)
 *           r = w2·act(W1 x̂ + b1) + b2
 * where x̂ = (x − mean) / std.
 */
export interface RewardHead {
  config: HeadConfig;
  mean: Float32Array;
  std: Float32Array;
  params: Record<string, Float32Array>;
}

/** Standardisation statistics, computed on training features only. */
export interface Standardization {
  mean: Float32Array;
  std: Float32Array;
}

/** Names of a head's parameters, in a fixed order (optimizer state follows it). */
export function headParamNames(config: HeadConfig): string[] {
  return config.kind === "linear" ? ["w", "b"] : ["w1", "b1", "w2", "b2"];
}

/** Biases are not weight-decayed: shrinking them only moves the reward offset. */
export function isDecayedParam(name: string): boolean {
  return name.startsWith("w");
}

/** The parameter holding the output offset, shifted when centring rewards. */
export function outputBiasName(config: HeadConfig): string {
  return config.kind === "linear" ? "b" : "b2";
}

/** Throws unless `config` describes a buildable head; messages name the bad value. */
export function checkHeadConfig(config: HeadConfig): void {
  if (!Number.isInteger(config.inputDim) || config.inputDim < 1) {
    throw new RewardError("invalid_config", `inputDim must be a positive integer, got ${config.inputDim}`);
  }
  if (config.kind !== "linear" && config.kind !== "mlp") {
    throw new RewardError("invalid_config", `head must be "linear" or "mlp", got ${String(config.kind)}`);
  }
  if (config.kind === "mlp" && (!Number.isInteger(config.hidden) || config.hidden < 1)) {
    throw new RewardError("invalid_config", `hidden must be a positive integer, got ${config.hidden}`);
  }
  if (config.activation !== "gelu" && config.activation !== "relu") {
    throw new RewardError("invalid_config", `activation must be "gelu" or "relu", got ${String(config.activation)}`);
  }
}

/**
 * Per-feature mean and std over `vectors`. Accumulates in float64 because
 * float32 sums over ~1e5 vectors lose the low digits the variance needs.
 * A constant feature gets std 1 so it standardises to 0 instead of NaN.
 */
export function computeStandardization(vectors: Iterable<Float32Array>, dim: number): Standardization {
  const sum = new Float64Array(dim);
  const sumSq = new Float64Array(dim);
  let n = 0;
  for (const v of vectors) {
    for (let i = 0; i < dim; i++) {
      const x = v[i];
      sum[i] = sum[i] + x;
      sumSq[i] = sumSq[i] + x * x;
    }
    n++;
  }
  const mean = new Float32Array(dim);
  const std = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const m = n > 0 ? sum[i] / n : 0;
    const variance = n > 0 ? Math.max(0, sumSq[i] / n - m * m) : 0;
    const s = Math.sqrt(variance);
    mean[i] = m;
    std[i] = s > 1e-6 * Math.max(1, Math.abs(m)) ? s : 1;
  }
  return { mean, std };
}

/**
 * A fresh head. Linear weights start at 0 (the BT loss is convex in them);
 * MLP weights use He init for W1 and 1/√H for w2 so initial rewards are O(1).
 */
export function createRewardHead(config: HeadConfig, stats: Standardization, rng: Xoshiro128ss): RewardHead {
  checkHeadConfig(config);
  const d = config.inputDim;
  if (stats.mean.length !== d || stats.std.length !== d) {
    throw new RewardError("invalid_config", `standardisation has length ${stats.mean.length}, expected ${d}`);
  }
  const head: RewardHead = { config, mean: stats.mean.slice(), std: stats.std.slice(), params: {} };
  if (config.kind === "linear") {
    head.params = { w: new Float32Array(d), b: new Float32Array(1) };
    return head;
  }
  const h = config.hidden;
  const w1 = new Float32Array(h * d);
  const w2 = new Float32Array(h);
  const scale1 = Math.sqrt(2 / d);
  for (let i = 0; i < w1.length; i++) w1[i] = rng.normal() * scale1;
  for (let j = 0; j < h; j++) w2[j] = rng.normal() / Math.sqrt(h);
  head.params = { w1, b1: new Float32Array(h), w2, b2: new Float32Array(1) };
  return head;
}

/** Deep copy, used for best-weights snapshots. */
export function cloneHead(head: RewardHead): RewardHead {
  const params: Record<string, Float32Array> = {};
  for (const [name, p] of Object.entries(head.params)) params[name] = p.slice();
  return { config: { ...head.config }, mean: head.mean.slice(), std: head.std.slice(), params };
}

/** Zeroed gradient buffers shaped like `head.params`. */
export function zerosLikeParams(head: RewardHead): Record<string, Float32Array> {
  const grads: Record<string, Float32Array> = {};
  for (const [name, p] of Object.entries(head.params)) grads[name] = new Float32Array(p.length);
  return grads;
}

const GELU_K = Math.sqrt(2 / Math.PI);

// tanh approximation of GELU (as in GPT-2); cheap and smooth.
function gelu(z: number): number {
  return 0.5 * z * (1 + Math.tanh(GELU_K * (z + 0.044715 * z * z * z)));
}

function geluGrad(z: number): number {
  const t = Math.tanh(GELU_K * (z + 0.044715 * z * z * z));
  return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_K * (1 + 3 * 0.044715 * z * z);
}

/**
 * Scratch memory for forward/backward, allocated once per run. Each slot
 * caches one completion's x̂ (D) and pre-activations z (H) so a prompt group's
 * completions can be forwarded once and back-propagated afterwards.
 */
export class HeadWorkspace {
  readonly invStd: Float32Array;
  xhat: Float32Array = new Float32Array(0);
  z: Float32Array = new Float32Array(0);
  /** dLoss/dz per slot (H each), scratch for the batched backward. */
  dz: Float32Array = new Float32Array(0);
  private slots = 0;

  constructor(
    readonly head: RewardHead,
    slots = 1,
  ) {
    this.invStd = new Float32Array(head.std.length);
    for (let i = 0; i < head.std.length; i++) this.invStd[i] = 1 / head.std[i];
    this.ensureSlots(slots);
  }

  /** Grows the slot cache when a group has more completions than seen so far. */
  ensureSlots(n: number): void {
    if (n <= this.slots) return;
    this.slots = Math.max(n, this.slots * 2);
    this.xhat = new Float32Array(this.slots * this.head.config.inputDim);
    this.z = new Float32Array(this.slots * Math.max(1, this.head.config.hidden));
    this.dz = new Float32Array(this.z.length);
  }
}

/**
 * Reward of one feature vector x (D). Caches x̂ and z in `slot` for
 * {@link backwardHead}. This is the obviously-right reference, used for
 * scoring and evaluation; the trainer uses the batched head-batch.ts.
 */
export function forwardHead(ws: HeadWorkspace, x: Float32Array, slot = 0): number {
  const { config, mean, params } = ws.head;
  const d = config.inputDim;
  const invStd = ws.invStd;
  const xhat = ws.xhat;
  const off = slot * d;
  for (let i = 0; i < d; i++) xhat[off + i] = (x[i] - mean[i]) * invStd[i];
  if (config.kind === "linear") {
    const w = params.w;
    let r = params.b[0];
    for (let i = 0; i < d; i++) r += w[i] * xhat[off + i];
    return r;
  }
  const { w1, b1, w2, b2 } = params;
  const h = config.hidden;
  const z = ws.z;
  const zOff = slot * h;
  const relu = config.activation === "relu";
  let r = b2[0];
  // W1 (H,D) @ x̂ (D) -> z (H); then r = w2 · act(z) + b2
  for (let j = 0; j < h; j++) {
    const row = j * d;
    let acc = b1[j];
    for (let i = 0; i < d; i++) acc += w1[row + i] * xhat[off + i];
    z[zOff + j] = acc;
    r += w2[j] * (relu ? (acc > 0 ? acc : 0) : gelu(acc));
  }
  return r;
}

/**
 * Accumulates dLoss/dparams into `grads` given dLoss/dr for the completion
 * last forwarded into `slot`. Mean and std are constants, not trained.
 */
export function backwardHead(
  ws: HeadWorkspace,
  slot: number,
  dr: number,
  grads: Record<string, Float32Array>,
): void {
  const { config, params } = ws.head;
  const d = config.inputDim;
  const xhat = ws.xhat;
  const off = slot * d;
  if (config.kind === "linear") {
    const gw = grads.w;
    for (let i = 0; i < d; i++) gw[i] += dr * xhat[off + i];
    grads.b[0] += dr;
    return;
  }
  const { w2 } = params;
  const { w1: gw1, b1: gb1, w2: gw2, b2: gb2 } = grads;
  const h = config.hidden;
  const zOff = slot * h;
  const relu = config.activation === "relu";
  gb2[0] += dr;
  for (let j = 0; j < h; j++) {
    const zj = ws.z[zOff + j];
    const act = relu ? (zj > 0 ? zj : 0) : gelu(zj);
    gw2[j] += dr * act;
    const dz = dr * w2[j] * (relu ? (zj > 0 ? 1 : 0) : geluGrad(zj));
    // Dead ReLU units contribute nothing; skipping saves a D-long row update.
    if (dz === 0) continue;
    gb1[j] += dz;
    const row = j * d;
    for (let i = 0; i < d; i++) gw1[row + i] += dz * xhat[off + i];
  }
}

/**
 * A reusable scorer for inference: returns r(x) for one feature vector.
 * Checks the dimension because a head trained on another backbone would
 * otherwise read past or short of the vector silently.
 */
export function createScorer(head: RewardHead): (x: Float32Array) => number {
  const ws = new HeadWorkspace(head, 1);
  return (x) => {
    if (x.length !== head.config.inputDim) {
      throw new RewardError("invalid_features", `feature vector has length ${x.length}, head expects ${head.config.inputDim}`);
    }
    return forwardHead(ws, x, 0);
  };
}
