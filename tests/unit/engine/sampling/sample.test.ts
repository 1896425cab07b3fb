import { describe, expect, it } from "vitest";
import { createRng, parseDecodingConfig, sampleNext, Sampler } from "@/lib/engine/sampling";
import type { DecodingConfig, Rng } from "@/lib/engine/sampling";
import { randomLogits, referenceDistribution } from "./reference";

const none = { promptIds: [], generatedIds: [] };
const cfg = (o: Record<string, unknown>): DecodingConfig => parseDecodingConfig(o);

/** Draws `n` tokens with one Sampler and returns counts per token. */
const histogram = (logits: Float32Array, config: DecodingConfig, n: number, seed: number): number[] => {
  const sampler = new Sampler(logits.length, config);
  const rng = createRng(seed);
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < n; i++) counts[sampler.sample(logits, none, rng).id]! += 1;
  return counts;
};

// Chi-square critical values at p = 0.001 by degrees of freedom.
const CHI2_999 = [0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88];

const expectMatches = (counts: number[], expected: number[]) => {
  const n = counts.reduce((a, b) => a + b, 0);
  let chi2 = 0;
  let df = -1;
  expected.forEach((p, i) => {
    if (p === 0) expect(counts[i], `token ${i} is filtered out`).toBe(0);
    else {
      chi2 += (counts[i]! - n * p) ** 2 / (n * p);
      df++;
    }
  });
  expect(chi2).toBeLessThan(CHI2_999[df]!);
};

describe("sampleNext", () => {
  it("is greedy argmax at temperature 0, lowest id on ties, and draws nothing", () => {
    const logits = randomLogits(1000, 1);
    const best = logits.indexOf(Math.max(...logits));
    const rng: Rng = { next: () => { throw new Error("greedy must not draw"); } };
    expect(sampleNext(logits, none, cfg({ temperature: 0 }), rng).id).toBe(best);
    expect(sampleNext(Float32Array.of(1, 3, 3), none, cfg({ temperature: 0 }), rng).id).toBe(1);
  });

  it("returns the log-softmax of the raw logits at the chosen id, whatever the processing", () => {
    const logits = Float32Array.of(2, 1, 0.5, -1);
    const z = Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.5) + Math.exp(-1));
    const config = cfg({ temperature: 0, repetition_penalty: 3 });
    const r = sampleNext(logits, { promptIds: [0], generatedIds: [] }, config, createRng(0));
    expect(r.id).toBe(1); // 2 / 3 < 1
    expect(r.logprob).toBeCloseTo(1 - z, 6);
  });

  it("gives the same samples for the same seed and different ones for another", () => {
    const logits = randomLogits(500, 2);
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 50 }, () => sampleNext(logits, none, cfg({ top_k: 100 }), rng).id);
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it("draws exactly one rng value per sampled token", () => {
    let draws = 0;
    const rng: Rng = { next: () => (draws++, 0.5) };
    sampleNext(randomLogits(50, 3), none, cfg({ top_p: 0.5 }), rng);
    expect(draws).toBe(1);
  });

  it("samples the plain softmax at temperature 1 (chi-square, 40k draws)", () => {
    const logits = Float32Array.of(1, 0.5, 0, -0.5, 2, -3);
    expectMatches(histogram(logits, cfg({}), 40_000, 123), referenceDistribution(logits, { temperature: 1, topK: 0, topP: 1, minP: 0, typicalP: 1 }));
  });

  it.each([
    { temperature: 0.7, topK: 4, topP: 1, minP: 0, typicalP: 1 },
    { temperature: 1.3, topK: 0, topP: 0.8, minP: 0, typicalP: 1 },
    { temperature: 1, topK: 0, topP: 1, minP: 0.2, typicalP: 1 },
    { temperature: 1, topK: 0, topP: 1, minP: 0, typicalP: 0.7 },
    { temperature: 0.9, topK: 6, topP: 0.95, minP: 0.05, typicalP: 0.9 },
  ])("samples the filtered distribution for %j (chi-square, 40k draws)", (o) => {
    const logits = Float32Array.of(1, 0.5, 0, -0.5, 2, -3, 1.5, 0.2);
    const config = cfg({ temperature: o.temperature, top_k: o.topK, top_p: o.topP, min_p: o.minP, typical_p: o.typicalP });
    expectMatches(histogram(logits, config, 40_000, 7), referenceDistribution(logits, o));
  });

  it("approaches greedy as the temperature approaches 0, without overflowing", () => {
    const logits = Float32Array.of(1, 3, 2.9, -5);
    for (const t of [1e-3, 1e-300]) expect(histogram(logits, cfg({ temperature: t }), 200, 3)).toEqual([0, 200, 0, 0]);
  });

  it("never picks a masked (-Infinity) token", () => {
    const logits = Float32Array.of(-Infinity, 0, -Infinity, 0);
    const counts = histogram(logits, cfg({ temperature: 5 }), 2000, 1);
    expect(counts[0]! + counts[2]!).toBe(0);
  });

  it("refuses logits of the wrong size, NaN logits and beam configs", () => {
    const sampler = new Sampler(4, cfg({}));
    expect(() => sampler.sample(new Float32Array(3), none, createRng(0))).toThrow("logits have 3 entries, expected vocab size 4");
    expect(() => sampler.sample(Float32Array.of(0, Number.NaN, 0, 0), none, createRng(0))).toThrow("NaN at id 1");
    expect(() => new Sampler(4, cfg({ num_beams: 2 }))).toThrow("use BeamSearch for num_beams 2");
    expect(() => sampleNext(new Float32Array(4), { promptIds: [9], generatedIds: [] }, cfg({ repetition_penalty: 2 }), createRng(0)))
      .toThrow("token id must be in [0, 4), got 9");
  });

  it("validates a hand-built config once, when it first sees it", () => {
    const bad = { ...cfg({}), topK: -3 };
    expect(() => sampleNext(new Float32Array(4), none, bad, createRng(0))).toThrow("top_k must be an integer >= 0");
  });

  it("samples a 50k vocab with top-k and top-p from the reference support", () => {
    const logits = randomLogits(50_000, 9);
    const o = { temperature: 0.8, topK: 40, topP: 0.9, minP: 0, typicalP: 1 };
    const allowed = referenceDistribution(logits, o);
    const sampler = new Sampler(logits.length, cfg({ temperature: 0.8, top_k: 40, top_p: 0.9 }));
    const rng = createRng(5);
    for (let i = 0; i < 200; i++) expect(allowed[sampler.sample(logits, none, rng).id]).toBeGreaterThan(0);
  });
});
