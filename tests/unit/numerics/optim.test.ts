import { describe, expect, it } from "vitest";
import { AdamW, decayMaskFor } from "@/lib/numerics/adamw";
import { clipGradNorm } from "@/lib/numerics/clip";
import { learningRate } from "@/lib/numerics/schedule";

const config = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5 };

describe("AdamW", () => {
  it("matches a hand-computed first step with decoupled weight decay", () => {
    const opt = new AdamW(2, config, Uint8Array.of(1, 0));
    const p = Float32Array.of(2, 2);
    opt.step(p, Float32Array.of(0.1, 0.1), 0.1);
    // Bias-corrected m/sqrt(v) = sign(g) on step 1; decay adds lr * wd * p only where the mask is 1.
    expect(p[0]).toBeCloseTo(2 - 0.1 * (1 + 0.5 * 2), 5);
    expect(p[1]).toBeCloseTo(2 - 0.1 * 1, 5);
  });

  it("takes a first step of size lr against the gradient sign, whatever the gradient's size", () => {
    const p = Float32Array.of(1, -1);
    new AdamW(2, { ...config, weightDecay: 0 }).step(p, Float32Array.of(3, -0.001), 0.1);
    expect(p[0]).toBeCloseTo(0.9, 5);
    expect(p[1]).toBeCloseTo(-0.9, 4);
  });

  it("weight decay shrinks weights even with zero gradient; decay=false leaves them", () => {
    const decayed = Float32Array.of(1);
    new AdamW(1, { ...config, weightDecay: 0.1 }).step(decayed, Float32Array.of(0), 0.5);
    expect(decayed[0]).toBeCloseTo(0.95, 6);
    const kept = Float32Array.of(1);
    new AdamW(1, { ...config, weightDecay: 0.1 }, false).step(kept, Float32Array.of(0), 0.5);
    expect(kept[0]).toBe(1);
  });

  it("minimises a quadratic and counts its steps", () => {
    const p = Float32Array.of(5, -3);
    const opt = new AdamW(2, { ...config, beta2: 0.999, weightDecay: 0 });
    for (let i = 0; i < 2000; i++) opt.step(p, Float32Array.from(p, (x) => 2 * x), 0.05);
    expect(Math.abs(p[0]!)).toBeLessThan(1e-2);
    expect(Math.abs(p[1]!)).toBeLessThan(1e-2);
    expect(opt.t).toBe(2000);
  });

  it("resumes exactly from copied m, v and t", () => {
    const grad = (p: Float32Array, k: number) => Float32Array.from(p, (x, i) => Math.sin(x + i + k));
    const straight = Float32Array.of(0.3, -0.7, 1.1);
    const a = new AdamW(3, config);
    for (let k = 0; k < 6; k++) a.step(straight, grad(straight, k), 0.01);
    const resumed = Float32Array.of(0.3, -0.7, 1.1);
    const first = new AdamW(3, config);
    for (let k = 0; k < 3; k++) first.step(resumed, grad(resumed, k), 0.01);
    const second = new AdamW(3, config);
    second.m.set(first.m);
    second.v.set(first.v);
    second.t = first.t;
    for (let k = 3; k < 6; k++) second.step(resumed, grad(resumed, k), 0.01);
    expect(Array.from(resumed)).toEqual(Array.from(straight));
  });

  it("names a bad hyper-parameter, mask, size or lr", () => {
    expect(() => new AdamW(1, { ...config, beta1: 1 })).toThrow(/beta1 must be in \[0, 1\), got 1/);
    expect(() => new AdamW(1, { ...config, eps: 0 })).toThrow("eps must be > 0, got 0");
    expect(() => new AdamW(2, config, Uint8Array.of(1))).toThrow("decay mask has 1 entries, expected 2");
    const opt = new AdamW(2, config);
    expect(() => opt.step(new Float32Array(3), new Float32Array(2), 0.1)).toThrow("AdamW of size 2 got 3 params and 2 grads");
    expect(() => opt.step(new Float32Array(2), new Float32Array(2), -1)).toThrow("lr must be >= 0, got -1");
  });
});

describe("decayMaskFor", () => {
  it("decays 2-D projections only: not norms, biases or the embedding table", () => {
    const layout = [
      { name: "model.embed_tokens.weight", shape: [4, 2], offset: 0, size: 8 },
      { name: "model.layers.0.input_layernorm.weight", shape: [2], offset: 8, size: 2 },
      { name: "model.layers.0.self_attn.q_proj.weight", shape: [2, 2], offset: 10, size: 4 },
      { name: "lm_head.weight", shape: [4, 2], offset: 14, size: 8 },
    ];
    const mask = Array.from(decayMaskFor(layout, 22));
    expect(mask).toEqual([...new Array(10).fill(0), ...new Array(12).fill(1)]);
  });
});

describe("clipGradNorm", () => {
  it("scales to the max norm and reports the norm before clipping", () => {
    const g = Float32Array.of(3, 4);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(g[0]!, g[1]!)).toBeCloseTo(1, 5);
  });

  it("clips several buffers by their joint norm", () => {
    const parts = [Float32Array.of(3), Float32Array.of(0, 4)];
    expect(clipGradNorm(parts, 2.5)).toBeCloseTo(5, 6);
    expect(parts[0]![0]).toBeCloseTo(1.5, 5);
    expect(parts[1]![1]).toBeCloseTo(2, 5);
  });

  it("leaves small gradients alone, and clips nothing when maxNorm is 0", () => {
    const g = Float32Array.of(0.3, 0.4);
    clipGradNorm(g, 1);
    expect(Array.from(g)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    const big = Float32Array.of(30, 40);
    expect(clipGradNorm(big, 0)).toBeCloseTo(50, 6);
    expect(Array.from(big)).toEqual([30, 40]);
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
