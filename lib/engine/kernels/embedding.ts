/** Row gathers and adds: token embeddings, residual adds, biases. */

/** Naive reference: out (B, dim) = table[ids[b]] with table (vocab, dim). */
export function embeddingRef(out: Float32Array, table: Float32Array, ids: Int32Array, B: number, dim: number): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < dim; j++) out[b * dim + j] = table[ids[b] * dim + j];
}

/** Row copy with hoisted offsets (same contract as embeddingRef). */
export function embedding(out: Float32Array, table: Float32Array, ids: Int32Array, B: number, dim: number): void {
  for (let b = 0; b < B; b++) {
    const src = ids[b] * dim;
    const dst = b * dim;
    for (let j = 0; j < dim; j++) out[dst + j] = table[src + j];
  }
}

/** out (n) += x (n): residual connections. */
export function addInPlace(out: Float32Array, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] += x[i];
}

/** out (B, d) += bias (d) on every row. */
export function addBias(out: Float32Array, bias: Float32Array, B: number, d: number): void {
  for (let b = 0; b < B; b++) for (let i = 0; i < d; i++) out[b * d + i] += bias[i];
}
