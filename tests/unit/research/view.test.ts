import { describe, expect, it } from "vitest";
import type { PromptGroup } from "@/lib/datasets/types";
import { disagreements, presetLeaderboard, promptViews, rewardByPreset } from "@/lib/research/view";

const group = (promptId: string, ranks: Record<string, number>[]): PromptGroup => ({
  promptId,
  prompt: [{ role: "user", content: `prompt ${promptId}` }],
  completions: { [`${promptId}a`]: "A", [`${promptId}b`]: "B", [`${promptId}c`]: "C" },
  rankings: ranks.map((r, i) => ({ annotatorId: `u${i}`, promptId, ranks: Object.fromEntries(Object.entries(r).map(([k, v]) => [`${promptId}${k}`, v])) })),
});

// Preset "good" always wrote a, "mid" b, "bad" c; humans always prefer a > b > c.
const groups = Array.from({ length: 20 }, (_, i) => group(`p${i}`, [{ a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 3 }]));
const presetOf = new Map(groups.flatMap((g) => [[`${g.promptId}a`, "good"], [`${g.promptId}b`, "mid"], [`${g.promptId}c`, "bad"]] as [string, string][]));

describe("research view", () => {
  it("ranks presets by Bradley–Terry Elo with intervals that contain the estimate", () => {
    const board = presetLeaderboard({ groups, presetOf, scores: new Map() }, 50);
    expect(board.map((r) => r.preset)).toEqual(["good", "mid", "bad"]);
    for (const r of board) {
      expect(r.lower).toBeLessThanOrEqual(r.elo + 1e-9);
      expect(r.upper).toBeGreaterThanOrEqual(r.elo - 1e-9);
      expect(r.comparisons).toBe(80);
    }
  });

  it("puts the reward order beside the human order and lists confident pairs the model gets backwards", () => {
    // The model loves c and hates a on p0 only.
    const scores = new Map(groups.flatMap((g) => [[`${g.promptId}a`, g.promptId === "p0" ? -1 : 1], [`${g.promptId}b`, 0], [`${g.promptId}c`, g.promptId === "p0" ? 2 : -1]] as [string, number][]));
    const input = { groups, presetOf, scores };
    const views = promptViews(input);
    const p0 = views.find((v) => v.promptId === "p0")!;
    expect(p0.completions.map((c) => [c.humanRank, c.rmRank])).toEqual([[1, 3], [2, 2], [3, 1]]);
    const d = disagreements(input, views);
    expect(d.map((x) => [x.humanChoice.text, x.rmChoice.text])).toEqual([["A", "C"], ["B", "C"], ["A", "B"]]); // largest reward gap first
    expect(d.every((x) => x.promptId === "p0" && x.agreement === 1 && x.voters === 2)).toBe(true);
  });

  it("summarises rewards per preset with ordered quartiles", () => {
    const scores = new Map(groups.flatMap((g, i) => [[`${g.promptId}a`, i], [`${g.promptId}b`, 0], [`${g.promptId}c`, -i]] as [string, number][]));
    const dist = rewardByPreset({ groups, presetOf, scores });
    expect(dist.map((r) => r.preset)).toEqual(["good", "mid", "bad"]);
    const good = dist[0];
    expect([good.min, good.q1, good.median, good.q3, good.max]).toEqual([0, 4.75, 9.5, 14.25, 19]);
  });
});
