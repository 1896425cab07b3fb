import { describe, expect, it } from "vitest";
import { compilePattern } from "@/lib/engine/tokenizer/byte-level";
import { buildPreTokenizer } from "@/lib/engine/tokenizer/pre-tokenizers";

describe("Split pre-tokenizer behaviours (examples from the HF tokenizers docs)", () => {
  const split = (behavior: string, invert = false) =>
    buildPreTokenizer({ type: "Split", pattern: { String: "-" }, behavior, invert }, "test")?.(["the-final--countdown"], true);

  it.each([
    ["Removed", ["the", "final", "countdown"]],
    ["Isolated", ["the", "-", "final", "-", "-", "countdown"]],
    ["MergedWithPrevious", ["the-", "final-", "-", "countdown"]],
    ["MergedWithNext", ["the", "-final", "-", "-countdown"]],
    ["Contiguous", ["the", "-", "final", "--", "countdown"]],
  ])("%s", (behavior, expected) => {
    expect(split(behavior)).toEqual(expected);
  });

  it("inverts the pattern: matches become the content", () => {
    const pre = buildPreTokenizer({ type: "Split", pattern: { Regex: "\\w+" }, behavior: "Removed", invert: true }, "test");
    expect(pre?.(["a, bc d"], true)).toEqual(["a", "bc", "d"]);
  });
});

describe("Metaspace pre-tokenizer", () => {
  it("prepends ▁ only to the first section with prepend_scheme 'first'", () => {
    const pre = buildPreTokenizer({ type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true }, "test");
    expect(pre?.(["Hey friend"], true)).toEqual(["▁Hey", "▁friend"]);
    expect(pre?.(["Hey friend"], false)).toEqual(["Hey", "▁friend"]);
  });
});

describe("tokenizer.json regex translation", () => {
  it("keeps (?i:...) case-insensitive without inline modifiers", () => {
    const re = compilePattern("(?i:'s|'ll)|[A-Z]+");
    expect("IT'S we'LL ok".match(re)).toEqual(["IT", "'S", "'LL"]);
  });
});
