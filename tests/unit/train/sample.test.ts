import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/numerics/rng";
import { pickToken } from "@/lib/train/sample";

describe("pickToken", () => {
  const logits = Float32Array.of(1, 3, 2);

  it("takes the argmax at temperature 0", () => {
    expect(pickToken(logits, 0, createRng(1))).toBe(1);
  });

  it("samples every token at temperature 1 in proportion to softmax", () => {
    const rng = createRng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[pickToken(logits, 1, rng)]!++;
    const z = Math.exp(1) + Math.exp(3) + Math.exp(2);
    expect(counts[1]! / 4000).toBeCloseTo(Math.exp(3) / z, 1);
    expect(counts[0]! / 4000).toBeCloseTo(Math.exp(1) / z, 1);
  });

  it("gets sharper as the temperature falls", () => {
    const share = (t: number) => {
      const rng = createRng(3);
      let top = 0;
      for (let i = 0; i < 2000; i++) if (pickToken(logits, t, rng) === 1) top++;
      return top / 2000;
    };
    expect(share(0.3)).toBeGreaterThan(share(1) + 0.15);
  });

  it("is reproducible from the seed", () => {
    const run = () => {
      const rng = createRng(11);
      return Array.from({ length: 20 }, () => pickToken(logits, 1, rng));
    };
    expect(run()).toEqual(run());
  });

  it("names a negative temperature", () => {
    expect(() => pickToken(logits, -1, createRng(1))).toThrow("temperature must be >= 0, got -1");
  });
});
