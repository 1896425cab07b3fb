import { describe, expect, it } from "vitest";
import type { SftExample } from "@/lib/train/chat-format";
import { LocalGradEngine } from "@/lib/train/grad-engine";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { ParallelGradEngine } from "@/lib/train/parallel/parallel-engine";
import { createRng } from "@/lib/numerics/rng";

const config: LlamaTrainConfig = {
  vocabSize: 23, dim: 16, nLayers: 1, nHeads: 2, nKvHeads: 1, hiddenDim: 24, maxSeqLen: 16, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true,
};

function examples(n: number, seed: number): SftExample[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const len = rng.int(3, 12);
    const tokens = Int32Array.from({ length: len }, () => rng.int(0, 22));
    const targets = Int32Array.from({ length: len }, (_, i) => (i < 2 ? -1 : rng.int(0, 22)));
    return { tokens, targets };
  });
}

describe("ParallelGradEngine", () => {
  it("sums worker-thread gradients to the single-thread result", async () => {
    const params = initParams(config, createRng(2), new Float32Array(paramCount(config))) as Float32Array;
    const batch = examples(7, 3);
    const local = new LocalGradEngine(config, Float32Array.from(params));
    const parallel = new ParallelGradEngine(config, params, 2);
    try {
      const a = await local.accumulate(batch, 0.1);
      const b = await parallel.accumulate(batch, 0.1);
      expect(b.count).toBe(a.count);
      expect(b.loss).toBeCloseTo(a.loss, 3);
      for (let i = 0; i < local.grads.length; i++) expect(parallel.grads[i]).toBeCloseTo(local.grads[i]!, 5);
      // Workers read params through shared memory: an in-place update is seen without copying.
      parallel.params.fill(0);
      const c = await parallel.accumulate(batch, 0.1);
      expect(c.loss / c.count).toBeCloseTo(Math.log(config.vocabSize), 4);
    } finally {
      await parallel.close();
    }
  });

  it("rejects a thread count below one", () => {
    expect(() => new ParallelGradEngine(config, new Float32Array(paramCount(config)), 0)).toThrow(/threads must be a positive integer, got 0/);
  });
});
