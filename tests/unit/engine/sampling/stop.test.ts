import { describe, expect, it } from "vitest";
import { StopChecker } from "@/lib/engine/sampling";

const checker = (o: { maxNewTokens?: number; stopStrings?: string[]; stopTokenIds?: number[] }) =>
  new StopChecker({ maxNewTokens: 100, stopStrings: [], stopTokenIds: [], ...o });

describe("StopChecker", () => {
  it("stops at max_new_tokens", () => {
    const c = checker({ maxNewTokens: 3 });
    expect(c.check([1, 2], "ab")).toBeNull();
    expect(c.check([1, 2, 3], "abc")).toEqual({ reason: "length", text: "abc" });
  });

  it("stops on a stop token id", () => {
    const c = checker({ stopTokenIds: [7, 9] });
    expect(c.check([1, 9, 2], "x")).toBeNull(); // only the newest token counts
    expect(c.check([1, 2, 9], "xyz")).toEqual({ reason: "stop_token", text: "xyz" });
  });

  it("stops on a stop string and cuts the text before it", () => {
    const c = checker({ stopStrings: ["\n\n", "END"] });
    expect(c.check([1], "Hello")).toBeNull();
    expect(c.check([1, 2], "Hello wor")).toBeNull();
    expect(c.check([1, 2, 3], "Hello world\n\nmore")).toEqual({ reason: "stop_string", text: "Hello world" });
  });

  it("finds a stop string split across tokens and picks the earliest of several", () => {
    const c = checker({ stopStrings: ["END", "##"] });
    expect(c.check([1], "abc E")).toBeNull();
    expect(c.check([1, 2], "abc EN")).toBeNull();
    expect(c.check([1, 2, 3], "abc END ##")).toEqual({ reason: "stop_string", text: "abc " });
  });

  it("re-scans a tail the detokenizer rewrote", () => {
    // The placeholder for an incomplete UTF-8 sequence becomes "é" once its last byte arrives.
    const c = checker({ stopStrings: ["é"] });
    expect(c.check([1], "caf\uFFFD")).toBeNull();
    expect(c.check([1, 2], "café")).toEqual({ reason: "stop_string", text: "caf" });
  });

  it("prefers a stop token, then a stop string, over the length limit", () => {
    const c = checker({ maxNewTokens: 1, stopStrings: ["x"], stopTokenIds: [5] });
    expect(c.check([5], "x")!.reason).toBe("stop_token");
    expect(checker({ maxNewTokens: 1, stopStrings: ["x"] }).check([4], "ax")!.reason).toBe("stop_string");
  });

  it("reports how many trailing characters could start a stop string", () => {
    const c = checker({ stopStrings: ["</answer>", "\n\n"] });
    expect(c.heldBack("the answer is 4</ans")).toBe(5);
    expect(c.heldBack("line\n")).toBe(1);
    expect(c.heldBack("plain")).toBe(0);
    expect(checker({}).heldBack("anything")).toBe(0);
  });

  it("refuses an empty stop string and a bad max_new_tokens", () => {
    expect(() => checker({ stopStrings: [""] })).toThrow('stop_strings must be non-empty strings, got ""');
    expect(() => checker({ maxNewTokens: 0 })).toThrow("max_new_tokens must be an integer >= 1, got 0");
  });
});
