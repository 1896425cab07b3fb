import { describe, expect, it } from "vitest";
import {
  allEqual, clearRank, flatOrder, initialRanking, isComplete, moveDown, moveTo, moveUp, rankOf,
  reduceRanking, reset, setRank, tieWithPrevious, toRanks, untie, type RankingState,
} from "@/lib/ranking/state";

const ids = ["a", "b", "c", "d"];
const start = () => initialRanking(ids);
/** Builds a state from tiers; everything not in them is unranked, in shown order. */
function state(tiers: string[][]): RankingState {
  const placed = new Set(tiers.flat());
  return { shown: ids, tiers, unranked: ids.filter((id) => !placed.has(id)) };
}

describe("toRanks", () => {
  it("gives dense ranks with equal numbers for ties", () => {
    expect(toRanks([["a", "b"], ["c"], ["d"]])).toEqual({ a: 1, b: 1, c: 2, d: 3 });
  });
  it("skips gaps left by out-of-order number keys", () => {
    expect(toRanks([["b"], [], ["a"]])).toEqual({ b: 1, a: 2 });
  });
  it("returns nothing for no tiers", () => {
    expect(toRanks([])).toEqual({});
  });
});

describe("initial state", () => {
  it("starts with every completion unranked in shown order and is not complete", () => {
    const s = start();
    expect(s.unranked).toEqual(ids);
    expect(s.tiers).toEqual([]);
    expect(isComplete(s)).toBe(false);
  });
});

describe("setRank", () => {
  it("keeps other numbers stable when ranks are typed out of order", () => {
    let s = setRank(start(), "a", 3);
    expect(rankOf(s, "a")).toBe(3);
    s = setRank(s, "b", 1);
    expect(rankOf(s, "a")).toBe(3);
    s = setRank(s, "c", 2);
    expect(s.tiers).toEqual([["b"], ["c"], ["a"]]);
  });
  it("ties when the same number is given twice", () => {
    const s = setRank(setRank(start(), "a", 1), "b", 1);
    expect(s.tiers).toEqual([["a", "b"]]);
    expect(toRanks(s.tiers)).toEqual({ a: 1, b: 1 });
  });
  it("re-ranking a response moves it and trims the trailing gap it leaves", () => {
    const s = setRank(setRank(start(), "a", 4), "a", 2);
    expect(s.tiers).toEqual([[], ["a"]]);
  });
  it("is complete once every response has a number, with dense ranks", () => {
    let s = start();
    for (const [id, n] of [["a", 1], ["b", 1], ["c", 4], ["d", 3]] as const) s = setRank(s, id, n);
    expect(isComplete(s)).toBe(true);
    expect(toRanks(s.tiers)).toEqual({ a: 1, b: 1, d: 2, c: 3 });
  });
  it("rejects ranks outside 1..K and unknown ids", () => {
    expect(() => setRank(start(), "a", 0)).toThrow(/got 0/);
    expect(() => setRank(start(), "a", 5)).toThrow(/\[1, 4\], got 5/);
    expect(() => setRank(start(), "zz", 1)).toThrow(/unknown completion id "zz"/);
  });
});

describe("clearRank", () => {
  it("puts the response back at the top of the unranked list", () => {
    const s = clearRank(state([["a"], ["b"]]), "b");
    expect(s.tiers).toEqual([["a"]]);
    expect(s.unranked).toEqual(["b", "c", "d"]);
  });
  it("does nothing to an unranked response", () => {
    const s = start();
    expect(clearRank(s, "c")).toBe(s);
  });
});

describe("moveUp / moveDown", () => {
  it("swaps a lone response with the tier above", () => {
    expect(moveUp(state([["a"], ["b", "c"], ["d"]]), "d").tiers).toEqual([["a"], ["d"], ["b", "c"]]);
  });
  it("lifts a tied response out of its tie to just above it", () => {
    expect(moveUp(state([["a"], ["b", "c"]]), "c").tiers).toEqual([["a"], ["c"], ["b"]]);
  });
  it("moving down out of a tie puts it just below", () => {
    expect(moveDown(state([["a", "b"], ["c"]]), "a").tiers).toEqual([["b"], ["a"], ["c"]]);
  });
  it("returns the same state at the edges", () => {
    const s = state([["a"], ["b"], ["c"], ["d"]]);
    expect(moveUp(s, "a")).toBe(s);
    expect(moveDown(s, "d")).toBe(s);
    const u = start();
    expect(moveDown(u, "d")).toBe(u);
  });
  it("ranks the first unranked response as the new last tier", () => {
    const s = moveUp(state([["a"]]), "b");
    expect(s.tiers).toEqual([["a"], ["b"]]);
    expect(s.unranked).toEqual(["c", "d"]);
  });
  it("reorders within the unranked list without ranking", () => {
    const s = moveUp(state([["a"]]), "c");
    expect(s.tiers).toEqual([["a"]]);
    expect(s.unranked).toEqual(["c", "b", "d"]);
    expect(moveDown(start(), "a").unranked).toEqual(["b", "a", "c", "d"]);
  });
  it("compacts gaps so the move is relative to what is on screen", () => {
    const s = setRank(setRank(start(), "a", 1), "b", 3);
    expect(moveUp(s, "b").tiers).toEqual([["b"], ["a"]]);
  });
});

describe("moveTo (drag and drop)", () => {
  it("moves a ranked response to a tier boundary as its own tier", () => {
    const s = state([["a"], ["b"], ["c"], ["d"]]);
    expect(moveTo(s, "d", 0).tiers).toEqual([["d"], ["a"], ["b"], ["c"]]);
    expect(moveTo(s, "a", 2).tiers).toEqual([["b"], ["c"], ["a"], ["d"]]);
  });
  it("joins a tie when dropped strictly inside it", () => {
    const s = state([["a", "b"], ["c"], ["d"]]);
    expect(moveTo(s, "d", 1).tiers).toEqual([["a", "d", "b"], ["c"]]);
  });
  it("ranks an unranked response dropped among (or right after) the ranked ones", () => {
    expect(moveTo(start(), "c", 0).tiers).toEqual([["c"]]);
    const s = moveTo(state([["a"]]), "d", 1);
    expect(s.tiers).toEqual([["a"], ["d"]]);
    expect(s.unranked).toEqual(["b", "c"]);
  });
  it("leaves it unranked when dropped below the first unranked response", () => {
    const s = moveTo(state([["a"]]), "b", 3);
    expect(s.tiers).toEqual([["a"]]);
    expect(s.unranked).toEqual(["c", "d", "b"]);
  });
  it("unranks the last ranked response dragged below an unranked one", () => {
    const s = moveTo(state([["a"], ["b"]]), "b", 2);
    expect(s.tiers).toEqual([["a"]]);
    expect(s.unranked).toEqual(["c", "b", "d"]);
  });
  it("clamps an out-of-range index", () => {
    expect(flatOrder(moveTo(state([["a"]]), "a", 99))).toEqual(["b", "c", "d", "a"]);
  });
});

describe("tieWithPrevious / untie", () => {
  it("ties a response with the tier above", () => {
    expect(tieWithPrevious(state([["a"], ["b"], ["c"]]), "c").tiers).toEqual([["a"], ["b", "c"]]);
  });
  it("from inside a tie, joins the tier above that tie", () => {
    expect(tieWithPrevious(state([["a"], ["b", "c"]]), "c").tiers).toEqual([["a", "c"], ["b"]]);
  });
  it("an unranked response joins the last tier", () => {
    const s = tieWithPrevious(state([["a"], ["b"]]), "d");
    expect(s.tiers).toEqual([["a"], ["b", "d"]]);
    expect(s.unranked).toEqual(["c"]);
  });
  it("does nothing for the first tier or when nothing is ranked", () => {
    const s = state([["a", "b"]]);
    expect(tieWithPrevious(s, "a")).toBe(s);
    const u = start();
    expect(tieWithPrevious(u, "a")).toBe(u);
  });
  it("untie puts the response alone just below the rest of its tie", () => {
    expect(untie(state([["a", "b", "c"], ["d"]]), "a").tiers).toEqual([["b", "c"], ["a"], ["d"]]);
    const s = state([["a"], ["b"]]);
    expect(untie(s, "a")).toBe(s);
  });
});

describe("allEqual / reset / reduceRanking", () => {
  it("allEqual makes one tier with everything and completes the ranking", () => {
    const s = allEqual(state([["c"]]));
    expect(s.tiers).toEqual([ids]);
    expect(isComplete(s)).toBe(true);
    expect(toRanks(s.tiers)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
  });
  it("reset returns to everything unranked in shown order", () => {
    expect(reset(state([["d"], ["a"]]))).toEqual(start());
  });
  it("dispatches every action", () => {
    let s = reduceRanking(start(), { type: "setRank", id: "b", rank: 1 });
    s = reduceRanking(s, { type: "moveTo", id: "a", index: 1 });
    s = reduceRanking(s, { type: "tieWithPrevious", id: "a" });
    expect(s.tiers).toEqual([["b", "a"]]);
    s = reduceRanking(s, { type: "untie", id: "b" });
    s = reduceRanking(s, { type: "moveUp", id: "c" });
    s = reduceRanking(s, { type: "moveDown", id: "a" });
    expect(s.tiers).toEqual([["b"], ["a"], ["c"]]);
    s = reduceRanking(s, { type: "clearRank", id: "c" });
    expect(s.unranked).toEqual(["c", "d"]);
    expect(reduceRanking(s, { type: "allEqual" }).unranked).toEqual([]);
    expect(reduceRanking(s, { type: "reset" })).toEqual(start());
  });
});
