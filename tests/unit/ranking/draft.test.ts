import { describe, expect, it } from "vitest";
import { describeOrder, describePlacement, responseLabel } from "@/lib/ranking/announce";
import { isStaleDraft, newDraft, parseDraft, reduceDraft, serializeDraft, toSubmission, DRAFT_MAX_AGE_MS, type Draft } from "@/lib/ranking/draft";
import { groupIdentical } from "@/lib/ranking/identical";
import { DEFAULT_RUBRIC, rubricSchema } from "@/lib/ranking/rubric";
import { newSubmissionKey } from "@/lib/ranking/uuid";

const shown = ["x", "y", "z"];
const fresh = () => newDraft(shown, "key-1", 1_000);
const rank = (d: Draft, id: string, n: number) => reduceDraft(d, { type: "rank", action: { type: "setRank", id, rank: n } });
const ctx = (order = shown, rubric = DEFAULT_RUBRIC) => ({ rubric, order, groups: order.map((id) => ({ id, duplicates: [] })) });

describe("reduceDraft", () => {
  it("toggles flags on and off, and submits them in the rubric's order", () => {
    let d = reduceDraft(fresh(), { type: "toggleFlag", id: "x", flag: "low_quality" });
    d = reduceDraft(d, { type: "toggleFlag", id: "x", flag: "harmful" });
    expect(d.flags).toEqual({ x: ["low_quality", "harmful"] });
    const all = reduceDraft(d, { type: "allBad", flag: null });
    expect(toSubmission(all, 2_000, ctx()).flags).toEqual({ x: ["harmful", "low_quality"] });
    d = reduceDraft(reduceDraft(d, { type: "toggleFlag", id: "x", flag: "harmful" }), { type: "toggleFlag", id: "x", flag: "low_quality" });
    expect(d.flags).toEqual({});
  });
  it("sets and clears ratings", () => {
    const d = reduceDraft(fresh(), { type: "setRating", id: "y", rating: 6 });
    expect(d.ratings).toEqual({ y: 6 });
    expect(reduceDraft(d, { type: "setRating", id: "y", rating: null }).ratings).toEqual({});
  });
  it("'all are bad' ties everything and flags each as low quality, keeping other flags", () => {
    const d = reduceDraft(reduceDraft(fresh(), { type: "toggleFlag", id: "z", flag: "harmful" }), { type: "allBad", flag: "low_quality" });
    expect(d.ranking.tiers).toEqual([shown]);
    expect(d.flags).toEqual({ x: ["low_quality"], y: ["low_quality"], z: ["harmful", "low_quality"] });
    // A rubric without a low-quality flag: "all are bad" is a tie and nothing more.
    expect(reduceDraft(fresh(), { type: "allBad", flag: null }).flags).toEqual({});
  });
});

describe("toSubmission", () => {
  it("refuses an incomplete ranking", () => {
    expect(() => toSubmission(rank(fresh(), "x", 1), 2_000, ctx())).toThrow(/every completion/);
  });
  it("builds dense ranks, shown order, the draft's key and time since the draft started", () => {
    let d = rank(rank(rank(fresh(), "z", 3), "x", 1), "y", 1);
    d = reduceDraft(d, { type: "setRationale", rationale: "  z rambles \n" });
    const s = toSubmission(d, 61_000, ctx());
    expect(s).toEqual({ ranks: { x: 1, y: 1, z: 2 }, flags: {}, ratings: {}, aspectRatings: {}, rewrites: [], rationale: "z rambles", timeSpentMs: 60_000, shownOrder: shown, submissionKey: "key-1" });
  });
});

describe("draft storage", () => {
  it("round-trips through serialize / parse", () => {
    let d = rank(fresh(), "y", 2);
    d = reduceDraft(d, { type: "setRating", id: "x", rating: 3 });
    d = reduceDraft(d, { type: "toggleFlag", id: "z", flag: "off_topic" });
    expect(parseDraft(serializeDraft(d), shown)).toEqual(d);
  });
  it("rejects corrupt JSON, bad shapes and drafts made for other completions", () => {
    const ok = serializeDraft(fresh());
    expect(parseDraft(null, shown)).toBeNull();
    expect(parseDraft("{oops", shown)).toBeNull();
    expect(parseDraft(JSON.stringify({ tiers: 1 }), shown)).toBeNull();
    expect(parseDraft(ok, ["x", "y", "other"])).toBeNull();
    expect(parseDraft(ok, ["x", "y"])).toBeNull();
    const dup = JSON.parse(ok);
    dup.unranked = ["x", "x", "y"];
    expect(parseDraft(JSON.stringify(dup), shown)).toBeNull();
  });
  it("rejects out-of-range ratings", () => {
    const bad = JSON.parse(serializeDraft(fresh()));
    bad.ratings = { x: 9 };
    expect(parseDraft(JSON.stringify(bad), shown)).toBeNull();
  });
  it("considers drafts older than the max age stale", () => {
    const raw = serializeDraft(fresh());
    expect(isStaleDraft(raw, 1_000 + DRAFT_MAX_AGE_MS - 1)).toBe(false);
    expect(isStaleDraft(raw, 1_000 + DRAFT_MAX_AGE_MS + 1)).toBe(true);
    expect(isStaleDraft("nope", 0)).toBe(true);
  });
});

describe("labels and announcements", () => {
  it("names responses by shown position, never by model", () => {
    expect(responseLabel(shown, "x")).toBe("Response A");
    expect(responseLabel(shown, "z")).toBe("Response C");
  });
  it("describes placement, ties and the overall order", () => {
    const d = rank(rank(rank(fresh(), "x", 1), "y", 1), "z", 3);
    expect(describePlacement(d.ranking, "y")).toBe("Response B: rank 1, tied with Response A.");
    expect(describePlacement(fresh().ranking, "z")).toBe("Response C: not ranked.");
    expect(describeOrder(d.ranking)).toBe("A = B > C");
  });
});

describe("newSubmissionKey", () => {
  it("falls back to getRandomValues outside secure contexts and yields a v4 UUID", () => {
    const key = newSubmissionKey({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => { new Uint8Array(a!.buffer).fill(0xff); return a; } });
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("isLongText", () => {
  it("collapses over 12 lines or 1200 characters", async () => {
    const { isLongText } = await import("@/lib/ranking/announce");
    expect(isLongText(Array(12).fill("x").join("\n"))).toBe(false);
    expect(isLongText(Array(13).fill("x").join("\n"))).toBe(true);
    expect(isLongText("y".repeat(1201))).toBe(true);
  });
});

describe("aspect ratings", () => {
  it("sets and clears one aspect of one response without touching the others", () => {
    let d = reduceDraft(fresh(), { type: "setAspectRating", id: "x", aspect: "honesty", rating: 7 });
    d = reduceDraft(d, { type: "setAspectRating", id: "x", aspect: "helpfulness", rating: 2 });
    expect(d.aspectRatings).toEqual({ x: { honesty: 7, helpfulness: 2 } });
    d = reduceDraft(d, { type: "setAspectRating", id: "x", aspect: "honesty", rating: null });
    expect(d.aspectRatings).toEqual({ x: { helpfulness: 2 } });
    expect(reduceDraft(d, { type: "setAspectRating", id: "x", aspect: "helpfulness", rating: null }).aspectRatings).toEqual({});
  });
  it("drops flags and aspects the rubric no longer has when a stored draft is read back", () => {
    let d = reduceDraft(fresh(), { type: "toggleFlag", id: "x", flag: "harmful" });
    d = reduceDraft(d, { type: "toggleFlag", id: "y", flag: "off_topic" });
    d = reduceDraft(d, { type: "setAspectRating", id: "x", aspect: "honesty", rating: 5 });
    d = reduceDraft(d, { type: "setAspectRating", id: "x", aspect: "gone", rating: 1 });
    d = reduceDraft(d, { type: "setRating", id: "z", rating: 4 });
    const rubric = rubricSchema.parse({ flags: [{ id: "harmful", label: "Harmful" }], overallRating: false, aspects: [{ id: "honesty", label: "Honesty" }] });
    const back = parseDraft(serializeDraft(d), shown, rubric)!;
    expect(back.flags).toEqual({ x: ["harmful"] });
    expect(back.aspectRatings).toEqual({ x: { honesty: 5 } });
    expect(back.ratings).toEqual({});
  });
});

describe("identical completions in a submission", () => {
  it("files the shown one's rank, flags and ratings under its hidden duplicates too", () => {
    const task = [{ id: "x", text: "Paris" }, { id: "y", text: "Lyon" }, { id: "x2", text: " Paris\n" }];
    const groups = groupIdentical(task);
    expect(groups).toEqual([{ id: "x", duplicates: ["x2"] }, { id: "y", duplicates: [] }]);
    let d = newDraft(["x", "y"], "k", 0);
    d = rank(rank(d, "x", 2), "y", 1);
    d = reduceDraft(d, { type: "toggleFlag", id: "x", flag: "factually_wrong" });
    d = reduceDraft(d, { type: "setRating", id: "x", rating: 2 });
    const s = toSubmission(d, 10, { rubric: DEFAULT_RUBRIC, groups, order: ["x", "y", "x2"] });
    expect(s.ranks).toEqual({ x: 2, y: 1, x2: 2 });
    expect(s.flags).toEqual({ x: ["factually_wrong"], x2: ["factually_wrong"] });
    expect(s.ratings).toEqual({ x: 2, x2: 2 });
    expect(s.shownOrder).toEqual(["x", "y", "x2"]);
  });
});

describe("best-only scale", () => {
  const best = rubricSchema.parse({ scale: "best" });
  it("submits the picked response(s) as rank 1 and the rest as rank 2", () => {
    expect(toSubmission(rank(fresh(), "y", 1), 0, ctx(shown, best)).ranks).toEqual({ x: 2, y: 1, z: 2 });
    expect(toSubmission(rank(rank(fresh(), "y", 1), "z", 1), 0, ctx(shown, best)).ranks).toEqual({ x: 2, y: 1, z: 1 });
  });
  it("refuses to submit before a best response is picked", () => {
    expect(() => toSubmission(fresh(), 0, ctx(shown, best))).toThrow(/pick the best/);
  });
});
