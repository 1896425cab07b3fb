import { describe, expect, it } from "vitest";
import { draftFromRanking, toSubmission } from "@/lib/ranking/draft";
import { groupIdentical } from "@/lib/ranking/identical";
import { DEFAULT_RUBRIC } from "@/lib/ranking/rubric";

describe("draftFromRanking", () => {
  const shown = ["x", "y", "z", "w"];

  it("rebuilds the tiers of a stored ranking, so submitting it unchanged gives the same ranks", () => {
    const stored = { ranks: { x: 2, y: 1, z: 2, w: 3 }, flags: { w: ["low_quality"] }, ratings: { y: 6 }, rationale: "y is right" };
    const d = draftFromRanking(shown, stored, "new-key", 5_000, DEFAULT_RUBRIC);
    expect(d.ranking.tiers).toEqual([["y"], ["x", "z"], ["w"]]);
    expect(d.ranking.unranked).toEqual([]);
    const completions = shown.map((id) => ({ id, text: `text of ${id}` }));
    const s = toSubmission(d, 8_000, { rubric: DEFAULT_RUBRIC, groups: groupIdentical(completions), order: shown });
    expect(s).toMatchObject({ ranks: stored.ranks, flags: stored.flags, ratings: stored.ratings, rationale: "y is right", submissionKey: "new-key", timeSpentMs: 3_000, shownOrder: shown });
  });

  it("leaves completions the ranking lacks unranked and drops unknown ids and flags", () => {
    const d = draftFromRanking(shown, { ranks: { x: 1, y: 2, gone: 3 }, flags: { x: ["no_such_flag", "harmful"], gone: ["harmful"] }, ratings: { gone: 3 }, rationale: "" }, "k", 0, DEFAULT_RUBRIC);
    expect(d.ranking.tiers).toEqual([["x"], ["y"]]);
    expect(d.ranking.unranked).toEqual(["z", "w"]);
    expect(d.flags).toEqual({ x: ["harmful"] });
    expect(d.ratings).toEqual({});
  });
});
