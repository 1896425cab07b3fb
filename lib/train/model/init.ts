import type { Xoshiro128ss } from "@/lib/numerics/rng";
import type { LlamaTrainConfig } from "./config";
import { paramCount, paramLayout } from "./config";

/**
 * GPT-2 style init: N(0, 0.02) for embeddings and projections, norms at 1,
 * and the two projections that write into the residual stream (o_proj,
 * down_proj) scaled by 1/sqrt(2·nLayers) so the stream's variance does not
 * grow with depth.
 */
export function initParams(c: LlamaTrainConfig, rng: Xoshiro128ss, out: Float32Array | Float64Array = new Float32Array(paramCount(c))) {
  const residScale = 1 / Math.sqrt(2 * c.nLayers);
  for (const e of paramLayout(c)) {
    const view = out.subarray(e.offset, e.offset + e.size);
    if (e.name.endsWith("norm.weight")) {
      view.fill(1);
      continue;
    }
    const std = 0.02 * (e.name.endsWith("o_proj.weight") || e.name.endsWith("down_proj.weight") ? residScale : 1);
    for (let i = 0; i < view.length; i++) view[i] = rng.normal() * std;
  }
  return out;
}
