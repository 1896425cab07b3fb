import { describe, expect, it } from "vitest";
import { splitLines } from "@/lib/datasets/formats/lines";
import { collect } from "@/tests/unit/datasets/fixtures";

describe("splitLines", () => {
  it("splits across chunk boundaries and accepts CRLF", async () => {
    expect(await collect(splitLines(["a\r", "\nb", "c\n", "\nd"]))).toEqual(["a", "bc", "", "d"]);
  });
});
