/**
 * Global gradient-norm clipping over one or several gradient buffers (the
 * trainer's flat buffer; the reward fine-tune's layers + head weight + bias).
 * Scales every buffer in place so their joint L2 norm is at most `maxNorm`;
 * `maxNorm` <= 0 disables clipping. Returns the norm before clipping (the
 * trainer logs it and stops on a non-finite one).
 */
export function clipGradNorm(grads: Float32Array | readonly Float32Array[], maxNorm: number): number {
  const parts = grads instanceof Float32Array ? [grads] : grads;
  let ss = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) ss += p[i]! * p[i]!;
  const norm = Math.sqrt(ss);
  if (maxNorm > 0 && norm > maxNorm) {
    // The 1e-6 keeps the result strictly inside maxNorm after float32 rounding.
    const s = maxNorm / (norm + 1e-6);
    for (const p of parts) for (let i = 0; i < p.length; i++) p[i] *= s;
  }
  return norm;
}
