/**
 * Raw rankings JSONL: one line per submitted ranking with everything the
 * annotator saw and said, for audits and for re-pairing later with other
 * options. Reading checks what a schema cannot: dense ranks and a `ties`
 * field that matches them.
 */
import { z } from "zod";
import type { RankingFormat } from "@/lib/datasets/format";
import {
  chatMessageSchema,
  checkWith,
  extraFields,
  JSONL_FILE,
  parseJsonLines,
  withExtra,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, RawRankingRow } from "@/lib/datasets/types";

/**
 * Groups of completion ids sharing a rank, best rank first, ids sorted; e.g.
 * ranks {a:1, b:2, c:2} → [["b","c"]]. Written next to the ranks so ties are
 * visible without recomputing them.
 */
export function tieGroups(ranks: Record<string, number>): string[][] {
  const byRank = new Map<number, string[]>();
  for (const [id, r] of Object.entries(ranks)) byRank.set(r, [...(byRank.get(r) ?? []), id]);
  return [...byRank.entries()]
    .filter(([, ids]) => ids.length > 1)
    .sort(([p], [q]) => p - q)
    .map(([, ids]) => ids.sort());
}

/**
 * Fixed key order and absent optional fields left out, so equal rows give
 * equal bytes; fields of an imported row that this format does not know come last.
 */
export function rawRankingLine(row: RawRankingRow): string {
  const optional = <K extends keyof RawRankingRow>(key: K) => (row[key] === undefined ? {} : { [key]: row[key] });
  return JSON.stringify(withExtra({
    promptId: row.promptId,
    annotatorId: row.annotatorId,
    ...optional("createdAt"),
    ...optional("shownOrder"),
    ranks: row.ranks,
    ties: tieGroups(row.ranks),
    ...optional("ratings"),
    ...optional("aspectRatings"),
    ...optional("flags"),
    ...optional("rationale"),
    ...optional("timeSpentMs"),
    ...optional("reviewStatus"),
    ...optional("weight"),
    ...optional("prompt"),
    ...optional("completions"),
    ...optional("contexts"),
    ...optional("sources"),
    ...optional("parents"),
  }, row.extra));
}

export function writeRawRankings(rows: AnyIterable<RawRankingRow>): AsyncGenerator<string> {
  return writeLines(rows, rawRankingLine);
}

const lineSchema = z.object({
  promptId: z.string().min(1),
  annotatorId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  shownOrder: z.array(z.string()).optional(),
  ranks: z.record(z.string(), z.int().min(1)),
  ties: z.array(z.array(z.string())),
  ratings: z.record(z.string(), z.number()).optional(),
  aspectRatings: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  flags: z.array(z.string()).optional(),
  rationale: z.string().optional(),
  timeSpentMs: z.number().min(0).optional(),
  prompt: z.array(chatMessageSchema).optional(),
  completions: z.record(z.string(), z.string()).optional(),
  contexts: z.record(z.string(), z.array(chatMessageSchema)).optional(),
  sources: z.record(z.string(), z.enum(["model", "human"])).optional(),
  parents: z.record(z.string(), z.string().nullable()).optional(),
});
const KNOWN = Object.keys(lineSchema.shape);

/** The rules a schema cannot express: dense ranks and a `ties` field that matches them. */
function checkRanks(row: z.infer<typeof lineSchema>): string | undefined {
  const levels = [...new Set(Object.values(row.ranks))].sort((p, q) => p - q);
  if (levels.some((r, i) => r !== i + 1)) {
    return `ranks must be dense (1, 2, … without gaps), got ${levels.join(", ")}`;
  }
  const expected = JSON.stringify(tieGroups(row.ranks));
  if (JSON.stringify(row.ties) !== expected) return `ties must be ${expected} for these ranks, got ${JSON.stringify(row.ties)}`;
  const unknown = row.shownOrder?.find((id) => !Object.hasOwn(row.ranks, id));
  if (unknown !== undefined) return `shownOrder names "${unknown}", which has no rank`;
  const stray = Object.keys(row.contexts ?? {}).find((id) => !Object.hasOwn(row.completions ?? {}, id));
  if (stray !== undefined) return `contexts names "${stray}", which has no text in completions`;
  return undefined;
}

/** One line's value → a ranking row; fields this format does not know are kept as its extra. */
export function readRawRanking(value: unknown): LineResult<RawRankingRow> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const problem = checkRanks(r.value);
  if (problem) return { ok: false, message: problem };
  // `ties` is derived from ranks; the row keeps only the source of truth.
  const { ties: _ties, ...row } = r.value;
  const extra = extraFields(value, KNOWN);
  return { ok: true, value: extra ? { ...row, extra } : row };
}

/** Lines of a raw rankings file → ranking rows. */
export function parseRawRankings(lines: AnyIterable<string>): AsyncGenerator<RawRankingRow> {
  return parseJsonLines(lines, readRawRanking);
}

export const rawRankingsFormat: RankingFormat<"raw-rankings"> = {
  id: "raw-rankings",
  aliases: ["raw"],
  label: "Raw rankings",
  ...JSONL_FILE,
  card:
    "Raw rankings: one line per annotator ranking with shown order, ranks, ties, ratings, aspect ratings (`aspectRatings`: completion → aspect → 1–7), " +
    'flags, rationale, review status and, when requested, the annotator-reliability `weight`; a line holding an annotator\'s rewrite marks it in `sources` (`"human"`, the rest `"model"`) and names what it rewrote in `parents`',
  rows: "rankings",
  holdsWeights: true,
  write: writeRawRankings,
  readRecord: readRawRanking,
};
