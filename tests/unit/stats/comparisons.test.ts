import { describe, expect, it } from "vitest";
import { bradleyTerry } from "@/lib/stats/bradley-terry";
import { comparisonsFromRankings } from "@/lib/stats/comparisons";

describe("comparisonsFromRankings", () => {
  it("turns each completion pair into an outcome, ties scoring half", () => {
    expect(comparisonsFromRankings([{ annotatorId: "u", promptId: "p", ranks: { b: 1, a: 2, c: 2 } }])).toEqual([
      { a: "a", b: "b", outcome: 0 },
      { a: "a", b: "c", outcome: 0.5 },
      { a: "b", b: "c", outcome: 1 },
    ]);
  });

  it("maps completions to models and skips a model against itself", () => {
    const model: Record<string, string> = { "p1/x": "gpt", "p1/y": "llama", "p1/z": "llama" };
    const out = comparisonsFromRankings([{ annotatorId: "u", promptId: "p1", ranks: { x: 1, y: 2, z: 3 } }], (p, c) => model[`${p}/${c}`]!);
    expect(out).toEqual([
      { a: "gpt", b: "llama", outcome: 1 },
      { a: "gpt", b: "llama", outcome: 1 },
    ]);
    expect(bradleyTerry(out).elo.gpt).toBeGreaterThan(1000);
  });
});
