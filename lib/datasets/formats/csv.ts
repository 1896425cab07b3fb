/**
 * CSV of pairs for spreadsheets: RFC 4180 (CRLF line ends, fields quoted when
 * they hold a comma, quote or line break, quotes doubled) and safe against
 * formula injection, since annotators and models write the text cells.
 */
import type { PairFormat } from "@/lib/datasets/format";
import type { AnyIterable, ChatMessage, PairText, PreferencePair } from "@/lib/datasets/types";

/** First characters a spreadsheet may treat as the start of a formula (OWASP CSV injection). */
const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r"]);

/**
 * One text cell: prefixed with a single quote when it could start a formula,
 * then quoted if needed. Apply to text only; numbers we format ourselves are
 * written by {@link numberCell} so a negative number keeps its sign.
 */
export function textCell(value: string): string {
  const safe = value.length > 0 && FORMULA_START.has(value[0]!) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function numberCell(value: number | undefined): string {
  return value === undefined ? "" : String(value);
}

export function csvRow(cells: readonly string[]): string {
  return `${cells.join(",")}\r\n`;
}

/** The prompt as one cell: the text of a single user turn, else the message list as JSON. */
export function promptCell(prompt: readonly ChatMessage[]): string {
  return prompt.length === 1 && prompt[0]!.role === "user" ? prompt[0]!.content : JSON.stringify(prompt);
}

/** A side's own conversation (see PairText.chosenContext) as a JSON message list; empty when it answers the prompt. */
export function contextCell(context: readonly ChatMessage[] | undefined): string {
  return context ? JSON.stringify(context.map(({ role, content }) => ({ role, content }))) : "";
}

export type CsvPair = PairText & Partial<Pick<PreferencePair, "chosenSource" | "rejectedSource" | "chosenRatings" | "rejectedRatings">> & {
  promptId?: string;
  annotatorId?: string;
  chosenId?: string;
  rejectedId?: string;
  tie?: boolean;
  agreement?: number;
  weight?: number;
};

export const PAIR_CSV_COLUMNS = [
  "prompt_id",
  "annotator_id",
  "prompt",
  "chosen_id",
  "chosen",
  "rejected_id",
  "rejected",
  "tie",
  "margin",
  "agreement",
  "chosen_context",
  "rejected_context",
  "chosen_source",
  "rejected_source",
] as const;

/** After the fixed columns (and `weight` when requested): each rubric aspect's rating of the chosen side, then of the rejected side. */
export function aspectColumns(aspects: readonly string[]): string[] {
  return [...aspects.map((a) => `chosen_${a}`), ...aspects.map((a) => `rejected_${a}`)];
}

/** One pair's row; `withWeight` adds the `weight` cell (the column exists only when weights were requested). */
export function pairCsvRow(p: CsvPair, aspects: readonly string[] = [], withWeight = false): string {
  return csvRow([
    textCell(p.promptId ?? ""),
    textCell(p.annotatorId ?? ""),
    textCell(promptCell(p.prompt)),
    textCell(p.chosenId ?? ""),
    textCell(p.chosen),
    textCell(p.rejectedId ?? ""),
    textCell(p.rejected),
    p.tie ? "true" : "false",
    numberCell(p.margin),
    numberCell(p.agreement),
    textCell(contextCell(p.chosenContext)),
    textCell(contextCell(p.rejectedContext)),
    p.chosenSource ?? "model",
    p.rejectedSource ?? "model",
    ...(withWeight ? [numberCell(p.weight)] : []),
    ...aspects.map((a) => numberCell(p.chosenRatings?.[a])),
    ...aspects.map((a) => numberCell(p.rejectedRatings?.[a])),
  ]);
}

/**
 * Header row, then one row per pair; ties are written with tie=true (CSV is the format that can
 * hold them). `*_source` says who wrote each side ("human" for an annotator's rewrite); with
 * `weight`, a `weight` column holds the reliability of the pair's annotator; each rubric aspect
 * gets a `chosen_<aspect>` and a `rejected_<aspect>` column, empty where nobody rated it.
 */
export async function* writePairsCsv(pairs: AnyIterable<CsvPair>, options: { aspects?: readonly string[]; weight?: boolean } = {}): AsyncGenerator<string> {
  const aspects = options.aspects ?? [];
  const withWeight = options.weight === true;
  yield csvRow([...PAIR_CSV_COLUMNS, ...(withWeight ? ["weight"] : []), ...aspectColumns(aspects)]);
  for await (const p of pairs) yield pairCsvRow(p, aspects, withWeight);
}

export const csvFormat: PairFormat<"csv"> = {
  id: "csv",
  label: "CSV",
  extension: "csv",
  contentType: "text/csv; charset=utf-8",
  card:
    "CSV of pairs (RFC 4180; text cells that could start a spreadsheet formula are prefixed with a quote) with ids, agreement, margin, `tie`, " +
    "`chosen_context`/`rejected_context` (a side's own conversation as JSON when it is not the prompt), " +
    "`chosen_source`/`rejected_source` (`human` for an annotator's rewrite, else `model`) and a `chosen_<aspect>`/`rejected_<aspect>` column per rubric aspect (1–7; the mean over annotators outside raw mode)",
  rows: "pairs",
  holdsTies: true,
  holdsWeights: true,
  write: writePairsCsv,
};
