import { describe, expect, it } from "vitest";
import { newDraft, parseDraft, reduceDraft, serializeDraft, toSubmission, type Draft } from "@/lib/ranking/draft";
import { DEFAULT_RUBRIC } from "@/lib/ranking/rubric";
import { responseLabel } from "@/lib/ranking/announce";

const shown = ["x", "y"];
const rewrite = { id: "r1", parentId: "x", text: "  A better answer.\n" };
const rank = (d: Draft, id: string, n: number) => reduceDraft(d, { type: "rank", action: { type: "setRank", id, rank: n } });
const ctx = { rubric: DEFAULT_RUBRIC, groups: shown.map((id) => ({ id, duplicates: [] })), order: shown };

describe("a rewrite in the draft", () => {
  it("joins the shown responses unranked, as the next letter, and is ranked and submitted with them", () => {
    let d = reduceDraft(newDraft(shown, "k", 0), { type: "addRewrite", rewrite });
    expect(d.ranking.shown).toEqual(["x", "y", "r1"]);
    expect(d.ranking.unranked).toEqual(["x", "y", "r1"]);
    expect(responseLabel(d.ranking.shown, "r1")).toBe("Response C");
    d = rank(rank(rank(d, "r1", 1), "x", 3), "y", 2);
    d = reduceDraft(d, { type: "setRating", id: "r1", rating: 7 });
    const s = toSubmission(d, 5, ctx);
    expect(s.ranks).toEqual({ r1: 1, y: 2, x: 3 });
    expect(s.ratings).toEqual({ r1: 7 });
    expect(s.rewrites).toEqual([{ id: "r1", parentId: "x", text: "A better answer." }]);
    // The server's order, without the rewrite: it was not one of the task's completions.
    expect(s.shownOrder).toEqual(shown);
  });
  it("is edited in place and, when discarded, leaves with its judgements while the other ranks close up", () => {
    let d = reduceDraft(newDraft(shown, "k", 0), { type: "addRewrite", rewrite });
    d = reduceDraft(d, { type: "editRewrite", id: "r1", text: "Better still." });
    expect(d.rewrites[0]!.text).toBe("Better still.");
    d = rank(rank(rank(d, "x", 3), "r1", 1), "y", 2);
    d = reduceDraft(reduceDraft(d, { type: "toggleFlag", id: "r1", flag: "harmful" }), { type: "setAspectRating", id: "r1", aspect: "a", rating: 3 });
    d = reduceDraft(d, { type: "removeRewrite", id: "r1" });
    expect(d.ranking.shown).toEqual(shown);
    expect(toSubmission(d, 5, ctx).ranks).toEqual({ y: 1, x: 2 });
    expect(d.flags).toEqual({});
    expect(d.aspectRatings).toEqual({});
    expect(d.rewrites).toEqual([]);
  });
  it("survives a reload, and a stored rewrite of a response the task no longer has starts the draft afresh", () => {
    const d = rank(reduceDraft(newDraft(shown, "k", 0), { type: "addRewrite", rewrite }), "r1", 1);
    expect(parseDraft(serializeDraft(d), shown)).toEqual(d);
    const stored = JSON.parse(serializeDraft(d));
    stored.rewrites[0].parentId = "gone";
    expect(parseDraft(JSON.stringify(stored), shown)).toBeNull();
  });
});
