import { describe, expect, it } from "vitest";
import type { RewardHead } from "@/lib/reward/head";
import { computePairMetrics, evaluateRewardModel, type ScoredPair } from "@/lib/reward/metrics";

describe("computePairMetrics", () => {
  it("counts a tie as wrong (strict r_chosen > r_rejected, as TRL)", () => {
    const pairs: ScoredPair[] = [
      { rChosen: 2, rRejected: 1 },
      { rChosen: 1, rRejected: 1 },
      { rChosen: 0, rRejected: 3 },
    ];
    const m = computePairMetrics(pairs);
    expect(m.pairs).toBe(3);
    expect(m.accuracy).toBeCloseTo(1 / 3, 12);
    expect(m.ties).toBe(1);
    const sp = (x: number) => Math.log1p(Math.exp(x));
    expect(m.meanLoss).toBeCloseTo((sp(-1) + sp(0) + sp(3)) / 3, 12);
  });

  it("buckets accuracy by agreement and by margin, skipping pairs without agreement", () => {
    const pairs: ScoredPair[] = [
      { rChosen: 1, rRejected: 0, agreement: 0.5, margin: 0 },
      { rChosen: 0, rRejected: 1, agreement: 0.55, margin: 0 },
      { rChosen: 1, rRejected: 0, agreement: 0.7, margin: 1 },
      { rChosen: 1, rRejected: 0, agreement: 1, margin: 3 },
      { rChosen: 1, rRejected: 0, margin: 5 },
    ];
    const m = computePairMetrics(pairs);
    expect(m.byAgreement).toEqual([
      { lo: 0, hi: 0.6, n: 2, accuracy: 0.5 },
      { lo: 0.6, hi: 0.8, n: 1, accuracy: 1 },
      { lo: 0.8, hi: 1, n: 1, accuracy: 1 }, // agreement 1 lands in the closed last bucket
    ]);
    expect(m.byMargin.map((b) => [b.n, b.accuracy])).toEqual([[2, 0.5], [1, 1], [0, null], [2, 1]]);
  });

  it("computes calibration bins and ECE over both orientations of each pair", () => {
    // Δr = ln 3 → σ = 0.75: (0.75, won) in bin 7 and (0.25, lost) in bin 2.
    const m = computePairMetrics([{ rChosen: Math.log(3), rRejected: 0 }]);
    const filled = m.calibration.filter((b) => b.n > 0);
    expect(filled.map((b) => [b.lo, b.n, b.meanPredicted, b.observed])).toEqual([
      [0.2, 1, expect.closeTo(0.25, 12), 0],
      [0.7, 1, expect.closeTo(0.75, 12), 1],
    ]);
    expect(m.ece).toBeCloseTo(0.25, 12);
  });

  it("gives ECE 0 when predictions match frequencies", () => {
    const m = computePairMetrics([{ rChosen: 0, rRejected: 0 }, { rChosen: 5, rRejected: 5 }]);
    expect(m.ece).toBe(0);
    expect(m.calibration[5]).toMatchObject({ n: 4, meanPredicted: 0.5, observed: 0.5 });
  });

  it("scores agreement with the verifier only on pairs it labels", () => {
    const m = computePairMetrics([
      { rChosen: 2, rRejected: 1, verifierPrefersChosen: true },
      { rChosen: 2, rRejected: 1, verifierPrefersChosen: false },
      { rChosen: 1, rRejected: 2, verifierPrefersChosen: false },
      { rChosen: 1, rRejected: 1, verifierPrefersChosen: false }, // tie: wrong either way
      { rChosen: 2, rRejected: 1 },
    ]);
    expect(m.verifier).toEqual({ pairs: 4, accuracy: 0.5 });
    expect(computePairMetrics([{ rChosen: 1, rRejected: 0 }]).verifier).toBeNull();
  });

  it("rejects a calibration bin count of 0", () => {
    expect(() => computePairMetrics([], { calibrationBins: 0 })).toThrow("calibrationBins must be a positive integer, got 0");
  });
});

describe("evaluateRewardModel", () => {
  // r(x) = 2·x0 − 1 after identity standardisation.
  const head: RewardHead = {
    config: { kind: "linear", inputDim: 2, hidden: 0, activation: "gelu" },
    mean: new Float32Array(2),
    std: Float32Array.from([1, 1]),
    params: { w: Float32Array.from([2, 0]), b: Float32Array.from([-1]) },
  };
  const features = new Map([
    ["a", Float32Array.from([1, 9])],
    ["b", Float32Array.from([0, 9])],
    ["c", Float32Array.from([0, -9])],
  ]);

  it("scores each completion with the head and compares against the labels and verifier", () => {
    const m = evaluateRewardModel({
      head,
      features,
      pairs: [
        { promptId: "p", chosenId: "a", rejectedId: "b" }, // 1 > -1 right
        { promptId: "p", chosenId: "b", rejectedId: "c" }, // -1 = -1 tie, wrong
        { promptId: "p", chosenId: "c", rejectedId: "a" }, // wrong
      ],
      verifierScores: new Map([["a", 1], ["b", 0], ["c", 0]]),
    });
    expect(m.accuracy).toBeCloseTo(1 / 3, 12);
    expect(m.ties).toBe(1);
    expect(m.verifier).toEqual({ pairs: 2, accuracy: 1 }); // b–c have equal verifier scores: skipped
  });

  it("names a completion without features", () => {
    expect(() => evaluateRewardModel({ head, features, pairs: [{ promptId: "p", chosenId: "a", rejectedId: "zz" }] })).toThrow(
      "no cached features for completion zz",
    );
  });
});
