/**
 * Lines of an import file → records, each valid line as a record and each bad
 * one as a problem with its line number, without stopping: the import reports
 * every bad line before anything is written and, with skip-invalid, leaves
 * exactly those out. Pure and streaming; the caller reads the file.
 */
import type { ImportableFormat } from "@/lib/datasets/format";
import type { ImportItem, ImportRecord, ImportReport, LineProblem } from "@/lib/datasets/import-types";
import type { SourceLine } from "@/lib/datasets/read-lines";
import type { AnyIterable, RawRankingRow } from "@/lib/datasets/types";

export type ReadResult = ({ ok: true } & ImportRecord) | ({ ok: false } & LineProblem);

/** PostgreSQL cannot store U+0000 in text; refused on both databases so a file imports the same way everywhere. */
function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === "object") return Object.entries(value).some(([k, v]) => holdsNul(k) || holdsNul(v));
  return false;
}

/** A raw ranking is stored with its texts; one exported without them cannot be. */
function importableRanking(row: RawRankingRow): string | undefined {
  if (!row.prompt?.length || !row.completions) return "raw rankings need their prompt and completion texts (export them with text)";
  const bare = Object.keys(row.ranks).find((id) => row.completions![id] === undefined);
  return bare === undefined ? undefined : `completion ${bare} is ranked but has no text`;
}

/** One line's text → its record, or what is wrong with it. */
export function readImportLine(format: ImportableFormat, text: string): { ok: true; item: ImportItem } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `invalid JSON (${(e as Error).message})` };
  }
  if ((text.includes("\\u0000") || text.includes("\u0000")) && holdsNul(json)) {
    return { ok: false, message: "contains a NUL character (\\u0000), which the database cannot store" };
  }
  if (format.rows === "rankings") {
    const r = format.readRecord(json);
    if (!r.ok) return r;
    const missing = importableRanking(r.value);
    return missing ? { ok: false, message: missing } : { ok: true, item: { kind: "ranking", row: r.value } };
  }
  const r = format.readRecord(json);
  return r.ok ? { ok: true, item: { kind: "pair", pair: r.value } } : r;
}

/** Every non-blank line as a record or a problem, in file order. Blank lines are skipped but counted. */
export async function* readImportRecords(lines: AnyIterable<SourceLine>, format: ImportableFormat): AsyncGenerator<ReadResult> {
  for await (const line of lines) {
    if ("error" in line) {
      yield { ok: false, line: line.n, message: line.error };
      continue;
    }
    if (line.text.trim() === "") continue;
    const r = readImportLine(format, line.text);
    yield r.ok ? { ok: true, line: line.n, item: r.item } : { ok: false, line: line.n, message: r.message };
  }
}

/**
 * The format of the first non-blank line that some importable format reads,
 * trying them in the registry's order; undefined when none reads it.
 */
export function detectFormat<F extends ImportableFormat>(formats: readonly F[], text: string): F | undefined {
  return formats.find((f) => readImportLine(f, text).ok);
}

/** Line numbers as ranges ("3, 7–12, 15"), built as they come in increasing order; holds at most `max` ranges. */
export class LineRanges {
  private readonly ranges: [number, number][] = [];
  private dropped = 0;
  constructor(private readonly max = 10_000) {}

  add(line: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && last[1] === line - 1) last[1] = line;
    else if (this.ranges.length < this.max) this.ranges.push([line, line]);
    else this.dropped++;
  }

  toString(): string {
    const text = this.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(", ");
    return this.dropped > 0 ? `${text} and ${this.dropped} more` : text;
  }
}

/** How many bad lines keep their message in a report (all of them keep their number). */
export const REPORTED_ERRORS = 100;
/** How many records a preview shows. */
export const PREVIEW_RECORDS = 5;

/** Longest string a preview shows whole; a preview is for reading, and a report is stored with its run. */
export const PREVIEW_CHARS = 4000;

/** A record for the preview: strings past PREVIEW_CHARS are cut, saying how much is left out. */
export function previewItem(item: ImportItem): ImportItem {
  const cut = (v: unknown): unknown => {
    if (typeof v === "string") return v.length > PREVIEW_CHARS ? `${v.slice(0, PREVIEW_CHARS)} … (${v.length - PREVIEW_CHARS} more characters)` : v;
    if (Array.isArray(v)) return v.map(cut);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x)]));
    return v;
  };
  return cut(item) as ImportItem;
}

/** Accumulates what validating a file finds: counts, the first errors, every bad line's number, the first records. */
export class ImportScan {
  records = 0;
  invalid = 0;
  private readonly errors: LineProblem[] = [];
  private readonly bad = new LineRanges();
  private readonly preview: ImportRecord[] = [];

  add(r: ReadResult): void {
    if (r.ok) {
      this.records++;
      if (this.preview.length < PREVIEW_RECORDS) this.preview.push({ line: r.line, item: previewItem(r.item) });
      return;
    }
    this.invalid++;
    this.bad.add(r.line);
    if (this.errors.length < REPORTED_ERRORS) this.errors.push({ line: r.line, message: r.message.slice(0, 500) });
  }

  report(warnings: string[] = []): ImportReport {
    return { errors: [...this.errors], badLines: this.bad.toString(), preview: [...this.preview], warnings };
  }
}

/** "line 3: …" for the first problem, then how many more and every bad line's number. */
export function describeBadLines(report: ImportReport, invalid: number): string {
  const first = report.errors[0];
  if (!first) return "";
  const more = invalid > 1 ? `\n${invalid} bad lines in all: ${report.badLines}` : "";
  const listed = report.errors.slice(0, 20).map((e) => `line ${e.line}: ${e.message}`).join("\n");
  return `${listed}${more}`;
}
