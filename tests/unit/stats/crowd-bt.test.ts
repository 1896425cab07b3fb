import { describe, expect, it } from "vitest";
import { crowdBT, crowdBtProbability } from "@/lib/stats/crowd-bt";
import { createRng, type Rng } from "@/lib/numerics/rng";
import { annotatorReliability, GOLD_SOURCE, goldJudgements, judgementsFromRankings, verifierAgreement, verifierJudgements } from "@/lib/stats/reliability";
import type { Ranking } from "@/lib/stats/types";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("crowdBtProbability", () => {
  it("mixes the Bradley–Terry probability and its reverse by η", () => {
    expect(crowdBtProbability(1, Math.log(3))).toBeCloseTo(0.75, 12);
    expect(crowdBtProbability(0, Math.log(3))).toBeCloseTo(0.25, 12);
    // 0.75·0.75 + 0.25·0.25
    expect(crowdBtProbability(0.75, Math.log(3))).toBeCloseTo(0.625, 12);
    expect(crowdBtProbability(0.5, 7)).toBeCloseTo(0.5, 12);
  });
});

describe("crowdBT", () => {
  it("leaves two annotators who contradict each other at the prior's mode, with equal scores", () => {
    // By symmetry s_a = s_b, so σ(d) = 1/2 and r = η: η = (η + α − 1)/(1 + α + β − 2) has the fixed point (α − 1)/(α + β − 2) = 2/3.
    const fit = crowdBT(
      [
        { source: "x", winner: "a", loser: "b" },
        { source: "y", winner: "b", loser: "a" },
      ],
      { prior: { alpha: 3, beta: 2 } },
    );
    expect(fit.converged).toBe(true);
    expect(fit.reliability.x!.eta).toBeCloseTo(2 / 3, 9);
    expect(fit.reliability.y!.eta).toBeCloseTo(2 / 3, 9);
    expect(fit.scores.a).toBeCloseTo(fit.scores.b!, 9);
  });

  it("finds the penalised Bradley–Terry optimum for a fully trusted source", () => {
    // One judgement a > b with η fixed at 1 and λ = 1: s_b = −s_a and the gradient 1 − σ(2 s_a) − s_a vanishes (s_a ≈ 0.337).
    const fit = crowdBT([{ source: "gold", winner: "a", loser: "b" }], { scorePenalty: 1, fixedReliability: { gold: 1 }, tolerance: 1e-12 });
    const a = fit.scores.a!;
    expect(fit.scores.b).toBeCloseTo(-a, 9);
    expect(1 - sigmoid(2 * a) - a).toBeCloseTo(0, 9);
    expect(a).toBeGreaterThan(0.33);
    expect(a).toBeLessThan(0.34);
    expect(fit.reliability).toEqual({});
  });

  it("rejects bad options and self-comparisons, naming the value", () => {
    expect(() => crowdBT([], { prior: { alpha: 1, beta: 1 } })).toThrow(/alpha 1, beta 1/);
    expect(() => crowdBT([], { scorePenalty: 0 })).toThrow(/scorePenalty must be > 0, got 0/);
    expect(() => crowdBT([], { fixedReliability: { gold: 2 } })).toThrow(/fixedReliability.gold must be in \[0, 1\], got 2/);
    expect(() => crowdBT([{ source: "x", winner: "a", loser: "a" }])).toThrow(/"a" twice/);
  });

  it("is deterministic", () => {
    const js = [
      { source: "x", winner: "a", loser: "b" },
      { source: "y", winner: "a", loser: "b" },
      { source: "z", winner: "b", loser: "c" },
    ];
    expect(crowdBT(js)).toEqual(crowdBT(js));
  });
});

/** A ranking of `scores` under Plackett–Luce noise (Gumbel), whose pairwise marginals are exactly Bradley–Terry's σ(s_i − s_j). */
function noisyRanking(rng: Rng, scores: Record<string, number>, sign: 1 | -1 | 0): Record<string, number> {
  const gumbel = () => -Math.log(-Math.log(Math.max(rng.next(), 1e-12)));
  const noisy = Object.entries(scores).map(([id, s]) => [id, sign * s + gumbel()] as const);
  noisy.sort((p, q) => q[1] - p[1]);
  return Object.fromEntries(noisy.map(([id], i) => [id, i + 1]));
}

describe("annotatorReliability on a simulated crowd", () => {
  // 60 prompts × 4 completions with true scores in [−2, 2]; five honest annotators, one spammer who
  // ranks at random and one who ranks in reverse. Everyone ranks every prompt; no gold.
  const rng = createRng(20130205);
  const prompts = Array.from({ length: 60 }, (_, p) => Object.fromEntries(Array.from({ length: 4 }, (_, c) => [`p${p}c${c}`, 4 * rng.next() - 2])));
  const crowd: [string, 1 | -1 | 0][] = [["h1", 1], ["h2", 1], ["h3", 1], ["h4", 1], ["h5", 1], ["spammer", 0], ["reverser", -1]];
  const rankings: Ranking[] = prompts.flatMap((scores, p) => crowd.map(([annotatorId, sign]) => ({ annotatorId, promptId: `p${p}`, ranks: noisyRanking(rng, scores, sign) })));

  it("gives a spammer reliability near 0.5, a reverser below 0.5 and honest annotators the most", () => {
    const r = annotatorReliability({ rankings });
    for (const h of ["h1", "h2", "h3", "h4", "h5"]) expect(r[h]!.eta, h).toBeGreaterThan(0.9);
    expect(r.spammer!.eta).toBeGreaterThan(0.3);
    expect(r.spammer!.eta).toBeLessThan(0.6);
    expect(r.reverser!.eta).toBeLessThan(0.15);
    expect(r.spammer!.judgements).toBe(60 * 6);
  });

  it("uses gold answers: a lone annotator who contradicts them is judged unreliable", () => {
    const solo = (annotatorId: string, sign: 1 | -1): Ranking[] => prompts.map((scores, p) => ({ annotatorId, promptId: `p${p}`, ranks: noisyRanking(rng, scores, sign) }));
    const completionsByPrompt = Object.fromEntries(prompts.map((s, p) => [`p${p}`, Object.keys(s)]));
    const best = (s: Record<string, number>) => Object.keys(s).sort((x, y) => s[y]! - s[x]!)[0]!;
    const gold = Object.fromEntries(prompts.map((s, p) => [`p${p}`, { best: best(s) }]));
    const good = annotatorReliability({ rankings: solo("good", 1), completionsByPrompt, gold });
    const bad = annotatorReliability({ rankings: solo("bad", -1), completionsByPrompt, gold });
    // Without gold a lone annotator has nobody to disagree with.
    expect(good.good!.eta).toBeGreaterThan(0.8);
    expect(bad.bad!.eta).toBeLessThan(0.35);
  });
});

describe("evidence → judgements", () => {
  it("skips ties, dedupes gold's best-over-worst and pairs every accepted completion with every rejected one", () => {
    expect(judgementsFromRankings([{ annotatorId: "u", promptId: "p", ranks: { a: 1, b: 1, c: 2 } }])).toEqual([
      { source: "u", winner: "a", loser: "c" },
      { source: "u", winner: "b", loser: "c" },
    ]);
    const gold = goldJudgements({ p: ["a", "b", "c"] }, { p: { best: "a", worst: "c" }, q: { best: "x" } });
    expect(gold.map((j) => `${j.winner}>${j.loser}`).sort()).toEqual(["a>b", "a>c", "b>c"]);
    expect(gold.every((j) => j.source === GOLD_SOURCE)).toBe(true);
    const verdicts = { p: { a: true, b: false, c: false } };
    expect(verifierJudgements(verdicts).map((j) => `${j.winner}>${j.loser}`)).toEqual(["a>b", "a>c"]);
    // u prefers b over a (against the verifier) and a over c (with it); b vs c are both rejected.
    expect(verifierAgreement([{ annotatorId: "u", promptId: "p", ranks: { b: 1, a: 2, c: 3 } }], verdicts)).toEqual({ u: { rate: 0.5, comparisons: 2 } });
  });

  it("gives an annotator whose rankings are all ties the prior's mode and no judgements", () => {
    const r = annotatorReliability({ rankings: [{ annotatorId: "t", promptId: "p", ranks: { a: 1, b: 1 } }] });
    expect(r).toEqual({ t: { eta: 0.75, judgements: 0 } });
  });
});
