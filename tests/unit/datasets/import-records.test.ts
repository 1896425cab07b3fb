import { describe, expect, it } from "vitest";
import { describeBadLines, detectFormat, ImportScan, LineRanges, PREVIEW_CHARS, previewItem, readImportLine, readImportRecords } from "@/lib/datasets/import-records";
import type { SourceLine } from "@/lib/datasets/read-lines";
import { formatById, IMPORT_FORMATS, importFormatSchema } from "@/lib/datasets/registry";
import { collect } from "@/tests/unit/datasets/fixtures";

const trl = importFormatSchema.parse("trl-standard");
const raw = importFormatSchema.parse("raw-rankings");
const lines = (...texts: (string | { error: string })[]): SourceLine[] => texts.map((t, i) => (typeof t === "string" ? { n: i + 1, text: t } : { n: i + 1, ...t }));

describe("reading an import file's records", () => {
  it("yields every valid line as a record and every bad one as a problem, without stopping", async () => {
    const read = await collect(readImportRecords(lines('{"prompt":"a","chosen":"b","rejected":"c"}', "", "{oops", { error: "not valid UTF-8 text" }, '{"prompt":"d","chosen":"e"}', '{"prompt":"f","chosen":"g","rejected":"h"}'), trl));
    expect(read.map((r) => [r.line, r.ok])).toEqual([[1, true], [3, false], [4, false], [5, false], [6, true]]);
    expect(read[2]).toEqual({ ok: false, line: 4, message: "not valid UTF-8 text" });
    expect(read[3]).toMatchObject({ ok: false, line: 5, message: expect.stringMatching(/^rejected: /) });
  });

  it("refuses a NUL character, which PostgreSQL cannot store, on both databases alike", () => {
    expect(readImportLine(trl, '{"prompt":"a\\u0000","chosen":"b","rejected":"c"}')).toEqual({ ok: false, message: "contains a NUL character (\\u0000), which the database cannot store" });
    // An escaped backslash followed by "u0000" is six ordinary characters.
    expect(readImportLine(trl, '{"prompt":"a\\\\u0000","chosen":"b","rejected":"c"}').ok).toBe(true);
  });

  it("refuses raw rankings without the texts an import stores", () => {
    const row = { promptId: "p", annotatorId: "a", ranks: { x: 1, y: 2 }, ties: [] };
    expect(readImportLine(raw, JSON.stringify(row))).toEqual({ ok: false, message: "raw rankings need their prompt and completion texts (export them with text)" });
    expect(readImportLine(raw, JSON.stringify({ ...row, prompt: [{ role: "user", content: "q" }], completions: { x: "X" } }))).toEqual({ ok: false, message: "completion y is ranked but has no text" });
  });

  it("detects the format from a line, trying the registry's formats in order", () => {
    expect(detectFormat(IMPORT_FORMATS, '{"chosen":"\\n\\nHuman: a\\n\\nAssistant: b","rejected":"\\n\\nHuman: a\\n\\nAssistant: c"}')).toBe(formatById("hh"));
    expect(detectFormat(IMPORT_FORMATS, '{"prompt":"a","chosen":"b","rejected":"c"}')).toBe(formatById("trl-standard"));
    expect(detectFormat(IMPORT_FORMATS, '{"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]}')).toBe(formatById("openai"));
    expect(detectFormat(IMPORT_FORMATS, '{"text":"a"}')).toBeUndefined();
  });
});

describe("what validation reports", () => {
  it("writes bad line numbers as ranges and says how many it left out", () => {
    const r = new LineRanges(2);
    for (const n of [3, 7, 8, 9, 15, 16]) r.add(n);
    expect(r.toString()).toBe("3, 7–9 and 2 more");
  });

  it("keeps counts, every bad line's number, the first messages and the first records", async () => {
    const scan = new ImportScan();
    const texts = Array.from({ length: 8 }, (_, i) => (i % 3 === 1 ? "{bad" : `{"prompt":"p${i}","chosen":"c","rejected":"r"}`));
    for (const r of await collect(readImportRecords(lines(...texts), trl))) scan.add(r);
    const report = scan.report(["a warning"]);
    expect([scan.records, scan.invalid]).toEqual([5, 3]);
    expect(report.badLines).toBe("2, 5, 8");
    expect(report.preview.map((p) => p.line)).toEqual([1, 3, 4, 6, 7]);
    expect(report.warnings).toEqual(["a warning"]);
    expect(describeBadLines(report, scan.invalid)).toMatch(/^line 2: invalid JSON .*\nline 5: invalid JSON .*\nline 8: invalid JSON .*\n3 bad lines in all: 2, 5, 8$/s);
  });

  it("cuts a very long string in the preview and says how much it left out", () => {
    const long = "x".repeat(PREVIEW_CHARS + 5);
    const item = previewItem({ kind: "pair", pair: { prompt: [{ role: "user", content: long }], chosen: "short", rejected: "" } });
    expect(item.kind === "pair" && item.pair.prompt[0]!.content).toBe(`${"x".repeat(PREVIEW_CHARS)} … (5 more characters)`);
    expect(item.kind === "pair" && [item.pair.chosen, item.pair.rejected]).toEqual(["short", ""]);
  });
});
