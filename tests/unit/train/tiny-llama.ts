/** A tiny trainer config and noisy seeded weights, shared by the model tests. */
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { createRng } from "@/lib/numerics/rng";

/** Two layers, grouped-query attention (4 heads, 2 KV heads), tied head; `over` changes any field. */
export const tiny = (over: Partial<LlamaTrainConfig> = {}): LlamaTrainConfig => ({
  vocabSize: 11, dim: 8, nLayers: 2, nHeads: 4, nKvHeads: 2, hiddenDim: 12, maxSeqLen: 8, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true, ...over,
});

/** Params (float64, for gradient checks) with extra noise so norms and gates are far from their init values. */
export function noisyParams(c: LlamaTrainConfig, seed: number): Float64Array {
  const rng = createRng(seed);
  const p = initParams(c, rng, new Float64Array(paramCount(c))) as Float64Array;
  for (let i = 0; i < p.length; i++) p[i] += rng.normal() * 0.3;
  return p;
}
