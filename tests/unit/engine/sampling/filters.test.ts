import { describe, expect, it } from "vitest";
import { Candidates, keepMinP, keepTopK, keepTopP, keepTypical } from "@/lib/engine/sampling";
import { randomLogits, referenceDistribution, support } from "./reference";

/** Logits whose softmax is exactly `probs` (up to float32). */
const fromProbs = (probs: number[]) => Float32Array.from(probs, Math.log);

const survivors = (logits: Float32Array, apply: (c: Candidates) => void): number[] => {
  const c = new Candidates(logits.length);
  c.reset(logits);
  apply(c);
  return Array.from(c.ids.subarray(0, c.n)).sort((a, b) => a - b);
};

const OFF = { temperature: 1, topK: 0, topP: 1, minP: 0, typicalP: 1 };

describe("top-k", () => {
  it("keeps the k largest", () => {
    expect(survivors(Float32Array.of(3, 1, 2, 0, 5), (c) => keepTopK(c, 2))).toEqual([0, 4]);
    expect(survivors(Float32Array.of(3, 1, 2, 0, 5), (c) => keepTopK(c, 1))).toEqual([4]);
  });

  it("keeps every token tied with the k-th, like HF", () => {
    expect(survivors(Float32Array.of(3, 1, 2, 2, 0), (c) => keepTopK(c, 2))).toEqual([0, 2, 3]);
  });

  it("is a no-op for k = 0 or k >= vocab, and skips masked tokens", () => {
    expect(survivors(Float32Array.of(3, 1, 2), (c) => keepTopK(c, 0))).toEqual([0, 1, 2]);
    expect(survivors(Float32Array.of(3, 1, 2), (c) => keepTopK(c, 5))).toEqual([0, 1, 2]);
    expect(survivors(Float32Array.of(3, -Infinity, 2), (c) => keepTopK(c, 2))).toEqual([0, 2]);
  });

  it.each([1, 2, 40, 777, 4999])("matches a full sort for k = %d on a 5000-token vocab", (k) => {
    const logits = randomLogits(5000, k);
    expect(survivors(logits, (c) => keepTopK(c, k))).toEqual(support(referenceDistribution(logits, { ...OFF, topK: k })));
  });
});

describe("top-p", () => {
  const logits = fromProbs([0.05, 0.5, 0.03, 0.3, 0.12]);

  it("keeps the smallest most-probable set reaching p (mass before each kept token < p)", () => {
    // sorted: 0.5, 0.3, 0.12 | 0.05, 0.03 — mass before 0.05 is 0.92 >= 0.9.
    expect(survivors(logits, (c) => keepTopP(c, 0.9))).toEqual([1, 3, 4]);
    expect(survivors(logits, (c) => keepTopP(c, 0.7))).toEqual([1, 3]);
    expect(survivors(logits, (c) => keepTopP(c, 0.95))).toEqual([0, 1, 3, 4]);
    expect(survivors(logits, (c) => keepTopP(c, 0.99))).toEqual([0, 1, 2, 3, 4]);
  });

  it("always keeps the most probable token", () => {
    expect(survivors(logits, (c) => keepTopP(c, 0.01))).toEqual([1]);
  });

  it.each([0.05, 0.5, 0.9, 0.999])("matches a full sort for p = %d on a 5000-token vocab (prefix doubling)", (p) => {
    const flat = Float32Array.from(randomLogits(5000, 3), (x) => x / 6); // flat: the nucleus spans thousands
    const peaked = randomLogits(5000, 4);
    for (const l of [flat, peaked]) {
      expect(survivors(l, (c) => keepTopP(c, p))).toEqual(support(referenceDistribution(l, { ...OFF, topP: p })));
    }
  });
});

describe("min-p", () => {
  const logits = fromProbs([0.05, 0.5, 0.03, 0.3, 0.12]);

  it("drops tokens below min_p × the top probability", () => {
    expect(survivors(logits, (c) => keepMinP(c, 0.15))).toEqual([1, 3, 4]); // threshold 0.075
    expect(survivors(logits, (c) => keepMinP(c, 0.08))).toEqual([0, 1, 3, 4]); // threshold 0.04
    expect(survivors(logits, (c) => keepMinP(c, 1))).toEqual([1]);
  });

  it("matches the reference on a 5000-token vocab", () => {
    const l = randomLogits(5000, 5);
    expect(survivors(l, (c) => keepMinP(c, 0.01))).toEqual(support(referenceDistribution(l, { ...OFF, minP: 0.01 })));
  });
});

describe("typical-p", () => {
  // p = [0.4, 0.3, 0.2, 0.1]: H = 1.2799; |surprisal - H| = [0.364, 0.076, 0.329, 1.023]
  // so the typical order is 1, 2, 0, 3 with cumulative mass 0.3, 0.5, 0.9, 1.0.
  const logits = fromProbs([0.4, 0.3, 0.2, 0.1]);

  it("keeps the most typical tokens until their mass reaches typical_p, even dropping the argmax", () => {
    expect(survivors(logits, (c) => keepTypical(c, 0.25))).toEqual([1]);
    expect(survivors(logits, (c) => keepTypical(c, 0.45))).toEqual([1, 2]);
    expect(survivors(logits, (c) => keepTypical(c, 0.6))).toEqual([0, 1, 2]);
    expect(survivors(logits, (c) => keepTypical(c, 0.95))).toEqual([0, 1, 2, 3]);
  });

  it.each([0.2, 0.8, 0.95])("matches the reference for typical_p = %d on a 3000-token vocab", (mass) => {
    const l = randomLogits(3000, 6);
    expect(survivors(l, (c) => keepTypical(c, mass))).toEqual(support(referenceDistribution(l, { ...OFF, typicalP: mass })));
  });
});
