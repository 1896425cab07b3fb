import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_FORMAT,
  exportFormatSchema,
  FORMAT_CHOICES,
  formatById,
  formatHelp,
  FORMATS,
  IMPORT_FORMATS,
  importFormatSchema,
} from "@/lib/datasets/registry";
import { parseJsonLines } from "@/lib/datasets/formats/lines";
import type { PreferencePair, RawRankingRow } from "@/lib/datasets/types";
import { collect } from "@/tests/unit/datasets/fixtures";

// What every registered format must satisfy; a new format gets these checks without a line here.

const pairs: PreferencePair[] = [
  { promptId: "p1", prompt: [{ role: "user", content: "Hi, \"you\"?\n" }], chosenId: "a", rejectedId: "b", chosen: "Hello ✓", rejected: "", agreement: 1 },
  { promptId: "p2", prompt: [{ role: "user", content: "=1+1" }], chosenId: "c", rejectedId: "d", chosen: "2", rejected: "3, maybe", agreement: 0.5 },
];
const rankings: RawRankingRow[] = [
  { promptId: "p1", annotatorId: "u1", ranks: { a: 1, b: 2, c: 2 }, prompt: [{ role: "user", content: "Q" }], completions: { a: "A", b: "B", c: "C" } },
];

/** A written file as the lines an import reads. */
async function fileLines(chunks: AsyncIterable<string | Uint8Array>): Promise<string[]> {
  const parts = await collect(chunks);
  return parts.map((c) => (typeof c === "string" ? c : new TextDecoder().decode(c))).join("").split("\n");
}

describe("format registry", () => {
  it("gives every format a unique kebab-case id, and no alias shadows another name", () => {
    const names = FORMATS.flatMap((f) => [f.id, ...(f.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FORMATS) expect(f.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("describes every format for downloads and the dataset card", () => {
    for (const f of FORMATS) {
      expect(f.label, f.id).not.toBe("");
      expect(f.extension, f.id).toMatch(/^[a-z0-9]+$/);
      expect(f.contentType, f.id).toMatch(/^[a-z]+\/[a-z0-9.+-]+/);
      // The card adds the period.
      expect(f.card, f.id).toMatch(/[^.]$/);
    }
  });

  it.each(IMPORT_FORMATS.map((f) => [f.id, f] as const))("reads back what it writes: %s", async (_id, format) => {
    if (format.rows === "rankings") {
      expect(await collect(parseJsonLines(await fileLines(format.write(rankings)), format.readRecord))).toEqual(rankings);
    } else {
      const back = await collect(parseJsonLines(await fileLines(format.write(pairs, { margin: false })), format.readRecord));
      expect(back).toEqual(pairs.map(({ prompt, chosen, rejected }) => ({ prompt, chosen, rejected })));
    }
  });

  it("parses an export format name, id or alias, to the id and refuses unknown names", () => {
    for (const f of FORMATS) expect(exportFormatSchema.parse(f.id)).toBe(f.id);
    expect(exportFormatSchema.parse("trl")).toBe("trl-standard");
    expect(exportFormatSchema.parse("raw")).toBe("raw-rankings");
    expect(exportFormatSchema.safeParse("xml").success).toBe(false);
  });

  it("offers only formats with a record reader for import", () => {
    expect(IMPORT_FORMATS.map((f) => f.id)).toEqual(["trl-standard", "trl-conversational", "hh", "openai", "raw-rankings"]);
    expect(importFormatSchema.parse("raw")).toBe(formatById("raw-rankings"));
    expect(importFormatSchema.safeParse("csv").success).toBe(false);
  });

  it("lists every id in CLI help with the default and the older names", () => {
    const help = formatHelp(FORMATS, DEFAULT_FORMAT);
    expect(help.startsWith("trl-standard (default; also trl) | ")).toBe(true);
    for (const f of FORMATS) expect(help).toContain(f.id);
  });

  it("hands the form every format, allowing kept ties only where a tie can be written", () => {
    expect(FORMAT_CHOICES.map((c) => c.id)).toEqual(FORMATS.map((f) => f.id));
    expect(FORMAT_CHOICES.filter((c) => c.keepsTies).map((c) => c.id)).toEqual(["csv"]);
    expect(JSON.parse(JSON.stringify(FORMAT_CHOICES))).toEqual(FORMAT_CHOICES);
  });

  it("matches README's format table row for row (id, extension, import)", () => {
    const rows = fs.readFileSync("README.md", "utf8").split("\n").filter((l) => /^\| `[a-z0-9-]+`/.test(l));
    const readme = rows.map((l) => {
      const [id, file, , imports] = l.split("|").slice(1, 5).map((c) => c.trim());
      return { id: id!.match(/`([^`]+)`/)![1], extension: file!.replace(/^`\.|`$/g, ""), importable: imports === "yes" };
    });
    expect(readme).toEqual(FORMATS.map((f) => ({ id: f.id, extension: f.extension, importable: f.readRecord !== undefined })));
  });
});
