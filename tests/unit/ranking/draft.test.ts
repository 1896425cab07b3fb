import { describe, expect, it } from "vitest";
import { describeOrder, describePlacement, responseLabel } from "@/lib/ranking/announce";
import { isStaleDraft, newDraft, parseDraft, reduceDraft, serializeDraft, toSubmission, DRAFT_MAX_AGE_MS, type Draft } from "@/lib/ranking/draft";
import { newSubmissionKey } from "@/lib/ranking/uuid";

const shown = ["x", "y", "z"];
const fresh = () => newDraft(shown, "key-1", 1_000);
const rank = (d: Draft, id: string, n: number) => reduceDraft(d, { type: "rank", action: { type: "setRank", id, rank: n } });

describe("reduceDraft", () => {
  it("toggles flags on and off and keeps them in canonical order", () => {
    let d = reduceDraft(fresh(), { type: "toggleFlag", id: "x", flag: "low_quality" });
    d = reduceDraft(d, { type: "toggleFlag", id: "x", flag: "harmful" });
    expect(d.flags).toEqual({ x: ["harmful", "low_quality"] });
    d = reduceDraft(reduceDraft(d, { type: "toggleFlag", id: "x", flag: "harmful" }), { type: "toggleFlag", id: "x", flag: "low_quality" });
    expect(d.flags).toEqual({});
  });
  it("sets and clears ratings", () => {
    const d = reduceDraft(fresh(), { type: "setRating", id: "y", rating: 6 });
    expect(d.ratings).toEqual({ y: 6 });
    expect(reduceDraft(d, { type: "setRating", id: "y", rating: null }).ratings).toEqual({});
  });
  it("'all are bad' ties everything and flags each as low quality, keeping other flags", () => {
    const d = reduceDraft(reduceDraft(fresh(), { type: "toggleFlag", id: "z", flag: "harmful" }), { type: "allBad" });
    expect(d.ranking.tiers).toEqual([shown]);
    expect(d.flags).toEqual({ x: ["low_quality"], y: ["low_quality"], z: ["harmful", "low_quality"] });
  });
});

describe("toSubmission", () => {
  it("refuses an incomplete ranking", () => {
    expect(() => toSubmission(rank(fresh(), "x", 1), 2_000)).toThrow(/every completion/);
  });
  it("builds dense ranks, shown order, the draft's key and time since the draft started", () => {
    let d = rank(rank(rank(fresh(), "z", 3), "x", 1), "y", 1);
    d = reduceDraft(d, { type: "setRationale", rationale: "  z rambles \n" });
    const s = toSubmission(d, 61_000);
    expect(s).toEqual({ ranks: { x: 1, y: 1, z: 2 }, flags: {}, ratings: {}, rationale: "z rambles", timeSpentMs: 60_000, shownOrder: shown, submissionKey: "key-1" });
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
