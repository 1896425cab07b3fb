/** Element-wise activations over n values; out may alias inputs. */

/** Naive SwiGLU reference: out = silu(gate) * up, silu(x) = x / (1 + e^-x). */
export function swigluRef(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (gate[i] / (1 + Math.exp(-gate[i]))) * up[i];
}

/** SwiGLU (same contract as swigluRef). */
export function swiglu(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const g = gate[i];
    out[i] = (g * up[i]) / (1 + Math.exp(-g));
  }
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** Naive GELU (tanh approximation, GPT-2's gelu_new) reference. */
export function geluRef(out: Float32Array, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = 0.5 * x[i] * (1 + Math.tanh(GELU_C * (x[i] + 0.044715 * x[i] ** 3)));
}

/** GELU tanh approximation (same contract as geluRef). */
export function gelu(out: Float32Array, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + Math.tanh(GELU_C * v * (1 + 0.044715 * v * v)));
  }
}
