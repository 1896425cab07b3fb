/** Softmax and log-softmax over x[off .. off+n); max-subtracted for stability. */

/** Naive reference: out[0..n) = softmax(x[0..n)). */
export function softmaxRef(out: Float32Array, x: Float32Array, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, x[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(x[i] - max);
  for (let i = 0; i < n; i++) out[i] = Math.exp(x[i] - max) / sum;
}

/** In-place softmax of x[off .. off+n) with one exp per element. */
export function softmax(x: Float32Array, off: number, n: number): void {
  let max = -Infinity;
  for (let i = off; i < off + n; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = off; i < off + n; i++) {
    const e = Math.exp(x[i] - max);
    x[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = off; i < off + n; i++) x[i] *= inv;
}

/** out[0..n) = log_softmax(x[off .. off+n)). */
export function logSoftmax(out: Float32Array, x: Float32Array, off: number, n: number): void {
  let max = -Infinity;
  for (let i = off; i < off + n; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = off; i < off + n; i++) sum += Math.exp(x[i] - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < n; i++) out[i] = x[off + i] - lse;
}
