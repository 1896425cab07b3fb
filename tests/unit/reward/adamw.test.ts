import { describe, expect, it } from "vitest";
import { AdamW } from "@/lib/reward/adamw";

describe("AdamW", () => {
  it("takes a first step of size lr against the gradient sign (bias-corrected)", () => {
    const params = { w: Float32Array.from([1, -1]) };
    new AdamW(params, { lr: 0.1, weightDecay: 0 }).step({ w: Float32Array.from([3, -0.001]) });
    expect(params.w[0]).toBeCloseTo(0.9, 5);
    expect(params.w[1]).toBeCloseTo(-0.9, 4);
  });

  it("decays only the parameters the predicate selects, independent of the gradient", () => {
    const params = { w: Float32Array.from([2]), b: Float32Array.from([2]) };
    const opt = new AdamW(params, { lr: 0.1, weightDecay: 0.5 }, (name) => name === "w");
    opt.step({ w: new Float32Array(1), b: new Float32Array(1) });
    expect(params.w[0]).toBeCloseTo(2 * (1 - 0.05), 6);
    expect(params.b[0]).toBe(2);
  });

  it("minimises a quadratic", () => {
    const params = { w: Float32Array.from([5, -3]) };
    const opt = new AdamW(params, { lr: 0.05, weightDecay: 0 });
    for (let i = 0; i < 2000; i++) opt.step({ w: Float32Array.from(params.w, (x) => 2 * x) });
    expect(Math.abs(params.w[0])).toBeLessThan(1e-2);
    expect(Math.abs(params.w[1])).toBeLessThan(1e-2);
  });

  it("names a non-positive lr", () => {
    expect(() => new AdamW({}, { lr: -1, weightDecay: 0 })).toThrow("lr must be > 0, got -1");
  });
});
