import { describe, expect, it } from "vitest";
import { paramLayout } from "@/lib/train/model/config";
import { LlamaTrainModel } from "@/lib/train/model/model";
import { numericGrad } from "./gradcheck";
import { noisyParams, tiny } from "./tiny-llama";

const tokens = [1, 5, 3, 9, 2, 7];
const targets = [5, -1, 9, 2, 7, 4]; // position 1 unscored, like a prompt token

describe("LlamaTrainModel gradients", () => {
  for (const [label, cfg] of [
    ["tied embeddings, grouped-query heads", tiny()],
    ["untied LM head, multi-head (nKv = nHeads)", tiny({ tieEmbeddings: false, nKvHeads: 4 })],
    ["one kv head (multi-query)", tiny({ nKvHeads: 1, nLayers: 1 })],
  ] as const) {
    it(`match finite differences for every tensor (${label})`, () => {
      const p = noisyParams(cfg, 3);
      const g = new Float64Array(p.length);
      const model = new LlamaTrainModel(cfg, p, g, Float64Array);
      model.forwardBackward(tokens, targets, 1);
      const loss = () => model.forwardBackward(tokens, targets, 0).loss;
      for (const e of paramLayout(cfg)) {
        let worst = 0;
        // Every entry of small tensors, a strided sample of the larger ones: keeps the test fast.
        const stride = Math.max(1, Math.floor(e.size / 40));
        for (let i = e.offset; i < e.offset + e.size; i += stride) {
          const num = numericGrad(loss, p, i);
          worst = Math.max(worst, Math.abs(num - g[i]!) / Math.max(1e-7, Math.abs(num) + Math.abs(g[i]!)));
        }
        expect(worst, e.name).toBeLessThan(1e-5);
      }
    });
  }

  it("accumulates: two calls with scale 1/2 equal one call with scale 1", () => {
    const cfg = tiny();
    const p = noisyParams(cfg, 4);
    const g1 = new Float64Array(p.length), g2 = new Float64Array(p.length);
    new LlamaTrainModel(cfg, p, g1, Float64Array).forwardBackward(tokens, targets, 1);
    const m2 = new LlamaTrainModel(cfg, p, g2, Float64Array);
    m2.forwardBackward(tokens, targets, 0.5);
    m2.forwardBackward(tokens, targets, 0.5);
    for (let i = 0; i < p.length; i += 7) expect(g2[i]).toBeCloseTo(g1[i]!, 12);
  });

  it("ignores unscored positions in the loss", () => {
    const cfg = tiny();
    const p = noisyParams(cfg, 5);
    const model = new LlamaTrainModel(cfg, p, new Float64Array(p.length), Float64Array);
    const a = model.forwardBackward(tokens, targets, 0);
    const b = model.forwardBackward(tokens, [5, 0, 9, 2, 7, 4], 0);
    expect(a.count).toBe(5);
    expect(b.count).toBe(6);
    expect(b.loss).toBeGreaterThan(a.loss);
  });

  it("rejects token ids outside the vocab with the position in the message", () => {
    const cfg = tiny();
    const p = noisyParams(cfg, 6);
    const model = new LlamaTrainModel(cfg, p, new Float64Array(p.length), Float64Array);
    expect(() => model.forwardBackward([1, 11], [2, 3], 0)).toThrow(/token id 11 at position 1/);
  });
});
