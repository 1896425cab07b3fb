/**
 * The reward model's entry points into the trainer: forwardHidden returns the
 * final-norm hidden states, backwardHidden takes a gradient on them and fills
 * the grads of the top layers only. Checked against finite differences of a
 * scalar readout of the hidden states, in float64.
 */
import { describe, expect, it } from "vitest";
import { paramLayout } from "@/lib/train/model/config";
import { LlamaTrainModel } from "@/lib/train/model/model";
import { dot, numericGrad, randn } from "./gradcheck";
import { noisyParams, tiny } from "./tiny-llama";

const cfg = tiny({ nLayers: 3 });
const tokens = [1, 5, 3, 9, 2, 7];
const T = tokens.length;

/** Layer index of a parameter name, or -1 for the embedding and final norm. */
const layerOf = (name: string) => Number(/layers\.(\d+)\./.exec(name)?.[1] ?? -1);

describe("LlamaTrainModel.forwardHidden / backwardHidden", () => {
  for (const stopLayer of [0, 2]) {
    it(`match finite differences and leave frozen layers untouched (stopLayer ${stopLayer})`, () => {
      const p = noisyParams(cfg, 3);
      const g = new Float64Array(p.length);
      const model = new LlamaTrainModel(cfg, p, g, Float64Array);
      // Scalar readout: r = <weights, hidden> over every position (the last row alone would leave some grads ~0).
      const weights = randn(T * cfg.dim, 5);
      const readout = () => dot(model.forwardHidden(tokens), weights);
      readout();
      model.backwardHidden(tokens, weights, stopLayer);
      for (const e of paramLayout(cfg)) {
        const layer = layerOf(e.name);
        const isEmbed = e.name.includes("embed_tokens");
        const frozen = isEmbed ? stopLayer > 0 : e.name !== "model.norm.weight" && layer < stopLayer;
        const stride = Math.max(1, Math.floor(e.size / 30));
        let worst = 0;
        for (let i = e.offset; i < e.offset + e.size; i += stride) {
          if (frozen) {
            expect(g[i], e.name).toBe(0);
            continue;
          }
          const num = numericGrad(readout, p, i);
          worst = Math.max(worst, Math.abs(num - g[i]!) / Math.max(1e-7, Math.abs(num) + Math.abs(g[i]!)));
        }
        expect(worst, e.name).toBeLessThan(1e-5);
      }
    });
  }

  it("starting from a cached layer input gives the same hidden states as a full pass", () => {
    const p = Float32Array.from(noisyParams(cfg, 4));
    const model = new LlamaTrainModel(cfg, p, new Float32Array(p.length));
    const full = model.forwardHidden(tokens).slice();
    const cached = model.residual(2, T).slice();
    const other = [2, 2, 2, 2, 2, 2];
    model.forwardHidden(other); // overwrite every buffer
    expect(Array.from(model.forwardHidden(tokens, { layer: 2, x: cached }))).toEqual(Array.from(full));
  });

  it("refuses a cached input of the wrong length, naming both sizes", () => {
    const p = Float32Array.from(noisyParams(cfg, 4));
    const model = new LlamaTrainModel(cfg, p, new Float32Array(p.length));
    expect(() => model.forwardHidden(tokens, { layer: 1, x: new Float32Array(5) })).toThrow(/5 values, expected 48/);
  });
});
