import { describe, expect, it } from "vitest";
import { AdamW, clipGradNorm, learningRate } from "@/lib/train/optim/adamw";

describe("AdamW", () => {
  it("matches a hand-computed first step with decoupled weight decay", () => {
    const opt = new AdamW(2, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5 }, Uint8Array.of(1, 0));
    const p = Float32Array.of(2, 2);
    opt.step(p, Float32Array.of(0.1, 0.1), 0.1);
    // Bias-corrected m/sqrt(v) = sign(g) on step 1; decay adds lr * wd * p only where the mask is 1.
    expect(p[0]).toBeCloseTo(2 - 0.1 * (1 + 0.5 * 2), 5);
    expect(p[1]).toBeCloseTo(2 - 0.1 * 1, 5);
  });

  it("weight decay shrinks weights even with zero gradient", () => {
    const opt = new AdamW(1, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 });
    const p = Float32Array.of(1);
    opt.step(p, Float32Array.of(0), 0.5);
    expect(p[0]).toBeCloseTo(0.95, 6);
  });

  it("names a bad hyper-parameter", () => {
    expect(() => new AdamW(1, { beta1: 1, beta2: 0.9, eps: 1e-8, weightDecay: 0 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
  });
});

describe("clipGradNorm", () => {
  it("scales to the max norm and reports the norm before clipping", () => {
    const g = Float32Array.of(3, 4);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(g[0]!, g[1]!)).toBeCloseTo(1, 5);
  });

  it("leaves small gradients alone", () => {
    const g = Float32Array.of(0.3, 0.4);
    clipGradNorm(g, 1);
    expect(Array.from(g)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});

describe("learningRate", () => {
  const s = { peakLr: 1, minLr: 0.1, warmupSteps: 10, totalSteps: 110 };
  it("warms up linearly, peaks, decays by cosine to the floor", () => {
    expect(learningRate(s, 0)).toBeCloseTo(0.1);
    expect(learningRate(s, 9)).toBeCloseTo(1);
    expect(learningRate(s, 60)).toBeCloseTo(0.55);
    expect(learningRate(s, 110)).toBeCloseTo(0.1);
    expect(learningRate(s, 500)).toBeCloseTo(0.1);
  });
});
