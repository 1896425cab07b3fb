import { describe, expect, it } from "vitest";
import { annotatorProfile, type ProfileRanking } from "@/lib/stats/annotator-profile";

const day = (d: number, h = 0) => Date.UTC(2026, 0, d, h);
const r = (annotatorId: string, promptId: string, order: string[], ranks: number[], createdAt: number, timeSpentMs: number): ProfileRanking => ({
  annotatorId, promptId, shownOrder: order, ranks: Object.fromEntries(order.map((id, i) => [id, ranks[i]!])), createdAt, timeSpentMs,
});

// "me" always ranks the first-shown response best; "other" always ranks a best.
const all = [
  r("me", "p1", ["a", "b", "c"], [1, 2, 3], day(1, 9), 4_000),
  r("me", "p2", ["e", "d"], [1, 2], day(1, 18), 12_000),
  r("me", "p3", ["g", "f"], [1, 1], day(3), 700_000),
  r("other", "p1", ["c", "a", "b"], [3, 1, 2], day(2), 9_000),
  r("other", "p2", ["d", "e"], [1, 2], day(2), 9_000),
];
const lengths = new Map(Object.entries({ a: 10, b: 5, c: 1, d: 9, e: 3, f: 2, g: 2 }));

describe("annotatorProfile", () => {
  const p = annotatorProfile(all, "me", { lengths, gold: { p2: { best: "d" } }, verdicts: { p1: { a: true, b: false, c: false } }, reliability: { eta: 0.8, judgements: 4 } });

  it("counts rankings per UTC day with the empty days in between, and buckets time spent", () => {
    expect(p.rankings).toBe(3);
    expect(p.perDay).toEqual([{ day: "2026-01-01", rankings: 2 }, { day: "2026-01-02", rankings: 0 }, { day: "2026-01-03", rankings: 1 }]);
    const counts = p.timeHistogram.map((b) => b.rankings);
    expect(counts).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect(p.timeHistogram.at(-1)).toEqual({ fromMs: 600_000, toMs: null, rankings: 1 });
    expect(p.medianTimeMs).toBe(12_000);
  });

  it("shows a position bias: the first-shown response wins more than chance, a tie splits the win", () => {
    // Position 0 wins p1 and p2 outright and half of p3 → 2.5 / 3; chance (1/3 + 1/2 + 1/2) / 3.
    expect(p.positionWins[0]).toEqual({ position: 0, rate: 2.5 / 3, expected: (1 / 3 + 1 / 2 + 1 / 2) / 3, n: 3 });
    expect(p.positionWins[2]).toEqual({ position: 2, rate: 0, expected: 1 / 3, n: 1 });
    expect(p.bias.firstShownWins.rate).toBeCloseTo(2.5 / 3, 12);
  });

  it("measures agreement with the others, gold and the verifier", () => {
    // Shared pairs: p1 a>b (agree), a>c (agree), b>c (other: b=2 < c=3, agree); p2 e>d vs d>e (disagree).
    expect(p.agreement).toEqual({ agreements: 3, comparisons: 4, rate: 0.75 });
    // Gold says d is best on p2; me put d last.
    expect(p.gold).toEqual({ accuracy: 0, checks: 1, correct: 0 });
    // Verifier accepts only a: me prefers a over b and over c.
    expect(p.verifier).toEqual({ rate: 1, comparisons: 2 });
    expect(p.reliability).toEqual({ eta: 0.8, judgements: 4 });
  });

  it("is empty, not failing, for someone with no rankings", () => {
    const none = annotatorProfile(all, "nobody", { lengths, gold: {}, verdicts: {} });
    expect(none).toMatchObject({ rankings: 0, perDay: [], medianTimeMs: null, positionWins: [], agreement: null, gold: null, verifier: null, reliability: null });
  });
});
