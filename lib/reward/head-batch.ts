/**
 * Batched forward/backward of a reward head over n workspace slots: the
 * trainer's hot path. Same maths as forwardHead/backwardHead (the reference,
 * checked against this in tests/unit/reward/head-batch.test.ts), but four
 * completions share each pass over a weight row: W1 is read once per four
 * dot products and its gradient row is read-modified-written once per four
 * outer products, which is where the scalar loop spends its time.
 */
import { type HeadWorkspace } from "@/lib/reward/head";

const GELU_K = Math.sqrt(2 / Math.PI);

/** Standardises xs[s] (D) into slot s of the workspace for s < n. */
function standardize(ws: HeadWorkspace, xs: readonly Float32Array[], n: number): void {
  const { mean } = ws.head;
  const { invStd, xhat } = ws;
  const d = ws.head.config.inputDim;
  for (let s = 0; s < n; s++) {
    const x = xs[s];
    const off = s * d;
    for (let i = 0; i < d; i++) xhat[off + i] = (x[i] - mean[i]) * invStd[i];
  }
}

/** Rewards of xs[0..n) into rewards[0..n); caches x̂ and z in slots 0..n−1. */
export function forwardSlots(ws: HeadWorkspace, xs: readonly Float32Array[], n: number, rewards: Float64Array): void {
  ws.ensureSlots(n);
  standardize(ws, xs, n);
  const { config, params } = ws.head;
  const d = config.inputDim;
  const xhat = ws.xhat;
  const last = n - 1;
  if (config.kind === "linear") {
    const w = params.w;
    const b = params.b[0];
    for (let s = 0; s < n; s++) {
      const off = s * d;
      let acc = b;
      for (let i = 0; i < d; i++) acc += w[i] * xhat[off + i];
      rewards[s] = acc;
    }
    return;
  }
  const { w1, b1, w2, b2 } = params;
  const h = config.hidden;
  const z = ws.z;
  const relu = config.activation === "relu";
  for (let s0 = 0; s0 < n; s0 += 4) {
    // Slots past n alias the last one; their results are never stored.
    const o0 = s0 * d;
    const o1 = Math.min(s0 + 1, last) * d;
    const o2 = Math.min(s0 + 2, last) * d;
    const o3 = Math.min(s0 + 3, last) * d;
    // W1 (H,D) @ [x̂0 x̂1 x̂2 x̂3] (D,4) -> z (H,4)
    for (let j = 0; j < h; j++) {
      const row = j * d;
      let a0 = b1[j];
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let i = 0; i < d; i++) {
        const wv = w1[row + i];
        a0 += wv * xhat[o0 + i];
        a1 += wv * xhat[o1 + i];
        a2 += wv * xhat[o2 + i];
        a3 += wv * xhat[o3 + i];
      }
      z[s0 * h + j] = a0;
      if (s0 + 1 < n) z[(s0 + 1) * h + j] = a1;
      if (s0 + 2 < n) z[(s0 + 2) * h + j] = a2;
      if (s0 + 3 < n) z[(s0 + 3) * h + j] = a3;
    }
  }
  for (let s = 0; s < n; s++) {
    let r = b2[0];
    for (let j = 0; j < h; j++) {
      const zj = z[s * h + j];
      r += w2[j] * (relu ? (zj > 0 ? zj : 0) : 0.5 * zj * (1 + Math.tanh(GELU_K * (zj + 0.044715 * zj * zj * zj))));
    }
    rewards[s] = r;
  }
}

/** Adds dLoss/dparams to `grads` from dLoss/dr of slots 0..n−1 (last forwardSlots call). */
export function backwardSlots(ws: HeadWorkspace, n: number, dRewards: Float64Array, grads: Record<string, Float32Array>): void {
  const { config, params } = ws.head;
  const d = config.inputDim;
  const xhat = ws.xhat;
  if (config.kind === "linear") {
    const gw = grads.w;
    for (let s = 0; s < n; s++) {
      const dr = dRewards[s];
      const off = s * d;
      grads.b[0] += dr;
      for (let i = 0; i < d; i++) gw[i] += dr * xhat[off + i];
    }
    return;
  }
  const h = config.hidden;
  const { z, dz } = ws;
  const w2 = params.w2;
  const { w1: gw1, b1: gb1, w2: gw2, b2: gb2 } = grads;
  const relu = config.activation === "relu";
  for (let s = 0; s < n; s++) {
    const dr = dRewards[s];
    gb2[0] += dr;
    for (let j = 0; j < h; j++) {
      const zj = z[s * h + j];
      let act: number;
      let grad: number;
      if (relu) {
        act = zj > 0 ? zj : 0;
        grad = zj > 0 ? 1 : 0;
      } else {
        const t = Math.tanh(GELU_K * (zj + 0.044715 * zj * zj * zj));
        act = 0.5 * zj * (1 + t);
        grad = 0.5 * (1 + t) + 0.5 * zj * (1 - t * t) * GELU_K * (1 + 3 * 0.044715 * zj * zj);
      }
      gw2[j] += dr * act;
      dz[s * h + j] = dr * w2[j] * grad;
      gb1[j] += dz[s * h + j];
    }
  }
  accumulateW1Grad(ws, n, gw1);
}

// dW1 (H,D) += dz (H,4) @ [x̂0 x̂1 x̂2 x̂3]ᵀ (4,D); padded slots get coefficient 0.
function accumulateW1Grad(ws: HeadWorkspace, n: number, gw1: Float32Array): void {
  const d = ws.head.config.inputDim;
  const h = ws.head.config.hidden;
  const { xhat, dz } = ws;
  const last = n - 1;
  for (let s0 = 0; s0 < n; s0 += 4) {
    const o0 = s0 * d;
    const o1 = Math.min(s0 + 1, last) * d;
    const o2 = Math.min(s0 + 2, last) * d;
    const o3 = Math.min(s0 + 3, last) * d;
    for (let j = 0; j < h; j++) {
      const c0 = dz[s0 * h + j];
      const c1 = s0 + 1 < n ? dz[(s0 + 1) * h + j] : 0;
      const c2 = s0 + 2 < n ? dz[(s0 + 2) * h + j] : 0;
      const c3 = s0 + 3 < n ? dz[(s0 + 3) * h + j] : 0;
      // Dead ReLU units in all four slots contribute nothing: skip the row.
      if (c0 === 0 && c1 === 0 && c2 === 0 && c3 === 0) continue;
      const row = j * d;
      for (let i = 0; i < d; i++) {
        gw1[row + i] += c0 * xhat[o0 + i] + c1 * xhat[o1 + i] + c2 * xhat[o2 + i] + c3 * xhat[o3 + i];
      }
    }
  }
}
