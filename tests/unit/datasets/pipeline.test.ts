import { describe, expect, it } from "vitest";
import { pseudonym, rankingFilter, splitOf } from "@/lib/datasets/options";
import { exportPairs, exportRankings, prepareGroup } from "@/lib/datasets/pipeline";
import { summariseRankings } from "@/lib/datasets/summary";
import type { RankingRecord } from "@/lib/datasets/types";
import { collect, threeAnnotators } from "@/tests/unit/datasets/fixtures";

const ids = (rs: RankingRecord[]) => rs.map((r) => r.annotatorId);

describe("rankingFilter", () => {
  const rankings = threeAnnotators().rankings;

  it("keeps rankings from `from` inclusive to `to` exclusive", () => {
    const keep = rankingFilter({ from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z" });
    expect(ids(rankings.filter(keep))).toEqual(["u2"]);
  });

  it("drops rankings without a date when a date bound is set", () => {
    const undated: RankingRecord = { annotatorId: "u9", promptId: "p1", ranks: { a: 1 } };
    expect(rankingFilter({ from: "2000-01-01T00:00:00Z" })(undated)).toBe(false);
    expect(rankingFilter({})(undated)).toBe(true);
  });

  it("filters by annotator and excludes flagged rankings", () => {
    expect(ids(rankings.filter(rankingFilter({ annotatorIds: ["u2", "u3"] })))).toEqual(["u2", "u3"]);
    expect(ids(rankings.filter(rankingFilter({ excludeFlagged: true })))).toEqual(["u1", "u3"]);
  });

  it("rejects a bound that is not a date", () => {
    expect(() => rankingFilter({ to: "soon" })).toThrow(/to must be an ISO 8601 date, got "soon"/);
  });
});

describe("splitOf", () => {
  const prompts = Array.from({ length: 2000 }, (_, i) => `prompt-${i}`);

  it("is deterministic and holds out about testFraction of prompts", () => {
    const test = prompts.filter((p) => splitOf(p, { testFraction: 0.2, seed: 1 }) === "test");
    expect(prompts.filter((p) => splitOf(p, { testFraction: 0.2, seed: 1 }) === "test")).toEqual(test);
    expect(test.length / prompts.length).toBeGreaterThan(0.17);
    expect(test.length / prompts.length).toBeLessThan(0.23);
  });

  it("reshuffles with the seed and respects the edges 0 and 1", () => {
    const a = prompts.map((p) => splitOf(p, { testFraction: 0.5, seed: 1 }));
    const b = prompts.map((p) => splitOf(p, { testFraction: 0.5, seed: 2 }));
    expect(a).not.toEqual(b);
    expect(prompts.every((p) => splitOf(p, { testFraction: 0, seed: 1 }) === "train")).toBe(true);
    expect(prompts.every((p) => splitOf(p, { testFraction: 1, seed: 1 }) === "test")).toBe(true);
    expect(() => splitOf("p", { testFraction: 1.5, seed: 1 })).toThrow(/testFraction must be in \[0, 1\], got 1.5/);
  });
});

describe("pseudonym", () => {
  it("is stable for a salt, differs across salts, and never contains the id", () => {
    const a = pseudonym("alice@example.com", { salt: "s1" });
    expect(a).toMatch(/^annotator-[0-9a-f]{16}$/);
    expect(pseudonym("alice@example.com", { salt: "s1" })).toBe(a);
    expect(pseudonym("alice@example.com", { salt: "s2" })).not.toBe(a);
    expect(pseudonym("bob@example.com", { salt: "s1" })).not.toBe(a);
    expect(a).not.toContain("alice");
  });

  it("uses an injected hash and prefix", () => {
    expect(pseudonym("u1", { salt: "s", hash: (salt, id) => `${salt}${id}`.padEnd(16, "0"), prefix: "x-" })).toBe(
      "x-su10000000000000",
    );
  });

  it("refuses an empty salt", () => {
    expect(() => pseudonym("u1", { salt: "" })).toThrow(/salt must be a non-empty string/);
  });
});

describe("exportPairs", () => {
  it("filters before pairing, so a dropped annotator does not count toward agreement", async () => {
    const pairs = await collect(exportPairs([threeAnnotators()], { filters: { annotatorIds: ["u1", "u3"] } }));
    expect(pairs.map((p) => `${p.annotatorId}:${p.chosenId}>${p.rejectedId}@${p.agreement}`)).toEqual([
      "u1:a>b@0.5",
      "u1:a>c@0.5",
      "u1:b>c@1",
      "u3:b>a@0.5",
      "u3:b>c@1",
    ]);
  });

  it("drops pairs below minAgreement", async () => {
    const pairs = await collect(exportPairs([threeAnnotators()], { minAgreement: 0.5 }));
    expect(pairs.every((p) => p.agreement >= 0.5)).toBe(true);
    expect(pairs).toHaveLength(6);
    await expect(collect(exportPairs([threeAnnotators()], { minAgreement: 2 }))).rejects.toThrow(/got 2/);
  });

  it("pseudonymises annotator ids after filtering by the real ones", async () => {
    const opts = { filters: { annotatorIds: ["u1"] }, pseudonymise: { salt: "pepper" } };
    const pairs = await collect(exportPairs([threeAnnotators()], opts));
    expect(new Set(pairs.map((p) => p.annotatorId))).toEqual(new Set([pseudonym("u1", { salt: "pepper" })]));
    expect(prepareGroup(threeAnnotators(), opts).rankings).toHaveLength(1);
  });

  it("keeps every pair of a prompt in one split, so no prompt is in both", async () => {
    const groups = Array.from({ length: 40 }, (_, i) => threeAnnotators(`p${i}`));
    const split = { testFraction: 0.3, seed: "s" };
    const train = await collect(exportPairs(groups, { split: { ...split, only: "train" } }));
    const test = await collect(exportPairs(groups, { split: { ...split, only: "test" } }));
    const trainPrompts = new Set(train.map((p) => p.promptId));
    const testPrompts = new Set(test.map((p) => p.promptId));
    expect([...trainPrompts].filter((p) => testPrompts.has(p))).toEqual([]);
    expect(trainPrompts.size + testPrompts.size).toBe(40);
    expect(testPrompts.size).toBeGreaterThan(0);
    expect(train.length + test.length).toBe((await collect(exportPairs(groups))).length);
  });
});

describe("exportRankings", () => {
  it("applies filters and pseudonymisation to raw rankings and can attach texts", async () => {
    const rows = await collect(
      exportRankings([threeAnnotators()], { filters: { excludeFlagged: true }, pseudonymise: { salt: "s" }, includeText: true }),
    );
    expect(rows.map((r) => r.annotatorId)).toEqual([pseudonym("u1", { salt: "s" }), pseudonym("u3", { salt: "s" })]);
    expect(rows[0]!.completions).toEqual({ a: "Red.", b: "Blue.", c: "Green." });
    expect(rows[0]!.prompt).toEqual([{ role: "user", content: "Name a colour." }]);
    const bare = await collect(exportRankings([threeAnnotators()]));
    expect(bare[0]).not.toHaveProperty("completions");
  });

  it("honours the split like exportPairs", async () => {
    const groups = Array.from({ length: 20 }, (_, i) => threeAnnotators(`p${i}`));
    const split = { testFraction: 0.5, seed: 3, only: "test" as const };
    const rankingPrompts = new Set((await collect(exportRankings(groups, { split }))).map((r) => r.promptId));
    const pairPrompts = new Set((await collect(exportPairs(groups, { split }))).map((p) => p.promptId));
    expect(rankingPrompts).toEqual(pairPrompts);
  });
});

describe("summariseRankings", () => {
  it("counts prompts, rankings and annotators and reports agreement with ties excluded", () => {
    const s = summariseRankings([threeAnnotators(), { ...threeAnnotators("p2"), rankings: [] }]);
    expect(s).toMatchObject({ prompts: 1, rankings: 3, annotators: 3 });
    // Strict comparisons (ac is tied by u3): u1-u2 (ab ✓, ac ✓, bc ✗), u1-u3 (ab ✗, bc ✓), u2-u3 (ab ✗, bc ✗) → 3/7.
    expect(s.pairwiseAgreement).toBe(3 / 7);
    expect(s.krippendorffAlpha?.level).toBe("ordinal");
    expect(typeof s.krippendorffAlpha?.value).toBe("number");
  });
});

describe("prepareGroup", () => {
  it("throws when a ranking belongs to another prompt instead of pairing the wrong texts", () => {
    const group = { ...threeAnnotators("p1"), promptId: "p2" };
    expect(() => prepareGroup(group, {})).toThrow(/ranking by "u1" is for prompt "p1", not "p2"/);
  });
});

describe("groups that follow the rankings' own order (emit) and completions with their own conversation", () => {
  it("writes only the emitted rankings, in emit's order, while agreement still counts every ranking", async () => {
    const g = { ...threeAnnotators(), emit: ["u3", "u1"] };
    const pairs = await collect(exportPairs([g], { filters: { excludeFlagged: false } }));
    expect([...new Set(pairs.map((p) => p.annotatorId))]).toEqual(["u3", "u1"]);
    // b over c: u1 and u3 agree, u2 (not written here) disagrees.
    expect(pairs.find((p) => p.annotatorId === "u1" && p.chosenId === "b" && p.rejectedId === "c")!.agreement).toBeCloseTo(2 / 3);
  });

  it("maps emit through pseudonymisation, and refuses majority pairs for a split group", async () => {
    const pairs = await collect(exportPairs([{ ...threeAnnotators(), emit: ["u1"] }], { pseudonymise: { salt: "s" } }));
    expect(new Set(pairs.map((p) => p.annotatorId)).size).toBe(1);
    expect(pairs[0]!.annotatorId).toMatch(/^annotator-[0-9a-f]{16}$/);
    await expect(collect(exportPairs([{ ...threeAnnotators(), emit: ["u1"] }], { mode: "majority" }))).rejects.toThrow(/needs whole prompt groups/);
  });

  it("carries a completion's own conversation and the ranking's extra fields into its pairs and raw rows", async () => {
    const base = threeAnnotators();
    const other = [{ role: "user" as const, content: "Name a color." }];
    const g = { ...base, contexts: { b: other }, rankings: [{ ...base.rankings[0]!, extra: { id: 7 } }] };
    const pairs = await collect(exportPairs([g]));
    const ab = pairs.find((p) => p.chosenId === "a" && p.rejectedId === "b")!;
    expect([ab.chosenContext, ab.rejectedContext, ab.extra]).toEqual([undefined, other, { id: 7 }]);
    const [row] = await collect(exportRankings([g], { includeText: true }));
    expect(row!.contexts).toEqual({ b: other });
  });
});
