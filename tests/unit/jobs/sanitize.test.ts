import { describe, expect, it } from "vitest";
import { storableMessage, stripNul } from "@/lib/jobs/sanitize";

describe("text sanitising for storage", () => {
  it("drops U+0000 and leaves other text alone", () => {
    expect(stripNul("a\u0000b\u0000")).toBe("ab");
    expect(stripNul("héllo 😀")).toBe("héllo 😀");
  });

  it("keeps error messages short and free of NULs", () => {
    const m = storableMessage(`x\u0000${"y".repeat(5000)}`, 100);
    expect(m.includes("\u0000")).toBe(false);
    expect(m.length).toBe(101);
  });
});
