/** Parser for the raw rankings JSONL written by formats/raw-rankings.ts. */
import { z } from "zod";
import { tieGroups } from "@/lib/datasets/formats/raw-rankings";
import type { RawRankingRow } from "@/lib/datasets/formats/raw-rankings";
import { chatMessageSchema } from "@/lib/datasets/import/trl";
import { checkWith, parseJsonLines } from "@/lib/datasets/import/lines";
import type { LineResult } from "@/lib/datasets/import/lines";
import type { AnyIterable } from "@/lib/datasets/types";

export const rawRankingLineSchema = z.object({
  promptId: z.string().min(1),
  annotatorId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  shownOrder: z.array(z.string()).optional(),
  ranks: z.record(z.string(), z.int().min(1)),
  ties: z.array(z.array(z.string())),
  ratings: z.record(z.string(), z.number()).optional(),
  flags: z.array(z.string()).optional(),
  rationale: z.string().optional(),
  timeSpentMs: z.number().min(0).optional(),
  prompt: z.array(chatMessageSchema).optional(),
  completions: z.record(z.string(), z.string()).optional(),
});
export type RawRankingLine = z.infer<typeof rawRankingLineSchema>;

/** Checks the rules a schema cannot express: dense ranks and a `ties` field that matches them. */
function checkRanks(row: RawRankingLine): string | undefined {
  const levels = [...new Set(Object.values(row.ranks))].sort((p, q) => p - q);
  if (levels.some((r, i) => r !== i + 1)) {
    return `ranks must be dense (1, 2, … without gaps), got ${levels.join(", ")}`;
  }
  const expected = JSON.stringify(tieGroups(row.ranks));
  if (JSON.stringify(row.ties) !== expected) return `ties must be ${expected} for these ranks, got ${JSON.stringify(row.ties)}`;
  const unknown = row.shownOrder?.find((id) => !Object.hasOwn(row.ranks, id));
  if (unknown !== undefined) return `shownOrder names "${unknown}", which has no rank`;
  return undefined;
}

export function validateRawRanking(value: unknown): LineResult<RawRankingRow> {
  const r = checkWith(rawRankingLineSchema, value);
  if (!r.ok) return r;
  const problem = checkRanks(r.value);
  if (problem) return { ok: false, message: problem };
  // `ties` is derived from ranks; the row keeps only the source of truth.
  const { ties: _ties, ...row } = r.value;
  return { ok: true, value: row };
}

/** Lines of a raw rankings file → ranking rows. */
export function parseRawRankings(lines: AnyIterable<string>): AsyncGenerator<RawRankingRow> {
  return parseJsonLines(lines, validateRawRanking);
}
