import { describe, expect, it } from "vitest";
import { biasDiagnostics } from "@/lib/stats/bias";
import { goldAccuracy, isGoldMiss } from "@/lib/stats/gold";

describe("biasDiagnostics", () => {
  it("measures how often the first-shown completion wins against the 1/K chance rate", () => {
    const out = biasDiagnostics([
      { ranks: { a: 1, b: 2 }, shownOrder: ["a", "b"], lengths: { a: 1, b: 1 } },
      { ranks: { a: 1, b: 2, c: 3 }, shownOrder: ["a", "b", "c"], lengths: { a: 1, b: 1, c: 1 } },
      { ranks: { a: 2, b: 1 }, shownOrder: ["a", "b"], lengths: { a: 1, b: 1 } },
    ]);
    expect(out.firstShownWins.n).toBe(3);
    expect(out.firstShownWins.rate).toBeCloseTo(2 / 3, 12);
    expect(out.firstShownWins.expected).toBeCloseTo((1 / 2 + 1 / 3 + 1 / 2) / 3, 12);
    // Pairs: (a>b) earlier wins; (a>b, a>c, b>c) all earlier; (b>a) later → 4/5.
    expect(out.earlierShownPairwise).toEqual({ rate: 0.8, expected: 0.5, n: 5 });
    // All lengths equal: no longest completion, no length-ordered pair.
    expect(out.longestWins).toEqual({ rate: null, expected: null, n: 0 });
    expect(out.longerPairwise.n).toBe(0);
  });

  it("splits a tie at the top so it does not count as a full win", () => {
    const out = biasDiagnostics([{ ranks: { a: 1, b: 1, c: 2 }, shownOrder: ["b", "a", "c"], lengths: { a: 9, b: 1, c: 1 } }]);
    expect(out.firstShownWins.rate).toBe(0.5);
    expect(out.longestWins).toEqual({ rate: 0.5, expected: 1 / 3, n: 1 });
    // Strict pairs: b>c (longer? no, equal length → skipped), a>c (longer wins).
    expect(out.longerPairwise).toEqual({ rate: 1, expected: 0.5, n: 1 });
  });

  it("uses the shown order, not the key order of ranks", () => {
    const out = biasDiagnostics([{ ranks: { a: 1, b: 2 }, shownOrder: ["b", "a"], lengths: { a: 1, b: 2 } }]);
    expect(out.firstShownWins.rate).toBe(0);
    expect(out.longestWins.rate).toBe(0);
  });

  it("rejects a missing length", () => {
    expect(() => biasDiagnostics([{ ranks: { a: 1, b: 2 }, shownOrder: ["a", "b"], lengths: { a: 3 } }])).toThrow(
      /length of completion "b" must be a number, got undefined/,
    );
  });
});

describe("goldAccuracy", () => {
  const gold = { p1: { best: "a", worst: "c" }, p2: { best: "x" } };

  it("scores best and worst checks per annotator", () => {
    const out = goldAccuracy(
      [
        { annotatorId: "u1", promptId: "p1", ranks: { a: 1, b: 2, c: 3 } },
        { annotatorId: "u1", promptId: "p2", ranks: { x: 2, y: 1 } },
        { annotatorId: "u2", promptId: "p1", ranks: { a: 3, b: 2, c: 1 } },
        { annotatorId: "u3", promptId: "p9", ranks: { a: 1 } },
      ],
      gold,
    );
    expect(out.u1).toEqual({ accuracy: 2 / 3, checks: 3, correct: 2 });
    expect(out.u2).toEqual({ accuracy: 0, checks: 2, correct: 0 });
    expect(out.u3).toBeUndefined();
  });

  it("gives 1/t credit when the gold answer shares its place with others", () => {
    const out = goldAccuracy([{ annotatorId: "u1", promptId: "p1", ranks: { a: 1, b: 1, c: 1 } }], gold);
    expect(out.u1).toEqual({ accuracy: 1 / 3, checks: 2, correct: 2 / 3 });
  });
});

describe("isGoldMiss", () => {
  it("is a miss unless the known best is alone at the top and the known worst alone at the bottom", () => {
    const answer = { best: "a", worst: "c" };
    expect(isGoldMiss({ a: 1, b: 2, c: 3 }, answer)).toBe(false);
    expect(isGoldMiss({ a: 2, b: 1, c: 3 }, answer)).toBe(true);
    expect(isGoldMiss({ a: 1, b: 3, c: 2 }, answer)).toBe(true);
    // A tie at the top is partial credit in goldAccuracy, so a miss here.
    expect(isGoldMiss({ a: 1, b: 1, c: 2 }, answer)).toBe(true);
  });

  it("checks only what the answer knows", () => {
    expect(isGoldMiss({ a: 1, b: 2, c: 2 }, { best: "a" })).toBe(false);
    expect(isGoldMiss({ a: 1, b: 2, c: 3 }, { worst: "b" })).toBe(true);
    expect(isGoldMiss({ a: 1, b: 2 }, {})).toBe(false);
  });
});
