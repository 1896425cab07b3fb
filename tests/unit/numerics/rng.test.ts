import { describe, expect, it } from "vitest";
import { createRng, deriveSeed, splitMix64, Xoshiro128ss } from "@/lib/numerics/rng";

// The raw stream (SplitMix64, xoshiro128**, next()) is pinned against the
// reference algorithms in tests/unit/engine/sampling/rng.test.ts; these tests
// cover what the trainer, reward model and statistics add on top of it.

const draws = (rng: { next(): number }, n: number) => Array.from({ length: n }, () => rng.next());

describe("state", () => {
  it("continues the exact stream from a saved state, through JSON", () => {
    const rng = createRng(42);
    draws(rng, 5);
    const saved = JSON.parse(JSON.stringify(rng.state())) as [number, number, number, number];
    const resumed = Xoshiro128ss.fromState(saved);
    expect(draws(resumed, 20)).toEqual(draws(rng, 20));
  });

  it("is four u32 words that change with every draw", () => {
    const rng = createRng(1);
    const before = rng.state();
    rng.next();
    expect(before).toHaveLength(4);
    for (const w of before) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    expect(rng.state()).not.toEqual(before);
  });

  it("refuses a state that is not four u32 words or is all zero", () => {
    expect(() => Xoshiro128ss.fromState([0, 0, 0, 0])).toThrow("not all zero");
    expect(() => Xoshiro128ss.fromState([1, 2, 3] as never)).toThrow("must be 4 words");
    expect(() => Xoshiro128ss.fromState([1, 2, 3, 2 ** 32])).toThrow("got [1, 2, 3, 4294967296]");
    expect(() => Xoshiro128ss.fromState([1, 2, 3, 0.5])).toThrow(RangeError);
  });
});

describe("int, pick, sample, shuffle", () => {
  it("int covers [lo, hi] inclusive and nothing outside", () => {
    const rng = createRng(3);
    const seen = new Map<number, number>();
    for (let i = 0; i < 7000; i++) {
      const x = rng.int(-2, 4);
      seen.set(x, (seen.get(x) ?? 0) + 1);
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3, 4]);
    for (const n of seen.values()) expect(Math.abs(n - 1000)).toBeLessThan(150); // ~5 sigma
  });

  it("pick reaches every item", () => {
    const rng = createRng(4);
    const items = ["a", "b", "c"] as const;
    expect(new Set(Array.from({ length: 100 }, () => rng.pick(items)))).toEqual(new Set(items));
  });

  it("sample gives k distinct items and leaves the input alone", () => {
    const rng = createRng(5);
    const items = [1, 2, 3, 4, 5, 6];
    for (let k = 0; k <= items.length; k++) {
      const s = rng.sample(items, k);
      expect(s).toHaveLength(k);
      expect(new Set(s).size).toBe(k);
      for (const x of s) expect(items).toContain(x);
    }
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("shuffle permutes in place, every position reachable with equal frequency", () => {
    const rng = createRng(6);
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let r = 0; r < 4000; r++) {
      const xs = [0, 1, 2, 3];
      expect(rng.shuffle(xs)).toBe(xs);
      expect([...xs].sort()).toEqual([0, 1, 2, 3]);
      xs.forEach((x, pos) => counts[x]![pos]!++);
    }
    for (const row of counts) for (const n of row) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
});

describe("normal", () => {
  it("has mean 0, variance 1 and normal tails over 100k draws", () => {
    const rng = createRng(7);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
      if (Math.abs(x) > 2) beyond2++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.015); // standard error 0.003
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2); // P(|Z| > 2)
  });

  it("takes two uniform draws per value", () => {
    const a = createRng(8);
    const b = createRng(8);
    a.normal();
    b.next();
    b.next();
    expect(a.next()).toBe(b.next());
  });
});

describe("deriveSeed", () => {
  it("is SplitMix64's output number k for the seed, cut to 53 bits", () => {
    const next = splitMix64(123n);
    for (let k = 0; k < 5; k++) expect(deriveSeed(123, k)).toBe(Number(next() >> 11n));
  });

  it("gives distinct, safe seeds per index and per run seed", () => {
    const seeds = new Set<number>();
    for (const seed of [0, 1, 2]) for (let k = 0; k < 1000; k++) seeds.add(deriveSeed(seed, k));
    expect(seeds.size).toBe(3000);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
  });

  it("names a bad seed or index", () => {
    expect(() => deriveSeed(-1, 0)).toThrow("seed must be a non-negative safe integer, got -1");
    expect(() => deriveSeed(1, 0.5)).toThrow("k must be a non-negative safe integer, got 0.5");
  });
});
