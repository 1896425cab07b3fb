import { describe, expect, it } from "vitest";
import { planShortcut, shortcutFor, type KeyContext, type KeyInput } from "@/lib/ranking/keys";
import { initialRanking, setRank } from "@/lib/ranking/state";

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...mods });
const onCard: KeyContext = { target: "card", inCard: true, count: 4 };
const onCardButton: KeyContext = { target: "control", inCard: true, count: 4 };
const inText: KeyContext = { target: "text", inCard: false, count: 4 };
const onPage: KeyContext = { target: "other", inCard: false, count: 4 };

describe("shortcutFor", () => {
  it("maps digits 1..K to ranks on a focused card and ignores digits above K", () => {
    expect(shortcutFor(key("1"), onCard)).toEqual({ type: "setRank", rank: 1 });
    expect(shortcutFor(key("4"), onCard)).toEqual({ type: "setRank", rank: 4 });
    expect(shortcutFor(key("5"), onCard)).toBeNull();
  });
  it("clears the rank with 0, Delete or Backspace", () => {
    for (const k of ["0", "Delete", "Backspace"]) expect(shortcutFor(key(k), onCard)).toEqual({ type: "clearRank" });
  });
  it("moves with Alt or Shift arrows and with K / J", () => {
    expect(shortcutFor(key("ArrowUp", { altKey: true }), onCard)).toEqual({ type: "moveUp" });
    expect(shortcutFor(key("ArrowDown", { shiftKey: true }), onCard)).toEqual({ type: "moveDown" });
    expect(shortcutFor(key("K", { shiftKey: true }), onCard)).toEqual({ type: "moveUp" });
    expect(shortcutFor(key("J", { shiftKey: true }), onCard)).toEqual({ type: "moveDown" });
  });
  it("moves focus with plain arrows and j / k on a card", () => {
    expect(shortcutFor(key("ArrowDown"), onCard)).toEqual({ type: "focusNext" });
    expect(shortcutFor(key("ArrowUp"), onCard)).toEqual({ type: "focusPrev" });
    expect(shortcutFor(key("j"), onCard)).toEqual({ type: "focusNext" });
    expect(shortcutFor(key("k"), onCard)).toEqual({ type: "focusPrev" });
  });
  it("ties with t and unties with u", () => {
    expect(shortcutFor(key("t"), onCard)).toEqual({ type: "tie" });
    expect(shortcutFor(key("u"), onCard)).toEqual({ type: "untie" });
  });
  it("submits with Enter on a card or the page, but not on a button, where Enter presses it", () => {
    expect(shortcutFor(key("Enter"), onCard)).toEqual({ type: "submit" });
    expect(shortcutFor(key("Enter"), onPage)).toEqual({ type: "submit" });
    expect(shortcutFor(key("Enter"), onCardButton)).toBeNull();
    expect(shortcutFor(key("Enter"), { target: "control", inCard: false, count: 4 })).toBeNull();
  });
  it("keeps rank keys working from a button inside the card but leaves plain arrows to it (drag handle)", () => {
    expect(shortcutFor(key("2"), onCardButton)).toEqual({ type: "setRank", rank: 2 });
    expect(shortcutFor(key("ArrowDown"), onCardButton)).toBeNull();
    expect(shortcutFor(key("ArrowDown", { altKey: true }), onCardButton)).toEqual({ type: "moveDown" });
  });
  it("never fires while typing in a field", () => {
    for (const k of ["1", "t", "j", "Enter", "?", "Backspace"]) expect(shortcutFor(key(k), inText)).toBeNull();
  });
  it("does not steal Ctrl / Cmd shortcuts", () => {
    expect(shortcutFor(key("1", { ctrlKey: true }), onCard)).toBeNull();
    expect(shortcutFor(key("Enter", { metaKey: true }), onCard)).toBeNull();
  });
  it("opens help with ? anywhere except in a field", () => {
    expect(shortcutFor(key("?", { shiftKey: true }), onPage)).toEqual({ type: "help" });
    expect(shortcutFor(key("?", { shiftKey: true }), onCard)).toEqual({ type: "help" });
  });
  it("ignores card shortcuts outside a card", () => {
    expect(shortcutFor(key("1"), onPage)).toBeNull();
    expect(shortcutFor(key("t"), { target: "control", inCard: false, count: 4 })).toBeNull();
  });
});

describe("shortcutFor on a best-only project", () => {
  const best: KeyContext = { ...onCard, scale: "best" };
  it("marks the best with 1, unmarks with 0, and ignores other digits", () => {
    expect(shortcutFor(key("1"), best)).toEqual({ type: "setRank", rank: 1 });
    expect(shortcutFor(key("2"), best)).toBeNull();
    expect(shortcutFor(key("0"), best)).toEqual({ type: "clearRank" });
  });
  it("keeps focus keys and submit, but moves and ties do nothing", () => {
    expect(shortcutFor(key("j"), best)).toEqual({ type: "focusNext" });
    expect(shortcutFor(key("Enter"), best)).toEqual({ type: "submit" });
    for (const k of [key("t"), key("u"), key("K"), key("ArrowUp", { altKey: true })]) expect(shortcutFor(k, best)).toBeNull();
  });
});

describe("planShortcut", () => {
  const s0 = initialRanking(["a", "b", "c"]);
  it("ranks an unranked card and moves focus to the next unranked one", () => {
    expect(planShortcut(s0, { type: "setRank", rank: 2 }, "a")).toEqual({ action: { type: "setRank", id: "a", rank: 2 }, focus: "b" });
  });
  it("wraps to the first unranked card when the last one is ranked, and stays when none is left", () => {
    expect(planShortcut(s0, { type: "setRank", rank: 1 }, "c").focus).toBe("a");
    const s = setRank(setRank(s0, "a", 1), "b", 2);
    expect(planShortcut(s, { type: "setRank", rank: 3 }, "c").focus).toBe("c");
  });
  it("keeps focus on a card that was already ranked", () => {
    expect(planShortcut(setRank(s0, "b", 1), { type: "setRank", rank: 2 }, "b").focus).toBe("b");
  });
  it("moves focus along the on-screen order and stops at the ends", () => {
    const s = setRank(s0, "c", 1); // on screen: c, a, b
    expect(planShortcut(s, { type: "focusNext" }, "c")).toEqual({ action: null, focus: "a" });
    expect(planShortcut(s, { type: "focusPrev" }, "c").focus).toBe("c");
    expect(planShortcut(s, { type: "focusNext" }, "b").focus).toBe("b");
  });
  it("maps t / u / moves / clear to ranking actions on the card", () => {
    expect(planShortcut(s0, { type: "tie" }, "b").action).toEqual({ type: "tieWithPrevious", id: "b" });
    expect(planShortcut(s0, { type: "untie" }, "b").action).toEqual({ type: "untie", id: "b" });
    expect(planShortcut(s0, { type: "moveUp" }, "b").action).toEqual({ type: "moveUp", id: "b" });
    expect(planShortcut(s0, { type: "moveDown" }, "b").action).toEqual({ type: "moveDown", id: "b" });
    expect(planShortcut(s0, { type: "clearRank" }, "b").action).toEqual({ type: "clearRank", id: "b" });
  });
});
