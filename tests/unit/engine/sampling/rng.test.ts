import { describe, expect, it } from "vitest";
import { createRng, splitMix64, Xoshiro128ss } from "@/lib/engine/sampling";

// Expected values come from an independent Python implementation of the
// published reference algorithms (arbitrary-precision integers).
describe("rng", () => {
  it("SplitMix64 from seed 0 gives the reference stream", () => {
    const next = splitMix64(0n);
    expect([next(), next(), next()]).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
  });

  it("xoshiro128** from state {1, 2, 3, 4} gives the reference stream", () => {
    const rng = new Xoshiro128ss(Uint32Array.of(1, 2, 3, 4));
    expect(Array.from({ length: 6 }, () => rng.nextU32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it.each([
    [0, [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774]],
    [42, [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222]],
    [2 ** 53 - 1, [1233166643, 1287031142, 661813442, 2960669951, 2601079046, 1036114921]],
  ])("createRng(%d) seeds xoshiro128** through SplitMix64", (seed, words) => {
    const rng = createRng(seed);
    expect(Array.from({ length: 6 }, () => rng.nextU32())).toEqual(words);
  });

  it("next() builds a 53-bit double in [0, 1) from two outputs", () => {
    const rng = createRng(0);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([0.870254774404272, 0.6697971505310978, 0.3616586206733957]);
  });

  it("same seed gives the same stream, another seed a different one", () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 8 }, () => rng.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("is uniform by a chi-square test over 10 bins of 100k draws", () => {
    const rng = createRng(1);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]! += 1;
    }
    expect(outside).toBe(0);
    const chi2 = bins.reduce((a, b) => a + (b - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(27.88); // df 9, p = 0.001
  });

  it("refuses a negative or fractional seed and an all-zero state", () => {
    expect(() => createRng(-1)).toThrow("seed must be a non-negative safe integer, got -1");
    expect(() => createRng(1.5)).toThrow("seed must be a non-negative safe integer, got 1.5");
    expect(() => new Xoshiro128ss(new Uint32Array(4))).toThrow("not all zero");
  });
});
