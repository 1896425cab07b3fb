import { describe, expect, it } from "vitest";
import { modelLeaderboard, type ModelLeaderboardInput, type VersionCompletion } from "@/lib/stats/model-leaderboard";
import type { Ranking } from "@/lib/stats/types";

const versions = [
  { id: "base", name: "base", parentId: null },
  { id: "dpo", name: "dpo-1", parentId: "base" },
];

interface PromptSpec {
  /** Who the annotator ranks first: "dpo", "base" or a tie. */
  human: "dpo" | "base" | "tie" | null;
  rm?: { base: number; dpo: number };
  verifier?: { base: boolean; dpo: boolean };
}

/** One completion per version per prompt, one annotator per prompt, scores and verdicts as specified. */
function board(specs: PromptSpec[]): ModelLeaderboardInput {
  const completions: VersionCompletion[] = [];
  const rankings: Ranking[] = [];
  const rmScores = new Map<string, number>();
  const verdicts = new Map<string, boolean>();
  specs.forEach((s, i) => {
    const [b, d] = [`b${i}`, `d${i}`];
    completions.push({ id: b, promptId: `p${i}`, versionId: "base" }, { id: d, promptId: `p${i}`, versionId: "dpo" });
    if (s.human) rankings.push({ annotatorId: "u", promptId: `p${i}`, ranks: { [b]: s.human === "dpo" ? 2 : 1, [d]: s.human === "base" ? 2 : 1 } });
    if (s.rm) rmScores.set(b, s.rm.base).set(d, s.rm.dpo);
    if (s.verifier) verdicts.set(b, s.verifier.base).set(d, s.verifier.dpo);
  });
  return { versions, completions, rankings, rmScores: rmScores.size ? rmScores : null, verdicts };
}

const times = (n: number, spec: PromptSpec) => Array.from({ length: n }, () => spec);
const row = (rows: ReturnType<typeof modelLeaderboard>, id: string) => rows.find((r) => r.versionId === id)!;

describe("the model leaderboard", () => {
  it("ranks versions by human Bradley–Terry Elo with seeded 95% bootstrap intervals, base pinned at 1000", () => {
    const input = board([...times(32, { human: "dpo" }), ...times(8, { human: "base" })]);
    const rows = modelLeaderboard(input, { rounds: 100, seed: 3 });
    expect(rows.map((r) => r.name)).toEqual(["dpo-1", "base"]);
    const [dpo, base] = rows;
    expect(base.human!.elo).toBeCloseTo(1000, 6);
    // 32 wins in 40 (plus the fit's small prior): about 400·log10(4) ≈ 240 Elo.
    expect(dpo.human!.elo).toBeGreaterThan(1200);
    expect(dpo.human!.elo).toBeLessThan(1260);
    expect(dpo.human!.lower).toBeLessThan(dpo.human!.elo);
    expect(dpo.human!.upper).toBeGreaterThan(dpo.human!.elo);
    expect(dpo.human!.comparisons).toBe(40);
    expect(modelLeaderboard(input, { rounds: 100, seed: 3 })).toEqual(rows);
    expect(modelLeaderboard(input, { rounds: 100, seed: 4 })[0].human!.lower).not.toBe(dpo.human!.lower);
  });

  it("gives the reward model's predicted win rate as the mean over prompts of sigmoid(score difference)", () => {
    const rows = modelLeaderboard(board([...times(5, { human: null, rm: { base: 0, dpo: 2 } }), ...times(5, { human: null, rm: { base: 1, dpo: 1 } })]));
    const expected = (1 / (1 + Math.exp(-2)) + 0.5) / 2;
    expect(row(rows, "dpo").rm).toEqual({ winRate: expect.closeTo(expected, 12), prompts: 10 });
    expect(row(rows, "base").rm!.winRate).toBeCloseTo(1 - expected, 12);
    expect(row(rows, "dpo").human).toBeNull();
    expect(modelLeaderboard({ ...board(times(3, { human: "dpo" })), rmScores: null })[0].rm).toBeNull();
  });

  it("gives each version's verifier accuracy over its judged completions", () => {
    const rows = modelLeaderboard(board([...times(3, { human: null, verifier: { base: true, dpo: true } }), { human: null, verifier: { base: false, dpo: true } }, { human: null }]));
    expect(row(rows, "dpo").verifier).toEqual({ accuracy: 1, correct: 4, total: 4 });
    expect(row(rows, "base").verifier).toEqual({ accuracy: 0.75, correct: 3, total: 4 });
    expect(row(rows, "dpo").parent!.verifier).toMatchObject({ diff: 0.25, n: 4 });
  });

  it("flags a version the reward model scores higher while humans prefer its parent", () => {
    const rows = modelLeaderboard(board([...times(34, { human: "base", rm: { base: 0, dpo: 1.5 } }), ...times(6, { human: "dpo", rm: { base: 0, dpo: 1.5 } })]));
    const dpo = row(rows, "dpo");
    expect(dpo.parent!.rmWinRate).toBeGreaterThan(0.8);
    expect(dpo.parent!.human!.upper).toBeLessThan(0);
    expect(dpo.overOptimisation.flagged).toBe(true);
    expect(dpo.overOptimisation.reasons[1]).toMatch(/^humans rank it below its parent/);
    expect(row(rows, "base").overOptimisation.flagged).toBe(false);
  });

  it("flags it when the verifier says it got worse while humans cannot tell", () => {
    const rows = modelLeaderboard(board([
      ...times(25, { human: "tie", rm: { base: 0, dpo: 1 }, verifier: { base: true, dpo: false } }),
      ...times(5, { human: "tie", rm: { base: 0, dpo: 1 }, verifier: { base: true, dpo: true } }),
    ]));
    const dpo = row(rows, "dpo");
    expect(dpo.parent!.human!.upper).toBeGreaterThanOrEqual(0);
    expect(dpo.overOptimisation.flagged).toBe(true);
    expect(dpo.overOptimisation.reasons[1]).toMatch(/^the verifier finds it less accurate than its parent \(-83\.3 points/);
  });

  it("does not flag a version humans and the reward model both prefer, nor a drop the reward model also sees", () => {
    const better = modelLeaderboard(board(times(30, { human: "dpo", rm: { base: 0, dpo: 1 }, verifier: { base: false, dpo: true } })));
    expect(row(better, "dpo").overOptimisation).toEqual({ flagged: false, reasons: [] });
    const honest = modelLeaderboard(board(times(30, { human: "base", rm: { base: 1, dpo: 0 } })));
    expect(row(honest, "dpo").parent!.human!.upper).toBeLessThan(0);
    expect(row(honest, "dpo").overOptimisation.flagged).toBe(false);
  });

  it("leaves completions without a version (imported) out of the human comparisons", () => {
    const input = board(times(10, { human: "dpo" }));
    const withImported: ModelLeaderboardInput = {
      ...input,
      rankings: input.rankings.map((r, i) => ({ ...r, ranks: { ...r.ranks, [`imp${i}`]: 1 } })),
    };
    expect(modelLeaderboard(withImported, { rounds: 50 })).toEqual(modelLeaderboard(input, { rounds: 50 }));
  });
});
