import { describe, expect, it } from "vitest";
import { goldPhase, isGoldTurn } from "@/lib/queue/gold-schedule";

const goldTurnsIn = (m: number, rate: number, phase: number) => Array.from({ length: m }, (_, n) => isGoldTurn({ n, rate, phase })).filter(Boolean).length;

describe("gold schedule", () => {
  it("makes exactly floor(m·rate + phase) of the first m tasks gold turns, for every prefix", () => {
    for (const rate of [0, 0.05, 0.1, 0.25, 1 / 3, 0.5, 1]) {
      for (const phase of [0, 0.3, 0.999]) {
        for (const m of [1, 7, 10, 99, 250]) expect(goldTurnsIn(m, rate, phase), `rate ${rate} phase ${phase} m ${m}`).toBe(Math.floor(m * rate + phase));
      }
    }
  });

  it("at 10% gives one gold turn in every ten tasks, at a position set by the phase", () => {
    const positions = (phase: number) => Array.from({ length: 30 }, (_, n) => n).filter((n) => isGoldTurn({ n, rate: 0.1, phase }));
    expect(positions(0)).toEqual([9, 19, 29]);
    expect(positions(0.55)).toEqual([4, 14, 24]);
  });

  it("gives annotators different phases, reproducibly", () => {
    const phases = ["p:a", "p:b", "p:c", "q:a"].map(goldPhase);
    expect(new Set(phases).size).toBe(4);
    expect(goldPhase("p:a")).toBe(phases[0]);
    for (const p of phases) expect(p >= 0 && p < 1).toBe(true);
  });

  it("names the bad value instead of guessing", () => {
    expect(() => isGoldTurn({ n: -1, rate: 0.1, phase: 0 })).toThrow("n must be a non-negative integer, got -1");
    expect(() => isGoldTurn({ n: 0, rate: 1.5, phase: 0 })).toThrow("rate must be in [0, 1], got 1.5");
    expect(() => isGoldTurn({ n: 0, rate: 0.1, phase: 1 })).toThrow("phase must be in [0, 1), got 1");
  });
});
