import { describe, expect, it } from "vitest";
import { pairwiseAgreement } from "@/lib/stats/pairwise-agreement";
import type { Ranking } from "@/lib/stats/types";

const r = (annotatorId: string, promptId: string, ranks: Ranking["ranks"]): Ranking => ({ annotatorId, promptId, ranks });

describe("pairwiseAgreement", () => {
  it("counts agreement over annotator pairs × completion pairs", () => {
    // u1: a>b>c; u2: a>c>b. Pairs: ab agree, ac agree, bc disagree → 2/3.
    const out = pairwiseAgreement({ p1: [r("u1", "p1", { a: 1, b: 2, c: 3 }), r("u2", "p1", { a: 1, b: 3, c: 2 })] });
    expect(out.overall).toEqual({ agreements: 2, comparisons: 3, rate: 2 / 3 });
    expect(out.perAnnotator.u1).toEqual({ agreements: 2, comparisons: 3, rate: 2 / 3 });
    expect(out.excludedTies).toBe(0);
  });

  it("excludes a completion pair when either annotator tied it", () => {
    // u1 ties a=b; u2 strict. ab excluded; ac, bc agree.
    const out = pairwiseAgreement([[r("u1", "p1", { a: 1, b: 1, c: 2 }), r("u2", "p1", { a: 1, b: 2, c: 3 })]]);
    expect(out.overall).toEqual({ agreements: 2, comparisons: 2, rate: 1 });
    expect(out.excludedTies).toBe(1);
  });

  it("gives per-annotator rates over the comparisons involving each annotator", () => {
    const out = pairwiseAgreement(
      new Map([
        ["p1", [r("u1", "p1", { a: 1, b: 2 }), r("u2", "p1", { a: 1, b: 2 }), r("u3", "p1", { a: 2, b: 1 })]],
      ]),
    );
    // Pairs: u1-u2 agree, u1-u3 disagree, u2-u3 disagree.
    expect(out.overall.rate).toBeCloseTo(1 / 3, 12);
    expect(out.perAnnotator).toEqual({
      u1: { agreements: 1, comparisons: 2, rate: 0.5 },
      u2: { agreements: 1, comparisons: 2, rate: 0.5 },
      u3: { agreements: 0, comparisons: 2, rate: 0 },
    });
  });

  it("ignores completions only one annotator ranked and returns a null rate with nothing to compare", () => {
    const out = pairwiseAgreement({ p1: [r("u1", "p1", { a: 1, x: 2 }), r("u2", "p1", { a: 1, y: 2 })] });
    expect(out.overall).toEqual({ agreements: 0, comparisons: 0, rate: null });
  });
});
