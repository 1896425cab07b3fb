import { describe, expect, it } from "vitest";
import { readLines } from "@/lib/datasets/read-lines";
import { collect } from "@/tests/unit/datasets/fixtures";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("readLines", () => {
  it("splits across chunk boundaries, accepts CRLF and numbers every line", async () => {
    const lines = await collect(readLines([bytes("a\r"), bytes("\nb"), bytes("c\n"), bytes("\nd")], { maxLineBytes: 100 }));
    expect(lines).toEqual([{ n: 1, text: "a" }, { n: 2, text: "bc" }, { n: 3, text: "" }, { n: 4, text: "d" }]);
  });

  it("keeps a multi-byte character split between chunks, and trailing spaces", async () => {
    const all = bytes("日本語 😀 ع\u0301  \n");
    const lines = await collect(readLines([all.slice(0, 2), all.slice(2, 9), all.slice(9)], { maxLineBytes: 100 }));
    expect(lines).toEqual([{ n: 1, text: "日本語 😀 ع\u0301  " }]);
  });

  it("reports invalid UTF-8 on its line instead of replacing it", async () => {
    const lines = await collect(readLines([bytes("ok\n"), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), bytes("ok\n")], { maxLineBytes: 100 }));
    expect(lines).toEqual([{ n: 1, text: "ok" }, { n: 2, error: "not valid UTF-8 text" }, { n: 3, text: "ok" }]);
  });

  it("drops a byte-order mark at the start of the file only", async () => {
    const lines = await collect(readLines([bytes("\uFEFF{}\n\uFEFF{}")], { maxLineBytes: 100 }));
    expect(lines).toEqual([{ n: 1, text: "{}" }, { n: 2, text: "\uFEFF{}" }]);
  });

  it("reports a line longer than the limit without holding it, and goes on", async () => {
    const long = new Uint8Array(50).fill(0x61);
    const lines = await collect(readLines([long, long, bytes("\nnext\n")], { maxLineBytes: 64 }));
    expect(lines).toEqual([{ n: 1, error: "longer than 64 bytes" }, { n: 2, text: "next" }]);
  });
});
