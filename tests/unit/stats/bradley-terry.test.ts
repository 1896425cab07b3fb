import { describe, expect, it } from "vitest";
import { bootstrapIntervals, bradleyTerry, quantile, toElo } from "@/lib/stats/bradley-terry";
import { createRng } from "@/lib/numerics/rng";
import type { Comparison } from "@/lib/stats/types";

const games = (a: string, b: string, outcome: Comparison["outcome"], n: number): Comparison[] =>
  Array.from({ length: n }, () => ({ a, b, outcome }));

/** Log-likelihood gradient of BT at the fit: W_i − Σ_j n_ij p_i/(p_i+p_j) must vanish at the MLE. */
function gradient(comparisons: Comparison[], p: Record<string, number>): Record<string, number> {
  const g: Record<string, number> = {};
  for (const { a, b, outcome } of comparisons) {
    const pa = p[a]! / (p[a]! + p[b]!);
    g[a] = (g[a] ?? 0) + outcome - pa;
    g[b] = (g[b] ?? 0) + (1 - outcome) - (1 - pa);
  }
  return g;
}

describe("bradleyTerry", () => {
  it("recovers the closed form for two items: 3 wins to 1 → strength ratio 3, Elo gap 400·log10(3)", () => {
    const fit = bradleyTerry([...games("A", "B", 1, 3), ...games("A", "B", 0, 1)], { prior: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.strengths.A! / fit.strengths.B!).toBeCloseTo(3, 9);
    expect(fit.elo.A! - fit.elo.B!).toBeCloseTo(400 * Math.log10(3), 6);
    expect((fit.elo.A! + fit.elo.B!) / 2).toBeCloseTo(1000, 9);
  });

  it("counts a tie as half a win each way", () => {
    // 1 win + 2 ties for A against 0 wins + 2 ties: W_A = 2, W_B = 1 → ratio 2.
    const fit = bradleyTerry([...games("A", "B", 1, 1), ...games("A", "B", 0.5, 2)], { prior: 0 });
    expect(fit.strengths.A! / fit.strengths.B!).toBeCloseTo(2, 9);
  });

  it("reaches the maximum likelihood on a 4-item tournament (gradient ≈ 0)", () => {
    const rng = createRng(7);
    const truth: Record<string, number> = { a: 4, b: 2, c: 1, d: 0.5 };
    const ids = Object.keys(truth);
    const comparisons: Comparison[] = [];
    for (let n = 0; n < 400; n++) {
      const i = ids[n % 4]!;
      const j = ids[(n + 1 + (n % 3)) % 4]!;
      if (i === j) continue;
      comparisons.push({ a: i, b: j, outcome: rng.next() < truth[i]! / (truth[i]! + truth[j]!) ? 1 : 0 });
    }
    const fit = bradleyTerry(comparisons, { prior: 0 });
    for (const g of Object.values(gradient(comparisons, fit.strengths))) expect(Math.abs(g)).toBeLessThan(1e-6);
    expect(Object.keys(fit.elo).sort((x, y) => fit.elo[y]! - fit.elo[x]!)).toEqual(["a", "b", "c", "d"]);
  });

  it("anchors the chosen reference at 1000", () => {
    const fit = bradleyTerry([...games("A", "B", 1, 3), ...games("A", "B", 0, 1)], { prior: 0, reference: "B" });
    expect(fit.elo.B).toBeCloseTo(1000, 9);
    expect(fit.elo.A).toBeCloseTo(1000 + 400 * Math.log10(3), 6);
  });

  it("keeps strengths finite for an unbeaten item thanks to the prior, and the prior shrinks the gap", () => {
    const unbeaten = games("A", "B", 1, 5);
    const weak = bradleyTerry(unbeaten, { prior: 0.1 });
    const strong = bradleyTerry(unbeaten, { prior: 2 });
    expect(weak.converged).toBe(true);
    expect(Number.isFinite(weak.elo.A)).toBe(true);
    // With prior w: W_A = 5 + w/2, W_B = w/2 → ratio (5 + w/2)/(w/2).
    expect(weak.strengths.A! / weak.strengths.B!).toBeCloseTo(5.05 / 0.05, 6);
    expect(strong.elo.A! - strong.elo.B!).toBeLessThan(weak.elo.A! - weak.elo.B!);
  });

  it("rejects bad options and outcomes with the bad value in the message", () => {
    expect(() => bradleyTerry(games("A", "B", 1, 1), { reference: "Z" })).toThrow(/got "Z"/);
    expect(() => bradleyTerry(games("A", "B", 1, 1), { prior: -1 })).toThrow(/prior must be >= 0, got -1/);
    expect(() => bradleyTerry([{ a: "A", b: "B", outcome: 2 as never }])).toThrow(/got 2/);
    expect(() => bradleyTerry([{ a: "A", b: "A", outcome: 1 }])).toThrow(/"A" twice/);
  });

  it("toElo maps strengths 10 and 1 to a 400-point gap around a mean of 1000", () => {
    expect(toElo({ x: 10, y: 1 })).toEqual({ x: 1200, y: 800 });
  });
});

describe("bootstrapIntervals", () => {
  const data = [...games("A", "B", 1, 30), ...games("A", "B", 0, 10), ...games("B", "C", 1, 25), ...games("B", "C", 0, 15)];

  it("is reproducible from its seed and changes with it", () => {
    const x = bootstrapIntervals(data, { rounds: 50, seed: 1 });
    expect(bootstrapIntervals(data, { rounds: 50, seed: 1 })).toEqual(x);
    expect(bootstrapIntervals(data, { rounds: 50, seed: 2 })).not.toEqual(x);
  });

  it("brackets the full-data estimate, and more data gives narrower intervals", () => {
    const small = bootstrapIntervals(data, { rounds: 200, seed: 3 });
    const big = bootstrapIntervals([...data, ...data, ...data, ...data], { rounds: 200, seed: 3 });
    for (const id of ["A", "B", "C"]) {
      expect(small[id]!.lower).toBeLessThanOrEqual(small[id]!.elo);
      expect(small[id]!.upper).toBeGreaterThanOrEqual(small[id]!.elo);
      expect(big[id]!.upper - big[id]!.lower).toBeLessThan(small[id]!.upper - small[id]!.lower);
    }
  });

  it("pins the reference at 1000 in every round", () => {
    const out = bootstrapIntervals(data, { rounds: 50, seed: 4, reference: "B" });
    expect(out.B!.lower).toBeCloseTo(1000, 9);
    expect(out.B!.upper).toBeCloseTo(1000, 9);
  });

  it("rejects a non-positive number of rounds", () => {
    expect(() => bootstrapIntervals(data, { rounds: 0, seed: 1 })).toThrow(/rounds must be a positive integer, got 0/);
  });

  it("quantile interpolates linearly like NumPy", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0, 10], 0.025)).toBeCloseTo(0.25, 12);
  });
});
