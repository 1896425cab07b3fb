import { describe, expect, it } from "vitest";
import { kendallTau, kendallTauArrays, meanRanks, tauToConsensus } from "@/lib/stats/kendall";
import type { Ranking } from "@/lib/stats/types";

describe("kendallTau", () => {
  it("matches SciPy's tau-b on its documented example with ties (−0.4714045)", () => {
    // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]).statistic
    expect(kendallTauArrays([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 12);
  });

  it("is 1 for identical rankings with ties and −1 for reversed ones", () => {
    expect(kendallTau({ a: 1, b: 1, c: 2 }, { a: 1, b: 1, c: 2 })).toBe(1);
    expect(kendallTau({ a: 1, b: 2, c: 3 }, { a: 3, b: 2, c: 1 })).toBe(-1);
  });

  it("uses only completions both rankings contain", () => {
    expect(kendallTau({ a: 1, b: 2, x: 3 }, { a: 1, b: 2, y: 1 })).toBe(1);
  });

  it("returns null when one side ties everything", () => {
    expect(kendallTau({ a: 1, b: 1 }, { a: 1, b: 2 })).toBeNull();
    expect(kendallTau({ a: 1 }, { a: 1 })).toBeNull();
  });

  it("computes tau-b with ties on one side: 2 concordant, 0 discordant, 1 tie in x → 2/√(2·3)", () => {
    expect(kendallTauArrays([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 12);
  });

  it("rejects arrays of different lengths", () => {
    expect(() => kendallTauArrays([1, 2], [1])).toThrow(/equal length, got 2 and 1/);
  });
});

describe("tauToConsensus", () => {
  const r = (annotatorId: string, promptId: string, ranks: Ranking["ranks"]): Ranking => ({ annotatorId, promptId, ranks });

  it("compares each annotator with the mean rank of the others, not including themselves", () => {
    const groups = {
      p1: [r("u1", "p1", { a: 1, b: 2, c: 3 }), r("u2", "p1", { a: 1, b: 2, c: 3 }), r("u3", "p1", { a: 3, b: 2, c: 1 })],
    };
    const out = tauToConsensus(groups);
    // u3's consensus is u1/u2's order, reversed from u3 → −1.
    expect(out.u3).toEqual({ meanTau: -1, prompts: 1 });
    // u1's consensus: mean of u2 and u3 = {a:2, b:2, c:2} → undefined, so no prompt counts.
    expect(out.u1).toEqual({ meanTau: null, prompts: 0 });
  });

  it("averages over prompts", () => {
    const groups = new Map([
      ["p1", [r("u1", "p1", { a: 1, b: 2 }), r("u2", "p1", { a: 1, b: 2 })]],
      ["p2", [r("u1", "p2", { a: 2, b: 1 }), r("u2", "p2", { a: 1, b: 2 })]],
    ]);
    expect(tauToConsensus(groups).u1).toEqual({ meanTau: 0, prompts: 2 });
  });

  it("meanRanks averages over the rankings that include each completion", () => {
    expect(meanRanks([{ a: 1, b: 2 }, { a: 2, c: 1 }])).toEqual({ a: 1.5, b: 2, c: 1 });
  });
});
